// After `npm install` / `npm ci`: compile dist/ for `npm start` (ADR 0041) and build the embedded database image
// the first `npm start` copies (ADR 0031).
// Never fails the install: without development dependencies (production, the Docker image's runtime stage) or with
// NAVIGATOR_SKIP_IMAGE=1 it does nothing, and the app builds the image at the first start that needs it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const skip = process.env.NAVIGATOR_SKIP_IMAGE === '1' || process.env.NODE_ENV === 'production';
let tsx = null;
try {
  tsx = createRequire(import.meta.url).resolve('tsx');
} catch {
  // production dependencies only
}
if (!skip && tsx) {
  const { ensureBuilt } = await import('./dev-build.mjs');
  await ensureBuilt().catch((error) =>
    console.warn(`dist/ was not compiled (${error.message}); the first npm start compiles it`),
  );
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/db-image.ts'], {
    stdio: 'inherit',
  });
  if (result.status !== 0)
    console.warn('the embedded database image was not built; the first npm start builds it');
}

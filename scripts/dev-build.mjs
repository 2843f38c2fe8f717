// Keeps dist/ compiled from src/ for `npm start` (ADR 0041). Running TypeScript through tsx transpiles and loads
// every module through its loader hooks at each start: about twice the CPU of the same JavaScript run by plain
// node. So `npm start` runs dist/server.js, and this module brings dist/ up to date first when a source changed:
// esbuild transpiles each file on its own (types are `npm run check`'s, as with tsx), in about a second.
// `npm run build` (tsc) writes the same layout; its output is taken over by the next `npm start` that finds
// sources it did not record.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST = '.dev-build.json';

/** The files esbuild compiles: every .ts/.tsx of `src` but tests and declarations, relative to it, sorted. */
export function sourceFiles(srcDir) {
  return fs
    .readdirSync(srcDir, { recursive: true })
    .map((file) => String(file).split(path.sep).join('/'))
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
    .sort();
}

/**
 * What the build is made of: each source's path, size and modification time, the compiler settings and this
 * script. Any change — an edit, a new, renamed or deleted file, a checkout — makes another key.
 */
export function buildKey(projectDir = root) {
  const hash = createHash('sha256');
  const srcDir = path.join(projectDir, 'src');
  for (const file of sourceFiles(srcDir)) {
    const stat = fs.statSync(path.join(srcDir, file));
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\0`);
  }
  for (const file of ['tsconfig.json', 'scripts/dev-build.mjs']) {
    const full = path.join(projectDir, file);
    if (fs.existsSync(full)) hash.update(file).update('\0').update(fs.readFileSync(full));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Whether dist/ holds the build of the sources as they are now. */
export function isFresh(projectDir = root) {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(projectDir, 'dist', MANIFEST), 'utf8'));
    return manifest.key === buildKey(projectDir) && fs.existsSync(path.join(projectDir, 'dist/server.js'));
  } catch {
    return false;
  }
}

/**
 * Compiles src/ into dist/ with esbuild (each file on its own, ES modules, source maps) and removes outputs whose
 * source is gone. Returns false without esbuild (production dependencies only): dist/ is then `npm run build`'s.
 */
export async function build(projectDir = root) {
  let esbuild;
  try {
    esbuild = await import(createRequire(import.meta.url).resolve('esbuild/lib/main.js'));
  } catch {
    return false;
  }
  const key = buildKey(projectDir);
  const srcDir = path.join(projectDir, 'src');
  const distDir = path.join(projectDir, 'dist');
  const sources = sourceFiles(srcDir);
  await esbuild.build({
    entryPoints: sources.map((file) => path.join(srcDir, file)),
    outdir: distDir,
    outbase: srcDir,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    charset: 'utf8',
    tsconfig: path.join(projectDir, 'tsconfig.json'),
    logLevel: 'error',
  });
  const expected = new Set(
    sources.flatMap((file) => {
      const js = file.replace(/\.tsx?$/, '.js');
      return [js, `${js}.map`];
    }),
  );
  for (const file of fs.readdirSync(distDir, { recursive: true })) {
    const relative = String(file).split(path.sep).join('/');
    if (/\.js(\.map)?$/.test(relative) && !expected.has(relative)) {
      fs.rmSync(path.join(distDir, relative), { force: true });
    }
  }
  fs.writeFileSync(path.join(distDir, MANIFEST), JSON.stringify({ key, builtAt: new Date().toISOString() }));
  return true;
}

/** Builds dist/ when it is not the build of the current sources; true when dist/server.js can be run. */
export async function ensureBuilt(projectDir = root) {
  if (isFresh(projectDir)) return true;
  const started = performance.now();
  if (await build(projectDir)) {
    console.warn(`dist/ compiled from src/ in ${Math.round(performance.now() - started)} ms`);
    return true;
  }
  return fs.existsSync(path.join(projectDir, 'dist/server.js'));
}

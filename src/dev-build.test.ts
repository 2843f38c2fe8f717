import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build, ensureBuilt, isFresh } from '../scripts/dev-build.mjs';

// `npm start` runs dist/, compiled by esbuild when a source changed (ADR 0041).
let project: string;
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  fs.writeFileSync(path.join(project, file), text);
};
const built = (file: string) => fs.existsSync(path.join(project, 'dist', file));

beforeEach(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'navigator-dev-build-'));
  write(
    'tsconfig.json',
    JSON.stringify({ compilerOptions: { jsx: 'react-jsx', jsxImportSource: 'preact' } }),
  );
  write(
    'src/server.ts',
    "import { greet } from './lib/greet.js';\nexport const text: string = greet('мир');\n",
  );
  write('src/lib/greet.ts', 'export const greet = (name: string): string => `привет, ${name}`;\n');
  write('src/lib/greet.test.ts', "throw new Error('tests are not compiled');\n");
  write('src/views/page.tsx', 'export const Page = () => <p>страница</p>;\n');
});
afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

describe('the compiled dist/ of npm start (ADR 0041)', () => {
  it('compiles every source but tests, and runs as the sources would', async () => {
    expect(isFresh(project)).toBe(false);
    expect(await build(project)).toBe(true);
    expect(built('server.js') && built('lib/greet.js') && built('views/page.js')).toBe(true);
    expect(built('server.js.map')).toBe(true);
    expect(built('lib/greet.test.js')).toBe(false);
    expect(fs.readFileSync(path.join(project, 'dist/views/page.js'), 'utf8')).toContain('preact/jsx-runtime');
    const server = (await import(path.join(project, 'dist/server.js'))) as { text: string };
    expect(server.text).toBe('привет, мир');
    expect(isFresh(project)).toBe(true);
  });

  it('is stale after an edit, a new file or a deleted one, and a rebuild drops what has no source', async () => {
    await build(project);
    write('src/lib/greet.ts', 'export const greet = (name: string): string => `здравствуй, ${name}`;\n');
    expect(isFresh(project)).toBe(false);
    await build(project);
    write('src/lib/extra.ts', 'export const extra = 1;\n');
    expect(isFresh(project)).toBe(false);
    await ensureBuilt(project);
    expect(built('lib/extra.js')).toBe(true);
    fs.rmSync(path.join(project, 'src/lib/extra.ts'));
    expect(isFresh(project)).toBe(false);
    await ensureBuilt(project);
    expect(built('lib/extra.js') || built('lib/extra.js.map')).toBe(false);
    expect(isFresh(project)).toBe(true);
  });

  it('is stale when dist/ was replaced by another build (npm run build writes no record)', async () => {
    await build(project);
    fs.rmSync(path.join(project, 'dist/.dev-build.json'));
    expect(isFresh(project)).toBe(false);
  });
});

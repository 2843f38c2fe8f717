// npm start: the app from dist/, compiled from src/ first when a source changed (ADR 0041). `npm run dev` still
// runs the sources through tsx, restarting on changes.
import { pathToFileURL } from 'node:url';
import module from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import { ensureBuilt, root } from './dev-build.mjs';

// PGlite's WebAssembly on V8's baseline compiler only: optimising its hot functions in the background took more of
// a start on two cores than it gave back on the demo catalog (ADR 0041). WASM_OPTIMIZE=1 keeps V8's tiering.
if (process.env.WASM_OPTIMIZE !== '1') v8.setFlagsFromString('--liftoff-only');

if (!(await ensureBuilt())) {
  console.error('dist/server.js is missing and esbuild is not installed: run npm run build first');
  process.exit(1);
}
// Node 22+ keeps the compiled code of every module between starts (Node 20 has no such cache).
module.enableCompileCache?.(path.join(root, '.cache', 'node-compile-cache'));
// Stack traces name dist/'s JavaScript, which keeps the sources' names and layout; NODE_OPTIONS=--enable-source-maps
// maps them to the .ts files (reading every map at load cost ~0.1 s of each start).
await import(pathToFileURL(path.join(root, 'dist', 'server.js')).href);

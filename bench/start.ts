/**
 * npm run bench:start — how long `npm start` takes from launch to its first 200, on an empty DATA_DIR (the first
 * start: the prepared image copied, ADR 0031) and on the same DATA_DIR again (a restart). Each is run `--runs`
 * times (3) and the median printed, with the machine's load average: other processes on the machine slow it.
 *
 *   npm run bench:start
 *   npm run bench:start -- --runs 5 --port 3901
 *   npm run bench:start -- --cold   # also once without the image (it is built then, as after a migration change)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    port: { type: 'string', default: '3901' },
    cold: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const port = Number(values.port);
const root = path.join(import.meta.dirname, '..');

/** Launches `npm start`, waits for GET / to answer 200, stops it; the milliseconds from launch to that answer. */
async function timeStart(dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let elapsed = 0;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      await response.arrayBuffer();
      if (response.status === 200) {
        elapsed = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error('npm start ended before it answered');
    if (performance.now() - started > 180_000) throw new Error('npm start did not answer within 3 minutes');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
  // npm may exit before the server it started has shut down; the next start must not find it still listening
  // (a kept-alive connection would be answered by it) or still holding the data directory's lock.
  for (;;) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return elapsed;
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () => os.loadavg()[0]!.toFixed(1);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'navigator-start-'));

if (values.cold) {
  fs.rmSync(path.join(root, '.cache', 'pglite-image'), { recursive: true, force: true });
  console.log(
    `first start without the image (builds it): ${seconds(await timeStart(path.join(scratch, 'cold')))}`,
  );
}
const first: number[] = [];
const again: number[] = [];
for (let run = 0; run < runs; run++) {
  const dataDir = path.join(scratch, `run-${run}`);
  first.push(await timeStart(dataDir));
  again.push(await timeStart(dataDir));
  console.log(
    `run ${run + 1}: first start ${seconds(first.at(-1)!)}, restart ${seconds(again.at(-1)!)} (load ${load()})`,
  );
}
fs.rmSync(scratch, { recursive: true, force: true });
console.log(
  `first start (empty DATA_DIR): median ${seconds(median(first))}; goal < 5 s: ${median(first) < 5000 ? 'met' : 'NOT met'}`,
);
console.log(
  `restart: median ${seconds(median(again))}; goal < 2 s: ${median(again) < 2000 ? 'met' : 'NOT met'}`,
);
console.log(`load average (1 min) at the end: ${load()} on ${os.cpus().length} cores`);

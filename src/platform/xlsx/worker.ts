import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { readWorkbook } from './reader.js';

// The worker thread of the import (see readWorkbookOffThread in reader.ts): reads one file and answers once.
const { file, sheetNames, tmpDir } = workerData as { file: Uint8Array; sheetNames: string[]; tmpDir: string };
// exceljs spills sheets to temporary files: into the folder the main thread removes (this thread's `os` only).
os.tmpdir = () => tmpDir;
parentPort!.postMessage(
  await readWorkbook(Buffer.from(file.buffer, file.byteOffset, file.byteLength), sheetNames),
);

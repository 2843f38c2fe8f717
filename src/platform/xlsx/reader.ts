import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { inflateRawSync } from 'node:zlib';
import type { Row } from 'exceljs';

/**
 * Reads an uploaded workbook within bounds (ADR 0014): the programs' import and the completeness upload. It runs
 * in a worker thread (`readWorkbookOffThread`, worker.ts), and refuses hostile
 * files before they cost memory: the zip's own directory is checked first (sizes, layout, real unpacked size),
 * then the sheets are streamed and reading stops at the caps on rows, cells and shared strings.
 */

export const XLSX_LIMITS = {
  entries: 200,
  /** All entries together, unpacked: a filled 2,000-row template is about 5 MB. */
  unpackedBytes: 40 * 1024 * 1024,
  /** Non-empty data rows on the sheets read, all together. */
  rows: 2000,
  /** `<row>` elements per sheet read, empty ones included. */
  rowElements: 20_000,
  /** Cells of the rows read (a row counts up to its last cell). */
  cells: 100_000,
  sharedStrings: 100_000,
  sharedStringChars: 10_000_000,
};

export interface SheetRead {
  /** Cell texts of the first row, by column (0-based). */
  titles: string[];
  rows: { row: number; cells: string[] }[];
}

export type WorkbookRead =
  { ok: true; sheets: Record<string, SheetRead | undefined> } | { ok: false; message: string };

export const NOT_A_WORKBOOK = 'Файл не читается как книга Excel (.xlsx). Скачайте шаблон и заполните его.';
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const refuse = (message: string): WorkbookRead => ({ ok: false, message });

/**
 * The zip's central directory, checked against its local headers: entries must lie one after another with
 * no gaps or overlaps (so the streaming reader sees exactly these entries), and each one must unpack to no
 * more than it declares. Returns a refusal message, or undefined when the archive is within bounds.
 */
export function checkZip(file: Buffer): string | undefined {
  const eocdMin = 22;
  if (file.length < eocdMin) return NOT_A_WORKBOOK;
  let eocd = -1;
  for (let at = file.length - eocdMin; at >= Math.max(0, file.length - eocdMin - 0xffff); at--) {
    if (file.readUInt32LE(at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return NOT_A_WORKBOOK;
  const count = file.readUInt16LE(eocd + 10);
  const directorySize = file.readUInt32LE(eocd + 12);
  const directoryStart = file.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryStart === 0xffffffff) return NOT_A_WORKBOOK; // zip64: never needed here
  if (count > XLSX_LIMITS.entries)
    return `В архиве файла ${count} частей, а в книге Excel их не больше ${XLSX_LIMITS.entries}: файл не принят.`;
  if (directoryStart + directorySize > eocd) return NOT_A_WORKBOOK;

  const entries: {
    name: string;
    method: number;
    flags: number;
    packed: number;
    unpacked: number;
    local: number;
  }[] = [];
  let at = directoryStart;
  let declared = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || file.readUInt32LE(at) !== 0x02014b50) return NOT_A_WORKBOOK;
    const nameLength = file.readUInt16LE(at + 28);
    const entry = {
      flags: file.readUInt16LE(at + 8),
      method: file.readUInt16LE(at + 10),
      packed: file.readUInt32LE(at + 20),
      unpacked: file.readUInt32LE(at + 24),
      local: file.readUInt32LE(at + 42),
      name: file.toString('utf8', at + 46, at + 46 + nameLength),
    };
    at += 46 + nameLength + file.readUInt16LE(at + 30) + file.readUInt16LE(at + 32);
    if (entry.method !== 0 && entry.method !== 8) return NOT_A_WORKBOOK;
    if (entry.method === 0 && entry.packed !== entry.unpacked) return NOT_A_WORKBOOK;
    declared += entry.unpacked;
    entries.push(entry);
  }
  const unpackedTooBig = `Файл после распаковки больше ${mb(XLSX_LIMITS.unpackedBytes)} МБ — в книге с ${XLSX_LIMITS.rows} строками столько не бывает: файл не принят. Скачайте шаблон и заполните его.`;
  if (declared > XLSX_LIMITS.unpackedBytes) return unpackedTooBig;

  entries.sort((a, b) => a.local - b.local);
  let expected = 0;
  for (const entry of entries) {
    // A data descriptor (flag bit 3) of up to 16 bytes may follow the data.
    if (entry.local < expected || entry.local > expected + 16) return NOT_A_WORKBOOK;
    if (entry.local + 30 > directoryStart || file.readUInt32LE(entry.local) !== 0x04034b50)
      return NOT_A_WORKBOOK;
    const nameLength = file.readUInt16LE(entry.local + 26);
    const dataStart = entry.local + 30 + nameLength + file.readUInt16LE(entry.local + 28);
    if (file.toString('utf8', entry.local + 30, entry.local + 30 + nameLength) !== entry.name)
      return NOT_A_WORKBOOK;
    if (
      !(entry.flags & 8) &&
      (file.readUInt32LE(entry.local + 18) !== entry.packed ||
        file.readUInt32LE(entry.local + 22) !== entry.unpacked)
    )
      return NOT_A_WORKBOOK;
    expected = dataStart + entry.packed;
    if (expected > directoryStart) return NOT_A_WORKBOOK;
    if (entry.method === 8) {
      // The declared size may lie: unpack for real, never past it.
      try {
        const data = inflateRawSync(file.subarray(dataStart, expected), {
          maxOutputLength: Math.max(1, entry.unpacked),
        });
        if (data.length > entry.unpacked) return unpackedTooBig;
      } catch (error) {
        return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? unpackedTooBig : NOT_A_WORKBOOK;
      }
    }
  }
  if (directoryStart < expected || directoryStart > expected + 16) return NOT_A_WORKBOOK;
  return undefined;
}

const joined = (parts: unknown[]) =>
  parts
    .map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text as string) : ''))
    .join('');

/** A cell as the text a person sees: dates as ДД.ММ.ГГГГ, formulas by their result, rich text joined. */
function cellText(value: unknown, strings: string[]): string {
  if (value instanceof Date) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${pad(value.getUTCDate())}.${pad(value.getUTCMonth() + 1)}.${value.getUTCFullYear()}`;
  }
  if (value && typeof value === 'object') {
    if ('sharedString' in value) return strings[Number(value.sharedString)]?.trim() ?? '';
    if ('richText' in value && Array.isArray(value.richText)) return joined(value.richText).trim();
    if ('text' in value) return cellText(value.text, strings);
    if ('result' in value) return cellText(value.result, strings);
    return '';
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value).trim();
  return '';
}

/** A shared string: plain, or rich text in runs. */
const stringOf = (text: unknown): string =>
  typeof text === 'string'
    ? text
    : text && typeof text === 'object' && 'richText' in text && Array.isArray(text.richText)
      ? joined(text.richText)
      : '';

/** Streams the named sheets of the workbook, stopping at the first cap it reaches. */
export async function readWorkbook(file: Buffer, sheetNames: string[]): Promise<WorkbookRead> {
  const zipProblem = checkZip(file);
  if (zipProblem) return refuse(zipProblem);
  // Loaded when needed: exceljs is a large part of the app's start-up time (issue 16).
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), {
    sharedStrings: 'emit',
    styles: 'cache', // dates are numbers with a date format
    worksheets: 'emit',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const strings: string[] = [];
  let stringChars = 0;
  let rows = 0;
  let cells = 0;
  const sheets: Record<string, SheetRead> = {};
  try {
    // In 'emit' mode exceljs yields shared strings bare, as { index, text }, and sheets as events.
    for await (const item of reader.parse() as unknown as AsyncIterable<
      { eventType: string; value: unknown } | { index: number; text: unknown }
    >) {
      if ('index' in item) {
        const text = stringOf(item.text);
        stringChars += text.length;
        strings.push(text);
        if (strings.length > XLSX_LIMITS.sharedStrings || stringChars > XLSX_LIMITS.sharedStringChars)
          return refuse(
            `В файле больше ${XLSX_LIMITS.sharedStrings} разных текстов или ${XLSX_LIMITS.sharedStringChars} символов: файл не принят. Разделите его на несколько.`,
          );
        continue;
      }
      if (item.eventType !== 'worksheet') continue;
      const sheet = item.value as AsyncIterable<Row> & { name?: string };
      if (!sheet.name || !sheetNames.includes(sheet.name) || sheets[sheet.name]) continue;
      const read: SheetRead = { titles: [], rows: [] };
      sheets[sheet.name] = read;
      let elements = 0;
      let header = true;
      for await (const row of sheet) {
        cells += row.cellCount;
        if (++elements > XLSX_LIMITS.rowElements || cells > XLSX_LIMITS.cells)
          return refuse(
            `В файле больше ${XLSX_LIMITS.cells} ячеек или ${XLSX_LIMITS.rowElements} строк на листе (с пустыми строками): файл не принят. Удалите лишние строки и столбцы или разделите файл.`,
          );
        const texts: string[] = [];
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          texts[column - 1] = cellText(cell.value, strings);
        });
        const filled = Array.from(texts, (text) => text ?? '');
        if (header) {
          read.titles = filled;
          header = false;
          continue;
        }
        if (!filled.some((text) => text !== '')) continue;
        if (++rows > XLSX_LIMITS.rows)
          return refuse(`Не больше ${XLSX_LIMITS.rows} строк за один раз: разделите файл.`);
        read.rows.push({ row: row.number, cells: filled });
      }
    }
  } catch {
    return refuse(NOT_A_WORKBOOK);
  }
  return { ok: true, sheets };
}

/** Reading stops here: a worker past it is stopped and the file refused. */
export const READ_TIME_LIMIT_MS = 20_000;
/** Files read at once; the others wait, so that hostile uploads cannot take every core and the memory. */
const READERS = 2;
let readers = 0;
const waiting: (() => void)[] = [];

// From the sources (tsx, vitest) the worker is TypeScript: a tiny script registers tsx's loader in the
// thread first (loaders given in execArgv do not reach worker threads). The build runs the .js directly.
const fromSources = import.meta.url.endsWith('.ts');
const workerUrl = new URL(fromSources ? './worker.ts' : './worker.js', import.meta.url);
const tsxApi = () =>
  new URL(
    './dist/esm/api/index.mjs',
    pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json')),
  ).href;
const startWorker = (options: WorkerOptions) =>
  fromSources
    ? new Worker(
        `import(${JSON.stringify(tsxApi())}).then(({ register }) => { register(); return import(${JSON.stringify(workerUrl.href)}); });`,
        { ...options, eval: true },
      )
    : new Worker(workerUrl, options);

/**
 * The workbook read in a worker thread, so that the event loop keeps answering, with caps on its time and
 * memory. exceljs spills sheets to temporary files: they go to a folder of this read, removed afterwards.
 */
export async function readWorkbookOffThread(file: Buffer, sheetNames: string[]): Promise<WorkbookRead> {
  // A finished reader hands its place to the next one waiting.
  if (readers >= READERS) await new Promise<void>((resolve) => waiting.push(resolve));
  else readers++;
  let tmpDir: string | undefined;
  try {
    tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'navigator-xlsx-'));
    const worker = startWorker({
      workerData: { file, sheetNames, tmpDir },
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
      stdout: false,
    });
    const read = await new Promise<WorkbookRead>((resolve) => {
      const timer = setTimeout(
        () =>
          resolve({
            ok: false,
            message: `Файл не удалось прочитать за ${READ_TIME_LIMIT_MS / 1000} секунд: он слишком сложный. Разделите его на несколько или скачайте шаблон заново.`,
          }),
        READ_TIME_LIMIT_MS,
      );
      const done = (result: WorkbookRead) => {
        clearTimeout(timer);
        resolve(result);
      };
      worker.once('message', (result: WorkbookRead) => done(result));
      worker.once('error', (error: Error & { code?: string }) =>
        done({
          ok: false,
          message:
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? 'Файлу не хватило памяти при чтении: он слишком большой. Разделите его на несколько.'
              : NOT_A_WORKBOOK,
        }),
      );
      worker.once('exit', () => done({ ok: false, message: NOT_A_WORKBOOK }));
    });
    await worker.terminate();
    return read;
  } finally {
    if (tmpDir) await fs.rm(tmpDir, { recursive: true, force: true });
    const next = waiting.shift();
    if (next) next();
    else readers--;
  }
}

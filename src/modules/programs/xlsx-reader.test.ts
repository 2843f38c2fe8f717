import { describe, expect, it } from 'vitest';
import { cellBomb, workbookEntries, zipBomb, zipOf } from '../../../tests/support/xlsx-bombs.js';
import { regionToday } from '../../platform/views/format.js';
import { XLSX_LIMITS, checkZip, readWorkbookOffThread } from '../../platform/xlsx/reader.js';
import { buildTemplate } from './import.js';

const sheets = ['Программы', 'Группы'];
// Through the worker thread, as the import reads files.
const refusal = async (file: Buffer) => {
  const read = await readWorkbookOffThread(file, sheets);
  return read.ok ? undefined : read.message;
};
const sheetOf = (rows: string) =>
  Buffer.from(
    `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`,
  );

describe('reading the import workbook within bounds', () => {
  it('reads the template: titles and the example row', async () => {
    const read = await readWorkbookOffThread(await buildTemplate(), sheets);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.sheets['Программы']!.titles.slice(0, 2)).toEqual(['Код программы', 'Название']);
    expect(read.sheets['Программы']!.rows).toHaveLength(1);
    expect(read.sheets['Программы']!.rows[0]!.cells[1]).toBe('Робототехника для начинающих');
    expect(read.sheets['Группы']!.rows[0]!.row).toBe(2);
    // The example's dates are this year's.
    const year = Number(regionToday().slice(0, 4));
    expect(read.sheets['Группы']!.rows[0]!.cells.slice(9, 13)).toEqual([
      `01.08.${year}`,
      `30.09.${year}`,
      `01.09.${year}`,
      `31.05.${year + 1}`,
    ]);
  });

  it('refuses a zip bomb by its declared size without unpacking it', () => {
    const bomb = zipBomb(200 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(300 * 1024);
    expect(checkZip(bomb)).toContain('после распаковки больше 40 МБ');
  });

  it('refuses a zip bomb that lies about its size, unpacking no further than the lie', async () => {
    expect(await refusal(zipBomb(200 * 1024 * 1024, 1000))).toContain('после распаковки больше 40 МБ');
  });

  it('refuses bytes the directory does not list (where a second, hidden entry could live)', () => {
    expect(checkZip(zipOf(workbookEntries(sheetOf('')), { gapBefore: 2 }))).toContain('не читается');
    expect(checkZip(zipOf(workbookEntries(sheetOf(''))))).toBeUndefined();
    expect(checkZip(Buffer.from('это не Excel'))).toContain('не читается');
  });

  it('stops a 2 MB cell bomb at the cap on cells', async () => {
    const bomb = cellBomb(9_500);
    expect(bomb.length).toBeGreaterThan(1.9 * 1024 * 1024);
    // The refusal names the cap: reading stopped there (how long it takes is the machine's, not a test's).
    expect(await refusal(bomb)).toContain(`больше ${XLSX_LIMITS.cells} ячеек`);
  });

  it('stops at the row limit, and at the cap on shared strings', async () => {
    const rows = Array.from(
      { length: XLSX_LIMITS.rows + 2 },
      (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>1</v></c></row>`,
    );
    expect(await refusal(zipOf(workbookEntries(sheetOf(rows.join('')))))).toContain(
      `Не больше ${XLSX_LIMITS.rows} строк`,
    );
    const strings = Buffer.from(
      `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>а</t></si>'.repeat(XLSX_LIMITS.sharedStrings + 1)}</sst>`,
    );
    const entries = workbookEntries(sheetOf(''));
    entries.splice(2, 0, { name: 'xl/sharedStrings.xml', data: strings });
    expect(await refusal(zipOf(entries))).toContain(`больше ${XLSX_LIMITS.sharedStrings} разных текстов`);
  });
});

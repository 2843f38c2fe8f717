import { describe, expect, it } from 'vitest';
import type { SheetRead } from '../../platform/xlsx/reader.js';
import { COMPLETENESS_TITLES, checkCompletenessSheet, monthOfCell } from './completeness-upload.js';

const month = '2026-11-01';
const contracts = [
  { contractId: 'a', number: '67-2026-000001', invoicedPercent: null },
  { contractId: 'b', number: '67-2026-000002', invoicedPercent: null },
  { contractId: 'c', number: '67-2026-000003', invoicedPercent: 80 },
];
/** A sheet as the download makes it: number, month, child, program, part, percent. */
const sheet = (...rows: [string, string, string][]): SheetRead => ({
  titles: [...COMPLETENESS_TITLES],
  rows: rows.map(([number, monthText, percent], index) => ({
    row: index + 2,
    cells: [number, monthText, 'Иванов Иван', 'Робототехника', '800', percent],
  })),
});

describe('the uploaded completeness table', () => {
  it('reads the month as the download writes it, typed by hand, or turned into a date', () => {
    expect(monthOfCell('11.2026')).toBe(month);
    expect(monthOfCell('2026-11')).toBe(month);
    expect(monthOfCell('Ноябрь  2026')).toBe(month);
    expect(monthOfCell('01.11.2026')).toBe(month);
    expect(monthOfCell('13.2026')).toBeNull();
    expect(monthOfCell('ноябрь')).toBeNull();
  });

  it('takes whole percents 0–100, empty as not entered, an invoiced row only repeated', () => {
    const checked = checkCompletenessSheet(
      sheet(
        ['67-2026-000001', '11.2026', '50'],
        ['№ 67-2026-000002', '11.2026', ''],
        ['67-2026-000003', '11.2026', '80'],
      ),
      month,
      contracts,
    );
    expect(checked).toEqual({
      ok: true,
      values: new Map([
        ['a', 50],
        ['b', null],
      ]),
    });
  });

  it('lists every wrong row at once with its number, and gives no values', () => {
    const checked = checkCompletenessSheet(
      sheet(
        ['67-2026-000001', '10.2026', '50'],
        ['67-2026-999999', '11.2026', '100'],
        ['67-2026-000002', '11.2026', '101'],
        ['67-2026-000002', '11.2026', '2,5'],
        ['', '11.2026', '10'],
        ['67-2026-000003', '11.2026', '100'],
      ),
      month,
      contracts,
    );
    expect(checked.ok).toBe(false);
    if (checked.ok || !('errors' in checked)) throw new Error('expected row errors');
    expect(checked.errors.map((error) => error.row)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(checked.errors[0]!.message).toBe(
      'Месяц «10.2026» не тот: в таблицу за ноябрь 2026 вносится только 11.2026',
    );
    expect(checked.errors[1]!.message).toContain('Договора № 67-2026-999999 нет среди договоров организации');
    expect(checked.errors[2]!.message).toBe('Полнота «101»: введите целое число от 0 до 100');
    expect(checked.errors[3]!.message).toBe(
      'Договор № 67-2026-000002 уже указан в строке 4; полнота «2,5»: введите целое число от 0 до 100',
    );
    expect(checked.errors[4]!.message).toBe('Не указан номер договора');
    expect(checked.errors[5]!.message).toContain('уже сформирован с полнотой 80 %: изменить её нельзя');
  });

  it('refuses a file without the sheet or its columns, or without rows', () => {
    const fileError = (check: ReturnType<typeof checkCompletenessSheet>) =>
      !check.ok && 'fileError' in check ? check.fileError : undefined;
    expect(fileError(checkCompletenessSheet(undefined, month, contracts))).toContain('нет листа «Полнота»');
    expect(
      fileError(checkCompletenessSheet({ titles: ['Договор', 'Полнота, %'], rows: [] }, month, contracts)),
    ).toContain('нет столбцов «Месяц»');
    expect(fileError(checkCompletenessSheet(sheet(), month, contracts))).toContain('нет строк');
  });
});

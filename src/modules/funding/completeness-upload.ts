import type { SheetRead } from '../../platform/xlsx/reader.js';
import { monthName } from './contracts.js';

/*
 * The completeness table filled by the provider and uploaded back (ADR 0035, issue 13 item 6): the sheet the
 * download makes, read by the platform's bounded reader, every row checked before anything is saved.
 */

export const COMPLETENESS_SHEET = 'Полнота';
export const COMPLETENESS_COLUMNS = {
  number: 'Договор',
  month: 'Месяц',
  child: 'Обучающийся',
  program: 'Программа',
  part: 'Сертификат за месяц, ₽',
  percent: 'Полнота, %',
} as const;
/** The download's column order. */
export const COMPLETENESS_TITLES = [
  COMPLETENESS_COLUMNS.number,
  COMPLETENESS_COLUMNS.month,
  COMPLETENESS_COLUMNS.child,
  COMPLETENESS_COLUMNS.program,
  COMPLETENESS_COLUMNS.part,
  COMPLETENESS_COLUMNS.percent,
];

/** The month as the download writes it: «11.2026». */
export const monthCell = (month: string) => `${month.slice(5, 7)}.${month.slice(0, 4)}`;

/**
 * The month a cell names, as the first day ('2026-11-01'), or null: «11.2026», «2026-11», «ноябрь 2026», or a date
 * of that month («01.11.2026», as a spreadsheet turns «11.2026» into a date).
 */
export function monthOfCell(text: string, names: (month: string) => string = monthName): string | null {
  const value = text.trim().toLowerCase().replace(/\s+/g, ' ');
  let match = /^(\d{1,2})\.(\d{4})$/.exec(value);
  if (match) return monthOf(Number(match[2]), Number(match[1]));
  match = /^(\d{4})-(\d{2})(?:-\d{2})?$/.exec(value);
  if (match) return monthOf(Number(match[1]), Number(match[2]));
  match = /^\d{1,2}\.(\d{1,2})\.(\d{4})$/.exec(value);
  if (match) return monthOf(Number(match[2]), Number(match[1]));
  match = /^(\S+) (\d{4})$/.exec(value);
  if (match) {
    const year = Number(match[2]);
    for (let number = 1; number <= 12; number++) {
      const month = monthOf(year, number)!;
      if (names(month) === value) return month;
    }
  }
  return null;
}

const monthOf = (year: number, number: number) =>
  number >= 1 && number <= 12 && year >= 2000 && year <= 2100
    ? `${year}-${String(number).padStart(2, '0')}-01`
    : null;

/** What the check needs of a contract of the month (the page's rows). */
export interface UploadContract {
  contractId: string;
  number: string;
  /** The month's invoice is made with this percent: the row may only repeat it (ADR 0040). */
  invoicedPercent: number | null;
}

export interface UploadRowError {
  row: number;
  message: string;
}

export type UploadCheck =
  | { ok: true; values: Map<string, number | null> }
  | { ok: false; errors: UploadRowError[] }
  | { ok: false; fileError: string };

export const INVOICED_MESSAGE = (month: string, number: string, percent: number) =>
  `Счёт за ${monthName(month)} по договору № ${number} уже сформирован с полнотой ${percent} %: изменить её нельзя. Если полнота указана неверно, обратитесь в муниципалитет, который оплачивает реестр счетов.`;

/**
 * Checks every row of the sheet against the organization's contracts of `month`: the number known, the month
 * the table's, the percent a whole 0–100 (empty: not entered, the close takes 100 %), each contract once. All
 * errors at once, each with its row; values only when there are none.
 */
export function checkCompletenessSheet(
  sheet: SheetRead | undefined,
  month: string,
  contracts: UploadContract[],
): UploadCheck {
  if (!sheet)
    return {
      ok: false,
      fileError: `В файле нет листа «${COMPLETENESS_SHEET}». Скачайте таблицу за ${monthName(month)} и заполните её.`,
    };
  const column = (title: string) => sheet.titles.findIndex((text) => text.trim() === title);
  const at = {
    number: column(COMPLETENESS_COLUMNS.number),
    month: column(COMPLETENESS_COLUMNS.month),
    percent: column(COMPLETENESS_COLUMNS.percent),
  };
  const missing = Object.entries(at)
    .filter(([, index]) => index < 0)
    .map(([key]) => `«${COMPLETENESS_COLUMNS[key as keyof typeof at]}»`);
  if (missing.length > 0)
    return {
      ok: false,
      fileError: `На листе «${COMPLETENESS_SHEET}» нет столбцов ${missing.join(', ')}. Скачайте таблицу заново и заполните её.`,
    };
  const byNumber = new Map(contracts.map((contract) => [contract.number, contract]));
  const seen = new Map<string, number>();
  const errors: UploadRowError[] = [];
  const values = new Map<string, number | null>();
  for (const { row, cells } of sheet.rows) {
    const number = (cells[at.number] ?? '').replace(/^№\s*/, '').trim();
    const monthText = cells[at.month] ?? '';
    const percentText = (cells[at.percent] ?? '').trim().replace(/\s*%$/, '');
    const problems: string[] = [];
    const contract = byNumber.get(number);
    if (number === '') problems.push('не указан номер договора');
    else if (!contract)
      problems.push(
        `договора № ${number} нет среди договоров организации с оплатой сертификатом за ${monthName(month)}`,
      );
    else if (seen.has(number)) problems.push(`договор № ${number} уже указан в строке ${seen.get(number)}`);
    const cellMonth = monthOfCell(monthText);
    if (cellMonth !== month)
      problems.push(
        monthText.trim() === ''
          ? `не указан месяц (${monthCell(month)})`
          : `месяц «${monthText.trim()}» не тот: в таблицу за ${monthName(month)} вносится только ${monthCell(month)}`,
      );
    const percent =
      percentText === '' ? null : /^\d{1,3}$/.test(percentText) ? Number(percentText) : Number.NaN;
    if (percent !== null && (Number.isNaN(percent) || percent > 100))
      problems.push(`полнота «${percentText}»: введите целое число от 0 до 100`);
    else if (contract && contract.invoicedPercent !== null && percent !== contract.invoicedPercent)
      problems.push(INVOICED_MESSAGE(month, contract.number, contract.invoicedPercent));
    if (contract && !seen.has(number)) seen.set(number, row);
    if (problems.length > 0) {
      errors.push({ row, message: capitalized(problems.join('; ')) });
      continue;
    }
    if (contract && contract.invoicedPercent === null) values.set(contract.contractId, percent);
  }
  if (errors.length > 0) return { ok: false, errors };
  if (sheet.rows.length === 0)
    return {
      ok: false,
      fileError: 'В таблице нет строк с договорами: заполните полноту и загрузите её снова.',
    };
  return { ok: true, values };
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

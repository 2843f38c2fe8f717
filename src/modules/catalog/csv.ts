import { FINANCING_LABELS, FORMAT_LABELS, LEVEL_LABELS } from '../reference/index.js';
import type { CatalogExportRow } from './service.js';

/** The columns of /programs.csv, in order, with Russian headers. */
export const CATALOG_CSV_COLUMNS: { key: keyof CatalogExportRow; title: string }[] = [
  { key: 'id', title: 'Идентификатор' },
  { key: 'name', title: 'Программа' },
  { key: 'direction', title: 'Направленность' },
  { key: 'specialization', title: 'Специализация' },
  { key: 'organization', title: 'Организация' },
  { key: 'inn', title: 'ИНН организации' },
  { key: 'municipality', title: 'Муниципалитет' },
  { key: 'age_from', title: 'Возраст от' },
  { key: 'age_to', title: 'Возраст до' },
  { key: 'level', title: 'Уровень' },
  { key: 'format', title: 'Форма обучения' },
  { key: 'financing', title: 'Оплата' },
  { key: 'ovz_adapted', title: 'Адаптирована для детей с ОВЗ' },
  { key: 'groups', title: 'Групп' },
  { key: 'capacity', title: 'План приёма' },
  { key: 'free_places', title: 'Свободных мест' },
  { key: 'min_monthly_cost', title: 'Стоимость в месяц от, руб.' },
  { key: 'published_at', title: 'Опубликована' },
];

/** A row as people read it: Russian names of codes. */
export function readableRow(row: CatalogExportRow): CatalogExportRow {
  return {
    ...row,
    level: LEVEL_LABELS[row.level as keyof typeof LEVEL_LABELS] ?? row.level,
    format: FORMAT_LABELS[row.format as keyof typeof FORMAT_LABELS] ?? row.format,
    financing: FINANCING_LABELS[row.financing as keyof typeof FINANCING_LABELS] ?? row.financing,
  };
}

/**
 * Where a spreadsheet could start a formula in a provider's text: at its start, and after every «;» or «,» —
 * Excel in a Russian locale splits a double-clicked CSV on «;» and takes a quote inside a piece for a plain
 * character, so each piece between separators becomes a cell of its own. A formula starts with = + - @ (also
 * after spaces or quotes), or with a tab or a carriage return.
 */
const FORMULA_START = /(^|[;,])(?=["\s]*[=+\-@\t\r])/g;

/**
 * One CSV line (RFC 4180, CRLF), every field quoted. Text that could start a formula anywhere a spreadsheet may
 * begin a cell gets an apostrophe there (`x;=1+1` → `x;'=1+1`): open data must not execute on someone's
 * computer, whichever separator the reader's spreadsheet picks.
 */
export function csvLine(values: readonly unknown[], separator: ',' | ';' = ','): string {
  return (
    values
      .map((value) => {
        if (value === null || value === undefined) return '""';
        if (typeof value === 'boolean') return value ? '"да"' : '"нет"';
        let text = typeof value === 'string' ? value : JSON.stringify(value);
        if (typeof value === 'string') text = text.replace(FORMULA_START, "$1'");
        return `"${text.replaceAll('"', '""')}"`;
      })
      .join(separator) + '\r\n'
  );
}

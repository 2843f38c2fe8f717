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
 * One CSV line (RFC 4180, CRLF). Text that a spreadsheet would run as a formula (= + - @ at the start) gets
 * a leading apostrophe: open data must not execute on someone's computer.
 */
export function csvLine(values: readonly unknown[]): string {
  return (
    values
      .map((value) => {
        if (value === null || value === undefined) return '';
        if (typeof value === 'boolean') return value ? 'да' : 'нет';
        let text = typeof value === 'string' ? value : JSON.stringify(value);
        if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
        return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
      })
      .join(',') + '\r\n'
  );
}

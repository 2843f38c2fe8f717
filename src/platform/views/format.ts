import { REGION } from '../region.js';

/** Russian plural forms: plural(5, ['программа', 'программы', 'программ']) → «программ». */
export function plural(n: number, forms: readonly [one: string, few: string, many: string]): string {
  const mod10 = Math.abs(n) % 10;
  const mod100 = Math.abs(n) % 100;
  if (mod10 === 1 && mod100 !== 11) return forms[0];
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
  return forms[2];
}

/** «5 программ», with a thin non-breaking space between thousands. */
export function countOf(n: number, forms: readonly [string, string, string]): string {
  return `${n.toLocaleString('ru-RU')} ${plural(n, forms)}`;
}

/** 2026-09-01 → «01.09.2026». */
export function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.slice(0, 10).split('-');
  return `${day}.${month}.${year}`;
}

export const WEEKDAYS_SHORT = ['', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'] as const;

/** A weekly schedule as one line: «вт 16:00–17:30, чт 16:00–17:30» (weekday 1 = понедельник). */
export function scheduleText(schedule: readonly { weekday: number; start: string; end: string }[]): string {
  return schedule.map((slot) => `${WEEKDAYS_SHORT[slot.weekday]} ${slot.start}–${slot.end}`).join(', ');
}

// Building a formatter is costly (ICU), so one is made once and reused on every request.
const regionDate = new Intl.DateTimeFormat('sv-SE', { timeZone: REGION.timeZone });

/** Today's date in the region (Smolensk keeps Moscow time), as ГГГГ-ММ-ДД. */
export function regionToday(now: Date = new Date()): string {
  return regionDate.format(now);
}

/** +79001234567 → «+7 900 123-45-67». */
export function formatPhone(phone: string): string {
  return phone.replace(/^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/, '+7 $1 $2-$3-$4');
}

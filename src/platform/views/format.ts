import { countOf, YEAR_FORMS } from '../grammar/index.js';
import { REGION } from '../region.js';

// Counts and their nouns live in the grammar module; re-exported for the views that import them from here.
export { countOf, freePlaces, PLACE_FORMS, plural, YEAR_FORMS } from '../grammar/index.js';

/** 2026-09-01 → «01.09.2026». */
export function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.slice(0, 10).split('-');
  return `${day}.${month}.${year}`;
}

export const WEEKDAYS_SHORT = ['', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'] as const;

/** «от 7 до 12 лет». */
export function ages(from: number, to: number): string {
  return `от ${from} до ${countOf(to, YEAR_FORMS)}`;
}

/** «пн 15:00–16:00, ср 15:00–16:00»; weekday 1 = понедельник … 7 = воскресенье. */
export function scheduleText(schedule: readonly { weekday: number; start: string; end: string }[]): string {
  return schedule.map((slot) => `${WEEKDAYS_SHORT[slot.weekday]} ${slot.start}–${slot.end}`).join(', ');
}

// Building a formatter is costly (ICU), so one is made once and reused on every request.
const regionDate = new Intl.DateTimeFormat('sv-SE', { timeZone: REGION.timeZone });

/**
 * A «today» fixed for a whole run of the app or a command (REGION_TODAY, which the configuration refuses in
 * production): the browser scenario of funded certificates needs a day of the education year on which its figures
 * hold. Only the date rules move (periods, months, ages, enrolment windows); timestamps stay real.
 */
let fixedToday: string | null = null;
export function fixRegionToday(date: string | null): void {
  fixedToday = date;
}

/** Today's date in the region (Smolensk keeps Moscow time), as ГГГГ-ММ-ДД; or the date of `now` there. */
export function regionToday(now?: Date): string {
  if (now === undefined && fixedToday !== null) return fixedToday;
  return regionDate.format(now ?? new Date());
}

/** +79001234567 → «+7 900 123-45-67». */
export function formatPhone(phone: string): string {
  return phone.replace(/^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/, '+7 $1 $2-$3-$4');
}

const regionDateTime = new Intl.DateTimeFormat('ru-RU', {
  timeZone: REGION.timeZone,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A moment in the region's time: «01.12.2026, 18:40». */
export function formatDateTime(moment: Date): string {
  return regionDateTime.format(moment);
}

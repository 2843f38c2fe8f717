import { regionToday } from '../../src/platform/views/format.js';

/**
 * Fixture dates computed from today, so that no test starts failing in a later year: a child born on a fixed
 * date leaves the certificate's age range some day, and a group's fixed dates end.
 */

export const currentYear = Number(regionToday().slice(0, 4));

/** `YYYY-MM-DD`, `years` before (or, negative, after) the current year, on the given month and day. */
export const isoInYear = (years: number, monthDay: string) => `${currentYear - years}-${monthDay}`;

/** The same date as a person types it in a form: ДД.ММ.ГГГГ. */
export const typedInYear = (years: number, monthDay: string) => {
  const [year, month, day] = isoInYear(years, monthDay).split('-');
  return `${day}.${month}.${year}`;
};

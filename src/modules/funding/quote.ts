/**
 * The normative cost of a certified program and the months a contract would run: pure functions the quote
 * (quotes.ts), the program page and the review step build on. Amounts are integer kopecks.
 */
import type { Period } from './money.js';

/**
 * «Нормативная стоимость» of one month of a program: the value the coordinator set for the program wins;
 * otherwise the program's hours per month (its hours ÷ its months) × the hourly rate of its municipality for the
 * period, rounded down to the kopeck; null when neither is set (then the price alone limits the certificate).
 */
export function normativeCost({
  explicitKopecks,
  hoursTotal,
  durationMonths,
  hourlyRateKopecks,
}: {
  explicitKopecks: number | null;
  hoursTotal: number;
  durationMonths: number;
  hourlyRateKopecks: number | null;
}): number | null {
  if (explicitKopecks !== null) return explicitKopecks;
  if (hourlyRateKopecks === null || hoursTotal <= 0 || durationMonths <= 0) return null;
  const monthly = Math.floor((hoursTotal * hourlyRateKopecks) / durationMonths);
  return monthly > 0 ? monthly : null;
}

const monthIndex = (isoDate: string) => Number(isoDate.slice(0, 4)) * 12 + Number(isoDate.slice(5, 7)) - 1;

/**
 * Calendar months of a contract for a group: from the later of the first lesson, today and the period's start,
 * to the earlier of the last lesson and the period's end, both months counted; 0 when nothing is left.
 */
export function contractMonths(
  study: { studyStart: string; studyEnd: string },
  period: Period,
  today: string,
): number {
  const from = [study.studyStart, today, period.startsOn].reduce((a, b) => (a > b ? a : b));
  const to = study.studyEnd < period.endsOn ? study.studyEnd : period.endsOn;
  if (to < from) return 0;
  return monthIndex(to) - monthIndex(from) + 1;
}

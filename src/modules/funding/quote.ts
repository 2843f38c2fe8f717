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
 * The days of a contract for a group: from the later of the first lesson, today and the period's start, to the
 * earlier of the last lesson and the period's end; null when nothing is left. The contract made at acceptance
 * and the quote shown before it both count from here.
 */
export function contractSpan(
  study: { studyStart: string; studyEnd: string },
  period: Period,
  today: string,
): { startsOn: string; endsOn: string } | null {
  const startsOn = [study.studyStart, today, period.startsOn].reduce((a, b) => (a > b ? a : b));
  const endsOn = study.studyEnd < period.endsOn ? study.studyEnd : period.endsOn;
  return endsOn < startsOn ? null : { startsOn, endsOn };
}

/** Calendar months of `contractSpan`, its first and last months counted; 0 when nothing is left. */
export function contractMonths(
  study: { studyStart: string; studyEnd: string },
  period: Period,
  today: string,
): number {
  const span = contractSpan(study, period, today);
  return span ? monthIndex(span.endsOn) - monthIndex(span.startsOn) + 1 : 0;
}

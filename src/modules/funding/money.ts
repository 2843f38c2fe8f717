/**
 * Money and periods of funded certificates. Amounts are integer kopecks (never floats); a period is the education
 * year, 1 September to 31 August. Pure functions: the ledger and the service build on them.
 */

/** A period by its first day, e.g. '2026-09-01'. */
export interface Period {
  startsOn: string;
  endsOn: string;
}

/** The education year a date falls in: from September of that year, or of the year before. */
export function periodOf(isoDate: string): Period {
  const [year, month] = isoDate.split('-').map(Number) as [number, number];
  const first = month >= 9 ? year : year - 1;
  return { startsOn: `${first}-09-01`, endsOn: `${first + 1}-08-31` };
}

/** The period after this one. */
export function nextPeriod(period: Period): Period {
  const first = Number(period.startsOn.slice(0, 4)) + 1;
  return { startsOn: `${first}-09-01`, endsOn: `${first + 1}-08-31` };
}

/** Whole months of the period from the month of `isoDate` to August, the month itself counted: 12 in September. */
export function monthsLeft(period: Period, isoDate: string): number {
  if (isoDate < period.startsOn) return 12;
  if (isoDate > period.endsOn) return 0;
  const [year, month] = isoDate.split('-').map(Number) as [number, number];
  const startYear = Number(period.startsOn.slice(0, 4));
  return 12 - ((year - startYear) * 12 + (month - 9));
}

/**
 * The nominal a certificate funded on `isoDate` gets for the rest of the period: the yearly nominal × months left
 * ÷ 12, rounded down to the kopeck (the region never promises a kopeck it has not budgeted).
 */
export function proratedNominal(nominalKopecks: number, period: Period, isoDate: string): number {
  return Math.floor((nominalKopecks * monthsLeft(period, isoDate)) / 12);
}

/** What a category has given in a period: its funded certificates and the sum of the nominals granted to them. */
export interface Given {
  funded: number;
  grantedKopecks: number;
}

/** Whether a category that has `given` has room for one more certificate of `amount`: the quota, then the cap. */
export function hasRoom(
  category: { quota: number; nominalCapKopecks: number | null },
  given: Given,
  amount: number,
): boolean {
  if (given.funded >= category.quota) return false;
  return category.nominalCapKopecks === null || given.grantedKopecks + amount <= category.nominalCapKopecks;
}

// Typed amounts are read by the shared field schema (platform/validation/fields.ts).
export { parseRoubles } from '../../platform/validation/fields.js';

/** «5 000 ₽», «3 200,50 ₽»: Russian grouping with a no-break space, kopecks only when there are any. */
export function formatRoubles(kopecks: number): string {
  const sign = kopecks < 0 ? '−' : '';
  const absolute = Math.abs(kopecks);
  const whole = Math.floor(absolute / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const rest = absolute % 100;
  return `${sign}${whole}${rest ? `,${String(rest).padStart(2, '0')}` : ''}\u00a0₽`;
}

/** «2026/27 учебный год». */
export function periodName(period: Period): string {
  const first = Number(period.startsOn.slice(0, 4));
  return `${first}/${String(first + 1).slice(2)} учебный год`;
}

/**
 * The movements of the ledger and what each does to a certificate's three sums for a period. `grant` gives the
 * nominal; `reserve` blocks money for a contract; `release` returns a reserve; `charge` spends from the reserve
 * (advances and invoices); `refund` returns spent money; `expire` takes what is left at the period's end or when
 * the certificate returns to учёт. The nominal given = balance + reserved + spent at every moment.
 */
export const MOVEMENTS = {
  grant: { balance: 1, reserved: 0, spent: 0 },
  reserve: { balance: -1, reserved: 1, spent: 0 },
  release: { balance: 1, reserved: -1, spent: 0 },
  charge: { balance: 0, reserved: -1, spent: 1 },
  refund: { balance: 1, reserved: 0, spent: -1 },
  expire: { balance: -1, reserved: 0, spent: 0 },
} as const;

export type Movement = keyof typeof MOVEMENTS;

export interface Sums {
  granted: number;
  balance: number;
  reserved: number;
  spent: number;
  expired: number;
}

/** The sums of a certificate for a period from its ledger rows (amounts are positive; the movement gives the sign). */
export function sumsOf(rows: readonly { kind: Movement; amountKopecks: number }[]): Sums {
  const sums: Sums = { granted: 0, balance: 0, reserved: 0, spent: 0, expired: 0 };
  for (const { kind, amountKopecks } of rows) {
    const effect = MOVEMENTS[kind];
    sums.balance += effect.balance * amountKopecks;
    sums.reserved += effect.reserved * amountKopecks;
    sums.spent += effect.spent * amountKopecks;
    if (kind === 'grant') sums.granted += amountKopecks;
    if (kind === 'expire') sums.expired += amountKopecks;
  }
  return sums;
}

/** One month of a certified program's price: what the certificate pays and what the family pays. */
export interface MonthSplit {
  certificateKopecks: number;
  familyKopecks: number;
}

/**
 * The split of a contract's months. Each month the certificate pays min(price, normative cost, what is left of the
 * balance) and the family the rest; a normative cost of null means none is set, so only the price and the balance
 * limit. `coversFirstMonth` is false when the balance cannot pay even the first month's certificate part — the
 * application is refused then.
 */
export function contractSplit({
  priceKopecks,
  normativeKopecks,
  months,
  balanceKopecks,
}: {
  priceKopecks: number;
  normativeKopecks: number | null;
  months: number;
  balanceKopecks: number;
}): { months: MonthSplit[]; certificateKopecks: number; familyKopecks: number; coversFirstMonth: boolean } {
  const cover = Math.max(0, Math.min(priceKopecks, normativeKopecks ?? priceKopecks));
  let left = Math.max(0, balanceKopecks);
  const split: MonthSplit[] = [];
  for (let month = 0; month < months; month += 1) {
    const certificateKopecks = Math.min(cover, left);
    left -= certificateKopecks;
    split.push({ certificateKopecks, familyKopecks: priceKopecks - certificateKopecks });
  }
  return {
    months: split,
    certificateKopecks: split.reduce((sum, month) => sum + month.certificateKopecks, 0),
    familyKopecks: split.reduce((sum, month) => sum + month.familyKopecks, 0),
    coversFirstMonth: months > 0 && cover > 0 && Math.max(0, balanceKopecks) >= cover,
  };
}

/** The period before this one. */
export function previousPeriod(period: Period): Period {
  const first = Number(period.startsOn.slice(0, 4)) - 1;
  return { startsOn: `${first}-09-01`, endsOn: `${first + 1}-08-31` };
}

/** «2026», «2026/27» or «2026-09-01» → the education year from September 2026; null when it is none of them. */
export function parsePeriod(text: string): Period | null {
  const match = /^(\d{4})(?:\/(\d{2})|-09-01)?$/.exec(text.trim());
  if (!match) return null;
  const first = Number(match[1]);
  if (match[2] !== undefined && Number(match[2]) !== (first + 1) % 100) return null;
  return periodOf(`${first}-09-01`);
}

/** A period may be closed from the day after its last day (1 September), never before. */
export function periodEnded(period: Period, today: string): boolean {
  return today > period.endsOn;
}

/**
 * What the period close takes from a certificate: the balance left, unspent and unreserved — it does not carry
 * over (and a reserve still held by a contract stays with that contract until it ends). After it the period's
 * sums are balance 0 and granted = reserved + spent + expired.
 */
export function expiryOf(sums: Pick<Sums, 'balance'>): number {
  return Math.max(0, sums.balance);
}

/**
 * The nominal a certificate carried into the next period gets there: the category's nominal for the months of
 * that period left on the day of the rollover (all 12 when it runs on or before 1 September, fewer when the next
 * period opens late), rounded down to the kopeck like every proration.
 */
export function renewedNominal(nominalKopecks: number, next: Period, today: string): number {
  return proratedNominal(nominalKopecks, next, today);
}

import { describe, expect, it } from 'vitest';
import {
  contractSplit,
  expiryOf,
  formatRoubles,
  hasRoom,
  monthsLeft,
  nextPeriod,
  parsePeriod,
  parseRoubles,
  periodEnded,
  periodName,
  periodOf,
  previousPeriod,
  proratedNominal,
  renewedNominal,
  sumsOf,
  type Movement,
} from './money.js';

describe('periods', () => {
  it('is the education year a date falls in', () => {
    expect(periodOf('2026-12-01')).toEqual({ startsOn: '2026-09-01', endsOn: '2027-08-31' });
    expect(periodOf('2026-09-01')).toEqual({ startsOn: '2026-09-01', endsOn: '2027-08-31' });
    expect(periodOf('2026-08-31')).toEqual({ startsOn: '2025-09-01', endsOn: '2026-08-31' });
    expect(nextPeriod(periodOf('2026-12-01'))).toEqual({ startsOn: '2027-09-01', endsOn: '2028-08-31' });
    expect(periodName(periodOf('2026-12-01'))).toBe('2026/27 учебный год');
  });

  it('counts the months left with the current one', () => {
    const period = periodOf('2026-10-10');
    expect(monthsLeft(period, '2026-09-15')).toBe(12);
    expect(monthsLeft(period, '2026-12-01')).toBe(9);
    expect(monthsLeft(period, '2027-08-31')).toBe(1);
    expect(monthsLeft(period, '2027-09-01')).toBe(0);
    expect(monthsLeft(period, '2026-05-01')).toBe(12);
  });

  it('prorates the nominal by months, down to the kopeck', () => {
    const period = periodOf('2026-09-01');
    expect(proratedNominal(500_000, period, '2026-09-20')).toBe(500_000);
    expect(proratedNominal(500_000, period, '2026-12-01')).toBe(375_000);
    // 1 000,01 ₽ × 7 / 12 = 583,339… ₽: the fraction of a kopeck is not promised.
    expect(proratedNominal(100_001, period, '2027-02-10')).toBe(58_333);
  });
});

describe('roubles', () => {
  it('reads what people type and refuses what is not an amount', () => {
    expect(parseRoubles('5 000')).toBe(500_000);
    expect(parseRoubles('5000,5')).toBe(500_050);
    expect(parseRoubles('3\u00a0200,05 ₽')).toBe(320_005);
    for (const bad of ['', 'abc', '-5', '1,234', '1.2.3', '9999999999']) expect(parseRoubles(bad)).toBeNull();
  });

  it('writes amounts the Russian way', () => {
    expect(formatRoubles(500_000)).toBe('5\u00a0000\u00a0₽');
    expect(formatRoubles(320_050)).toBe('3\u00a0200,50\u00a0₽');
    expect(formatRoubles(5)).toBe('0,05\u00a0₽');
    expect(formatRoubles(-100)).toBe('−1\u00a0₽');
  });
});

describe('ledger sums', () => {
  it('keeps granted = balance + reserved + spent + expired through every movement', () => {
    const rows = [
      { kind: 'grant', amountKopecks: 500_000 },
      { kind: 'reserve', amountKopecks: 320_000 },
      { kind: 'charge', amountKopecks: 64_000 },
      { kind: 'refund', amountKopecks: 16_000 },
      { kind: 'release', amountKopecks: 100_000 },
      { kind: 'expire', amountKopecks: 10_000 },
    ] as const;
    const sums = sumsOf(rows);
    expect(sums).toEqual({
      granted: 500_000,
      balance: 286_000,
      reserved: 156_000,
      spent: 48_000,
      expired: 10_000,
    });
    expect(sums.balance + sums.reserved + sums.spent + sums.expired).toBe(sums.granted);
  });
});

describe('room in a category', () => {
  it('is the quota first, then the cap on the sum of nominals', () => {
    const open = { quota: 2, nominalCapKopecks: null };
    expect(hasRoom(open, { funded: 1, grantedKopecks: 500_000 }, 500_000)).toBe(true);
    expect(hasRoom(open, { funded: 2, grantedKopecks: 1_000_000 }, 500_000)).toBe(false);
    const capped = { quota: 10, nominalCapKopecks: 1_000_000 };
    expect(hasRoom(capped, { funded: 1, grantedKopecks: 500_000 }, 500_000)).toBe(true);
    expect(hasRoom(capped, { funded: 2, grantedKopecks: 1_000_000 }, 1)).toBe(false);
    expect(hasRoom({ quota: 0, nominalCapKopecks: null }, { funded: 0, grantedKopecks: 0 }, 1)).toBe(false);
  });
});

describe('contract split', () => {
  it('pays min(price, normative cost) a month while the balance lasts, the family the rest', () => {
    const split = contractSplit({
      priceKopecks: 80_000,
      normativeKopecks: 60_000,
      months: 4,
      balanceKopecks: 500_000,
    });
    expect(split.months).toEqual(Array(4).fill({ certificateKopecks: 60_000, familyKopecks: 20_000 }));
    expect(split).toMatchObject({
      certificateKopecks: 240_000,
      familyKopecks: 80_000,
      coversFirstMonth: true,
    });
  });

  it('lets the price limit when no normative cost is set', () => {
    const split = contractSplit({
      priceKopecks: 80_000,
      normativeKopecks: null,
      months: 4,
      balanceKopecks: 500_000,
    });
    expect(split).toMatchObject({ certificateKopecks: 320_000, familyKopecks: 0, coversFirstMonth: true });
  });

  it('hands the family more once the balance runs out, to the kopeck', () => {
    const split = contractSplit({
      priceKopecks: 80_000,
      normativeKopecks: null,
      months: 4,
      balanceKopecks: 180_001,
    });
    expect(split.months.map((month) => month.certificateKopecks)).toEqual([80_000, 80_000, 20_001, 0]);
    expect(split.certificateKopecks + split.familyKopecks).toBe(4 * 80_000);
    expect(split.coversFirstMonth).toBe(true);
  });

  it('does not cover the first month when the balance is short of it', () => {
    expect(
      contractSplit({ priceKopecks: 80_000, normativeKopecks: 60_000, months: 4, balanceKopecks: 59_999 })
        .coversFirstMonth,
    ).toBe(false);
    expect(
      contractSplit({ priceKopecks: 80_000, normativeKopecks: null, months: 0, balanceKopecks: 1e6 })
        .coversFirstMonth,
    ).toBe(false);
  });
});

describe('the period rollover', () => {
  const year = periodOf('2026-12-01');
  const following = nextPeriod(year);

  it('names and finds periods, and closes one only after its last day', () => {
    expect(previousPeriod(year)).toEqual({ startsOn: '2025-09-01', endsOn: '2026-08-31' });
    expect(parsePeriod('2026')).toEqual(year);
    expect(parsePeriod('2026/27')).toEqual(year);
    expect(parsePeriod(' 2026-09-01 ')).toEqual(year);
    expect(parsePeriod('2026/28')).toBeNull();
    expect(parsePeriod('2026-10-01')).toBeNull();
    expect(parsePeriod('26')).toBeNull();
    expect(periodEnded(year, '2027-08-31')).toBe(false);
    expect(periodEnded(year, '2027-09-01')).toBe(true);
    expect(periodEnded(year, '2026-12-01')).toBe(false);
  });

  it('gives the whole nominal again on the first day of the next period, and before it', () => {
    expect(renewedNominal(600_000, following, '2027-09-01')).toBe(600_000);
    expect(renewedNominal(600_000, following, '2027-06-15')).toBe(600_000);
  });

  it('prorates by the months left when the next period opens late, down to the kopeck', () => {
    expect(renewedNominal(600_000, following, '2027-10-15')).toBe(550_000);
    expect(renewedNominal(600_000, following, '2028-01-31')).toBe(400_000);
    expect(renewedNominal(500_001, following, '2028-03-01')).toBe(Math.floor((500_001 * 6) / 12));
    expect(renewedNominal(500_001, following, '2028-03-01')).toBe(250_000);
    expect(renewedNominal(333_333, following, '2027-12-01')).toBe(249_999);
    expect(renewedNominal(600_000, following, '2028-09-01')).toBe(0);
    // Integer kopecks, never more than the year's nominal.
    for (const day of ['2027-09-01', '2027-11-30', '2028-02-29', '2028-08-31'])
      for (const nominal of [1, 99, 500_000, 1_234_567]) {
        const amount = renewedNominal(nominal, following, day);
        expect(Number.isInteger(amount)).toBe(true);
        expect(amount).toBeLessThanOrEqual(nominal);
        expect(amount).toBeGreaterThanOrEqual(0);
      }
  });

  it('expires exactly the balance: the closed period then holds nothing, and the sums still add up', () => {
    const rows: { kind: Movement; amountKopecks: number }[] = [
      { kind: 'grant', amountKopecks: proratedNominal(500_000, year, '2026-12-01') },
      { kind: 'reserve', amountKopecks: 80_000 },
      { kind: 'charge', amountKopecks: 8_000 },
      { kind: 'charge', amountKopecks: 2_001 },
      { kind: 'release', amountKopecks: 69_999 },
      { kind: 'refund', amountKopecks: 1 },
    ];
    const before = sumsOf(rows);
    expect(before).toMatchObject({ granted: 375_000, reserved: 0, spent: 10_000, balance: 365_000 });
    const expired = expiryOf(before);
    expect(expired).toBe(365_000);
    const after = sumsOf([...rows, { kind: 'expire', amountKopecks: expired }]);
    expect(after).toMatchObject({ balance: 0, expired: 365_000 });
    expect(after.granted).toBe(after.balance + after.reserved + after.spent + after.expired);
    // A rerun finds nothing left; a reserve still held by a contract is not taken.
    expect(expiryOf(after)).toBe(0);
    const held = sumsOf([
      { kind: 'grant', amountKopecks: 100 },
      { kind: 'reserve', amountKopecks: 60 },
    ]);
    expect(expiryOf(held)).toBe(40);
    expect(expiryOf({ balance: -5 })).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import {
  contractSplit,
  formatRoubles,
  hasRoom,
  monthsLeft,
  nextPeriod,
  parseRoubles,
  periodName,
  periodOf,
  proratedNominal,
  sumsOf,
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

import { describe, expect, it } from 'vitest';
import { periodOf } from './money.js';
import { contractMonths, contractSpan, normativeCost } from './quote.js';

describe('normativeCost', () => {
  it('takes the value set for the program over the computed one', () => {
    expect(
      normativeCost({
        explicitKopecks: 320_000,
        hoursTotal: 72,
        durationMonths: 9,
        hourlyRateKopecks: 50_000,
      }),
    ).toBe(320_000);
  });

  it('computes hours per month × the hourly rate, rounded down to the kopeck', () => {
    // 72 hours over 9 months = 8 hours a month × 400 ₽ = 3 200 ₽.
    expect(
      normativeCost({ explicitKopecks: null, hoursTotal: 72, durationMonths: 9, hourlyRateKopecks: 40_000 }),
    ).toBe(320_000);
    // 100 hours over 9 months × 333,33 ₽ = 3 703,66(6) ₽ → 3 703,66 ₽.
    expect(
      normativeCost({ explicitKopecks: null, hoursTotal: 100, durationMonths: 9, hourlyRateKopecks: 33_333 }),
    ).toBe(370_366);
  });

  it('is null without a value and without a rate, or for a program with no hours or months', () => {
    expect(
      normativeCost({ explicitKopecks: null, hoursTotal: 72, durationMonths: 9, hourlyRateKopecks: null }),
    ).toBeNull();
    expect(
      normativeCost({ explicitKopecks: null, hoursTotal: 0, durationMonths: 9, hourlyRateKopecks: 40_000 }),
    ).toBeNull();
    expect(
      normativeCost({ explicitKopecks: null, hoursTotal: 72, durationMonths: 0, hourlyRateKopecks: 40_000 }),
    ).toBeNull();
    expect(
      normativeCost({ explicitKopecks: null, hoursTotal: 1, durationMonths: 12, hourlyRateKopecks: 1 }),
    ).toBeNull();
  });
});

describe('contractMonths', () => {
  const period = periodOf('2026-10-01');

  it('counts the months of the study period within the funding period', () => {
    expect(contractMonths({ studyStart: '2026-09-01', studyEnd: '2027-05-31' }, period, '2026-08-20')).toBe(
      9,
    );
    // A study period running past August stops at the period's end.
    expect(contractMonths({ studyStart: '2027-03-15', studyEnd: '2027-12-20' }, period, '2026-10-01')).toBe(
      6,
    );
  });

  it('starts from this month when the lessons have begun, and is 0 when they are over', () => {
    expect(contractMonths({ studyStart: '2026-09-01', studyEnd: '2027-05-31' }, period, '2026-12-10')).toBe(
      6,
    );
    expect(contractMonths({ studyStart: '2026-09-01', studyEnd: '2026-11-30' }, period, '2026-12-10')).toBe(
      0,
    );
  });
});

describe('contractSpan', () => {
  const period = periodOf('2026-10-01');

  it('runs from the latest of the first lesson, today and the period start to the earliest end', () => {
    expect(contractSpan({ studyStart: '2026-09-01', studyEnd: '2027-05-31' }, period, '2026-08-20')).toEqual({
      startsOn: '2026-09-01',
      endsOn: '2027-05-31',
    });
    expect(contractSpan({ studyStart: '2026-09-01', studyEnd: '2027-12-20' }, period, '2026-12-10')).toEqual({
      startsOn: '2026-12-10',
      endsOn: '2027-08-31',
    });
    expect(contractSpan({ studyStart: '2026-06-01', studyEnd: '2027-05-31' }, period, '2026-06-10')).toEqual({
      startsOn: '2026-09-01',
      endsOn: '2027-05-31',
    });
  });

  it('is null when the lessons are over or outside the period', () => {
    expect(
      contractSpan({ studyStart: '2026-09-01', studyEnd: '2026-11-30' }, period, '2026-12-10'),
    ).toBeNull();
    expect(
      contractSpan({ studyStart: '2027-09-15', studyEnd: '2028-05-31' }, period, '2026-10-01'),
    ).toBeNull();
    // One day is a contract of one month.
    const oneDay = contractSpan({ studyStart: '2027-08-31', studyEnd: '2027-09-30' }, period, '2026-10-01');
    expect(oneDay).toEqual({ startsOn: '2027-08-31', endsOn: '2027-08-31' });
    expect(contractMonths({ studyStart: '2027-08-31', studyEnd: '2027-09-30' }, period, '2026-10-01')).toBe(
      1,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { monthAccruals } from './month-accruals.js';

describe('the months a parent reads', () => {
  const months = [
    { month: '2026-11-01', familyKopecks: 0 },
    { month: '2026-12-01', familyKopecks: 10_000 },
    { month: '2027-01-01', familyKopecks: 0 },
  ];
  const accrual = (month: string, kind: 'advance' | 'invoice', due: number, released = 0, refunded = 0) => ({
    month,
    kind,
    dueKopecks: due,
    completenessPercent: kind === 'invoice' ? 50 : null,
    releasedKopecks: released,
    refundedKopecks: refunded,
  });

  it('gives the months with an advance or an invoice, in order, the invoice once made', () => {
    expect(
      monthAccruals(months, [
        accrual('2026-12-01', 'advance', 64_000),
        accrual('2026-11-01', 'invoice', 40_000, 16_000, 24_000),
        accrual('2026-11-01', 'advance', 64_000),
      ]),
    ).toEqual([
      {
        month: '2026-11-01',
        advanceKopecks: 64_000,
        invoicedKopecks: 40_000,
        completenessPercent: 50,
        returnedKopecks: 40_000,
        familyKopecks: 0,
      },
      {
        month: '2026-12-01',
        advanceKopecks: 64_000,
        invoicedKopecks: null,
        completenessPercent: null,
        returnedKopecks: null,
        familyKopecks: 10_000,
      },
    ]);
    expect(monthAccruals(months, [])).toEqual([]);
  });
});

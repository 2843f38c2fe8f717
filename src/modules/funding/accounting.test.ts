import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanceOf, invoiceOf, parseMonth, shiftMonth } from './accounting.js';
import { sumsOf, type Movement } from './money.js';

describe('advance and invoice arithmetic (kopecks, rounded down)', () => {
  it('takes 80 % of the part as the advance, rounding down odd kopecks', () => {
    expect(advanceOf(80_000)).toBe(64_000);
    expect(advanceOf(80_001)).toBe(64_000); // 64 000,8 → 64 000
    expect(advanceOf(1)).toBe(0);
    expect(advanceOf(0)).toBe(0);
  });

  it('100 %: charges the rest of the part, releases nothing', () => {
    expect(
      invoiceOf({ partKopecks: 80_000, advanceKopecks: 64_000, percent: 100, heldKopecks: 16_000 }),
    ).toEqual({ dueKopecks: 80_000, chargeKopecks: 16_000, releaseKopecks: 0, refundKopecks: 0 });
  });

  it('50 %: the advance exceeds what is due, so the excess is refunded and the rest of the part released', () => {
    expect(
      invoiceOf({ partKopecks: 80_000, advanceKopecks: 64_000, percent: 50, heldKopecks: 16_000 }),
    ).toEqual({ dueKopecks: 40_000, chargeKopecks: 0, releaseKopecks: 16_000, refundKopecks: 24_000 });
  });

  it('0 %: the whole advance comes back and the reserve of the month is released', () => {
    expect(
      invoiceOf({ partKopecks: 80_000, advanceKopecks: 64_000, percent: 0, heldKopecks: 16_000 }),
    ).toEqual({
      dueKopecks: 0,
      chargeKopecks: 0,
      releaseKopecks: 16_000,
      refundKopecks: 64_000,
    });
  });

  it('90 % of an odd part: due rounded down, charge and release add up to the part left', () => {
    const part = 33_333;
    const advance = advanceOf(part); // 26 666
    const figures = invoiceOf({
      partKopecks: part,
      advanceKopecks: advance,
      percent: 90,
      heldKopecks: 100_000,
    });
    expect(figures.dueKopecks).toBe(29_999); // 29 999,7 → 29 999
    expect(figures.chargeKopecks).toBe(29_999 - 26_666);
    expect(figures.releaseKopecks).toBe(part - 29_999);
    expect(advance + figures.chargeKopecks + figures.releaseKopecks).toBe(part);
  });

  it('without an advance (a contract made after the 1st) charges the due sum and releases the rest', () => {
    expect(invoiceOf({ partKopecks: 50_000, advanceKopecks: 0, percent: 70, heldKopecks: 50_000 })).toEqual({
      dueKopecks: 35_000,
      chargeKopecks: 35_000,
      releaseKopecks: 15_000,
      refundKopecks: 0,
    });
  });

  it('a contract that already returned its reserve charges nothing more, but still refunds', () => {
    expect(invoiceOf({ partKopecks: 80_000, advanceKopecks: 64_000, percent: 100, heldKopecks: 0 })).toEqual({
      dueKopecks: 80_000,
      chargeKopecks: 0,
      releaseKopecks: 0,
      refundKopecks: 0,
    });
    expect(
      invoiceOf({ partKopecks: 80_000, advanceKopecks: 64_000, percent: 25, heldKopecks: 0 }).refundKopecks,
    ).toBe(44_000);
  });

  it('refuses a completeness outside 0–100 or not whole', () => {
    for (const percent of [-1, 101, 50.5])
      expect(() => invoiceOf({ partKopecks: 1, advanceKopecks: 0, percent, heldKopecks: 1 })).toThrow(
        RangeError,
      );
  });

  it('keeps granted = balance + reserved + spent + expired and no sum below 0 after every step of a contract', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 500_000 }),
        (part, percents, spare) => {
          const ledger: { kind: Movement; amountKopecks: number }[] = [];
          const move = (kind: Movement, amountKopecks: number) => {
            if (amountKopecks > 0) ledger.push({ kind, amountKopecks });
            const sums = sumsOf(ledger);
            expect(sums.granted).toBe(sums.balance + sums.reserved + sums.spent + sums.expired);
            for (const value of [sums.balance, sums.reserved, sums.spent])
              expect(value).toBeGreaterThanOrEqual(0);
            return sums;
          };
          move('grant', part * percents.length + spare);
          move('reserve', part * percents.length);
          let held = part * percents.length;
          let spent = 0;
          for (const percent of percents) {
            const advance = advanceOf(part);
            move('charge', advance);
            held -= advance;
            const figures = invoiceOf({
              partKopecks: part,
              advanceKopecks: advance,
              percent,
              heldKopecks: held,
            });
            move('charge', figures.chargeKopecks);
            move('release', figures.releaseKopecks);
            const sums = move('refund', figures.refundKopecks);
            held -= figures.chargeKopecks + figures.releaseKopecks;
            spent += figures.dueKopecks;
            expect(sums.spent).toBe(spent);
            expect(sums.reserved).toBe(held);
          }
          expect(held).toBe(0);
          expect(sumsOf(ledger).balance).toBe(part * percents.length + spare - spent);
        },
      ),
    );
  });
});

describe('months', () => {
  it('reads a month and steps across a year', () => {
    expect(parseMonth('2026-11')).toBe('2026-11-01');
    expect(parseMonth('2026-11-01')).toBe('2026-11-01');
    expect(parseMonth('2026-13')).toBeNull();
    expect(parseMonth('ноябрь')).toBeNull();
    // No year 0 in PostgreSQL's calendar: such a month never reaches a query.
    expect(parseMonth('0000-01')).toBeNull();
    expect(parseMonth('1999-12')).toBeNull();
    expect(parseMonth('2101-01')).toBeNull();
    expect(shiftMonth('2027-01-01', -1)).toBe('2026-12-01');
    expect(shiftMonth('2026-12-01', 1)).toBe('2027-01-01');
    expect(shiftMonth('2026-09-01', 11)).toBe('2027-08-01');
  });
});

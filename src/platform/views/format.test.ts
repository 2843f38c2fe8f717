import { describe, expect, it } from 'vitest';
import { countOf, fixRegionToday, formatDate, freePlaces, plural, regionToday } from './format.js';

const forms = ['программа', 'программы', 'программ'] as const;

describe('plural', () => {
  it.each([
    [1, 'программа'],
    [2, 'программы'],
    [4, 'программы'],
    [5, 'программ'],
    [11, 'программ'],
    [12, 'программ'],
    [14, 'программ'],
    [21, 'программа'],
    [22, 'программы'],
    [111, 'программ'],
    [0, 'программ'],
  ])('%i → %s', (n, expected) => {
    expect(plural(n, forms)).toBe(expected);
  });

  it('formats counts with Russian digit grouping', () => {
    expect(countOf(100000, forms)).toBe('100\u00a0000 программ');
  });

  it('formats ISO dates as dd.mm.yyyy', () => {
    expect(formatDate('2026-09-01')).toBe('01.09.2026');
  });
});

describe('free places in Russian', () => {
  it.each([
    [20, 17, 'свободно 3 из 20 мест'],
    [21, 0, 'свободно 21 из 21 места'],
    [1, 0, 'свободно 1 из 1 места'],
    [11, 6, 'свободно 5 из 11 мест'],
    [25, 3, 'свободно 22 из 25 мест'],
    [15, 0, 'свободно 15 из 15 мест'],
    [12, 12, 'мест нет (план приёма: 12 мест)'],
  ])('capacity %i, taken %i → «%s»', (capacity, taken, text) => {
    expect(freePlaces(capacity, taken)).toBe(text);
  });
});

describe('regionToday', () => {
  it('is the date in Moscow time, or the fixed one for a test run; a given moment is always its own date', () => {
    expect(regionToday(new Date('2026-12-31T21:30:00Z'))).toBe('2027-01-01');
    const real = regionToday();
    expect(real).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    try {
      fixRegionToday('2027-09-15');
      expect(regionToday()).toBe('2027-09-15');
      expect(regionToday(new Date('2026-12-01T12:00:00Z'))).toBe('2026-12-01');
    } finally {
      fixRegionToday(null);
    }
    expect(regionToday()).toBe(real);
  });
});

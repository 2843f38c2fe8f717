import { describe, expect, it } from 'vitest';
import { freePlaces } from './labels.js';

describe('free places in Russian', () => {
  it.each([
    [20, 17, 'свободно 3 места из 20 мест'],
    [21, 0, 'свободно 21 место из 21 места'],
    [1, 0, 'свободно 1 место из 1 места'],
    [11, 6, 'свободно 5 мест из 11 мест'],
    [25, 3, 'свободно 22 места из 25 мест'],
    [12, 12, 'мест нет (план приёма: 12 мест)'],
  ])('capacity %i, taken %i → «%s»', (capacity, taken, text) => {
    expect(freePlaces(capacity, taken)).toBe(text);
  });
});

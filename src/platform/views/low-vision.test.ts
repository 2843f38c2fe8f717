import { describe, expect, it } from 'vitest';
import {
  LOW_VISION_DEFAULTS,
  lowVisionClasses,
  pickLowVision,
  readLowVision,
  safeBackPath,
  writeLowVision,
  type LowVision,
} from './low-vision.js';

const chosen: LowVision = {
  size: '200',
  scheme: 'white-on-black',
  spacing: 'wider',
  line: '1.5',
  images: 'off',
};

describe('the low-vision cookie', () => {
  it('reads back what was written', () => {
    expect(readLowVision(writeLowVision(chosen))).toEqual(chosen);
  });

  it('is off without a cookie or with one that has no valid setting', () => {
    for (const cookie of [
      undefined,
      '',
      'garbage',
      '%E0%A4%A',
      'size=300&scheme=pink',
      'size[]=200',
      '=&=&&',
      `size=200&${'x'.repeat(300)}`,
    ]) {
      expect(readLowVision(cookie), String(cookie)).toBeNull();
    }
  });

  it('keeps the valid settings and puts defaults in place of bad ones', () => {
    expect(readLowVision('size=200&scheme=%3Cscript%3E&line=3&images=off')).toEqual({
      ...LOW_VISION_DEFAULTS,
      size: '200',
      images: 'off',
    });
  });

  it('takes from a form only the values of the closed lists', () => {
    expect(
      pickLowVision({
        size: ['200', '150'],
        scheme: 'blue',
        spacing: 42,
        line: '2',
        images: null,
        extra: 'x',
      }),
    ).toEqual({ scheme: 'blue', line: '2' });
  });

  it('becomes classes on <html> that the stylesheet knows', () => {
    expect(lowVisionClasses(null)).toBeUndefined();
    expect(lowVisionClasses(chosen)).toBe(
      'lv lv-size-200 lv-scheme-white-on-black lv-spacing-wider lv-line-15 lv-images-off',
    );
  });
});

describe('the address to come back to', () => {
  it.each([
    [
      '/programs?q=%D1%82%D0%B0%D0%BD%D1%86%D1%8B&page=2',
      '/programs?q=%D1%82%D0%B0%D0%BD%D1%86%D1%8B&page=2',
    ],
    ['/cabinet', '/cabinet'],
    ['/programs#groups', '/programs#groups'],
    ['/', '/'],
  ])('keeps a path of this site: %s', (given, expected) => {
    expect(safeBackPath(given)).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    // Dot segments that normalise to a protocol-relative «//host»: a Location the browser takes to another site.
    '/..//evil.example',
    '/.//evil.example/path',
    '/a/..//evil.example',
    '/%2e%2e//evil.example',
    'javascript:alert(1)',
    'programs',
    '',
    `/${'a'.repeat(2001)}`,
  ])('sends anything else home: %s', (given) => {
    expect(safeBackPath(given)).toBe('/');
  });

  it('sends home what is not a string', () => {
    expect(safeBackPath(undefined)).toBe('/');
    expect(safeBackPath(['/cabinet'])).toBe('/');
  });
});

import { describe, expect, it } from 'vitest';
import { imageKey } from './embedded-image.js';

describe('the embedded database image key (ADR 0031)', () => {
  it('is the same for the same day and sources, and another on another day (demo dates move with it)', () => {
    const day = new Date('2026-12-01T08:00:00Z');
    expect(imageKey(day)).toBe(imageKey(new Date('2026-12-01T20:00:00Z')));
    expect(imageKey(day)).not.toBe(imageKey(new Date('2026-12-02T08:00:00Z')));
    expect(imageKey(day)).toMatch(/^[0-9a-f]{16}$/);
  });
});

import { describe, expect, it } from 'vitest';
import { sameQueuePolicy } from './queue.js';

describe('a queue kept in step with its job definition (ADR 0041)', () => {
  const stored = { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 900 };

  it('writes nothing when the stored policy is the definition', () => {
    expect(sameQueuePolicy(stored, { retryLimit: 5, retryDelay: 30, retryBackoff: true })).toBe(true);
    expect(
      sameQueuePolicy(stored, { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 900 }),
    ).toBe(true);
  });

  it('updates when any field the definition sets differs', () => {
    expect(sameQueuePolicy(stored, { retryLimit: 6, retryDelay: 30, retryBackoff: true })).toBe(false);
    expect(sameQueuePolicy(stored, { retryLimit: 5, retryDelay: 60, retryBackoff: true })).toBe(false);
    expect(sameQueuePolicy(stored, { retryLimit: 5, retryDelay: 30, retryBackoff: false })).toBe(false);
    expect(
      sameQueuePolicy(stored, { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 20 }),
    ).toBe(false);
  });
});

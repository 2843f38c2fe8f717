import { describe, expect, it } from 'vitest';
import { allowed } from '../../../tests/support/actors.js';
import { synonymsPolicy } from './policy.js';

describe('related words policy', () => {
  it('manage the search’s related words: the regional coordinator only', () => {
    expect(allowed(synonymsPolicy, 'manage', 'synonyms')).toEqual(['coordinator']);
  });
});

import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { ACTORS, ACTOR_NAMES, DESNOGORSK, SMOLENSK, allowed } from '../../../tests/support/actors.js';
import { municipalityPolicy } from './policy.js';

describe('municipality policy', () => {
  it.each([SMOLENSK, DESNOGORSK])(
    'update the office and the limit of municipality %i: the coordinator only, not its own administrator',
    (id) => {
      expect(allowed(municipalityPolicy, 'update', { id })).toEqual(['coordinator']);
    },
  );

  it('scope: every municipality for the coordinator, none for anyone else', () => {
    for (const name of ACTOR_NAMES) {
      const scope = municipalityPolicy.scope(ACTORS[name], 'update');
      if (name === 'coordinator') expect(scope).toBeUndefined();
      else expect(new PgDialect().sqlToQuery(scope!).sql).toBe('false');
    }
  });
});

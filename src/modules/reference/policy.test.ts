import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { ACTORS, ACTOR_NAMES, DESNOGORSK, SMOLENSK, allowed } from '../../../tests/support/actors.js';
import { municipalityPolicy, regionalOfficePolicy } from './policy.js';

describe('municipality policy', () => {
  it('keep the office: the municipality’s own administrator and the coordinator', () => {
    expect(allowed(municipalityPolicy, 'keep_office', { id: SMOLENSK })).toEqual([
      'adminSmolensk',
      'coordinator',
    ]);
    expect(allowed(municipalityPolicy, 'keep_office', { id: DESNOGORSK })).toEqual([
      'adminDesnogorsk',
      'coordinator',
    ]);
  });

  it.each([SMOLENSK, DESNOGORSK])('set the free-programs limit of %i: the coordinator only', (id) => {
    expect(allowed(municipalityPolicy, 'set_limit', { id })).toEqual(['coordinator']);
  });

  it('scope: every municipality for the coordinator, their own office for an administrator, none otherwise', () => {
    const dialect = new PgDialect();
    for (const name of ACTOR_NAMES) {
      const office = municipalityPolicy.scope(ACTORS[name], 'keep_office');
      const limit = municipalityPolicy.scope(ACTORS[name], 'set_limit');
      if (name === 'coordinator') {
        expect(office).toBeUndefined();
        expect(limit).toBeUndefined();
      } else if (name === 'adminSmolensk' || name === 'adminDesnogorsk') {
        const query = dialect.sqlToQuery(office!);
        expect(query.sql).toBe('"municipalities"."id" = $1');
        expect(query.params).toEqual([name === 'adminSmolensk' ? SMOLENSK : DESNOGORSK]);
        expect(dialect.sqlToQuery(limit!).sql).toBe('false');
      } else {
        expect(dialect.sqlToQuery(office!).sql).toBe('false');
        expect(dialect.sqlToQuery(limit!).sql).toBe('false');
      }
    }
  });

  it('the regional coordinator’s own contacts: the coordinator only', () => {
    expect(allowed(regionalOfficePolicy, 'keep', {})).toEqual(['coordinator']);
  });
});

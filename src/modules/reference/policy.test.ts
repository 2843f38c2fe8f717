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

  it('scope: every municipality for the coordinator, their own office for an administrator, none otherwise', () => {
    const dialect = new PgDialect();
    for (const name of ACTOR_NAMES) {
      const office = municipalityPolicy.scope(ACTORS[name], 'keep_office');
      if (name === 'coordinator') {
        expect(office).toBeUndefined();
      } else if (name === 'adminSmolensk' || name === 'adminDesnogorsk') {
        const query = dialect.sqlToQuery(office!);
        expect(query.sql).toBe('"municipalities"."id" = $1');
        expect(query.params).toEqual([name === 'adminSmolensk' ? SMOLENSK : DESNOGORSK]);
      } else {
        expect(dialect.sqlToQuery(office!).sql).toBe('false');
      }
    }
  });

  it('the regional coordinator’s own contacts: the coordinator only', () => {
    expect(allowed(regionalOfficePolicy, 'keep', {})).toEqual(['coordinator']);
  });
});

import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { ACTORS, ACTOR_NAMES, DESNOGORSK, SMOLENSK, allowed } from '../../../tests/support/actors.js';
import { fundingRequestPolicy, fundingSettingsPolicy, normativeCostPolicy } from './policy.js';

describe('funding settings policy', () => {
  it.each([
    [SMOLENSK, ['adminSmolensk', 'coordinator']],
    [DESNOGORSK, ['adminDesnogorsk', 'coordinator']],
  ])('manage municipality %i: its administrator and the coordinator', (municipalityId, who) => {
    expect(allowed(fundingSettingsPolicy, 'manage', { municipalityId })).toEqual(who);
  });

  it('scope: all periods for the coordinator, one municipality for its administrator, none for others', () => {
    const dialect = new PgDialect();
    for (const name of ACTOR_NAMES) {
      const scope = fundingSettingsPolicy.scope(ACTORS[name], 'manage');
      if (name === 'coordinator') expect(scope).toBeUndefined();
      else if (name === 'adminSmolensk')
        expect(dialect.sqlToQuery(scope!)).toMatchObject({
          sql: '"funding_periods"."municipality_id" = $1',
          params: [SMOLENSK],
        });
      else if (name === 'adminDesnogorsk') expect(dialect.sqlToQuery(scope!).params).toEqual([DESNOGORSK]);
      else expect(dialect.sqlToQuery(scope!).sql).toBe('false');
    }
  });
});

describe('funding request policy', () => {
  const holder = { ownerUserId: ACTORS.parentB.id, municipalityId: DESNOGORSK };

  it('request: the child’s parent only', () => {
    expect(allowed(fundingRequestPolicy, 'request', holder)).toEqual(['parentB']);
  });

  it('read: the parent, the municipality’s administrator and the coordinator', () => {
    expect(allowed(fundingRequestPolicy, 'read', holder)).toEqual([
      'parentB',
      'adminDesnogorsk',
      'coordinator',
    ]);
  });
});

describe('normative cost policy', () => {
  it('set: the coordinator only', () => {
    expect(allowed(normativeCostPolicy, 'set', { programId: 'p' })).toEqual(['coordinator']);
  });
});

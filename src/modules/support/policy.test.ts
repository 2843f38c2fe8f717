import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { ACTORS, DESNOGORSK, SMOLENSK, allowed } from '../../../tests/support/actors.js';
import { supportRequestPolicy } from './policy.js';

describe('support request policy', () => {
  it.each(['read', 'answer'] as const)(
    '%s: the municipality’s administrator and the coordinator',
    (action) => {
      expect(allowed(supportRequestPolicy, action, { municipalityId: DESNOGORSK })).toEqual([
        'adminDesnogorsk',
        'coordinator',
      ]);
      expect(allowed(supportRequestPolicy, action, { municipalityId: SMOLENSK })).toEqual([
        'adminSmolensk',
        'coordinator',
      ]);
    },
  );

  it('scope: all for the coordinator, one municipality for an administrator, nothing for anyone else', () => {
    const dialect = new PgDialect();
    const render = (actor: (typeof ACTORS)[keyof typeof ACTORS]) => {
      const condition = supportRequestPolicy.scope(actor, 'read');
      if (condition === undefined) return undefined;
      const { sql, params } = dialect.sqlToQuery(condition);
      return { sql, params };
    };
    expect(render(ACTORS.coordinator)).toBeUndefined();
    expect(render(ACTORS.adminSmolensk)).toEqual({
      sql: '"support_requests"."municipality_id" = $1',
      params: [SMOLENSK],
    });
    for (const actor of [ACTORS.guest, ACTORS.parentB, ACTORS.orgSmolensk])
      expect(render(actor)).toEqual({ sql: 'false', params: [] });
  });
});

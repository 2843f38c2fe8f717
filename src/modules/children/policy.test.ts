import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { ACTORS, allowed, DESNOGORSK, ORG_SMOLENSK } from '../../../tests/support/actors.js';
import { childPolicy } from './policy.js';

/** Parent B's child, registered in Десногорск. */
const child = { ownerUserId: ACTORS.parentB.id, municipalityId: DESNOGORSK };
/** The same child, as the applications service presents it after checking an application to the Смоленск organization. */
const appliedToSmolensk = { ...child, applicationTo: ORG_SMOLENSK };

describe('child policy', () => {
  it('lets only the parent who added the child read, edit, delete it and ask for its certificate', () => {
    for (const action of ['read', 'update', 'delete', 'request_certificate'] as const) {
      expect(allowed(childPolicy, action, child), action).toEqual(['parentB']);
      expect(allowed(childPolicy, action, appliedToSmolensk), action).toEqual(['parentB']);
    }
  });

  it("lets the administrator of the child's municipality and the coordinator inspect the data", () => {
    expect(allowed(childPolicy, 'inspect', child)).toEqual(['adminDesnogorsk', 'coordinator']);
    // An application gives the organization the application page, not the staff desk's child record.
    expect(allowed(childPolicy, 'inspect', appliedToSmolensk)).toEqual(['adminDesnogorsk', 'coordinator']);
  });

  it('lets an organization confirm only a child who applied to it', () => {
    expect(allowed(childPolicy, 'confirm', child)).toEqual(['adminDesnogorsk', 'coordinator']);
    expect(allowed(childPolicy, 'confirm', appliedToSmolensk)).toEqual([
      'orgSmolensk',
      'adminDesnogorsk',
      'coordinator',
    ]);
  });

  it('scopes lists the same way', () => {
    const where = (condition: SQL | undefined) => (condition ? new PgDialect().sqlToQuery(condition) : 'all');
    expect(where(childPolicy.scope(null, 'read'))).toMatchObject({ sql: 'false' });
    expect(where(childPolicy.scope(ACTORS.parentB, 'read'))).toMatchObject({
      sql: '"children"."owner_user_id" = $1',
      params: [ACTORS.parentB.id],
    });
    expect(where(childPolicy.scope(ACTORS.coordinator, 'read'))).toMatchObject({
      sql: '"children"."owner_user_id" = $1',
      params: [ACTORS.coordinator.id],
    });
    expect(where(childPolicy.scope(ACTORS.coordinator, 'inspect'))).toBe('all');
    expect(where(childPolicy.scope(ACTORS.adminDesnogorsk, 'inspect'))).toMatchObject({
      sql: '"children"."municipality_id" = $1',
      params: [DESNOGORSK],
    });
    for (const name of ['guest', 'parentA', 'orgSmolensk'] as const)
      expect(where(childPolicy.scope(ACTORS[name], 'confirm')), name).toMatchObject({ sql: 'false' });
  });
});

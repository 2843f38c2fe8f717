import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import {
  ACTORS,
  DESNOGORSK,
  ORG_DESNOGORSK,
  ORG_SMOLENSK,
  SMOLENSK,
  allowed,
} from '../../../tests/support/actors.js';
import { certificatePolicy } from './policy.js';

/** The certificate of parent B's child, registered in Десногорск. */
const certificate = { ownerUserId: ACTORS.parentB.id, municipalityId: DESNOGORSK };
/** The same, as the applications service presents it after checking an application to the Смоленск organization. */
const appliedToSmolensk = { ...certificate, applicationTo: ORG_SMOLENSK };

const OWNED =
  'exists (select 1 from children c where c.id = "certificates"."child_id" and c.owner_user_id = $1)';
const where = (condition: SQL | undefined) => {
  if (!condition) return 'all';
  const { sql, params } = new PgDialect().sqlToQuery(condition);
  return { sql, params };
};

describe('certificate policy', () => {
  it('issue and update: the parent who added the child only — an application changes nothing', () => {
    for (const action of ['issue', 'update'] as const) {
      expect(allowed(certificatePolicy, action, certificate), action).toEqual(['parentB']);
      expect(allowed(certificatePolicy, action, appliedToSmolensk), action).toEqual(['parentB']);
    }
  });

  it('read: the parent, the administrator of the child’s municipality, the coordinator; an organization only through an application to it', () => {
    expect(allowed(certificatePolicy, 'read', certificate)).toEqual([
      'parentB',
      'adminDesnogorsk',
      'coordinator',
    ]);
    expect(allowed(certificatePolicy, 'read', appliedToSmolensk)).toEqual([
      'parentB',
      'orgSmolensk',
      'adminDesnogorsk',
      'coordinator',
    ]);
    expect(allowed(certificatePolicy, 'read', { ...certificate, municipalityId: SMOLENSK })).toEqual([
      'parentB',
      'adminSmolensk',
      'coordinator',
    ]);
  });

  it('activate: whoever confirms the child’s data — not the parent', () => {
    expect(allowed(certificatePolicy, 'activate', certificate)).toEqual(['adminDesnogorsk', 'coordinator']);
    expect(allowed(certificatePolicy, 'activate', appliedToSmolensk)).toEqual([
      'orgSmolensk',
      'adminDesnogorsk',
      'coordinator',
    ]);
  });

  it('scopes lists the same way', () => {
    for (const action of ['read', 'issue', 'update', 'activate'] as const)
      expect(where(certificatePolicy.scope(null, action)), action).toEqual({ sql: 'false', params: [] });
    for (const action of ['issue', 'update'] as const)
      expect(where(certificatePolicy.scope(ACTORS.coordinator, action))).toEqual({
        sql: OWNED,
        params: [ACTORS.coordinator.id],
      });
    expect(where(certificatePolicy.scope(ACTORS.parentB, 'read'))).toEqual({
      sql: OWNED,
      params: [ACTORS.parentB.id],
    });
    expect(where(certificatePolicy.scope(ACTORS.parentB, 'activate'))).toEqual({ sql: 'false', params: [] });
    expect(where(certificatePolicy.scope(ACTORS.coordinator, 'read'))).toBe('all');
    expect(where(certificatePolicy.scope(ACTORS.coordinator, 'activate'))).toBe('all');
    const municipality =
      'exists (select 1 from children c where c.id = "certificates"."child_id" and c.municipality_id = $2)';
    expect(where(certificatePolicy.scope(ACTORS.adminDesnogorsk, 'read'))).toEqual({
      sql: `(${OWNED} or ${municipality})`,
      params: [ACTORS.adminDesnogorsk.id, DESNOGORSK],
    });
    expect(where(certificatePolicy.scope(ACTORS.adminDesnogorsk, 'activate'))).toEqual({
      sql: municipality.replace('$2', '$1'),
      params: [DESNOGORSK],
    });
    expect(where(certificatePolicy.scope(ACTORS.orgDesnogorsk, 'read'))).toEqual({
      sql: `(${OWNED} or exists (select 1 from applications a where a.child_id = "certificates"."child_id" and a.organization_id = $2))`,
      params: [ACTORS.orgDesnogorsk.id, ORG_DESNOGORSK],
    });
  });
});

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
import {
  accountPolicy,
  assistedAccountPolicy,
  staffAccountPolicy,
  staffKindManagedBy,
  type StaffAccount,
} from './policy.js';

const orgStaffSmolensk: StaffAccount = {
  role: 'org_staff',
  municipalityId: SMOLENSK,
  organizationId: ORG_SMOLENSK,
};
const orgStaffDesnogorsk: StaffAccount = {
  role: 'org_staff',
  municipalityId: DESNOGORSK,
  organizationId: ORG_DESNOGORSK,
};
const adminOfSmolensk: StaffAccount = {
  role: 'municipal_admin',
  municipalityId: SMOLENSK,
  organizationId: null,
};
const coordinatorAccount: StaffAccount = { role: 'coordinator', municipalityId: null, organizationId: null };

const MANAGING = ['read', 'update', 'disable'] as const;

describe('staff account policy', () => {
  it.each(MANAGING)(
    '%s: staff of a Смоленск organization — their municipal administrator and the coordinator',
    (action) => {
      expect(allowed(staffAccountPolicy, action, orgStaffSmolensk)).toEqual(['adminSmolensk', 'coordinator']);
      expect(allowed(staffAccountPolicy, action, orgStaffDesnogorsk)).toEqual([
        'adminDesnogorsk',
        'coordinator',
      ]);
    },
  );

  it.each(MANAGING)('%s: a municipal administrator and a coordinator — the coordinator only', (action) => {
    expect(allowed(staffAccountPolicy, action, adminOfSmolensk)).toEqual(['coordinator']);
    expect(allowed(staffAccountPolicy, action, coordinatorAccount)).toEqual(['coordinator']);
  });

  it('invite: organization staff by their municipality’s administrator or the coordinator; administrators by the coordinator; a coordinator by nobody here', () => {
    expect(allowed(staffAccountPolicy, 'invite', orgStaffSmolensk)).toEqual(['adminSmolensk', 'coordinator']);
    expect(allowed(staffAccountPolicy, 'invite', orgStaffDesnogorsk)).toEqual([
      'adminDesnogorsk',
      'coordinator',
    ]);
    expect(allowed(staffAccountPolicy, 'invite', adminOfSmolensk)).toEqual(['coordinator']);
    expect(allowed(staffAccountPolicy, 'invite', coordinatorAccount)).toEqual([]);
  });

  it('an organization-staff role without its municipality reaches nobody but the coordinator', () => {
    const broken: StaffAccount = { role: 'org_staff', municipalityId: null, organizationId: ORG_SMOLENSK };
    expect(allowed(staffAccountPolicy, 'read', broken)).toEqual(['coordinator']);
  });

  it('scope: the coordinator lists everyone, an administrator their municipality’s organization staff, others nobody', () => {
    const dialect = new PgDialect();
    const render = (actor: (typeof ACTORS)[keyof typeof ACTORS]) => {
      const condition = staffAccountPolicy.scope(actor, 'read');
      if (condition === undefined) return undefined;
      const { sql, params } = dialect.sqlToQuery(condition);
      return { sql, params };
    };
    expect(render(ACTORS.coordinator)).toBeUndefined();
    expect(render(ACTORS.adminDesnogorsk)).toEqual({
      sql: '("staff_roles"."role" = $1 and "staff_roles"."municipality_id" = $2)',
      params: ['org_staff', DESNOGORSK],
    });
    for (const actor of [ACTORS.guest, ACTORS.parentA, ACTORS.orgSmolensk, ACTORS.orgDesnogorsk]) {
      expect(render(actor)).toEqual({ sql: 'false', params: [] });
    }
  });

  it('the «Сотрудники» screen keeps administrators for the coordinator, organization staff for an administrator', () => {
    expect(staffKindManagedBy(ACTORS.coordinator)).toBe('municipal_admin');
    expect(staffKindManagedBy(ACTORS.adminSmolensk)).toBe('org_staff');
    for (const actor of [ACTORS.guest, ACTORS.parentA, ACTORS.orgSmolensk]) {
      expect(staffKindManagedBy(actor)).toBeNull();
    }
  });
});

describe('own account policy', () => {
  it.each(['read', 'update', 'change_password', 'change_email'] as const)(
    '%s: the owner only — no operator reads or changes a parent’s account',
    (action) => {
      expect(allowed(accountPolicy, action, { id: ACTORS.parentB.id })).toEqual(['parentB']);
      expect(allowed(accountPolicy, action, { id: ACTORS.adminSmolensk.id })).toEqual(['adminSmolensk']);
    },
  );
});

describe('assisted account policy (the support desk)', () => {
  const parentOf = (municipalityId: number, id = ACTORS.parentB.id) => ({ id, municipalityId, role: null });
  const staffOf = (role: 'org_staff' | 'municipal_admin' | 'coordinator', municipalityId: number | null) => ({
    id: '00000000-0000-4000-8000-0000000000f1',
    municipalityId,
    role,
  });

  it.each(['inspect', 'assist'] as const)(
    '%s: a parent — their municipality’s administrator and the coordinator',
    (action) => {
      expect(allowed(assistedAccountPolicy, action, parentOf(DESNOGORSK))).toEqual([
        'adminDesnogorsk',
        'coordinator',
      ]);
      expect(allowed(assistedAccountPolicy, action, parentOf(SMOLENSK))).toEqual([
        'adminSmolensk',
        'coordinator',
      ]);
    },
  );

  it('only below one’s own role: organization staff by their administrator; administrators by the coordinator; a coordinator by nobody', () => {
    expect(allowed(assistedAccountPolicy, 'assist', staffOf('org_staff', SMOLENSK))).toEqual([
      'adminSmolensk',
      'coordinator',
    ]);
    expect(allowed(assistedAccountPolicy, 'assist', staffOf('municipal_admin', SMOLENSK))).toEqual([
      'coordinator',
    ]);
    expect(allowed(assistedAccountPolicy, 'assist', staffOf('coordinator', null))).toEqual([]);
  });

  it('nobody helps their own account here (the cabinet is for that)', () => {
    expect(
      assistedAccountPolicy.can(ACTORS.adminSmolensk, 'assist', {
        id: ACTORS.adminSmolensk.id,
        municipalityId: SMOLENSK,
        role: null,
      }),
    ).toBe(false);
  });

  it('scope: the coordinator everyone but coordinators and themself, an administrator parents and organization staff of their municipality, others nobody', () => {
    const dialect = new PgDialect();
    const render = (actor: (typeof ACTORS)[keyof typeof ACTORS]) => {
      const condition = assistedAccountPolicy.scope(actor, 'inspect');
      if (condition === undefined) return undefined;
      const { sql, params } = dialect.sqlToQuery(condition);
      return { sql, params };
    };
    expect(render(ACTORS.coordinator)).toEqual({
      sql: `("staff_roles"."role" is null or "staff_roles"."role" <> 'coordinator') and "users"."id" <> $1`,
      params: [ACTORS.coordinator.id],
    });
    expect(render(ACTORS.adminDesnogorsk)).toEqual({
      sql: `("staff_roles"."role" is null or "staff_roles"."role" = 'org_staff') and coalesce("staff_roles"."municipality_id", "users"."municipality_id") = $1`,
      params: [DESNOGORSK],
    });
    for (const actor of [ACTORS.guest, ACTORS.parentA, ACTORS.orgSmolensk, ACTORS.orgDesnogorsk]) {
      expect(render(actor)).toEqual({ sql: 'false', params: [] });
    }
  });
});

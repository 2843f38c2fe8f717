import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import {
  ACTORS,
  ACTOR_NAMES,
  DESNOGORSK,
  ORG_DESNOGORSK,
  ORG_SMOLENSK,
  SMOLENSK,
  allowed,
  type ActorName,
} from '../../../tests/support/actors.js';
import { groupPolicy, programPolicy, type ProgramAction } from './policy.js';

const smolensk = { organizationId: ORG_SMOLENSK, municipalityId: SMOLENSK };
const desnogorsk = { organizationId: ORG_DESNOGORSK, municipalityId: DESNOGORSK };

describe('program policy: the whole table', () => {
  const owners: ProgramAction[] = ['create', 'read', 'edit', 'submit', 'archive', 'manage_groups'];

  it.each(owners)('%s: only staff of the program’s organization', (action) => {
    expect(allowed(programPolicy, action, smolensk)).toEqual(['orgSmolensk']);
    expect(allowed(programPolicy, action, desnogorsk)).toEqual(['orgDesnogorsk']);
  });

  it('moderate: the municipal administrator of its municipality and the coordinator', () => {
    expect(allowed(programPolicy, 'moderate', smolensk)).toEqual(['adminSmolensk', 'coordinator']);
    expect(allowed(programPolicy, 'moderate', desnogorsk)).toEqual(['adminDesnogorsk', 'coordinator']);
  });

  it('an organization in the same municipality is not the owner', () => {
    const neighbour = { organizationId: '00000000-0000-4000-8000-00000000a003', municipalityId: SMOLENSK };
    expect(allowed(programPolicy, 'edit', neighbour)).toEqual([]);
    expect(allowed(programPolicy, 'moderate', neighbour)).toEqual(['adminSmolensk', 'coordinator']);
  });
});

describe('group policy: the whole table', () => {
  it('read: the organization’s staff and the program’s moderators', () => {
    expect(allowed(groupPolicy, 'read', smolensk)).toEqual(['orgSmolensk', 'adminSmolensk', 'coordinator']);
    expect(allowed(groupPolicy, 'read', desnogorsk)).toEqual([
      'orgDesnogorsk',
      'adminDesnogorsk',
      'coordinator',
    ]);
  });

  it('manage: only the organization’s staff', () => {
    expect(allowed(groupPolicy, 'manage', smolensk)).toEqual(['orgSmolensk']);
    expect(allowed(groupPolicy, 'manage', desnogorsk)).toEqual(['orgDesnogorsk']);
  });
});

describe('the same rules as SQL scopes (the provider’s list, the moderation queue)', () => {
  const dialect = new PgDialect();
  const scopeOf = (name: ActorName, action: ProgramAction) => {
    const condition = programPolicy.scope(ACTORS[name], action);
    if (condition === undefined) return 'everything';
    const { sql, params } = dialect.sqlToQuery(condition);
    return { sql, params };
  };

  it('read: the organization’s programs for its staff, nothing for anyone else', () => {
    expect(scopeOf('orgSmolensk', 'read')).toEqual({
      sql: '"programs"."organization_id" = $1',
      params: [ORG_SMOLENSK],
    });
    for (const name of ACTOR_NAMES.filter((n) => !n.startsWith('org'))) {
      expect(scopeOf(name, 'read')).toEqual({ sql: 'false', params: [] });
    }
  });

  it('moderate: the administrator’s municipality, the whole region for the coordinator, nothing for others', () => {
    expect(scopeOf('adminDesnogorsk', 'moderate')).toEqual({
      sql: '"programs"."municipality_id" = $1',
      params: [DESNOGORSK],
    });
    expect(scopeOf('coordinator', 'moderate')).toBe('everything');
    for (const name of ['guest', 'parentA', 'parentB', 'orgSmolensk', 'orgDesnogorsk'] as const) {
      expect(scopeOf(name, 'moderate')).toEqual({ sql: 'false', params: [] });
    }
  });

  it('group scopes go through the group’s program', () => {
    const { sql, params } = dialect.sqlToQuery(groupPolicy.scope(ACTORS.orgSmolensk, 'manage')!);
    expect({ sql, params }).toEqual({
      sql: '"program_groups"."program_id" in (select "programs"."id" from "programs" where "programs"."organization_id" = $1)',
      params: [ORG_SMOLENSK],
    });
    expect(groupPolicy.scope(ACTORS.coordinator, 'read')).toBeUndefined();
    expect(dialect.sqlToQuery(groupPolicy.scope(ACTORS.parentA, 'read')!).sql).toContain('false');
  });
});

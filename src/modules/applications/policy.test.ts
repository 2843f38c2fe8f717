import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { ACTORS, ORG_DESNOGORSK, ORG_SMOLENSK, allowed } from '../../../tests/support/actors.js';
import { applicationPolicy, groupEnrolmentPolicy, noticePolicy, type ApplicationAction } from './policy.js';

/** The whole table of the application policies, for the eight people of the route matrix. */

// Parent B's application to a group of the Смоленск organization; parent A's to the Десногорск one.
const toSmolensk = { applicantUserId: ACTORS.parentB.id, organizationId: ORG_SMOLENSK };
const toDesnogorsk = { applicantUserId: ACTORS.parentA.id, organizationId: ORG_DESNOGORSK };

const APPLICANT_ACTIONS: ApplicationAction[] = ['read', 'cancel', 'take_offer', 'leave'];
const STAFF_ACTIONS: ApplicationAction[] = [
  'review',
  'accept',
  'reject',
  'expel',
  'complete',
  'confirm_child',
];

describe('application policy', () => {
  it.each(APPLICANT_ACTIONS)('%s: only the applicant', (action) => {
    expect(allowed(applicationPolicy, action, toSmolensk)).toEqual(['parentB']);
    expect(allowed(applicationPolicy, action, toDesnogorsk)).toEqual(['parentA']);
  });

  it.each(STAFF_ACTIONS)('%s: only staff of the group’s organization', (action) => {
    expect(allowed(applicationPolicy, action, toSmolensk)).toEqual(['orgSmolensk']);
    expect(allowed(applicationPolicy, action, toDesnogorsk)).toEqual(['orgDesnogorsk']);
  });

  it('gives municipal administrators and the coordinator nothing: they reach children, not applications', () => {
    const actions = [...APPLICANT_ACTIONS, ...STAFF_ACTIONS];
    for (const actor of [ACTORS.adminSmolensk, ACTORS.adminDesnogorsk, ACTORS.coordinator, ACTORS.guest])
      for (const action of actions) expect(applicationPolicy.can(actor, action, toSmolensk)).toBe(false);
  });

  it('an operator who applied for their own child acts on it as the applicant, not as staff', () => {
    const ownChild = { applicantUserId: ACTORS.orgDesnogorsk.id, organizationId: ORG_SMOLENSK };
    expect(allowed(applicationPolicy, 'cancel', ownChild)).toEqual(['orgDesnogorsk']);
    expect(allowed(applicationPolicy, 'review', ownChild)).toEqual(['orgSmolensk']);
  });
});

describe('application scope (lists)', () => {
  const dialect = new PgDialect();
  const render = (condition: ReturnType<typeof applicationPolicy.scope>) =>
    condition ? dialect.sqlToQuery(condition) : undefined;

  it('the parent’s «Заявки» are their own applications', () => {
    expect(render(applicationPolicy.scope(ACTORS.parentA, 'read'))).toMatchObject({
      sql: 'a.applicant_user_id = $1',
      params: [ACTORS.parentA.id],
    });
  });

  it('the provider’s list is its organization’s applications', () => {
    expect(render(applicationPolicy.scope(ACTORS.orgSmolensk, 'review'))).toMatchObject({
      sql: 'a.organization_id = $1',
      params: [ORG_SMOLENSK],
    });
  });

  it('nobody else lists anything', () => {
    for (const actor of [ACTORS.guest, ACTORS.adminSmolensk, ACTORS.coordinator, ACTORS.parentB])
      expect(render(applicationPolicy.scope(actor, 'review'))).toEqual({ sql: 'false', params: [] });
    for (const actor of [ACTORS.guest])
      expect(render(applicationPolicy.scope(actor, 'read'))).toMatchObject({ sql: 'false', params: [] });
  });
});

describe('group enrolment policy', () => {
  const smolenskGroup = { organizationId: ORG_SMOLENSK };

  it.each(['roster', 'file_in_person', 'auto_accept'] as const)(
    '%s: only staff of the group’s organization',
    (action) => {
      expect(allowed(groupEnrolmentPolicy, action, smolenskGroup)).toEqual(['orgSmolensk']);
      expect(allowed(groupEnrolmentPolicy, action, { organizationId: ORG_DESNOGORSK })).toEqual([
        'orgDesnogorsk',
      ]);
    },
  );

  it('scopes the groups list to the organization’s programs', () => {
    const dialect = new PgDialect();
    expect(dialect.sqlToQuery(groupEnrolmentPolicy.scope(ACTORS.orgDesnogorsk, 'roster')!)).toMatchObject({
      sql: 'p.organization_id = $1',
      params: [ORG_DESNOGORSK],
    });
    expect(dialect.sqlToQuery(groupEnrolmentPolicy.scope(ACTORS.adminSmolensk, 'roster')!).sql).toBe('false');
  });
});

describe('notice policy', () => {
  it('read (and mark read): only the addressee, staff included in «nobody else»', () => {
    expect(allowed(noticePolicy, 'read', { userId: ACTORS.parentB.id })).toEqual(['parentB']);
    expect(allowed(noticePolicy, 'read', { userId: ACTORS.parentA.id })).toEqual(['parentA']);
  });

  it('lists the actor’s own notices, a guest’s none', () => {
    const dialect = new PgDialect();
    expect(dialect.sqlToQuery(noticePolicy.scope(ACTORS.parentA, 'read')!)).toMatchObject({
      sql: 'n.user_id = $1',
      params: [ACTORS.parentA.id],
    });
    expect(dialect.sqlToQuery(noticePolicy.scope(ACTORS.guest, 'read')!).sql).toBe('false');
  });
});

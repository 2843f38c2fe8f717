import { describe, expect, it } from 'vitest';
import { ACCESS_RULES, denialFor, type AccessRule } from './access.js';
import type { CurrentUser, StaffRole } from './request-context.js';

const person = (staff: StaffRole | null, emailVerified = true): CurrentUser => ({
  id: '00000000-0000-4000-8000-000000000001',
  email: 'someone@example.ru',
  shortName: 'Петрова М. И.',
  emailVerified,
  municipalityId: 1,
  sessionTokenHash: 'a',
  staff,
});

const people = {
  guest: null,
  unconfirmed: person(null, false),
  parent: person(null),
  org: person({ role: 'org_staff', municipalityId: 1, organizationId: 'org' }),
  orgWithoutOrganization: person({ role: 'org_staff', municipalityId: 1, organizationId: null }),
  admin: person({ role: 'municipal_admin', municipalityId: 1, organizationId: null }),
  coordinator: person({ role: 'coordinator', municipalityId: null, organizationId: null }),
};

// Each rule × each person: null = let in, otherwise why not.
const expected: Record<AccessRule, Record<keyof typeof people, string | null>> = {
  public: {
    guest: null,
    unconfirmed: null,
    parent: null,
    org: null,
    orgWithoutOrganization: null,
    admin: null,
    coordinator: null,
  },
  user: {
    guest: 'signed_out',
    unconfirmed: null,
    parent: null,
    org: null,
    orgWithoutOrganization: null,
    admin: null,
    coordinator: null,
  },
  confirmed: {
    guest: 'signed_out',
    unconfirmed: 'email_not_confirmed',
    parent: null,
    org: null,
    orgWithoutOrganization: null,
    admin: null,
    coordinator: null,
  },
  staff: {
    guest: 'signed_out',
    unconfirmed: 'forbidden',
    parent: 'forbidden',
    org: null,
    orgWithoutOrganization: null,
    admin: null,
    coordinator: null,
  },
  org_staff: {
    guest: 'signed_out',
    unconfirmed: 'forbidden',
    parent: 'forbidden',
    org: null,
    orgWithoutOrganization: 'forbidden',
    admin: 'forbidden',
    coordinator: 'forbidden',
  },
  municipal_admin: {
    guest: 'signed_out',
    unconfirmed: 'forbidden',
    parent: 'forbidden',
    org: 'forbidden',
    orgWithoutOrganization: 'forbidden',
    admin: null,
    coordinator: null,
  },
  coordinator: {
    guest: 'signed_out',
    unconfirmed: 'forbidden',
    parent: 'forbidden',
    org: 'forbidden',
    orgWithoutOrganization: 'forbidden',
    admin: 'forbidden',
    coordinator: null,
  },
};

describe('denialFor', () => {
  for (const rule of Object.keys(ACCESS_RULES) as AccessRule[]) {
    it(`answers the rule «${rule}» for every kind of person`, () => {
      for (const [name, user] of Object.entries(people)) {
        expect(denialFor(rule, user), `${rule} × ${name}`).toBe(expected[rule][name as keyof typeof people]);
      }
    });
  }
});

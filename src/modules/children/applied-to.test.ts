import { describe, expect, it } from 'vitest';
import { ACTORS, ORG_DESNOGORSK, ORG_SMOLENSK, allowed } from '../../../tests/support/actors.js';
import type { Actor } from '../../platform/access/policy.js';
import { canConfirmAsApplicantsOrganization, canReachChild, type AppliedTo } from './policy.js';

/** The fact «applied to organization X» lets that organization's staff confirm the child, and nobody else more. */
const confirmViaApplication = {
  can: (actor: Actor | null, _action: 'confirm', applied: AppliedTo) =>
    canConfirmAsApplicantsOrganization(actor?.staff ?? null, applied),
};

describe('confirming a child who applied to an organization', () => {
  it('is open to the staff of that organization only', () => {
    const applied = { organizationId: ORG_DESNOGORSK, applicationId: 'a' };
    expect(allowed(confirmViaApplication, 'confirm', applied)).toEqual(['orgDesnogorsk']);
    expect(allowed(confirmViaApplication, 'confirm', { ...applied, organizationId: ORG_SMOLENSK })).toEqual([
      'orgSmolensk',
    ]);
  });

  it('does not widen the staff reach without it: organization staff reach no child', () => {
    expect(canReachChild(ACTORS.orgSmolensk.staff, { municipalityId: 1 })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ACTOR_NAMES,
  DESNOGORSK,
  ORG_DESNOGORSK,
  ORG_SMOLENSK,
  SMOLENSK,
  allowed,
} from '../../../tests/support/actors.js';
import { organizationPolicy } from './policy.js';

const smolensk = { id: ORG_SMOLENSK, municipalityId: SMOLENSK };
const desnogorsk = { id: ORG_DESNOGORSK, municipalityId: DESNOGORSK };

describe('organization policy: the whole table', () => {
  it('read (the public profile): everyone, a guest too', () => {
    expect(allowed(organizationPolicy, 'read', smolensk)).toEqual(ACTOR_NAMES);
    expect(allowed(organizationPolicy, 'read', desnogorsk)).toEqual(ACTOR_NAMES);
  });

  it('update: only the organization’s own staff — not its municipality’s administrator, not the coordinator', () => {
    expect(allowed(organizationPolicy, 'update', smolensk)).toEqual(['orgSmolensk']);
    expect(allowed(organizationPolicy, 'update', desnogorsk)).toEqual(['orgDesnogorsk']);
  });

  it('oversee: the municipal administrator of its municipality and the coordinator', () => {
    expect(allowed(organizationPolicy, 'oversee', smolensk)).toEqual(['adminSmolensk', 'coordinator']);
    expect(allowed(organizationPolicy, 'oversee', desnogorsk)).toEqual(['adminDesnogorsk', 'coordinator']);
  });
});

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

  it('create: in a municipality, its municipal administrator and the coordinator', () => {
    expect(allowed(organizationPolicy, 'create', { id: null, municipalityId: SMOLENSK })).toEqual([
      'adminSmolensk',
      'coordinator',
    ]);
    expect(allowed(organizationPolicy, 'create', { id: null, municipalityId: DESNOGORSK })).toEqual([
      'adminDesnogorsk',
      'coordinator',
    ]);
    // An existing organization is not «created» again.
    expect(allowed(organizationPolicy, 'create', smolensk)).toEqual([]);
  });

  it('update (the descriptive profile): its own staff, its municipality’s administrator, the coordinator', () => {
    expect(allowed(organizationPolicy, 'update', smolensk)).toEqual([
      'orgSmolensk',
      'adminSmolensk',
      'coordinator',
    ]);
    expect(allowed(organizationPolicy, 'update', desnogorsk)).toEqual([
      'orgDesnogorsk',
      'adminDesnogorsk',
      'coordinator',
    ]);
  });

  it('manage (ИНН/ОГРН, archive, staff): its municipality’s administrator and the coordinator — not its staff', () => {
    expect(allowed(organizationPolicy, 'manage', smolensk)).toEqual(['adminSmolensk', 'coordinator']);
    expect(allowed(organizationPolicy, 'manage', desnogorsk)).toEqual(['adminDesnogorsk', 'coordinator']);
  });

  it('oversee: the municipal administrator of its municipality and the coordinator', () => {
    expect(allowed(organizationPolicy, 'oversee', smolensk)).toEqual(['adminSmolensk', 'coordinator']);
    expect(allowed(organizationPolicy, 'oversee', desnogorsk)).toEqual(['adminDesnogorsk', 'coordinator']);
  });
});

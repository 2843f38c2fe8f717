import type { Actor } from '../../src/platform/access/policy.js';

/**
 * The people every policy's matrix test asks about, the same eight as the route matrix: a guest, two parents, staff
 * of an organization in город Смоленск (municipality 1) and in Десногорск (municipality 2), the municipal
 * administrators of both, and the regional coordinator.
 */
export const SMOLENSK = 1;
export const DESNOGORSK = 2;
export const ORG_SMOLENSK = '00000000-0000-4000-8000-00000000a001';
export const ORG_DESNOGORSK = '00000000-0000-4000-8000-00000000a002';

const person = (id: string, staff: Actor['staff'] = null): Actor => ({ id, emailVerified: true, staff });

export const ACTORS = {
  guest: null,
  parentA: person('00000000-0000-4000-8000-0000000000a1'),
  parentB: person('00000000-0000-4000-8000-0000000000b1'),
  orgSmolensk: person('00000000-0000-4000-8000-0000000000c1', {
    role: 'org_staff',
    municipalityId: SMOLENSK,
    organizationId: ORG_SMOLENSK,
  }),
  orgDesnogorsk: person('00000000-0000-4000-8000-0000000000c2', {
    role: 'org_staff',
    municipalityId: DESNOGORSK,
    organizationId: ORG_DESNOGORSK,
  }),
  adminSmolensk: person('00000000-0000-4000-8000-0000000000d1', {
    role: 'municipal_admin',
    municipalityId: SMOLENSK,
    organizationId: null,
  }),
  adminDesnogorsk: person('00000000-0000-4000-8000-0000000000d2', {
    role: 'municipal_admin',
    municipalityId: DESNOGORSK,
    organizationId: null,
  }),
  coordinator: person('00000000-0000-4000-8000-0000000000e1', {
    role: 'coordinator',
    municipalityId: null,
    organizationId: null,
  }),
} satisfies Record<string, Actor | null>;

export type ActorName = keyof typeof ACTORS;
export const ACTOR_NAMES = Object.keys(ACTORS) as ActorName[];

/**
 * Every actor's answer for one action on one resource, as the list of those allowed — so a matrix test reads
 * as the table it checks: `expect(allowed(policy, 'read', child)).toEqual(['parentB', 'adminDesnogorsk', …])`.
 */
export function allowed<R, A extends string>(
  policy: { can(actor: Actor | null, action: A, resource: R): boolean },
  action: A,
  resource: R,
): ActorName[] {
  return ACTOR_NAMES.filter((name) => policy.can(ACTORS[name], action, resource));
}

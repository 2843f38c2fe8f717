import { eq, sql, type SQL } from 'drizzle-orm';
import {
  isCoordinator,
  municipalityOf,
  organizationOf,
  overseesMunicipality,
  worksFor,
  type Actor,
  type ScopedPolicy,
} from '../../platform/access/policy.js';
import { programGroups, programs } from './schema.js';

/**
 * Who may do what with a program in the provider's cabinet and in moderation (ADR 0008).
 *
 * The public catalog is not here: a published program is shown to everyone, and that is a fact of its state
 * (`status = 'published'`, the catalog's queries), not of who asks. These rules are about the programs' owners
 * and moderators; the state rules (a program on moderation is locked, only a draft is submitted…) stay in the
 * service, which answers them with their own messages.
 *
 * - `create`, `read`, `edit`, `submit`, `archive` (withdraw and bring back), `manage_groups`: staff of the
 *   program's organization. `create` is asked about the organization and municipality the new program will have.
 * - `moderate` (open for moderation, publish, return for changes, archive as moderator): the municipal
 *   administrator of the program's municipality (its organization's), and the coordinator for any.
 */
export type ProgramAction = 'create' | 'read' | 'edit' | 'submit' | 'archive' | 'manage_groups' | 'moderate';

/** What the rule needs to know of a program (a program row has both). */
export interface ProgramFacts {
  organizationId: string;
  municipalityId: number;
}

const OWNERS_ACTIONS: readonly ProgramAction[] = [
  'create',
  'read',
  'edit',
  'submit',
  'archive',
  'manage_groups',
];

export const programPolicy: ScopedPolicy<ProgramFacts, ProgramAction> = {
  can(actor: Actor | null, action: ProgramAction, program: ProgramFacts): boolean {
    if (action === 'moderate') return overseesMunicipality(actor, program.municipalityId);
    return OWNERS_ACTIONS.includes(action) && worksFor(actor, program.organizationId);
  },

  /** The same rule over `programs` (the provider's list, the moderation queue). */
  scope(actor: Actor | null, action: ProgramAction): SQL | undefined {
    if (action === 'moderate') {
      if (isCoordinator(actor)) return undefined;
      const municipalityId = municipalityOf(actor);
      return municipalityId === null ? sql`false` : eq(programs.municipalityId, municipalityId);
    }
    const organizationId = organizationOf(actor);
    return organizationId === null ? sql`false` : eq(programs.organizationId, organizationId);
  },
};

/**
 * A group of a program: `read` by whoever reads the program in the cabinet or moderates it (the moderator sees
 * the groups beside the program); `manage` (change, remove) by whoever manages the program's groups — the
 * organization's staff. The public catalog shows the groups of published programs to everyone (its concern).
 */
export type GroupAction = 'read' | 'manage';

/** A group's program's facts: the rule is the program's. */
export type GroupFacts = ProgramFacts;

export const groupPolicy: ScopedPolicy<GroupFacts, GroupAction> = {
  can(actor: Actor | null, action: GroupAction, group: GroupFacts): boolean {
    if (action === 'manage') return programPolicy.can(actor, 'manage_groups', group);
    return programPolicy.can(actor, 'read', group) || programPolicy.can(actor, 'moderate', group);
  },

  /** The same rule over `program_groups`, through the group's program. */
  scope(actor: Actor | null, action: GroupAction): SQL | undefined {
    const within = (condition: SQL | undefined) =>
      condition === undefined
        ? undefined
        : sql`${programGroups.programId} in (select ${programs.id} from ${programs} where ${condition})`;
    if (action === 'manage') return within(programPolicy.scope(actor, 'manage_groups'));
    if (organizationOf(actor) !== null) return within(programPolicy.scope(actor, 'read'));
    return within(programPolicy.scope(actor, 'moderate'));
  },
};

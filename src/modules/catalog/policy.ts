import { isCoordinator, type Policy } from '../../platform/access/policy.js';

/** The related-words table of the catalog's search as a whole: there is one per region. */
export type SynonymsResource = 'synonyms';

/** `manage`: list, add, change and delete entries. */
export type SynonymsAction = 'manage';

/**
 * Who keeps the search's related words (ADR 0022): the regional coordinator. They change what every parent in
 * the region finds, so neither a municipality nor an organization edits them (an organization could otherwise
 * pull its own programs into other searches). Everyone benefits from them through the catalog; nobody else
 * reads the table as such.
 */
export const synonymsPolicy: Policy<SynonymsResource, SynonymsAction> = {
  can(actor) {
    return isCoordinator(actor);
  },
};

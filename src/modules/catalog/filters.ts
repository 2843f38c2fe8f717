import type { CurrentUser } from '../../platform/http/request-context.js';
import { ageOn } from '../../platform/validation/fields.js';
import { regionToday } from '../../platform/views/format.js';
import type { ChildrenService } from '../children/index.js';
import {
  DIRECTIONS,
  type Municipality,
  type ReferenceService,
  type Specialization,
} from '../reference/index.js';
import { programQuerySchema, type ProgramQueryInput } from './schemas.js';
import type { SearchFilters } from './search.js';

/**
 * From the query string to what is searched, the same for the page, the API and the export: no municipality
 * means the signed-in user's («для рекомендаций программ» at registration), «all» the whole region; a child
 * of the user's stands for the child's age.
 *
 * A value that names nothing — an unknown municipality, direction or specialization, someone else's child —
 * is dropped as if it were not in the address (issue 15): links get shared and edited by hand, and such a
 * value must neither empty the list nor count as a filter. `query` is what is left, for the page's form,
 * filter count and links.
 */
export async function resolveFilters(
  raw: ProgramQueryInput,
  user: CurrentUser | null,
  deps: {
    municipalities: Municipality[];
    specializations: Pick<Specialization, 'id'>[];
    children: ChildrenService;
  },
): Promise<{ query: ProgramQueryInput; filters: SearchFilters }> {
  const today = regionToday();
  const query: ProgramQueryInput = { ...raw };
  if (query.municipality && query.municipality !== 'all') {
    if (!deps.municipalities.some((m) => m.code === query.municipality)) query.municipality = undefined;
  }
  if (query.direction && !DIRECTIONS.some((d) => d.code === query.direction)) query.direction = undefined;
  if (query.specialization && !deps.specializations.some((s) => s.id === query.specialization)) {
    query.specialization = undefined;
  }
  let age = query.age;
  if (query.child) {
    const child = user ? await deps.children.getOwned(user, query.child) : null;
    if (child) age = ageOn(child.birthDate, new Date(`${today}T12:00:00Z`));
    else query.child = undefined;
  }
  let municipality: string | undefined;
  if (query.municipality === 'all') municipality = undefined;
  else if (query.municipality) municipality = query.municipality;
  else if (user) municipality = deps.municipalities.find((m) => m.id === user.municipalityId)?.code;
  const { child: _child, municipality: _municipality, ...rest } = query;
  return { query, filters: { ...rest, municipality, age, today } };
}

/** A request's query string read and resolved as above, with the reference lists that takes. */
export async function filtersOfRequest(
  rawQuery: unknown,
  user: CurrentUser | null,
  deps: { reference: ReferenceService; children: ChildrenService },
): Promise<{ query: ProgramQueryInput; filters: SearchFilters }> {
  const raw = programQuerySchema.parse(rawQuery ?? {});
  const [municipalities, specializations] = await Promise.all([
    deps.reference.listMunicipalities(),
    deps.reference.listSpecializations(),
  ]);
  return resolveFilters(raw, user, { municipalities, specializations, children: deps.children });
}

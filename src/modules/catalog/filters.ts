import type { CurrentUser } from '../../platform/http/request-context.js';
import { ageOn } from '../../platform/validation/fields.js';
import { regionToday } from '../../platform/views/format.js';
import type { ChildrenService } from '../children/index.js';
import type { Municipality } from '../reference/index.js';
import type { ProgramQueryInput } from './schemas.js';
import type { SearchFilters } from './search.js';

/**
 * From the query string to what is searched, the same for the page, the API and the export: no municipality
 * means the signed-in user's («для рекомендаций программ» at registration), «all» the whole region; a child
 * of the user's stands for the child's age. Someone else's child id is ignored.
 */
export async function resolveFilters(
  query: ProgramQueryInput,
  user: CurrentUser | null,
  deps: { municipalities: Municipality[]; children: ChildrenService },
): Promise<SearchFilters> {
  const today = regionToday();
  let municipality: string | undefined;
  if (query.municipality === 'all') municipality = undefined;
  else if (query.municipality)
    municipality = deps.municipalities.find((m) => m.code === query.municipality)?.code;
  else if (user) municipality = deps.municipalities.find((m) => m.id === user.municipalityId)?.code;
  let age = query.age;
  if (query.child && user) {
    const child = await deps.children.getOwned(user, query.child);
    if (child) age = ageOn(child.birthDate, new Date(`${today}T12:00:00Z`));
  }
  const { child: _child, municipality: _municipality, ...rest } = query;
  return { ...rest, municipality, age, today };
}

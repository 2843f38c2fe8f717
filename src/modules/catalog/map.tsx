import type { MapSettings } from '../../platform/config.js';
import { countOf } from '../../platform/views/format.js';
import { MarkerMap } from '../../platform/views/map.js';
import { PROGRAM_FORMS } from './labels.js';
import { MAP_MARKER_LIMIT, type ResultPlace } from './search.js';

/**
 * The catalog's map: the organizations of the current results (all pages), one marker each with how many of
 * the results are theirs. Rendered by the route and placed by the results page, so the page's own markup knows
 * nothing of maps.
 */
export function ResultsMap({
  settings,
  places,
  total,
}: {
  settings: MapSettings | null;
  places: ResultPlace[];
  total: number;
}) {
  return (
    <MarkerMap
      settings={settings}
      label="Карта: организации, где проходят найденные программы"
      addressList
      truncatedNote={
        total > places.length
          ? `На карте ${MAP_MARKER_LIMIT} организаций с наибольшим числом найденных программ из ${total}: уточните поиск, чтобы увидеть остальные.`
          : undefined
      }
      markers={places.map((place) => ({
        name: place.name,
        address: place.address,
        latitude: place.latitude,
        longitude: place.longitude,
        href: `/organizations/${place.organizationId}`,
        note: `${countOf(place.programs, PROGRAM_FORMS)} из найденных`,
      }))}
    />
  );
}

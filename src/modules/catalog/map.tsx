import type { MapSettings } from '../../platform/config.js';
import { countOf } from '../../platform/views/format.js';
import { Layout } from '../../platform/views/layout.js';
import { MarkerMap, PlaceList, type MapMarker } from '../../platform/views/map.js';
import { ORGANIZATION_FORMS } from '../organizations/index.js';
import { PROGRAM_FORMS } from './labels.js';
import { MAP_MARKER_LIMIT, type ResultPlace } from './search.js';

/**
 * The catalog's map: the organizations of the current results (all pages), one marker each with how many of
 * the results are theirs. The results page carries only the container: the markers (up to MAP_MARKER_LIMIT, most
 * of the page's weight when carried) come from /api/v1/programs/places when the map comes near the screen, and
 * /programs/places lists the same places as text. Rendered by the route and placed by the results page, so the
 * page's own markup knows nothing of maps.
 */
export function ResultsMap({ settings, search }: { settings: MapSettings | null; search: string }) {
  return (
    <MarkerMap
      settings={settings}
      label="Карта: организации, где проходят найденные программы"
      remote={{ markersUrl: `/api/v1/programs/places${search}`, listUrl: `/programs/places${search}` }}
    />
  );
}

/**
 * The filters of a results address as `?…` for the map's addresses: the page and the order do not change which
 * organizations are found, so every page of one search shares one answer.
 */
export function placesSearch(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (name === 'page' || name === 'sort') continue;
    for (const one of Array.isArray(value) ? value : [value])
      if (typeof one === 'string' && one !== '') params.append(name, one);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function placeMarkers(places: ResultPlace[]): MapMarker[] {
  return places.map((place) => ({
    name: place.name,
    address: place.address,
    latitude: place.latitude,
    longitude: place.longitude,
    href: `/organizations/${place.organizationId}`,
    note: `${countOf(place.programs, PROGRAM_FORMS)} из найденных`,
  }));
}

/** Said under the places when there were more organizations than markers. */
export function truncatedNote(shown: number, total: number): string | undefined {
  return total > shown
    ? `На карте ${MAP_MARKER_LIMIT} организаций с наибольшим числом найденных программ из ${total}: уточните поиск, чтобы увидеть остальные.`
    : undefined;
}

/** /programs/places: the map's places as text, for everyone without the map. */
export function PlacesPage({
  places,
  total,
  search,
}: {
  places: ResultPlace[];
  total: number;
  search: string;
}) {
  const note = truncatedNote(places.length, total);
  return (
    <Layout title="Адреса организаций">
      <p>
        <a href={`/programs${search}`}>← К результатам поиска</a>
      </p>
      <h1>Адреса организаций</h1>
      {places.length === 0 ? (
        <p>По этому запросу не найдено организаций с адресом на карте.</p>
      ) : (
        <>
          <p>Организации, где проходят найденные программы: {countOf(total, ORGANIZATION_FORMS)}.</p>
          <PlaceList markers={placeMarkers(places)} />
          {note && <p class="muted">{note}</p>}
        </>
      )}
    </Layout>
  );
}

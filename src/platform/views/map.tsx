import type { MapSettings } from '../config.js';
import { assetUrl } from './assets.js';

/** One place on a map: an organization with where it is and where its page is. */
export interface MapMarker {
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  /** A page on this site (the organization's). */
  href: string;
  /** A short line under the name in the popup, e.g. «3 программы». */
  note?: string | undefined;
}

/**
 * JSON for a `<script type="application/json">` element: the text can end neither the element (`</script>`)
 * nor open a comment (`<!--`) whatever the strings in it say, and stays valid JSON for JSON.parse.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Markers the page does not carry: public/map.js fetches them, and a page lists the same places as text. */
export interface RemoteMarkers {
  /** JSON `{ places: MapMarker[] }`, fetched when the map comes near the screen. */
  markersUrl: string;
  /** A page listing the same places as links and addresses (for everyone without the map). */
  listUrl: string;
}

export interface MarkerMapProps {
  /** MAP_TILES_URL and its attribution; null: the map is off and nothing is shown. */
  settings: MapSettings | null;
  /** The places, carried in the page (a few: an organization's page, which shows its address beside). */
  markers?: MapMarker[] | undefined;
  /** Or where to fetch them and where they are listed (many: the catalog's results). */
  remote?: RemoteMarkers | undefined;
  /** The map's accessible name, e.g. «Карта: организации из результатов поиска». */
  label: string;
}

/**
 * A map of places as progressive enhancement: the server renders an empty container, hidden, and, for everyone
 * without the map (no JavaScript, no network to the tile server, keyboard and screen-reader users), the places
 * as text or a link to their list. public/map.js, deferred, waits until the map comes near the screen, then loads
 * Leaflet (about 150 KB, so a phone that never scrolls there never loads it) and the markers, shows the container
 * and draws; when Leaflet does not load, the container stays hidden. Carried markers are JSON beside the
 * container; remote ones (hundreds of organizations, most of a results page's weight) come from `markersUrl`.
 */
export function MarkerMap({ settings, markers, remote, label }: MarkerMapProps) {
  if (!settings || (!remote && (!markers || markers.length === 0))) return null;
  return (
    <div class="map-block">
      <div
        class="map"
        role="region"
        aria-label={label}
        hidden
        data-map=""
        data-tiles={settings.tilesUrl}
        data-attribution={settings.attribution}
        data-stylesheet={assetUrl('vendor/leaflet/leaflet.css')}
        data-script={assetUrl('vendor/leaflet/leaflet.js')}
        data-markers-url={remote?.markersUrl}
      />
      {remote ? (
        <p class="map-block__list-link">
          <a href={remote.listUrl}>Адреса организаций списком</a>
        </p>
      ) : (
        <script
          type="application/json"
          class="map-markers"
          dangerouslySetInnerHTML={{ __html: jsonForScript(markers) }}
        />
      )}
      <script src={assetUrl('map.js')} defer />
    </div>
  );
}

/** Places as links to their pages with their addresses: the map's text twin. */
export function PlaceList({ markers }: { markers: MapMarker[] }) {
  return (
    <ul class="plain-list">
      {markers.map((marker) => (
        <li key={marker.href}>
          <a href={marker.href}>{marker.name}</a> — {marker.address}
          {marker.note && <span class="muted"> ({marker.note})</span>}
        </li>
      ))}
    </ul>
  );
}

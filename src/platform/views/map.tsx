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

export interface MarkerMapProps {
  /** MAP_TILES_URL and its attribution; null: the map is off and nothing is shown. */
  settings: MapSettings | null;
  markers: MapMarker[];
  /** The map's accessible name, e.g. «Карта: организации из результатов поиска». */
  label: string;
  /** Also list the places as text under the map (the catalog; an organization's page has its address). */
  addressList?: boolean | undefined;
  /** Said under the list when there were more places than markers. */
  truncatedNote?: string | undefined;
}

/**
 * A map of places as progressive enhancement: the server renders an empty container, hidden, the markers as
 * JSON beside it, and, for everyone without the map (no JavaScript, no network to the tile server, keyboard and
 * screen-reader users), the same places as a plain list of links and addresses. public/map.js, deferred, shows
 * the container and draws Leaflet in it; when Leaflet did not load, the container stays hidden.
 */
export function MarkerMap({ settings, markers, label, addressList, truncatedNote }: MarkerMapProps) {
  if (!settings || markers.length === 0) return null;
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
      />
      <script
        type="application/json"
        class="map-markers"
        dangerouslySetInnerHTML={{ __html: jsonForScript(markers) }}
      />
      {addressList && (
        <details class="map-block__addresses">
          <summary>Адреса списком ({markers.length})</summary>
          <ul class="plain-list">
            {markers.map((marker) => (
              <li key={marker.href}>
                <a href={marker.href}>{marker.name}</a> — {marker.address}
                {marker.note && <span class="muted"> ({marker.note})</span>}
              </li>
            ))}
          </ul>
          {truncatedNote && <p class="muted">{truncatedNote}</p>}
        </details>
      )}
      <script src={assetUrl('vendor/leaflet/leaflet.js')} defer />
      <script src={assetUrl('map.js')} defer />
    </div>
  );
}

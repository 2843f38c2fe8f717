import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { jsonForScript, MarkerMap } from './map.js';

const settings = {
  tilesUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution: '© участники OpenStreetMap',
  imageSource: 'https://tile.openstreetmap.org',
};
const hostile = {
  name: 'A </script><script>alert(1)</script> <!-- & \u2028 B',
  address: '"><img src=x onerror=alert(1)>',
  latitude: 54.78,
  longitude: 32.04,
  href: '/organizations/1',
};

describe('jsonForScript', () => {
  it('keeps < > & and line separators out of the text, and parses back to the same value', () => {
    const text = jsonForScript([hostile]);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual([hostile]);
  });
});

describe('MarkerMap', () => {
  it('renders one JSON script element that the markers cannot end early', () => {
    const html = renderToString(<MarkerMap settings={settings} markers={[hostile]} label="Карта" />);
    const json = /<script type="application\/json" class="map-markers">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(json)).toEqual([hostile]);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('role="region" aria-label="Карта" hidden');
  });

  it('carries no markers when they are fetched: the container says from where, a link lists them', () => {
    const html = renderToString(
      <MarkerMap
        settings={settings}
        remote={{ markersUrl: '/api/v1/places?q=a&amp;b', listUrl: '/places?q="><b>' }}
        label="Карта"
      />,
    );
    expect(html).not.toContain('map-markers');
    expect(html).toContain('data-markers-url="/api/v1/places?q=a&amp;amp;b"');
    expect(html).toContain('<a href="/places?q=&quot;>&lt;b>">Адреса организаций списком</a>');
    // Leaflet is loaded by map.js when the map comes near the screen, not by the page.
    expect(html).toMatch(/data-script="\/static\/vendor\/leaflet\/leaflet\.js\?v=[0-9a-f]{12}"/);
    expect(html).not.toMatch(/<script src="[^"]*leaflet/);
  });

  it('renders nothing without settings or markers', () => {
    expect(renderToString(<MarkerMap settings={null} markers={[hostile]} label="Карта" />)).toBe('');
    expect(renderToString(<MarkerMap settings={settings} markers={[]} label="Карта" />)).toBe('');
  });
});

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder served at /static/ (same path from src/ and dist/). */
export const publicFolder = fileURLToPath(new URL('../../../public', import.meta.url));

const require = createRequire(import.meta.url);

/**
 * Browser libraries installed from npm, served at /static/vendor/<name>/ from their folder in node_modules, so
 * the version in package-lock.json is the one browsers get (no CDN). Files inside a library refer to each
 * other by relative paths (leaflet.css → images/), which this layout keeps.
 */
export const vendorFolders: Record<string, string> = {
  leaflet: path.dirname(require.resolve('leaflet/dist/leaflet.js')),
};

/** The file on disk behind an asset path: `vendor/<name>/…` from node_modules, anything else from public/. */
function assetFile(file: string): string {
  const vendor = /^vendor\/([a-z0-9-]+)\/(.+)$/.exec(file);
  if (vendor) {
    const root = vendorFolders[vendor[1]!];
    if (!root) throw new Error(`unknown vendor library in asset path: ${file}`);
    return path.join(root, vendor[2]!);
  }
  return `${publicFolder}/${file}`;
}

const versions = new Map<string, string>();

/**
 * URL of a static file with its content hash as the version: files are cached for a year
 * and a changed file gets a new URL.
 */
export function assetUrl(file: string): string {
  let version = versions.get(file);
  if (!version) {
    const content = fs.readFileSync(assetFile(file));
    version = createHash('sha256').update(content).digest('hex').slice(0, 12);
    versions.set(file, version);
  }
  return `/static/${file}?v=${version}`;
}

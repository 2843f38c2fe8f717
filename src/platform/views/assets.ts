import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The folder served at /static/ (same path from src/ and dist/). */
export const publicFolder = fileURLToPath(new URL('../../../public', import.meta.url));

const versions = new Map<string, string>();

/**
 * URL of a static file with its content hash as the version: files are cached for a year
 * and a changed file gets a new URL.
 */
export function assetUrl(file: string): string {
  let version = versions.get(file);
  if (!version) {
    const content = fs.readFileSync(`${publicFolder}/${file}`);
    version = createHash('sha256').update(content).digest('hex').slice(0, 12);
    versions.set(file, version);
  }
  return `/static/${file}?v=${version}`;
}

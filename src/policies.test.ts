import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const modules = path.join(import.meta.dirname, 'modules');
const policyFiles = readdirSync(modules)
  .map((name) => path.join(modules, name, 'policy.ts'))
  .filter((file) => existsSync(file));

/** ADR 0017: every resource's policy is stated as a table, and no module compares staff roles by hand. */
describe('policies', () => {
  it('each has its table test', () => {
    expect(policyFiles.length).toBeGreaterThanOrEqual(7);
    for (const file of policyFiles) expect(existsSync(file.replace(/\.ts$/, '.test.ts')), file).toBe(true);
  });

  it('decide reach through the kit, not by comparing role names', () => {
    for (const file of policyFiles)
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/staff\??\.role\s*[!=]==/);
  });
});

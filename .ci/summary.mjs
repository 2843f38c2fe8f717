// Prints the test counts of each tier and one closing line: "N passed, N failed".
import fs from 'node:fs';

const [vitestFile, playwrightFile] = process.argv.slice(2);
const vitest = JSON.parse(fs.readFileSync(vitestFile, 'utf8'));
const tiers = new Map();
for (const file of vitest.testResults) {
  for (const test of file.assertionResults) {
    // The JSON reporter names no project; the integration files run once per database tier.
    const tier = file.name.includes('.int.test.') ? 'integration' : 'unit';
    const counts = tiers.get(tier) ?? { passed: 0, failed: 0 };
    counts[test.status === 'passed' ? 'passed' : 'failed'] +=
      test.status === 'skipped' || test.status === 'pending' ? 0 : 1;
    tiers.set(tier, counts);
  }
}
const playwright = JSON.parse(fs.readFileSync(playwrightFile, 'utf8'));
const browser = {
  passed: playwright.stats.expected,
  failed: playwright.stats.unexpected + playwright.stats.flaky,
};

const integrationRuns = process.env.TEST_DATABASE_URL ? 'PGlite + PostgreSQL' : 'PGlite';
console.log(`unit: ${tiers.get('unit')?.passed ?? 0} passed`);
console.log(`integration (${integrationRuns}): ${tiers.get('integration')?.passed ?? 0} passed`);
console.log(`browser (Chromium + axe): ${browser.passed} passed`);
const passed = vitest.numPassedTests + browser.passed;
const failed = vitest.numFailedTests + browser.failed;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;

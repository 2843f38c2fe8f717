import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Opens a page the way a person would, then checks it with axe (zero violations of WCAG 2.1 A/AA)
 * and keeps a full-page screenshot under test-results/screenshots/ to look at.
 */
export async function visit(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await checkPage(page, name);
}

export async function checkPage(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    ),
  ).toEqual([]);
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

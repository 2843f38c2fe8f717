import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Demo accounts of a development database (README). */
export const DEMO = {
  parent: { email: 'roditel@example.ru', password: 'Demo-roditel-67' },
  provider: { email: 'pedagog@example.ru', password: 'Demo-pedagog-67' },
  moderator: { email: 'mun-admin@example.ru', password: 'Demo-munadmin-67' },
};

export async function signIn(page: Page, account: { email: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('Адрес электронной почты').fill(account.email);
  await page.getByLabel('Пароль').fill(account.password);
  await page.getByRole('button', { name: 'Войти' }).click();
}

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

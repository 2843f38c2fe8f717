import { expect, test } from '@playwright/test';
import { checkPage, visit } from './fixtures.js';

test('a guest finds a club from the home page by a misspelled word', async ({ page }) => {
  await visit(page, '/', 'home');
  await expect(page).toHaveTitle(/Навигатор дополнительного образования Смоленской области/);
  const account = page.getByRole('navigation', { name: 'Вход в личный кабинет' });
  await expect(account.getByRole('link', { name: 'Вход' })).toBeVisible();
  await expect(account.getByRole('link', { name: 'Регистрация' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Направленности' })).toBeVisible();
  for (const name of [
    'Техническая',
    'Естественнонаучная',
    'Физкультурно-спортивная',
    'Художественная',
    'Туристско-краеведческая',
    'Социально-гуманитарная',
  ]) {
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  }

  await page.getByLabel('Что ищете?').fill('роботехника');
  await page.getByRole('button', { name: 'Найти' }).click();
  await expect(page).toHaveURL(/\/programs\?q=/);
  await expect(page.getByText(/Найдено \d+ программ/)).toBeVisible();
  await checkPage(page, 'programs-search');

  await page.getByRole('link', { name: 'Робототехника для начинающих' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Робототехника для начинающих' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Группы' })).toBeVisible();
  await checkPage(page, 'program');
});

test('a direction opens its programs with filters that work without JavaScript', async ({
  browser,
  page: checker,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('link', { name: 'Физкультурно-спортивная', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/физкультурно-спортивная/i);
  // The filters stay folded so that results come first; the details element opens without the page's script.
  await page.locator('summary', { hasText: 'Фильтры' }).click();
  await page.getByLabel('Муниципалитет').selectOption({ label: 'город Смоленск' });
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page).toHaveURL(/municipality=smolensk/);
  await expect(page).toHaveURL(/direction=sport/);
  const places = await page.locator('.result__meta').allTextContents();
  expect(places.length).toBeGreaterThan(0);
  for (const place of places) expect(place).toContain('город Смоленск');
  // axe runs as a script, so the page this test reached without JavaScript is checked in a normal tab.
  await visit(checker, page.url(), 'programs-filtered');
  await context.close();
});

test('the catalog says «Ничего не найдено» with suggestions', async ({ page }) => {
  await visit(page, '/programs?q=%D1%8A%D1%8A%D1%8A%D1%8A%D1%8A', 'programs-empty');
  await expect(page.getByRole('heading', { name: 'Ничего не найдено' })).toBeVisible();
});

test('an unknown address gets the Russian 404 page', async ({ page }) => {
  const response = await page.goto('/nichego-net');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Страница не найдена' })).toBeVisible();
  await checkPage(page, 'not-found');
});

test('the layout fits a phone screen without horizontal scrolling', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await visit(page, '/', 'home-phone');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});

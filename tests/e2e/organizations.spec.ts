import { expect, test } from '@playwright/test';
import { checkPage, visit } from './fixtures.js';

// The «Организации» list and an organization's page, and the map on them and on the catalog. The tile server
// here is a path on the app that has no tiles (playwright.config.ts): like a browser offline, the tiles fail
// and the page must still be whole.

test('a parent finds organizations of a municipality, opens one and sees its programs on a map', async ({
  page,
}) => {
  await page.goto('/');
  await page
    .getByRole('navigation', { name: 'Сведения о сайте' })
    .getByRole('link', { name: 'Организации' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Организации' })).toBeVisible();
  await checkPage(page, 'organizations');

  await page.getByLabel('Муниципалитет').selectOption({ label: 'город Смоленск' });
  await page.getByRole('button', { name: 'Найти' }).click();
  await expect(page).toHaveURL(/municipality=smolensk/);
  const results = page.locator('.results > li');
  await expect(results.first()).toBeVisible();
  for (const tags of await results.locator('.result__tags').allTextContents()) {
    expect(tags).toContain('город Смоленск');
  }
  await checkPage(page, 'organizations-smolensk');

  await page.getByLabel('Тип организации').selectOption({ label: 'Детская школа искусств (ДШИ)' });
  await page.getByRole('button', { name: 'Найти' }).click();
  await page.getByRole('link', { name: 'Детская школа искусств № 5' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Детская школа искусств № 5' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Программы \(\d+\)$/ })).toBeVisible();
  const programs = page.locator('.results .result__title a');
  expect(await programs.count()).toBeGreaterThan(0);
  // The map draws the organization's marker even though no tile loads, once it comes near the screen.
  await page.locator('.map-block').scrollIntoViewIfNeeded();
  const map = page.getByRole('region', { name: 'Карта: Детская школа искусств № 5' });
  await expect(map).toBeVisible();
  await expect(map.getByRole('button', { name: 'Детская школа искусств № 5' })).toBeVisible();
  await checkPage(page, 'organization');

  const first = (await programs.first().textContent())!;
  await programs.first().click();
  await expect(page.getByRole('heading', { level: 1, name: first })).toBeVisible();
});

test('the catalog shows its results on a map, and the list of addresses without one', async ({ browser }) => {
  test.setTimeout(120_000); // five full catalog pages, axe on each
  for (const [name, viewport] of [
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1280, height: 900 }],
  ] as const) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await visit(page, '/programs?municipality=all', `catalog-map-${name}`);
    // Below the results: Leaflet and the markers load when the map comes near the screen.
    const map = page.getByRole('region', { name: 'Карта: организации, где проходят найденные программы' });
    await expect(map).toBeHidden();
    await page.locator('.map-block').scrollIntoViewIfNeeded();
    await expect(map).toBeVisible();
    await expect(map.locator('.leaflet-marker-icon').first()).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewport.width,
    );
    // A marker's popup names the organization and links to its page; a marker opens it from the keyboard too.
    await map.locator('.leaflet-marker-icon').first().focus();
    await page.keyboard.press('Enter');
    await expect(map.locator('.leaflet-popup a[href^="/organizations/"]')).toBeVisible();
    await checkPage(page, `catalog-map-popup-${name}`);
    await context.close();
  }

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const page = await noScript.newPage();
  // axe needs JavaScript in the page; this is the page checked above, as the server sent it.
  await page.goto('/programs?municipality=all');
  await page.screenshot({ path: 'test-results/screenshots/catalog-no-js.png' });
  await expect(page.getByRole('region', { name: /^Карта/ })).toBeHidden();
  await expect(page.locator('.results > li').first()).toBeVisible();
  await page.getByRole('link', { name: 'Адреса организаций списком' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Адреса организаций' })).toBeVisible();
  await expect(page.locator('main a[href^="/organizations/"]').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/catalog-places-no-js.png', fullPage: true });
  await noScript.close();
  // The same list, axe-checked.
  const listContext = await browser.newContext();
  const listPage = await listContext.newPage();
  await visit(listPage, '/programs/places?municipality=all', 'catalog-places');
  await listPage.getByRole('link', { name: '← К результатам поиска' }).click();
  await expect(listPage.locator('.results > li').first()).toBeVisible();
  await listContext.close();
});

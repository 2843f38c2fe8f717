import { expect, test } from '@playwright/test';
import { checkPage, signIn, visit } from './fixtures.js';

const PHONE = { width: 390, height: 844 };

test('on a phone, applied filters leave the results first, as chips that each remove one filter', async ({
  browser,
}) => {
  test.setTimeout(60_000);
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await visit(page, '/programs?q=lego', 'chips-search-lego');
  // A Latin brand word finds the Cyrillic name.
  await expect(page.getByRole('link', { name: 'Лего-конструирование' }).first()).toBeVisible();

  await page.getByText('Фильтры', { exact: true }).click();
  await page.getByLabel('Направленность').selectOption({ label: 'Техническая' });
  await page.getByLabel('Оплата').selectOption({ label: 'Бесплатно' });
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page).toHaveURL(/direction=technical/);
  await expect(page).toHaveURL(/financing=free/);

  // The panel is folded again, and the first result is on the first screen, below the chips.
  await expect(page.locator('details.catalog__toggle')).not.toHaveAttribute('open', /.*/);
  await expect(page.getByLabel('Оплата')).toBeHidden();
  const chips = page.getByRole('navigation', { name: 'Выбранные фильтры' });
  await expect(chips.getByRole('link', { name: /Техническая направленность/ })).toBeVisible();
  await expect(chips.getByRole('link', { name: /Бесплатно/ })).toBeVisible();
  const firstResult = page.locator('.results .result').first();
  await expect(firstResult).toBeVisible();
  const box = (await firstResult.boundingBox())!;
  expect(box.y, 'the first result card starts on the first screen').toBeLessThan(PHONE.height);
  await checkPage(page, 'chips-phone-applied');

  // Each chip removes its own filter and keeps the rest, the words included.
  await chips.getByRole('link', { name: /Бесплатно/ }).click();
  await expect(page).not.toHaveURL(/financing=/);
  await expect(page).toHaveURL(/direction=technical/);
  await expect(page).toHaveURL(/q=lego/);
  await expect(chips.getByRole('link', { name: /Бесплатно/ })).toHaveCount(0);
  await checkPage(page, 'chips-phone-removed');

  await chips.getByRole('link', { name: 'Сбросить все' }).click();
  await expect(page).not.toHaveURL(/direction=/);
  await expect(page).toHaveURL(/q=lego/);
  await expect(page.getByRole('navigation', { name: 'Выбранные фильтры' })).toHaveCount(0);
  await checkPage(page, 'chips-phone-reset');
  await context.close();
});

test('the coordinator adds a related word on a phone and the catalog finds by it at once', async ({
  browser,
}) => {
  test.setTimeout(60_000);
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await visit(page, '/programs?q=акварель', 'chips-before-synonym');
  await expect(page.getByRole('heading', { name: 'Ничего не найдено' })).toBeVisible();

  await signIn(page, { email: 'koordinator@example.ru', password: 'Demo-koordinator-67' });
  await visit(page, '/staff/search-synonyms', 'synonyms-list');
  await page.getByRole('button', { name: 'Добавить' }).click();
  await expect(page.getByRole('alert')).toContainText('Введите слово, которое набирают родители');
  await checkPage(page, 'synonyms-errors');
  await page.getByLabel('Слово, которое набирают родители').fill('акварель');
  await page.getByLabel('Что искать вместе с ним').fill('рисунок, живопись');
  await page.getByRole('button', { name: 'Добавить' }).click();
  await expect(page.getByText('Слово «акварель» добавлено.')).toBeVisible();
  await page.getByRole('link', { name: /^акварель.*изменить/ }).click();
  await checkPage(page, 'synonyms-edit');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByText('Слово «акварель» сохранено.')).toBeVisible();

  // A guest (a fresh browser: guests' pages are cached) finds «Рисунок и живопись» now.
  const guestContext = await browser.newContext({ viewport: PHONE });
  const guest = await guestContext.newPage();
  await visit(guest, '/programs?q=акварель', 'chips-after-synonym');
  await expect(guest.getByRole('link', { name: 'Рисунок и живопись' }).first()).toBeVisible();
  await guestContext.close();
  await context.close();
});

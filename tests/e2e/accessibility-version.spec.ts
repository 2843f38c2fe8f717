import { expect, test, type Page } from '@playwright/test';
import { checkPage, DEMO, signIn } from './fixtures.js';

/** «Версия для слабовидящих» (ГОСТ Р 52872-2019, ADR 0019) on a phone, at 200 %. */

const PHONE = { width: 390, height: 844 };

async function fitsThePhone(page: Page, name: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
  await checkPage(page, name);
}

/** The panel is folded on arrival; a button of it comes back with it unfolded (#low-vision-form). */
async function panelGroup(page: Page, name: string) {
  const panel = page.locator('details.lv-panel');
  if ((await panel.getAttribute('open')) === null) await panel.locator('summary').click();
  return page.getByRole('group', { name });
}

async function keyPages(page: Page): Promise<[string, string][]> {
  await page.goto('/programs');
  const program = await page.locator('a[href^="/programs/"]').first().getAttribute('href');
  return [
    ['home', '/'],
    ['catalog', '/programs'],
    ['program', program!],
    ['login', '/login'],
    ['register', '/register'],
  ];
}

test('switched on without JavaScript, 200 % in every scheme fits a phone and passes axe', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // Switching on with forms and links only.
  const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
  const plain = await noScript.newPage();
  await plain.goto('/programs?page=1');
  await plain.getByRole('link', { name: 'Версия для слабовидящих' }).click();
  await expect(plain.getByRole('heading', { level: 1, name: 'Версия для слабовидящих' })).toBeVisible();
  await plain.getByLabel('200 %').check();
  await plain.getByLabel('Белым по чёрному').check();
  await plain.getByRole('button', { name: 'Включить версию для слабовидящих' }).click();
  await expect(plain).toHaveURL(/\/programs\?page=1$/);
  await expect(plain.locator('html')).toHaveClass(/lv-size-200/);
  await expect(plain.locator('html')).toHaveClass(/lv-scheme-white-on-black/);
  await expect(plain.getByRole('button', { name: 'Обычная версия' })).toBeVisible();
  // The panel opens without a script and changes a setting at once.
  await (await panelGroup(plain, 'Изображения')).getByRole('button', { name: 'Скрыть' }).click();
  await expect(plain.locator('html')).toHaveClass(/lv-images-off/);
  const images = await panelGroup(plain, 'Изображения');
  await expect(images.getByRole('button', { name: 'Скрыть', pressed: true })).toBeVisible();
  await images.getByRole('button', { name: 'Показывать' }).click();
  await expect(plain.locator('html')).toHaveClass(/lv-images-on/);

  // axe runs as a script: the same cookie in a tab with JavaScript, where the pages are checked.
  const checked = await browser.newContext({ viewport: PHONE });
  await checked.addCookies(await noScript.cookies());
  await noScript.close();
  const page = await checked.newPage();
  const pages = await keyPages(page);
  for (const [name, url] of pages) {
    await page.goto(url);
    await expect(page.locator('html')).toHaveClass(/lv-size-200 lv-scheme-white-on-black/);
    await fitsThePhone(page, `lv-200-white-on-black-${name}`);
  }
  await signIn(page, DEMO.parent);
  await expect(page).toHaveURL(/\/cabinet/);
  await expect(page.getByRole('link', { name: 'Каталог' })).toBeVisible();
  await fitsThePhone(page, 'lv-200-white-on-black-cabinet');

  // The other two schemes, chosen on the panel.
  for (const scheme of ['Чёрным по белому', 'Тёмно-синим по голубому']) {
    await page.goto('/');
    await (await panelGroup(page, 'Цвета')).getByRole('button', { name: scheme }).click();
    const colours = await panelGroup(page, 'Цвета');
    await expect(colours.getByRole('button', { name: scheme, pressed: true })).toBeVisible();
    const slug = scheme === 'Чёрным по белому' ? 'black-on-white' : 'blue';
    await fitsThePhone(page, `lv-200-${slug}-home`);
    await page.goto('/programs');
    await fitsThePhone(page, `lv-200-${slug}-catalog`);
    await page.goto('/cabinet');
    await fitsThePhone(page, `lv-200-${slug}-cabinet`);
  }

  // Wider letters and lines still fit.
  await (await panelGroup(page, 'Расстояние между буквами')).getByRole('button', { name: 'Большое' }).click();
  await (await panelGroup(page, 'Межстрочный интервал')).getByRole('button', { name: 'Двойной' }).click();
  await expect(page.locator('html')).toHaveClass(/lv-spacing-wider lv-line-2/);
  await fitsThePhone(page, 'lv-200-blue-wider-cabinet');
  await page.goto('/programs');
  await fitsThePhone(page, 'lv-200-blue-wider-catalog');

  // Back to the usual version, on the same page.
  await page.getByRole('button', { name: 'Обычная версия' }).click();
  await expect(page).toHaveURL(/\/programs$/);
  await expect(page.locator('html')).not.toHaveClass(/lv/);
  await expect(page.getByRole('link', { name: 'Версия для слабовидящих' })).toBeVisible();
  await checked.close();
});

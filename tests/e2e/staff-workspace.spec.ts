import { expect, test, type Page } from '@playwright/test';
import {
  addChild,
  checkPage,
  CHILD_BIRTH_YEAR,
  DEMO,
  expectNoSidewaysScroll,
  listeningSink,
  registerParent,
  signIn,
} from './fixtures.js';

const sink = listeningSink();

/** axe, a screenshot, and on a phone no sideways scroll. */
async function look(page: Page, name: string, phone: boolean) {
  await checkPage(page, `${name}-${phone ? 'phone' : 'desktop'}`);
  if (phone) await expectNoSidewaysScroll(page);
}

for (const phone of [true, false]) {
  test(`the municipal administrator lands on the workspace, follows the queue, finds a child without the patronymic (${phone ? 'phone' : 'desktop'})`, async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const suffix = phone ? 'Телефонова' : 'Столова';
    const child = { last: `Ёлкина-${suffix}`, first: 'Алёна', middle: 'Игоревна' };

    // A parent registers and adds a child with a patronymic: it waits for the in-person confirmation.
    const parentContext = await browser.newContext();
    const parent = await parentContext.newPage();
    const email = `parent-${phone ? 'phone' : 'desktop'}-${Date.now()}@example.ru`;
    const password = 'Рабочий-стол-2026';
    await registerParent(parent, sink, { email, password, lastName: 'Ёлкина', firstName: 'Марина' });
    await signIn(parent, { email, password });
    await parent.goto('/cabinet/children');
    await addChild(parent, child.last, child.first, 'Женский', { middleName: child.middle });
    await parentContext.close();

    // The municipal administrator signs in and lands on the workspace, not in a parent's cabinet.
    const context = await browser.newContext(
      phone
        ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
        : { viewport: { width: 1280, height: 900 } },
    );
    const page = await context.newPage();
    await signIn(page, DEMO.moderator);
    await expect(page).toHaveURL(/\/staff$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Рабочий стол' })).toBeVisible();
    await expect(page.getByText('Муниципальный администратор · город Смоленск')).toBeVisible();
    await look(page, 'staff-workspace', phone);

    // The waiting counter opens the queue, the longest waiting first; the child is there.
    await page.getByRole('link', { name: /Дети ожидают подтверждения данных/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Ожидают подтверждения данных' })).toBeVisible();
    await expect(
      page.getByRole('link', { name: `${child.last} ${child.first} ${child.middle}` }),
    ).toBeVisible();
    await look(page, 'staff-queue', phone);

    // The search by ФИО and birth date, without the patronymic, in other letter case, е for ё.
    await page.getByRole('link', { name: 'Поиск ребёнка' }).first().click();
    await page.getByLabel('Фамилия').fill(`  ${child.last.replace('Ё', 'е').toUpperCase()} `);
    await page.getByLabel('Имя', { exact: true }).fill('алена');
    await page.getByLabel('Дата рождения').fill(`14.02.${CHILD_BIRTH_YEAR}`);
    await page.getByRole('button', { name: 'Найти' }).nth(1).click();
    await expect(page).toHaveURL(/\/staff\/search\?by=person/);
    await look(page, 'staff-search-results', phone);
    // The results survive a refresh (a GET search).
    await page.reload();
    const found = page.getByRole('link', { name: `${child.last} ${child.first} ${child.middle}` });
    await expect(found).toBeVisible();

    // The confirmation page shows the parent's name, phone and e-mail.
    await found.click();
    await expect(
      page.getByRole('heading', { level: 1, name: `${child.last} ${child.first} ${child.middle}` }),
    ).toBeVisible();
    await expect(page.getByText('Ёлкина Марина')).toBeVisible();
    await expect(page.getByText('+7 900 765-43-21')).toBeVisible();
    await expect(page.getByText(email)).toBeVisible();
    await look(page, 'staff-confirmation', phone);

    // Back to the results: still there.
    await page.goBack();
    await expect(
      page.getByRole('link', { name: `${child.last} ${child.first} ${child.middle}` }),
    ).toBeVisible();
    await context.close();
  });
}

import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  addChild,
  checkPage,
  DEMO,
  expectNoSidewaysScroll,
  fillGroupForm,
  listeningSink,
  registerParent,
  signIn,
} from './fixtures.js';

const sink = listeningSink();

const PROGRAM = 'Юный астроном';

/** The demo provider publishes a program with one group of one place; the municipal administrator approves it. */
async function publishOnePlaceGroup(page: Page, browser: Browser) {
  await signIn(page, DEMO.provider);
  await page.goto('/staff/org/programs/new');
  await page.getByLabel('Название программы').fill(PROGRAM);
  await page.getByLabel('Направленность').selectOption({ label: 'Естественнонаучная' });
  await page.getByLabel('Описание').fill('Звёздное небо, телескоп своими руками, наблюдения в планетарии.');
  await page.getByLabel('Возраст от, лет').fill('8');
  await page.getByLabel('Возраст до, лет').fill('14');
  await page.getByLabel('Стартовый').check();
  await page.getByLabel('Продолжительность, месяцев').fill('9');
  await page.getByLabel('Объём, часов').fill('72');
  await page.getByLabel('Очно').check();
  await page.getByLabel('Иные', { exact: true }).check();
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByRole('link', { name: 'Добавить группу' }).click();
  await fillGroupForm(page, {
    name: 'Малая группа',
    teacher: 'Звездина Мария Ивановна',
    weekday: 'среда',
    start: '17:00',
    end: '18:30',
    capacity: 1,
  });
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByRole('button', { name: 'Отправить на модерацию' }).click();
  await expect(page.getByText('Программа отправлена на модерацию')).toBeVisible();

  const context = await browser.newContext();
  const moderator = await context.newPage();
  await signIn(moderator, DEMO.moderator);
  await moderator.goto('/staff/moderation');
  await moderator.getByRole('link', { name: PROGRAM }).click();
  await moderator.getByRole('button', { name: 'Опубликовать' }).click();
  await expect(moderator.getByText('Программа опубликована')).toBeVisible();
  await context.close();
}

/** A new parent with a child and a certificate, signed in, in a browser context of their own. */
async function parentWithChild(browser: Browser, lastName: string, firstName: string, child: string) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const person = {
    email: `${firstName.toLowerCase() === 'ольга' ? 'olga' : 'irina'}-${Date.now()}@example.ru`,
    password: 'Записываемся-в-кружок-67',
    lastName,
    firstName,
  };
  await registerParent(page, sink, person);
  await signIn(page, person);
  await page.goto('/cabinet/children');
  await addChild(page, lastName, child, 'Женский');
  await page.getByRole('button', { name: 'Получить сертификат' }).click();
  await expect(page.getByText(/Сертификат № 67 \d{4} \d{4}/)).toBeVisible();
  return { context, page, email: person.email };
}

/** From the program's page: «Записаться» → the child → «Продолжить» → the confirmation button. */
async function apply(page: Page, child: string, button: string, screenshot: string) {
  await page.goto('/programs?q=' + encodeURIComponent(PROGRAM) + '&municipality=all');
  await page.getByRole('link', { name: PROGRAM }).click();
  await page.getByRole('link', { name: /Записаться|Встать в очередь/ }).click();
  await page.getByLabel(child).check();
  await checkPage(page, `${screenshot}-choose`);
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await expect(page.getByRole('heading', { name: 'Проверьте заявку' })).toBeVisible();
  await checkPage(page, `${screenshot}-confirm`);
  await page.getByRole('button', { name: button }).click();
}

test('a parent applies and is accepted; a second is queued and gets the place when the first leaves', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000); // four people, two registrations, axe on every page

  await publishOnePlaceGroup(page, browser);
  const olga = await parentWithChild(browser, 'Соколова', 'Ольга', 'Вера');
  const irina = await parentWithChild(browser, 'Лебедева', 'Ирина', 'Алиса');

  // The first parent takes the only place: «Новая», the place is held.
  await apply(olga.page, 'Соколова Вера', 'Подтвердить запись', 'apply-first');
  await expect(
    olga.page.getByText('Место в группе сохранено за ребёнком до решения организации'),
  ).toBeVisible();
  await expect(olga.page.getByText('Новая', { exact: true }).first()).toBeVisible();
  await checkPage(olga.page, 'application-new');

  // The provider accepts it.
  await page.goto('/staff/org/applications');
  await checkPage(page, 'org-applications');
  await page.getByRole('link', { name: 'Соколова Вера' }).click();
  await checkPage(page, 'org-application');
  await page.getByRole('button', { name: 'Принять (зачислить)' }).click();
  await expect(page.getByText('Заявка принята, ребёнок зачислен.')).toBeVisible();

  // The second parent finds the group full and joins the queue.
  await apply(irina.page, 'Лебедева Алиса', 'Встать в очередь', 'apply-second');
  await expect(irina.page.getByText('Вы 1-й в очереди').first()).toBeVisible();
  await checkPage(irina.page, 'application-queued');

  // The first parent leaves (with a question first); the place goes to the queue.
  await olga.page.goto('/cabinet/applications');
  await expect(olga.page.getByText('Принята', { exact: true }).first()).toBeVisible();
  await checkPage(olga.page, 'applications-tab');
  await olga.page.getByRole('link', { name: PROGRAM }).click();
  await olga.page.getByRole('link', { name: 'Подать заявление на отчисление' }).click();
  await checkPage(olga.page, 'application-leave-question');
  await olga.page.getByRole('button', { name: 'Подать заявление на отчисление' }).click();
  await expect(olga.page.getByText('Заявление на отчисление принято')).toBeVisible();

  // The second parent is offered the place (a notice in the cabinet, and a letter) and takes it.
  const letter = await sink.waitFor(irina.email, 20_000, 'предложено место');
  expect(letter.text).toContain('Подтвердите его до');
  await irina.page.goto('/cabinet/applications');
  await expect(irina.page.getByRole('link', { name: /нов(ое|ых) уведомлени/ })).toBeVisible();
  await checkPage(irina.page, 'applications-offer');
  await irina.page.goto('/cabinet/notices');
  await expect(irina.page.getByText(/Освободилось место — подтвердите его/)).toBeVisible();
  await irina.page.goto('/cabinet/applications');
  await irina.page.getByRole('link', { name: PROGRAM }).click();
  await irina.page.getByRole('button', { name: 'Подтвердить место' }).click();
  await expect(irina.page.getByText('Место подтверждено: ребёнок зачислен в группу.')).toBeVisible();
  await expect(irina.page.getByText('Принята', { exact: true }).first()).toBeVisible();
  await checkPage(irina.page, 'application-accepted');

  // The provider's roster shows who is in the group.
  await page.goto('/staff/org/applications');
  await page.getByRole('link', { name: 'Лебедева Алиса' }).click();
  await page.getByRole('link', { name: 'Малая группа' }).click();
  await expect(page.getByText('занято 1 из 1, зачислено 1, в очереди 0')).toBeVisible();
  await checkPage(page, 'org-roster');

  // On a phone the roster and the applications are cards: nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await checkPage(page, 'org-roster-phone');
  await page.goto('/staff/org/applications?status=all');
  await expect(page.getByRole('link', { name: 'Лебедева Алиса' })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await checkPage(page, 'org-applications-phone');

  await olga.context.close();
  await irina.context.close();
});

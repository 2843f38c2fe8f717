import { expect, test } from '@playwright/test';
import { checkPage, DEMO, fillGroupForm, signIn, visit } from './fixtures.js';

test('a provider publishes a program through moderation and a guest finds it by a misspelled word', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000); // three people, a dozen pages, axe on each
  const name = 'Занимательная палеонтология';

  // The provider writes the program and a group, then sends it to moderation.
  await signIn(page, DEMO.provider);
  // Organization staff land on their workspace, which leads to their organization's cabinet.
  await expect(page.getByRole('heading', { level: 1, name: 'Рабочий стол' })).toBeVisible();
  await page.getByRole('link', { name: 'Кабинет организации: программы и группы' }).click();
  await checkPage(page, 'org-home');
  await page.getByRole('link', { name: 'Добавить программу' }).click();
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByRole('alert')).toContainText('Введите название программы');
  await checkPage(page, 'program-form-errors');
  await page.getByLabel('Название программы').fill(name);
  await page.getByLabel('Направленность').selectOption({ label: 'Естественнонаучная' });
  await page.getByLabel('Специализация (необязательно)').selectOption({ label: 'Биология' });
  await page
    .getByLabel('Описание')
    .fill('Ископаемые животные и растения, раскопки в песочнице, поход в краеведческий музей.');
  await page.getByLabel('Возраст от, лет').fill('8');
  await page.getByLabel('Возраст до, лет').fill('12');
  await page.getByLabel('Стартовый').check();
  await page.getByLabel('Продолжительность, месяцев').fill('9');
  await page.getByLabel('Объём, часов').fill('72');
  await page.getByLabel('Очно').check();
  await page.getByLabel('Иные', { exact: true }).check();
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByText('Программа сохранена как черновик')).toBeVisible();
  await expect(page.getByText('Состояние: Черновик')).toBeVisible();
  await checkPage(page, 'program-draft');

  await page.getByRole('link', { name: 'Добавить группу' }).click();
  await fillGroupForm(page, {
    name: 'Группа 1',
    teacher: 'Кузнецова Ольга Андреевна',
    weekday: 'вторник',
    start: '15:00',
    end: '16:30',
    capacity: 15,
  });
  await checkPage(page, 'group-form');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByText('Группа сохранена')).toBeVisible();
  await page.getByRole('button', { name: 'Отправить на модерацию' }).click();
  await expect(page.getByText('Программа отправлена на модерацию')).toBeVisible();
  await expect(page.getByText('Состояние: На модерации')).toBeVisible();
  await visit(page, '/staff/org/import', 'org-import');

  // The municipal administrator of Смоленск publishes it.
  const moderatorContext = await browser.newContext();
  const moderator = await moderatorContext.newPage();
  await signIn(moderator, DEMO.moderator);
  await moderator
    .getByRole('navigation', { name: 'Личный кабинет' })
    .getByRole('link', { name: 'Рабочий стол', exact: true })
    .click();
  await moderator.getByRole('link', { name: 'Модерация программ' }).click();
  await checkPage(moderator, 'moderation-queue');
  await moderator.getByRole('link', { name }).click();
  await checkPage(moderator, 'moderation-program');
  await moderator.getByRole('button', { name: 'Опубликовать' }).click();
  await expect(moderator.getByText('Программа опубликована')).toBeVisible();
  await moderatorContext.close();

  // A guest types it wrong and still finds it.
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await visit(guest, '/', 'home-guest');
  await guest.getByLabel('Что ищете?').fill('палеонтологея');
  await guest.getByRole('button', { name: 'Найти' }).click();
  await expect(guest.getByText('Показаны результаты по запросу «палеонтология»')).toBeVisible();
  await checkPage(guest, 'catalog-typo');
  await guest.getByRole('link', { name }).click();
  await expect(guest.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(guest.getByText('свободно 15 из 15 мест')).toBeVisible();
  await expect(guest.getByRole('link', { name: /Записаться/ })).toBeVisible();
  await checkPage(guest, 'program-public');
  await guest.getByRole('link', { name: /Записаться/ }).click();
  await checkPage(guest, 'group-apply');
  await guestContext.close();
});

test('the catalog filters are plain forms and links, on a phone, and say «Ничего не найдено» with ways out', async ({
  browser,
}) => {
  test.setTimeout(60_000);
  // Plain GET forms and links: the same with or without the page's small script (axe itself needs scripts).
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await visit(
    page,
    '/programs?municipality=smolensk&direction=sport&open=1&sort=start',
    'catalog-filters-phone',
  );
  await expect(page.getByText(/Найдено \d+ программ/)).toBeVisible();
  // On a phone the form stays folded under its count, the results first; a tap unfolds it.
  await page.getByText('Фильтры (3)').click();
  await page.getByLabel('Оплата').selectOption({ label: 'Платно' });
  await page.getByLabel('Стоимость в месяц, не больше, ₽').fill('1');
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page).toHaveURL(/financing=paid/);
  await expect(page.getByRole('heading', { name: 'Ничего не найдено' })).toBeVisible();
  await checkPage(page, 'catalog-empty');
  await page.getByRole('link', { name: 'любая стоимость' }).click();
  await expect(page).not.toHaveURL(/maxCost/);
  await context.close();
});

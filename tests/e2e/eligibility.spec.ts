import { expect, test, type Page } from '@playwright/test';
import {
  addChild,
  checkPage,
  DEMO,
  fillGroupForm,
  listeningSink,
  registerParent,
  signIn,
} from './fixtures.js';

const sink = listeningSink();

const PROGRAM = 'Лесные следопыты Поднепровья';

function card(page: Page, name: string) {
  return page.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });
}

test('a parent sees a child who cannot apply disabled, with its reason, before choosing', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);

  // The demo provider publishes a free program for 8–14; the municipal administrator approves it.
  await signIn(page, DEMO.provider);
  await page.goto('/staff/org/programs/new');
  await page.getByLabel('Название программы').fill(PROGRAM);
  await page.getByLabel('Направленность').selectOption({ label: 'Естественнонаучная' });
  await page.getByLabel('Описание').fill('Наблюдаем за природой родного края, ставим опыты, ведём дневник.');
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
    name: 'Экогруппа',
    teacher: 'Травина Анна Сергеевна',
    weekday: 'четверг',
    start: '16:00',
    end: '17:30',
    capacity: 10,
  });
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByRole('button', { name: 'Отправить на модерацию' }).click();
  await expect(page.getByText('Программа отправлена на модерацию')).toBeVisible();
  const staff = await browser.newContext();
  const moderator = await staff.newPage();
  await signIn(moderator, DEMO.moderator);
  await moderator.goto('/staff/moderation');
  await moderator.getByRole('link', { name: PROGRAM }).click();
  await moderator.getByRole('button', { name: 'Опубликовать' }).click();
  await expect(moderator.getByText('Программа опубликована')).toBeVisible();
  await staff.close();

  // A parent on a phone with two children: Вера (11, a certificate) and Мила (4, no certificate yet).
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const parent = await context.newPage();
  const person = {
    email: `eligibility-${Date.now()}@example.ru`,
    password: 'Записываемся-в-кружок-67',
    lastName: 'Соколова',
    firstName: 'Ольга',
  };
  await registerParent(parent, sink, person);
  await signIn(parent, person);
  await parent.goto('/cabinet/children');
  await addChild(parent, 'Гончарова', 'Вера', 'Женский');
  // A child of four: too young for the group of 8–14.
  await addChild(parent, 'Гончарова', 'Мила', 'Женский', { birthYear: new Date().getFullYear() - 4 });
  const vera = card(parent, 'Гончарова Вера');
  await vera.getByRole('button', { name: 'Получить сертификат' }).click();
  await expect(vera.getByText('Данные не подтверждены — подтвердите их лично')).toBeVisible();
  await expect(
    card(parent, 'Гончарова Мила').getByText('Сертификат не получен — нажмите «Получить сертификат»'),
  ).toBeVisible();
  await checkPage(parent, 'eligibility-children');

  // «Записаться»: Мила is shown, not offered, and the reason is read with her radio.
  await parent.goto('/programs?q=' + encodeURIComponent(PROGRAM) + '&municipality=all');
  await parent.getByRole('link', { name: PROGRAM }).click();
  await checkPage(parent, 'eligibility-program');
  await parent.getByRole('link', { name: /Записаться/ }).click();
  const mila = parent.getByLabel('Гончарова Мила');
  await expect(mila).toBeDisabled();
  await expect(mila).toHaveAccessibleDescription(/Нельзя записать: Группа для детей от 8 до 14 лет/);
  await expect(mila).toHaveAccessibleDescription(/Для записи нужен сертификат/);
  const veraChoice = parent.getByLabel('Гончарова Вера');
  await expect(veraChoice).toBeEnabled();
  await expect(veraChoice).toHaveAccessibleDescription(/Можно записать/);
  await checkPage(parent, 'eligibility-choose');

  // The review step says what a month costs, who pays and when lessons start.
  await veraChoice.check();
  await parent.getByRole('button', { name: 'Продолжить' }).click();
  await expect(parent.getByRole('heading', { name: 'Проверьте заявку' })).toBeVisible();
  await expect(parent.getByText('бюджет муниципалитета')).toBeVisible();
  await expect(parent.getByText('Кто оплачивает')).toBeVisible();
  await expect(parent.getByText('Начало занятий')).toBeVisible();
  await checkPage(parent, 'eligibility-review');
  await context.close();
});

import { expect, test, type Page } from '@playwright/test';
import { addChild, checkPage, CHILD_BIRTH_YEAR, DEMO, signIn, visit } from './fixtures.js';

function card(page: Page, name: string) {
  return page.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });
}

test('seed steps 6–7: two children, certificates, an operator confirms one and rejects the other', async ({
  page,
  browser,
}) => {
  // The browser tests start from a fresh database, so these names are new each run.
  const first = { last: 'Смирнов', first: 'Егор' };
  const second = { last: 'Смирнова', first: 'Анна' };

  // Шаг 6: «Дети», the form, «Сохранить»; «+Добавить ребенка» for the second child.
  await signIn(page, DEMO.parent);
  await page
    .getByRole('navigation', { name: 'Разделы личного кабинета' })
    .getByRole('link', { name: 'Дети' })
    .click();
  await checkPage(page, 'children-empty');
  await addChild(page, first.last, first.first, 'Мужской');
  await addChild(page, second.last, second.first, 'Женский');

  // Шаг 7: «Получить сертификат» → the number, «Активировать сертификат», «подтвердить данные».
  for (const child of [first, second]) {
    await card(page, `${child.last} ${child.first}`)
      .getByRole('button', { name: 'Получить сертификат' })
      .click();
  }
  const firstCard = card(page, `${first.last} ${first.first}`);
  await expect(firstCard.getByText(/Сертификат № 67 \d{4} \d{4}/)).toBeVisible();
  await expect(firstCard.getByRole('link', { name: 'Активировать сертификат' })).toBeVisible();
  await expect(firstCard.getByRole('link', { name: 'подтвердить данные' })).toBeVisible();
  await checkPage(page, 'children-certificates');
  const numberText = (await firstCard.getByText(/Сертификат №/).textContent()) ?? '';
  const number = /67 \d{4} \d{4}/.exec(numberText)![0];

  await firstCard.getByRole('link', { name: 'подтвердить данные' }).click();
  await expect(page.getByRole('heading', { name: 'Какие документы взять с собой' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Куда обратиться: город Смоленск' })).toBeVisible();
  await checkPage(page, 'confirm-procedure');

  // The municipal administrator, in another browser: finds the first child by certificate number and confirms.
  const operatorContext = await browser.newContext();
  const operator = await operatorContext.newPage();
  await signIn(operator, DEMO.moderator);
  await visit(operator, '/staff/search', 'staff-search');
  await operator.getByLabel('Номер сертификата').fill(number);
  await operator.getByRole('button', { name: 'Найти' }).first().click();
  await operator.getByRole('link', { name: `${first.last} ${first.first}` }).click();
  await checkPage(operator, 'staff-child');
  await operator.getByLabel('Я сверил данные с оригиналом документа').check();
  await operator.getByRole('button', { name: 'Подтвердить данные' }).click();
  await expect(operator.getByText('Данные подтверждены, сертификат активирован')).toBeVisible();

  // … and finds the second by ФИО and birth date, and rejects with a reason.
  await operator.goto('/staff/search');
  await operator.getByLabel('Фамилия').fill(second.last);
  await operator.getByLabel('Имя', { exact: true }).fill(second.first);
  await operator.getByLabel('Дата рождения').fill(`14.02.${CHILD_BIRTH_YEAR}`);
  await operator.getByRole('button', { name: 'Найти' }).nth(1).click();
  await operator.getByRole('link', { name: `${second.last} ${second.first}` }).click();
  await operator
    .getByLabel('Причина (её увидит родитель)')
    .fill('Номер свидетельства не совпадает с документом');
  await operator.getByRole('button', { name: 'Отклонить' }).click();
  await expect(operator.getByText('Данные отклонены')).toBeVisible();
  await operatorContext.close();

  // The parent sees exactly what the seed promises.
  await visit(page, '/cabinet/children', 'children-after-confirmation');
  const confirmed = card(page, `${first.last} ${first.first}`);
  await expect(confirmed.getByRole('link', { name: 'подтвердить данные' })).toHaveCount(0);
  await expect(confirmed.getByText(number)).toBeVisible();
  await expect(
    confirmed.getByText('В настоящее время финансирование сертификата не осуществляется'),
  ).toBeVisible();
  const rejected = card(page, `${second.last} ${second.first}`);
  await expect(rejected.getByText('Номер свидетельства не совпадает с документом')).toBeVisible();
  await expect(rejected.getByRole('link', { name: 'подтвердить данные' })).toBeVisible();
});

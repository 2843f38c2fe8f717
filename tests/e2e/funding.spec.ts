import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { E2E_FUNDING_PORT, E2E_FUNDING_SMTP_PORT } from '../../playwright.config.js';
import { addChild, checkPage, DEMO, registerParent, signIn } from './fixtures.js';
import { ownApp, ROOT } from './own-app.js';

// Issue 13's browser scenario: funded certificates from the coordinator's settings to the month close and the end
// of a contract. The month close is run as an operator runs it — `npm run funding -- close-month` — so the app runs
// here on a fresh PostgreSQL database the CLI can share (the other specs' embedded database is one process's),
// with the demo data of a development start; everything a person does is done through the pages.

const COORDINATOR = { email: 'koordinator@example.ru', password: 'Demo-koordinator-67' };
const PROGRAM = 'Шахматы: первые шаги';
const PASSWORD = 'Сертификат-оплачивает-67';

// A step that cannot happen fails in seconds, not at the test's end.
test.use({ actionTimeout: 15_000, navigationTimeout: 30_000 });

/**
 * The day the scenario happens: the next 15 September (today's, if it is still to come). The issue's figures hold
 * only early in the education year (5 000 ₽ prorated by the months left must cover 4 × 800 ₽, and the four months
 * must end by August), so the app and the close command run with REGION_TODAY fixed to it: the date rules move,
 * timestamps stay real. A day on or after the real one: offers' deadlines are then still ahead in real time.
 */
const TODAY = (() => {
  const real = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Moscow' });
  const year = Number(real.slice(0, 4));
  return real <= `${year}-09-15` ? `${year}-09-15` : `${year + 1}-09-15`;
})();

const app = ownApp({
  label: 'funding',
  port: E2E_FUNDING_PORT,
  smtpPort: E2E_FUNDING_SMTP_PORT,
  command: [path.join(ROOT, 'node_modules/.bin/tsx'), 'src/server.ts'],
  env: { NODE_ENV: 'development', REGION_TODAY: TODAY },
});
const { sink } = app;

async function browse(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.baseUrl, locale: 'ru-RU' });
  return context.newPage();
}

/** The first day of the month `delta` months from the scenario's ('2027-10-01'). */
function monthFromNow(delta: number): string {
  const [year, month] = TODAY.split('-').map(Number) as [number, number];
  const index = year * 12 + month - 1 + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}
/** '2027-01-01' with a day → '10.01.2027', as a person types it. */
const typed = (month: string, day: number) =>
  `${String(day).padStart(2, '0')}.${month.slice(5, 7)}.${month.slice(0, 4)}`;
const MONTH_NAMES = [
  'январь',
  'февраль',
  'март',
  'апрель',
  'май',
  'июнь',
  'июль',
  'август',
  'сентябрь',
  'октябрь',
  'ноябрь',
  'декабрь',
];
const nameOf = (month: string) => `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
/** «3 200 ₽» as the pages print it (a no-break space between the thousands). */
const roubles = (amount: number) => `${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0')}\u00a0₽`;
const digits = (text: string) => Number(text.replace(/\D/g, ''));

/** A parent registered through the form, signed in, with a child whose certificate the administrator confirms. */
async function parentWithCertificate(
  browser: Browser,
  admin: Page,
  person: { lastName: string; firstName: string; child: string; tag: string },
  look: boolean,
) {
  const page = await browse(browser);
  const account = {
    email: `${person.tag}-${Date.now()}@example.ru`,
    password: PASSWORD,
    lastName: person.lastName,
    firstName: person.firstName,
  };
  await registerParent(page, sink, account);
  await signIn(page, account);
  await page.goto('/cabinet/children');
  await addChild(page, person.lastName, person.child, 'Женский');
  await page.getByRole('button', { name: 'Получить сертификат' }).click();
  await expect(page.getByText(/Сертификат № 67 \d{4} \d{4}/)).toBeVisible();
  if (look) await checkPage(page, 'funding-child-certificate');

  await admin.goto('/staff/children?status=waiting');
  if (look) await checkPage(admin, 'funding-admin-queue');
  await admin.getByRole('link', { name: `${person.lastName} ${person.child}` }).click();
  if (look) await checkPage(admin, 'funding-admin-child');
  await admin.getByLabel('Я сверил данные с оригиналом документа').check();
  await admin.getByRole('button', { name: 'Подтвердить данные' }).click();
  await expect(admin.getByText('Данные подтверждены, сертификат активирован')).toBeVisible();
  return { page, child: `${person.lastName} ${person.child}` };
}

/** «Подать заявление на финансирование» on the child's card → the funding page → the button of that name. */
async function askForFunding(page: Page, look: boolean) {
  await page.goto('/cabinet/children');
  await page.getByRole('link', { name: 'Подать заявление на финансирование' }).click();
  if (look) await checkPage(page, 'funding-request');
  await page.getByRole('button', { name: 'Подать заявление на финансирование' }).click();
}

test('funding from the settings to the month close and the end of the contract', async ({ browser }) => {
  test.setTimeout(240_000);
  const first = monthFromNow(1);
  const last = monthFromNow(4);

  // The coordinator opens funding for город Смоленск: nominal 5 000 ₽, quota 2.
  const coordinator = await browse(browser);
  await signIn(coordinator, COORDINATOR);
  await coordinator.goto('/staff/funding');
  await checkPage(coordinator, 'funding-overview');
  await coordinator.getByRole('link', { name: 'город Смоленск' }).click();
  await coordinator
    .getByLabel(
      'Финансирование открыто: родители могут подать заявление, сертификаты переводятся, пока не исчерпан лимит',
    )
    .check();
  await coordinator.getByRole('button', { name: 'Сохранить' }).click();
  await expect(coordinator.getByText('Финансирование открыто.', { exact: true })).toBeVisible();
  await checkPage(coordinator, 'funding-settings');
  await coordinator.getByRole('link', { name: 'Добавить категорию' }).click();
  await coordinator.getByLabel('Название').fill('Дети 5–18 лет');
  await coordinator.getByLabel('Возраст от, лет').fill('5');
  await coordinator.getByLabel('Возраст до, лет').fill('18');
  await coordinator.getByLabel('Номинал на учебный год, ₽').fill('5 000');
  await coordinator.getByLabel('Лимит: сколько сертификатов финансируется').fill('2');
  await coordinator.getByLabel('Ваш пароль').fill(COORDINATOR.password);
  await checkPage(coordinator, 'funding-category');
  await coordinator.getByRole('button', { name: 'Сохранить' }).click();
  await expect(coordinator.getByText(/номинал 5\s000\s₽ · лимит 2/)).toBeVisible();

  // Three parents with confirmed certificates ask for funding: two are funded, the third is first in the queue.
  const admin = await browse(browser);
  await signIn(admin, DEMO.moderator);
  const people = [
    { lastName: 'Орлова', firstName: 'Марина', child: 'Дарья', tag: 'marina' },
    { lastName: 'Белова', firstName: 'Светлана', child: 'Полина', tag: 'svetlana' },
    { lastName: 'Карпова', firstName: 'Наталья', child: 'Ксения', tag: 'natalya' },
  ];
  const parents = [];
  for (const [index, person] of people.entries())
    parents.push(await parentWithCertificate(browser, admin, person, index === 0));
  const [funded, second, third] = parents as [(typeof parents)[0], (typeof parents)[0], (typeof parents)[0]];
  await askForFunding(funded.page, true);
  await expect(funded.page.getByText('Сертификат персонифицированного финансирования').first()).toBeVisible();
  await checkPage(funded.page, 'funding-funded');
  await askForFunding(second.page, false);
  await expect(second.page.getByText('Сертификат персонифицированного финансирования').first()).toBeVisible();
  await askForFunding(third.page, false);
  await expect(third.page.getByText('Лимит сертификатов исчерпан. Вы 1-й в очереди').first()).toBeVisible();
  await checkPage(third.page, 'funding-queued');

  // The demo provider publishes a certified program: 800 ₽ a month by certificate, for four months.
  const provider = await browse(browser);
  await signIn(provider, DEMO.provider);
  await provider.goto('/staff/org/programs/new');
  await provider.getByLabel('Название программы').fill(PROGRAM);
  await provider.getByLabel('Направленность').selectOption({ label: 'Социально-гуманитарная' });
  await provider.getByLabel('Описание').fill('Правила, дебюты и первые турниры для начинающих шахматистов.');
  await provider.getByLabel('Возраст от, лет').fill('7');
  await provider.getByLabel('Возраст до, лет').fill('14');
  await provider.getByLabel('Стартовый').check();
  await provider.getByLabel('Продолжительность, месяцев').fill('4');
  await provider.getByLabel('Объём, часов').fill('32');
  await provider.getByLabel('Очно').check();
  await provider.getByLabel('Сертифицированные', { exact: true }).check();
  await provider.getByRole('button', { name: 'Сохранить' }).click();
  await provider.getByRole('link', { name: 'Добавить группу' }).click();
  await provider.getByLabel('Название группы').fill('Группа выходного дня');
  await provider.getByLabel('Педагог (ФИО)').fill('Ладьин Пётр Сергеевич');
  await provider.getByLabel('суббота, начало').fill('11:00');
  await provider.getByLabel('суббота, окончание').fill('12:30');
  await provider.getByLabel('Продолжительность занятия, минут').fill('45');
  await provider.getByLabel('План приёма, мест').fill('10');
  await provider.getByLabel('Приём заявок с').fill(`14.09.${TODAY.slice(0, 4)}`);
  await provider.getByLabel('Приём заявок по').fill(typed(first, 9));
  await provider.getByLabel('Начало занятий').fill(typed(first, 10));
  await provider.getByLabel('Окончание занятий').fill(typed(last, 20));
  await provider.getByLabel('Стоимость в месяц по сертификату, ₽ (необязательно)').fill('800');
  await provider.getByRole('button', { name: 'Сохранить' }).click();
  await provider.getByRole('button', { name: 'Отправить на модерацию' }).click();
  await expect(provider.getByText('Программа отправлена на модерацию')).toBeVisible();
  await admin.goto('/staff/moderation');
  await admin.getByRole('link', { name: PROGRAM }).click();
  await admin.getByRole('button', { name: 'Опубликовать' }).click();
  await expect(admin.getByText('Программа опубликована')).toBeVisible();

  // The funded child applies; the review shows the split.
  const parent = funded.page;
  await parent.goto('/programs?q=' + encodeURIComponent(PROGRAM) + '&municipality=all');
  await parent.getByRole('link', { name: PROGRAM }).click();
  await checkPage(parent, 'funding-program');
  await parent.getByRole('link', { name: 'Записаться' }).click();
  await parent.getByLabel(funded.child).check();
  await parent.getByRole('button', { name: 'Продолжить' }).click();
  await expect(parent.getByRole('heading', { name: 'Проверьте заявку' })).toBeVisible();
  await checkPage(parent, 'funding-apply-review');
  await parent.getByRole('button', { name: 'Подтвердить запись' }).click();
  await expect(parent.getByText('Новая', { exact: true }).first()).toBeVisible();

  // The provider accepts the application and confirms the contract; the parent accepts the offer.
  await provider.goto('/staff/org/applications');
  await provider.getByRole('link', { name: funded.child }).click();
  await provider.getByRole('button', { name: 'Принять (зачислить)' }).click();
  await expect(provider.getByText('Заявка принята, ребёнок зачислен.')).toBeVisible();
  await provider.goto('/staff/contracts');
  await checkPage(provider, 'funding-staff-contracts');
  await provider.getByRole('link', { name: /^№ / }).first().click();
  await provider.getByRole('button', { name: 'Подтвердить договор' }).click();
  await expect(provider.getByText('Договор подтверждён и направлен родителю как оферта.')).toBeVisible();
  await checkPage(provider, 'funding-staff-contract');
  await parent.goto('/cabinet/contracts');
  await checkPage(parent, 'funding-contracts');
  await parent.getByRole('link', { name: /^№ / }).first().click();
  await parent.getByLabel('Я ознакомлен с условиями договора-оферты').check();
  await parent.getByRole('button', { name: 'Заключить договор' }).click();
  await expect(parent.getByText('Договор заключён и действует.')).toBeVisible();
  await expect(parent.getByText('Начислений пока нет')).toBeVisible();
  await checkPage(parent, 'funding-contract-active');
  const contractUrl = parent.url();

  // The card: 3 200 ₽ reserved for the four months.
  await parent.goto('/cabinet/children');
  const line = parent.getByText(/Сертификат персонифицированного финансирования: номинал/).first();
  await expect(line).toContainText(`зарезервировано ${roubles(3200)}`);
  const nominal = digits(/номинал ([\d\s\u00a0]+)₽/.exec((await line.textContent()) ?? '')![1]!);
  await expect(line).toContainText(`осталось ${roubles(nominal - 3200)}`);
  await checkPage(parent, 'funding-card-reserved');

  // The provider enters completeness: the first month 100 % in the form, the second 50 % in the XLSX.
  await provider.goto(`/staff/org/completeness?month=${first.slice(0, 7)}`);
  await provider.getByLabel(/^№ /).fill('100');
  await checkPage(provider, 'funding-completeness');
  await provider.getByRole('button', { name: 'Сохранить полноту' }).click();
  await expect(provider.getByText(`Полнота оказания услуг за ${nameOf(first)} сохранена.`)).toBeVisible();
  const secondMonth = monthFromNow(2);
  await provider.goto(`/staff/org/completeness?month=${secondMonth.slice(0, 7)}`);
  const download = provider.waitForEvent('download');
  await provider.getByRole('link', { name: 'Скачать таблицу (XLSX)' }).click();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await (await download).path());
  workbook.getWorksheet('Полнота')!.getRow(2).getCell(6).value = 50;
  await provider.getByLabel('Заполненная таблица (.xlsx), до 5 МБ').setInputFiles({
    name: 'polnota.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
  });
  await provider.getByRole('button', { name: 'Загрузить таблицу' }).click();
  await expect(
    provider.getByText(`Полнота оказания услуг за ${nameOf(secondMonth)} загружена из файла.`),
  ).toBeVisible();
  await expect(provider.getByLabel(/^№ /)).toHaveValue('50');

  // The months close as an operator closes them: the first three, in order (the job does each on its 1st).
  const close = spawnSync(
    path.join(ROOT, 'node_modules/.bin/tsx'),
    ['src/cli/funding.ts', 'close-month', first.slice(0, 7), monthFromNow(3).slice(0, 7)],
    { cwd: ROOT, env: app.env, encoding: 'utf8' },
  );
  expect(close.status, `${close.stdout}\n${close.stderr}`).toBe(0);
  expect(close.stdout).toContain(`invoices of ${first.slice(0, 7)}: 1`);
  expect(close.stdout).toContain(`invoices of ${secondMonth.slice(0, 7)}: 1`);

  // The payer's registers: the first month's invoice 800 ₽ at 100 %, the second's 400 ₽ at 50 %.
  await admin.goto(`/staff/funding/registers?month=${first.slice(0, 7)}`);
  const invoices = admin.locator('section.card', { hasText: 'Реестр счетов' });
  await expect(invoices).toContainText(`К оплате: ${roubles(800)}`);
  await expect(admin.locator('section.card', { hasText: 'Реестр авансов' })).toContainText(
    `К оплате: ${roubles(640)}`,
  );
  await checkPage(admin, 'funding-registers');
  await admin.goto(`/staff/funding/registers?month=${secondMonth.slice(0, 7)}`);
  await expect(admin.locator('section.card', { hasText: 'Реестр счетов' })).toContainText(
    `К оплате: ${roubles(400)}`,
  );
  await expect(admin.locator('section.card', { hasText: 'Реестр счетов' })).toContainText(
    `возврат аванса ${roubles(240)}`,
  );

  // The parent's contract: the months as they were paid.
  await parent.goto(contractUrl);
  const cells = (month: string) =>
    parent
      .getByRole('table', { name: 'Начисления по месяцам' })
      .getByRole('row')
      .filter({ has: parent.getByRole('rowheader', { name: nameOf(month) }) })
      .getByRole('cell');
  // Аванс, начислено по счёту, возвращено на сертификат, доплата семьи.
  await expect(cells(first)).toHaveText([
    roubles(640),
    `${roubles(800)} (полнота 100 %)`,
    roubles(0),
    roubles(0),
  ]);
  await expect(cells(secondMonth)).toHaveText([
    roubles(640),
    `${roubles(400)} (полнота 50 %)`,
    roubles(400),
    roubles(0),
  ]);
  await expect(cells(monthFromNow(3))).toHaveText([roubles(640), 'счёт ещё не сформирован', '—', roubles(0)]);
  await checkPage(parent, 'funding-contract-accruals');

  // The parent ends the contract: the reserve left returns; spent stays 800 + 400 + the third month's advance.
  await parent.getByRole('button', { name: 'Направить уведомление о расторжении' }).click();
  await expect(
    parent.getByText('Уведомление направлено: договор прекратил действие, остаток вернулся на сертификат.'),
  ).toBeVisible();
  await parent.goto('/cabinet/children');
  const after = parent.getByText(/Сертификат персонифицированного финансирования: номинал/).first();
  await expect(after).toContainText(`зарезервировано ${roubles(0)}`);
  await expect(after).toContainText(`осталось ${roubles(nominal - 800 - 400 - 640)}`);
  await checkPage(parent, 'funding-card-after');

  for (const page of [coordinator, admin, provider, ...parents.map((p) => p.page)])
    await page.context().close();
});

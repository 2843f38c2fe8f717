import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { E2E_PRODUCTION_PORT, E2E_PRODUCTION_SMTP_PORT } from '../../playwright.config.js';
import { addChild, checkPage, expectNoSidewaysScroll, fillGroupForm, signIn } from './fixtures.js';
import { ownApp, ROOT } from './own-app.js';

// Issue 14's «Done when»: a region starting on an empty production database. The app runs as production runs it
// (README: `node dist/server.js`, NODE_ENV=production) on a fresh PostgreSQL database with no demo data, its
// letters going to a real SMTP server on loopback; the coordinator is made by the real `npm run admin`, and
// everyone else is invited, registers or is confirmed through the pages, in this one test.

const PASSWORD = 'Навигатор-на-старте-67';
const COORDINATOR = { email: 'coordinator@region.example.ru', password: PASSWORD };
const ADMIN = { email: 'mun-admin@smolensk.example.ru', password: PASSWORD };
const STAFF = { email: 'teacher@ddt.example.ru', password: PASSWORD };
const PARENT = {
  email: 'mama@family.example.ru',
  password: PASSWORD,
  lastName: 'Зайцева',
  firstName: 'Ольга',
};
const CHILD = { last: 'Зайцев', first: 'Матвей' };
const PROGRAM = 'Робототехника для начинающих';
const OFFICE = {
  name: 'Управление образования и молодёжной политики Администрации города Смоленска',
  people: 'Соколова Анна Викторовна',
  address: 'г. Смоленск, ул. Октябрьской революции, д. 1/2, каб. 12',
  phone: '+7 (4812) 38-10-10',
  email: 'obrazovanie@smolensk.example.ru',
  hours: 'Пн–Чт 9:00–18:00, Пт 9:00–17:00',
};

/** `dist/` as `npm run build` makes it, rebuilt only when a source is newer (CI builds it once, here). */
function buildIfStale() {
  const built = path.join(ROOT, 'dist/server.js');
  const newest = (dir: string): number =>
    Math.max(
      ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? newest(full) : statSync(full).mtimeMs;
      }),
    );
  const sources = Math.max(
    newest(path.join(ROOT, 'src')),
    statSync(path.join(ROOT, 'package-lock.json')).mtimeMs,
  );
  if (existsSync(built) && statSync(built).mtimeMs > sources) return;
  // The type check is `npm run check`'s (CI runs it first); the emitted JavaScript is the same without it.
  const build = spawnSync('npm', ['run', 'build', '--', '--noCheck'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
}

const app = ownApp({
  label: 'production',
  port: E2E_PRODUCTION_PORT,
  smtpPort: E2E_PRODUCTION_SMTP_PORT,
  command: ['node', 'dist/server.js'],
  env: { NODE_ENV: 'production', SESSION_SECRET: 'e2e-production-secret-e2e-production-secret' },
  startSeconds: 180,
  prepare: ({ env }) => {
    buildIfStale();
    // The regional coordinator, as the README tells an operator to make the first account (the real CLI).
    const admin = spawnSync(
      'npm',
      [
        'run',
        'admin',
        '--',
        'user:create',
        '--role',
        'coordinator',
        '--email',
        COORDINATOR.email,
        '--password',
        COORDINATOR.password,
        '--last-name',
        'Кузнецова',
        '--first-name',
        'Елена',
      ],
      { cwd: ROOT, env, encoding: 'utf8' },
    );
    expect(admin.status, admin.stderr).toBe(0);
  },
});
const { baseUrl, sink } = app;

/** A person's browser: a phone or a desktop window of its own, on the production app. */
async function browse(browser: Browser, phone: boolean): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: 'ru-RU',
    ...(phone
      ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
      : { viewport: { width: 1280, height: 900 } }),
  });
  return context.newPage();
}

/** axe and a screenshot; on a phone, nothing scrolls sideways. */
async function look(page: Page, name: string) {
  await checkPage(page, `production-${name}`);
  if ((page.viewportSize()?.width ?? 0) <= 400) await expectNoSidewaysScroll(page);
}

/** The link of the newest letter to `to` whose subject has `subject`, as a path on the app. */
async function linkFrom(to: string, subject: string, count = 1): Promise<string> {
  await expect.poll(() => lettersTo(to, subject).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(count);
  const letter = lettersTo(to, subject).at(-1)!;
  const url = new RegExp(`${baseUrl.replace(/[.:/]/g, '\\$&')}(/[\\w/-]+\\?code=[\\w-]+)`).exec(
    letter.text ?? '',
  );
  expect(url, letter.text).not.toBeNull();
  return url![1]!;
}
const lettersTo = (to: string, subject: string) =>
  sink.received.filter(
    (mail) => (mail.subject ?? '').includes(subject) && JSON.stringify(mail.to).includes(to),
  );

/** An invited operator follows the letter's link, sets a password and signs in. */
async function acceptInvitation(page: Page, account: { email: string; password: string }, name: string) {
  await page.goto(await linkFrom(account.email, 'Вам создана учётная запись сотрудника'));
  await look(page, `${name}-new-password`);
  await page.getByLabel('Новый пароль', { exact: true }).fill(account.password);
  await page.getByLabel('Новый пароль ещё раз').fill(account.password);
  await page.getByRole('button', { name: 'Сохранить пароль' }).click();
  await expect(page.getByText('Пароль изменён. Войдите с новым паролем.')).toBeVisible();
  await signIn(page, account);
  await expect(page).toHaveURL(/\/staff$/);
}

test('an empty production database: the coordinator onboards a municipality, a parent gets a confirmed certificate', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  // The coordinator (made by npm run admin) signs in and invites the municipal administrator of Smolensk.
  const coordinator = await browse(browser, false);
  await signIn(coordinator, COORDINATOR);
  await expect(coordinator).toHaveURL(/\/staff$/);
  await look(coordinator, 'coordinator-workspace');
  await coordinator.getByRole('link', { name: 'Муниципальные администраторы', exact: true }).click();
  await coordinator.getByLabel('Фамилия').fill('Соколова');
  await coordinator.getByLabel('Имя', { exact: true }).fill('Анна');
  await coordinator.getByLabel('Адрес электронной почты').fill(ADMIN.email);
  await coordinator.getByLabel('Муниципалитет').selectOption({ label: 'город Смоленск' });
  await coordinator.getByRole('button', { name: 'Добавить и отправить приглашение' }).click();
  await look(coordinator, 'coordinator-people');

  // The administrator, on a phone: the letter's link, a password, the workspace; their office's contacts.
  const admin = await browse(browser, true);
  await acceptInvitation(admin, ADMIN, 'admin');
  await look(admin, 'admin-workspace');
  await admin.getByRole('link', { name: 'Контакты приёмной' }).click();
  await look(admin, 'admin-offices');
  await admin.locator('a[href="/staff/municipalities/1"]').click();
  await admin.getByLabel('Название', { exact: true }).fill(OFFICE.name);
  await admin.getByLabel('Муниципальные администраторы (ФИО)').fill(OFFICE.people);
  await admin.getByLabel('Адрес', { exact: true }).fill(OFFICE.address);
  await admin.getByLabel('Телефоны').fill(OFFICE.phone);
  await admin.getByLabel('Электронная почта').fill('obrazovanie@');
  await admin.getByLabel('Часы приёма').fill(OFFICE.hours);
  await admin.getByRole('button', { name: 'Сохранить' }).click();
  await expect(admin.getByText('Введите адрес электронной почты').first()).toBeVisible();
  await expect(admin.getByLabel('Телефоны')).toHaveValue(OFFICE.phone); // kept
  await look(admin, 'admin-office-errors');
  await admin.getByLabel('Электронная почта').fill(OFFICE.email);
  await admin.getByRole('button', { name: 'Сохранить' }).click();
  await expect(admin.getByText('Приёмная: город Смоленск — сохранено.')).toBeVisible();

  // … creates an organization and invites its staff member.
  await admin.goto('/staff/organizations/new');
  await look(admin, 'admin-organization-form');
  await admin
    .getByLabel('Полное наименование')
    .fill('Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества»');
  await admin.getByLabel('Краткое наименование').fill('ДДТ «Заднепровье»');
  await admin.getByLabel('Тип организации').selectOption('creativity_centre');
  await admin
    .getByLabel('Организационно-правовая форма')
    .fill('Муниципальное бюджетное учреждение дополнительного образования');
  await admin.getByLabel('Фактический адрес').fill('г. Смоленск, ул. Шевченко, д. 7');
  await admin.getByLabel('ИНН').fill('6731000014');
  await admin.getByLabel('КПП').fill('673101001');
  await admin.getByLabel('ОГРН или ОГРНИП').fill('1027700132195');
  await admin.getByRole('button', { name: 'Добавить организацию' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: 'ДДТ «Заднепровье»' })).toBeVisible();
  const invite = admin
    .locator('form')
    .filter({ has: admin.getByRole('heading', { name: 'Пригласить сотрудника' }) });
  await invite.getByLabel('Фамилия').fill('Павлов');
  await invite.getByLabel('Имя', { exact: true }).fill('Денис');
  await invite.getByLabel('Адрес электронной почты').fill(STAFF.email);
  await invite.getByRole('button', { name: 'Пригласить' }).click();
  await expect(admin.getByText(`Павлов Денис, ${STAFF.email}`)).toBeVisible();
  await look(admin, 'admin-organization');

  // The staff member sets a password, creates a program with a group and sends it to moderation.
  const staff = await browse(browser, true);
  await acceptInvitation(staff, STAFF, 'staff');
  await look(staff, 'staff-workspace');
  await staff.goto('/staff/org/programs/new');
  await look(staff, 'staff-program-form');
  await staff.getByLabel('Название программы').fill(PROGRAM);
  await staff.getByLabel('Направленность').selectOption({ label: 'Техническая' });
  await staff
    .getByLabel('Описание')
    .fill('Собираем и программируем роботов из конструктора, соревнования в конце года.');
  await staff.getByLabel('Возраст от, лет').fill('8');
  await staff.getByLabel('Возраст до, лет').fill('14');
  await staff.getByLabel('Стартовый').check();
  await staff.getByLabel('Продолжительность, месяцев').fill('9');
  await staff.getByLabel('Объём, часов').fill('72');
  await staff.getByLabel('Очно').check();
  await staff.getByLabel('Иные', { exact: true }).check();
  await staff.getByRole('button', { name: 'Сохранить' }).click();
  await staff.getByRole('link', { name: 'Добавить группу' }).click();
  await fillGroupForm(staff, {
    name: 'Группа 1',
    teacher: 'Павлов Денис Сергеевич',
    weekday: 'вторник',
    start: '16:00',
    end: '17:30',
    capacity: 12,
  });
  await staff.getByRole('button', { name: 'Сохранить' }).click();
  await staff.getByRole('button', { name: 'Отправить на модерацию' }).click();
  await expect(staff.getByText('Программа отправлена на модерацию')).toBeVisible();
  await look(staff, 'staff-program');

  // The administrator publishes it.
  await admin.goto('/staff/moderation');
  await look(admin, 'admin-moderation');
  await admin.getByRole('link', { name: PROGRAM }).click();
  await look(admin, 'admin-moderation-program');
  await admin.getByRole('button', { name: 'Опубликовать' }).click();
  await expect(admin.getByText('Программа опубликована')).toBeVisible();

  // A parent registers in the seed's words; the letter «did not come» (it is in the sink, unread).
  const parent = await browse(browser, true);
  await parent.goto('/');
  await parent.getByRole('link', { name: 'Регистрация' }).first().click();
  await parent.getByLabel('Муниципалитет').selectOption({ label: 'город Смоленск' });
  await parent.getByLabel('Фамилия').fill(PARENT.lastName);
  await parent.getByLabel('Имя', { exact: true }).fill(PARENT.firstName);
  await parent.getByLabel('Номер мобильного телефона').fill('8 (900) 111-22-33');
  await parent.getByLabel('Адрес электронной почты').fill(PARENT.email);
  await parent.getByLabel('Пароль', { exact: true }).fill(PARENT.password);
  await parent.getByLabel('Пароль ещё раз').fill(PARENT.password);
  await parent.getByLabel('Родитель (законный представитель)').check();
  await parent.getByLabel('Я ознакомлен и выражаю согласие').check();
  await look(parent, 'parent-registration');
  await parent.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(parent.getByRole('heading', { name: 'Проверьте почту' })).toBeVisible();
  await look(parent, 'parent-check-mail');
  const confirmation = 'подтвердите адрес электронной почты';
  await linkFrom(PARENT.email, confirmation);

  // The parent calls: the administrator finds the account at the support desk, sees the letter, sends it again.
  await admin.goto('/staff/support');
  await admin.getByLabel('Электронная почта, телефон или ФИО').fill(PARENT.email);
  await admin.getByRole('button', { name: 'Найти' }).click();
  await look(admin, 'admin-support-search');
  await admin.getByRole('link', { name: `${PARENT.lastName} ${PARENT.firstName}` }).click();
  await expect(admin.getByRole('heading', { name: 'Письма' })).toBeVisible();
  await expect(admin.getByText(/Передано почтовому серверу/).first()).toBeVisible();
  const resend = admin
    .locator('form')
    .filter({ has: admin.getByRole('heading', { name: 'Отправить письмо ещё раз' }) });
  await resend.getByLabel('Причина').fill('Позвонила мама: письмо не пришло');
  await resend.getByRole('button', { name: 'Отправить письмо' }).click();
  await expect(
    admin.getByText('Письмо для подтверждения адреса поставлено в очередь на отправку.'),
  ).toBeVisible();
  await look(admin, 'admin-support-account');
  // The second letter arrives; its link confirms the address (the seed's step 4).
  await parent.goto(await linkFrom(PARENT.email, confirmation, 2));
  await expect(parent.getByRole('heading', { name: 'Адрес электронной почты подтверждён' })).toBeVisible();

  // Steps 5–7: the cabinet, «Дети», «+Добавить ребенка», «Сохранить», «Получить сертификат».
  await signIn(parent, PARENT);
  await parent.goto('/cabinet/children');
  await addChild(parent, CHILD.last, CHILD.first, 'Мужской');
  await parent.getByRole('button', { name: 'Получить сертификат' }).click();
  await expect(parent.getByText(/Сертификат № 67 \d{4} \d{4}/)).toBeVisible();
  await look(parent, 'parent-certificate');

  // The administrator finds the child in the waiting queue and confirms the data.
  await admin.goto('/staff/children?status=waiting');
  await look(admin, 'admin-queue');
  await admin.getByRole('link', { name: `${CHILD.last} ${CHILD.first}` }).click();
  await look(admin, 'admin-child');
  await admin.getByLabel('Я сверил данные с оригиналом документа').check();
  await admin.getByRole('button', { name: 'Подтвердить данные' }).click();
  await expect(admin.getByText('Данные подтверждены, сертификат активирован')).toBeVisible();

  // The reports count one certificate and one confirmed child, aged 10–14.
  await admin.goto('/staff/reports');
  await look(admin, 'admin-reports');
  await admin.getByRole('link', { name: 'Сертификаты по возрастам' }).click();
  const band = admin.getByRole('row').filter({ has: admin.getByRole('rowheader', { name: '10–14' }) });
  await expect(band.locator('td[data-label="Выдано сертификатов"]')).toHaveText('1');
  await expect(band.locator('td[data-label="Данные подтверждены"]')).toHaveText('1');
  await look(admin, 'admin-report-certificates');

  // The coordinator sees the same in the region's report, per municipality.
  await coordinator.goto('/staff/reports/certificates');
  const smolensk = coordinator
    .getByRole('row')
    .filter({ has: coordinator.getByRole('rowheader', { name: 'город Смоленск' }) });
  await expect(smolensk.locator('td[data-label="Выдано сертификатов"]')).toHaveText('1');
  await look(coordinator, 'coordinator-report-certificates');

  // «Контакты» lists the office as the administrator wrote it.
  const guest = await browse(browser, true);
  await guest.goto('/contacts?municipality=smolensk');
  for (const fact of Object.values(OFFICE)) await expect(guest.getByText(fact)).toBeVisible();
  await look(guest, 'contacts');
  // Nothing went wrong on the server's side along the way (pino's error and fatal levels).
  expect(app.log()).not.toMatch(/"level":(50|60)/);
});

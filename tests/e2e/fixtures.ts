import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { E2E_SMTP_PORT } from '../../playwright.config.js';
import { officialName } from '../../src/platform/grammar/index.js';
import { SmtpSink } from '../support/smtp.js';

/** A child of 11 this year: a fixed year would leave the certificate's age range one day. */
export const CHILD_BIRTH_YEAR = new Date().getFullYear() - 11;

/** The SMTP sink the e2e app sends its letters to, listening while this spec file's tests run. */
export function listeningSink(): SmtpSink {
  const sink = new SmtpSink(E2E_SMTP_PORT);
  test.beforeAll(async () => {
    await sink.listen();
  });
  test.afterAll(async () => {
    await sink.stop();
  });
  return sink;
}

/** Demo accounts of a development database (README). */
export const DEMO = {
  parent: { email: 'roditel@example.ru', password: 'Demo-roditel-67' },
  provider: { email: 'pedagog@example.ru', password: 'Demo-pedagog-67' },
  moderator: { email: 'mun-admin@example.ru', password: 'Demo-munadmin-67' },
};

export async function signIn(page: Page, account: { email: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('Адрес электронной почты').fill(account.email);
  await page.getByLabel('Пароль').fill(account.password);
  await page.getByRole('button', { name: 'Войти' }).click();
}

/** The page is no wider than the window: nothing scrolls sideways. */
export async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    window: window.innerWidth,
  }));
  expect(widths.page, `${page.url()} is wider than the screen`).toBeLessThanOrEqual(widths.window);
}

/**
 * Opens a page the way a person would, then checks it with axe (zero violations of WCAG 2.1 A/AA)
 * and keeps a full-page screenshot under test-results/screenshots/ to look at.
 */
export async function visit(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await checkPage(page, name);
}

export async function checkPage(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    ),
  ).toEqual([]);
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** A date some days from today as a person types it: ДД.ММ.ГГГГ. */
export function dateIn(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  return date.toLocaleDateString('ru-RU', { timeZone: 'Europe/Moscow' });
}

/** Registers a parent through the form and follows the link of the letter (the seed's steps 2–4); stays signed out. */
export async function registerParent(
  page: Page,
  sink: SmtpSink,
  person: { email: string; password: string; lastName: string; firstName: string },
): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Муниципалитет').selectOption({ label: 'город Смоленск' });
  await page.getByLabel('Фамилия').fill(person.lastName);
  await page.getByLabel('Имя', { exact: true }).fill(person.firstName);
  await page.getByLabel('Номер мобильного телефона').fill('8 (900) 765-43-21');
  await page.getByLabel('Адрес электронной почты').fill(person.email);
  await page.getByLabel('Пароль', { exact: true }).fill(person.password);
  await page.getByLabel('Пароль ещё раз').fill(person.password);
  await page.getByLabel('Родитель (законный представитель)').check();
  await page.getByLabel('Я ознакомлен и выражаю согласие').check();
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(page.getByRole('heading', { name: 'Проверьте почту' })).toBeVisible();
  const letter = await sink.waitFor(person.email, 20_000);
  const link = /http:\/\/127\.0\.0\.1:\d+(\/verify\/email\?code=[\w-]+)/.exec(letter.text ?? '')?.[1];
  await page.goto(link!);
  await expect(page.getByRole('heading', { name: 'Адрес электронной почты подтверждён' })).toBeVisible();
}

/** «Дети» → «+Добавить ребенка» → the form → «Сохранить» (the seed's step 6). */
export async function addChild(
  page: Page,
  lastName: string,
  firstName: string,
  sex: 'Мужской' | 'Женский',
  { middleName, birthYear = CHILD_BIRTH_YEAR }: { middleName?: string; birthYear?: number } = {},
): Promise<void> {
  await page.getByRole('link', { name: '+Добавить ребенка' }).click();
  await page.getByLabel('Фамилия').fill(lastName);
  await page.getByLabel('Имя', { exact: true }).fill(firstName);
  if (middleName) await page.getByLabel('Отчество (если есть)').fill(middleName);
  await page.getByLabel('Дата рождения').fill(`14.02.${birthYear}`);
  await page.getByLabel(sex).check();
  await page.getByLabel('Свидетельство о рождении').check();
  await page.getByLabel('Серия').fill('II-МП');
  await page.getByLabel('Номер', { exact: true }).fill('777888');
  await page.getByLabel('Дата выдачи').fill(`01.03.${birthYear}`);
  await page.getByLabel('Кем выдан').fill('Отдел ЗАГС Администрации города Смоленска');
  await page.getByLabel('Муниципалитет регистрации').selectOption({ label: 'город Смоленск' });
  await page.getByLabel('Адрес регистрации').fill('ул. Большая Советская, д. 10, кв. 3');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  // The flash names the child in the genitive (the grammar module's table test pins the forms).
  const name = officialName(
    { lastName, firstName, middleName: middleName ?? null, sex: sex === 'Мужской' ? 'male' : 'female' },
    'genitive',
  );
  await expect(page.getByText(`Данные ребёнка ${name} сохранены`)).toBeVisible();
}

/** Fills the provider's group form: one weekly lesson, enrolment open from yesterday for a month. */
export async function fillGroupForm(
  page: Page,
  group: { name: string; teacher: string; weekday: string; start: string; end: string; capacity: number },
): Promise<void> {
  await page.getByLabel('Название группы').fill(group.name);
  await page.getByLabel('Педагог (ФИО)').fill(group.teacher);
  await page.getByLabel(`${group.weekday}, начало`).fill(group.start);
  await page.getByLabel(`${group.weekday}, окончание`).fill(group.end);
  await page.getByLabel('Продолжительность занятия, минут').fill('45');
  await page.getByLabel('План приёма, мест').fill(String(group.capacity));
  await page.getByLabel('Приём заявок с').fill(dateIn(-1));
  await page.getByLabel('Приём заявок по').fill(dateIn(30));
  await page.getByLabel('Начало занятий').fill(dateIn(35));
  await page.getByLabel('Окончание занятий').fill(dateIn(250));
}

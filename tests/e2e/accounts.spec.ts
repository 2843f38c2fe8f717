import { expect, test } from '@playwright/test';
import { checkPage, listeningSink, visit } from './fixtures.js';

const sink = listeningSink();

test('a parent follows the seed: registers, confirms the e-mail from the letter, signs in and opens the cabinet', async ({
  page,
}) => {
  const email = `ivanova-${Date.now()}@example.ru`;
  const password = 'Лето-в-Смоленске-2026';

  // Шаг 2: «Регистрация» in the top right corner.
  await visit(page, '/', 'accounts-home');
  await page
    .getByRole('navigation', { name: 'Вход в личный кабинет' })
    .getByRole('link', { name: 'Регистрация' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Регистрация' })).toBeVisible();

  // The birth date belongs to a teen registering alone: shown only under that choice.
  const birthDate = page.getByLabel('Дата рождения обучающегося');
  await expect(birthDate).toBeHidden();
  await page.getByLabel('Обучающийся, достигший 14 лет').check();
  await expect(birthDate).toBeVisible();
  await page.getByLabel('Родитель (законный представитель)').check();
  await expect(birthDate).toBeHidden();

  // A first try with mistakes: every error at once, values kept.
  await page.getByLabel('Фамилия').fill('Иванова');
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(page.getByRole('alert')).toContainText('Исправьте ошибки');
  await expect(page.getByRole('alert')).toContainText('Введите имя');
  await expect(page.getByLabel('Фамилия')).toHaveValue('Иванова');
  await checkPage(page, 'register-errors');

  // Шаг 3: the form, the consent, «Зарегистрироваться».
  await page.getByLabel('Муниципалитет').selectOption({ label: 'город Смоленск' });
  await page.getByLabel('Имя', { exact: true }).fill('Анна');
  await page.getByLabel('Отчество (если есть)').fill('Сергеевна');
  await page.getByLabel('Номер мобильного телефона').fill('8 (900) 123-45-67');
  await page.getByLabel('Адрес электронной почты').fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await page.getByLabel('Пароль ещё раз').fill(password);
  await page.getByLabel('Родитель (законный представитель)').check();
  await page.getByLabel('Я ознакомлен и выражаю согласие').check();
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();

  // Шаг 4: the letter comes at once; its link confirms the address.
  await expect(page.getByRole('heading', { name: 'Проверьте почту' })).toBeVisible();
  await expect(page.getByText(`Мы отправили письмо на адрес ${email}`)).toBeVisible();
  await checkPage(page, 'register-check-email');
  const letter = await sink.waitFor(email, 20_000);
  expect(letter.subject).toContain('Вы зарегистрированы в навигаторе дополнительного образования');
  expect(letter.text).toContain('Пожалуйста, подтвердите получение этого письма по следующей ссылке');
  const link = /http:\/\/127\.0\.0\.1:3100(\/verify\/email\?code=[\w-]+)/.exec(letter.text ?? '')?.[1];
  expect(link).toBeDefined();
  await visit(page, link!, 'verify-email');
  await expect(page.getByRole('heading', { name: 'Адрес электронной почты подтверждён' })).toBeVisible();

  // Sign in.
  await page.getByRole('link', { name: 'Войти' }).click();
  await page.getByLabel('Адрес электронной почты').fill(email);
  await page.getByLabel('Пароль').fill(password);
  await checkPage(page, 'sign-in');
  await page.getByRole('button', { name: 'Войти' }).click();

  // Шаг 5: the ФИО in the top right opens the personal cabinet.
  const account = page.getByRole('navigation', { name: 'Личный кабинет' });
  await expect(account.getByRole('link', { name: 'Иванова А. С.' })).toBeVisible();
  await page.goto('/');
  await account.getByRole('link', { name: 'Иванова А. С.' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Личный кабинет' })).toBeVisible();
  const tabs = page.getByRole('navigation', { name: 'Разделы личного кабинета' });
  await expect(tabs.getByRole('link', { name: 'Профиль' })).toHaveAttribute('aria-current', 'page');
  await expect(tabs.getByRole('link', { name: 'Дети' })).toBeVisible();
  await expect(tabs.getByRole('link', { name: 'Заявки' })).toBeVisible();
  await expect(page.getByText('+7 900 123-45-67')).toBeVisible();
  await checkPage(page, 'cabinet');

  await tabs.getByRole('link', { name: 'Дети' }).click();
  await checkPage(page, 'cabinet-children');

  await account.getByRole('button', { name: 'Выйти' }).click();
  await expect(page.getByRole('navigation', { name: 'Вход в личный кабинет' })).toBeVisible();
});

test('the legal documents and the password reset request are readable', async ({ page }) => {
  await visit(page, '/privacy', 'privacy');
  await expect(page.getByRole('heading', { level: 1, name: 'Политика конфиденциальности' })).toBeVisible();
  await visit(page, '/terms', 'terms');
  await expect(page.getByRole('heading', { level: 1, name: 'Пользовательское соглашение' })).toBeVisible();
  await visit(page, '/password/forgot', 'password-forgot');
  await page.getByLabel('Адрес электронной почты').fill('nobody@example.ru');
  await page.getByRole('button', { name: 'Отправить ссылку' }).click();
  await expect(page.getByRole('heading', { name: 'Проверьте почту' })).toBeVisible();
  await checkPage(page, 'password-forgot-sent');
});

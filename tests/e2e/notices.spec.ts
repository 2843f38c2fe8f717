import { expect, test } from '@playwright/test';
import { addChild, checkPage, listeningSink, registerParent, signIn } from './fixtures.js';

const sink = listeningSink();

test.use({ viewport: { width: 390, height: 844 } });

test('a parent sees the unread counter, opens «Уведомления», marks them read; the footer leads to contacts and help', async ({
  page,
}) => {
  test.setTimeout(120_000); // a registration, an application, axe on every page

  const person = {
    email: `notices-${Date.now()}@example.ru`,
    password: 'Уведомления-не-пропадут-67',
    lastName: 'Орлова',
    firstName: 'Дарья',
  };
  await registerParent(page, sink, person);
  await signIn(page, person);
  await page.goto('/cabinet/children');
  await addChild(page, 'Орлова', 'Ника', 'Женский');
  await page.getByRole('button', { name: 'Получить сертификат' }).click();
  await expect(page.getByText(/Сертификат № 67 \d{4} \d{4}/)).toBeVisible();

  // An application to an open free group of the demo catalog, then cancelled: two status changes.
  await page.goto('/programs?municipality=smolensk&age=11&open=1&financing=free');
  await page.locator('.results').getByRole('link').first().click();
  await page.getByRole('link', { name: 'Записаться' }).first().click();
  await page.getByLabel('Орлова Ника').check();
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await page.getByRole('button', { name: 'Подтвердить запись' }).click();
  await expect(page.getByText('Заявка подана')).toBeVisible();
  await page.getByRole('link', { name: 'Отменить заявку' }).click();
  await page.getByRole('button', { name: 'Отменить заявку' }).click();
  await expect(page.getByText('Заявка отменена.')).toBeVisible();

  // The notices come from the background job: the header counts them on every page.
  const account = page.getByRole('navigation', { name: 'Личный кабинет' });
  const counter = account.getByRole('link', { name: 'Уведомления 2 новых' });
  await expect(async () => {
    await page.goto('/');
    await expect(counter).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await checkPage(page, 'notices-header');
  await page.goto('/cabinet/applications');
  await expect(page.getByRole('link', { name: '2 новых уведомления' })).toBeVisible();
  await checkPage(page, 'notices-cabinet-line');

  await counter.click();
  await expect(page.getByRole('heading', { name: 'Уведомления', level: 2 })).toBeVisible();
  await expect(page.getByText(/Заявка отменена — «/)).toBeVisible();
  await expect(page.getByText(/Заявка подана — «/)).toBeVisible();
  await checkPage(page, 'notices-list');

  // One read, then the rest; the counter goes.
  await page.getByRole('button', { name: 'Отметить прочитанным' }).first().click();
  await expect(account.getByRole('link', { name: 'Уведомления 1 новых' })).toBeVisible();
  await page.getByRole('button', { name: 'Отметить все прочитанными' }).click();
  await expect(page.getByText('Новых уведомлений нет')).toBeVisible();
  await expect(account.getByRole('link', { name: 'Уведомления', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Отметить прочитанным' })).toHaveCount(0);
  await checkPage(page, 'notices-read');

  // The footer of every page: «Контакты» and «Помощь».
  const footer = page.getByRole('navigation', { name: 'Сведения о сайте' });
  await footer.getByRole('link', { name: 'Контакты' }).click();
  await expect(page.getByRole('heading', { name: 'Контакты', level: 1 })).toBeVisible();
  await checkPage(page, 'contacts');
  await page
    .getByLabel('Муниципалитет', { exact: true })
    .selectOption({ label: 'город Десногорск городской округ' });
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page.getByRole('heading', { name: 'город Десногорск городской округ' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'город Смоленск городской округ' })).toHaveCount(0);
  await checkPage(page, 'contacts-one');
  await footer.getByRole('link', { name: 'Помощь' }).click();
  await expect(page.getByRole('heading', { name: 'Помощь', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Не пришло письмо' })).toBeVisible();
  await checkPage(page, 'help');
});

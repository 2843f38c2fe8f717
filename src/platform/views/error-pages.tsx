import { Layout } from './layout.js';

export function NotFoundPage() {
  return (
    <Layout title="Страница не найдена">
      <h1>Страница не найдена</h1>
      <p>Возможно, адрес набран с ошибкой или страница была удалена.</p>
      <p>
        Перейдите на <a href="/">главную страницу</a> или воспользуйтесь{' '}
        <a href="/programs">поиском программ</a>.
      </p>
    </Layout>
  );
}

export function BadRequestPage() {
  return (
    <Layout title="Неверный запрос">
      <h1>Неверный запрос</h1>
      <p>Адрес страницы или отправленные данные повреждены. Вернитесь назад и попробуйте ещё раз.</p>
      <p>
        <a href="/">На главную страницу</a>
      </p>
    </Layout>
  );
}

export function ServerErrorPage({ requestId }: { requestId: string }) {
  return (
    <Layout title="Ошибка на сервере">
      <h1>Извините, произошла ошибка на сервере</h1>
      <p>Ваши данные не потеряны. Попробуйте обновить страницу через несколько минут.</p>
      <p>
        Если ошибка повторяется, сообщите в службу поддержки код обращения: <strong>{requestId}</strong>
      </p>
      <p>
        <a href="/">На главную страницу</a>
      </p>
    </Layout>
  );
}

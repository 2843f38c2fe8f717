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

export function ExpiredFormPage() {
  return (
    <Layout title="Форма устарела">
      <h1>Форма устарела</h1>
      <p>
        Страница была открыта слишком давно или в браузере отключены файлы cookie. Вернитесь назад, обновите
        страницу и отправьте форму ещё раз.
      </p>
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

/** A signed-in person opened a section of another role (the access rule of the route said no). */
export function AccessDeniedPage({ text, staff = false }: { text: string; staff?: boolean }) {
  return (
    <Layout title="Раздел недоступен">
      <h1>Раздел недоступен</h1>
      <p>{text}</p>
      <p>
        {staff ? (
          <a href="/staff">Вернуться на рабочий стол</a>
        ) : (
          <a href="/cabinet">Вернуться в личный кабинет</a>
        )}
      </p>
    </Layout>
  );
}

export function UnavailablePage({ requestId }: { requestId: string }) {
  return (
    <Layout title="Сервис временно недоступен">
      <h1>Сервис временно недоступен</h1>
      <p>
        Нет связи с базой данных. Обычно связь восстанавливается за несколько секунд: обновите страницу через
        минуту.
      </p>
      <p>
        Если вы отправляли форму, сначала проверьте, сохранились ли данные, и только потом отправляйте её ещё
        раз.
      </p>
      <p>
        Код обращения: <strong>{requestId}</strong>
      </p>
    </Layout>
  );
}

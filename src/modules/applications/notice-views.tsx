import { CabinetLayout } from '../../platform/views/cabinet.js';
import { CsrfField } from '../../platform/views/forms.js';
import { countOf } from '../../platform/views/format.js';
import { formatMoment } from './labels.js';
import type { NoticePage } from './notices.js';
import { Pagination } from '../../platform/views/pagination.js';

const NEW_FORMS = ['новое', 'новых', 'новых'] as const;

const pageUrl = (page: number) => (page > 1 ? `/cabinet/notices?page=${page}` : '/cabinet/notices');

/** «Уведомления»: one short line per status change, newest first, unread ones marked; marking read is a POST. */
export function NoticesTab({ notices }: { notices: NoticePage }) {
  const { items, page, pageCount, unread } = notices;
  return (
    <CabinetLayout tab="notices" title="Уведомления">
      <h2>Уведомления</h2>
      {items.length === 0 ? (
        <p>
          Уведомлений пока нет. Когда статус заявки изменится, здесь появится строка об этом, а на почту
          придёт письмо.
        </p>
      ) : (
        <>
          <p class="muted">
            {unread > 0 ? `${countOf(unread, NEW_FORMS)} из ${notices.total}` : 'Новых уведомлений нет'}.
            Уведомления хранятся 12 месяцев.
          </p>
          {unread > 0 && (
            <form method="post" action="/cabinet/notices/read-all">
              <CsrfField />
              <button type="submit" class="button button--secondary button--small">
                Отметить все прочитанными
              </button>
            </form>
          )}
          <ul class="notices-list">
            {items.map((notice) => (
              <li
                key={notice.id}
                class={`notices-list__item${notice.read ? '' : ' notices-list__item--unread'}`}
              >
                <p class="notices-list__text">
                  {!notice.read && <span class="tag tag--warning">Новое</span>} {notice.summary}
                </p>
                <span class="muted">{formatMoment(notice.createdAt)}</span>
                <a href={`/cabinet/applications/${notice.applicationId}`}>Открыть заявку</a>
                {!notice.read && (
                  <form method="post" action={`/cabinet/notices/${notice.id}/read`} class="inline-form">
                    <CsrfField />
                    <input type="hidden" name="page" value={String(page)} />
                    <button type="submit" class="link-button link-button--dark">
                      Отметить прочитанным
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
          <Pagination
            page={page}
            pageCount={pageCount}
            label="Страницы уведомлений"
            hrefFor={(p) => pageUrl(p)}
            previous="← Новее"
            next="Старше →"
          />
        </>
      )}
    </CabinetLayout>
  );
}

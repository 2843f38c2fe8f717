import {
  CheckboxField,
  CsrfField,
  ErrorSummary,
  SelectField,
  TextField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { countOf, formatDate, formatPhone } from '../../platform/views/format.js';
import { Layout } from '../../platform/views/layout.js';
import type { StaffRole } from '../../platform/http/request-context.js';
import type { Certificate } from '../certificates/index.js';
import { formatCertificateNumber } from '../certificates/index.js';
import { MUNICIPALITIES, municipalityName } from '../reference/index.js';
import { QUEUE_PAGE_SIZE, type IdentityMatch, type StaffChildView } from './confirmation.js';
import { ROLE_LABELS } from './policy.js';
import { ChildFacts, documentName, fullName } from './format.js';
import type { Child } from './service.js';
import { Pagination } from '../../platform/views/pagination.js';

type FormValues = Partial<Record<string, string>>;

const STATUS = {
  unconfirmed: 'Ожидает подтверждения',
  confirmed: 'Подтверждены',
  rejected: 'Отклонены',
} as const;

export type SearchResult = { child: Child; certificate: Certificate | undefined };

/** The operators' way back: the workspace and the search. */
export function StaffNav() {
  return (
    <p class="muted">
      <a href="/staff">← Рабочий стол</a>
      {' · '}
      <a href="/staff/search">Поиск ребёнка</a>
      {' · '}
      <a href="/staff/children?status=waiting">Ожидают подтверждения</a>
    </p>
  );
}

/** «Поиск ребёнка»: by certificate number, by ФИО + birth date, or by the parent's phone or e-mail. By GET. */
export function StaffSearchPage({
  staff,
  values = {},
  errors = {},
  results,
}: {
  staff: StaffRole;
  values?: FormValues;
  errors?: FieldErrors;
  results?: SearchResult[] | undefined;
}) {
  const by = values.by;
  // Each form shows its own values and errors; the others stay empty.
  const own = (form: string) => (by === form ? { values, errors } : { values: {}, errors: {} });
  const certificate = own('certificate');
  const person = own('person');
  const contact = own('contact');
  return (
    <Layout title="Поиск ребёнка">
      <StaffNav />
      <ErrorSummary errors={errors} />
      <h1>Поиск ребёнка</h1>
      <p class="muted">
        {ROLE_LABELS[staff.role]}
        {staff.role !== 'coordinator' ? ` · ${municipalityName(staff.municipalityId)}` : ' · вся область'}
      </p>
      <div class="search-forms">
        <form method="get" action="/staff/search" class="search-form" novalidate>
          <input type="hidden" name="by" value="certificate" />
          <h2>По номеру сертификата</h2>
          <TextField
            name="number"
            label="Номер сертификата"
            inputMode="numeric"
            width="medium"
            value={certificate.values.number}
            error={certificate.errors.number}
          />
          <button type="submit" class="button">
            Найти
          </button>
        </form>
        <form method="get" action="/staff/search" class="search-form" novalidate>
          <input type="hidden" name="by" value="person" />
          <h2>По ФИО и дате рождения</h2>
          <TextField
            name="lastName"
            label="Фамилия"
            value={person.values.lastName}
            error={person.errors.lastName}
          />
          <TextField
            name="firstName"
            label="Имя"
            value={person.values.firstName}
            error={person.errors.firstName}
          />
          <TextField
            name="middleName"
            label="Отчество"
            hint="Можно не указывать"
            value={person.values.middleName}
            error={person.errors.middleName}
          />
          <TextField
            name="birthDate"
            label="Дата рождения"
            hint="ДД.ММ.ГГГГ"
            width="medium"
            value={person.values.birthDate}
            error={person.errors.birthDate}
          />
          <button type="submit" class="button">
            Найти
          </button>
        </form>
        <form method="get" action="/staff/search" class="search-form" novalidate>
          <input type="hidden" name="by" value="contact" />
          <h2>По телефону или почте родителя</h2>
          <TextField
            name="contact"
            label="Телефон или электронная почта"
            hint="Например, +7 900 123-45-67 или name@example.ru"
            value={contact.values.contact}
            error={contact.errors.contact}
          />
          <button type="submit" class="button">
            Найти
          </button>
        </form>
      </div>
      {results && (
        <section aria-labelledby="results-title">
          <h2 id="results-title">Результаты поиска</h2>
          {results.length === 0 ? (
            <p>
              Ничего не найдено. Проверьте данные: поиск идёт только среди детей, зарегистрированных в{' '}
              {staff.role === 'coordinator' ? 'области' : 'вашем муниципалитете'}.
            </p>
          ) : (
            <ul class="results">
              {results.map((result) => (
                <ChildResult key={result.child.id} {...result} />
              ))}
            </ul>
          )}
        </section>
      )}
    </Layout>
  );
}

/** «3 дня», «меньше суток»: how long a child's data has waited for the in-person check. */
export function waitingFor(since: Date, now: Date = new Date()): string {
  const days = Math.floor((now.getTime() - since.getTime()) / 86_400_000);
  return days < 1 ? 'меньше суток' : countOf(days, ['день', 'дня', 'дней']);
}

function queueUrl(municipalityId: number | undefined, page: number): string {
  const query = new URLSearchParams({ status: 'waiting' });
  if (municipalityId !== undefined) query.set('municipality', String(municipalityId));
  if (page > 1) query.set('page', String(page));
  return `/staff/children?${query.toString()}`;
}

/** «Ожидают подтверждения»: the confirmation queue, the longest waiting first. */
export function StaffQueuePage({
  staff,
  municipalityId,
  page,
  items,
  total,
}: {
  staff: StaffRole;
  municipalityId: number | undefined;
  page: number;
  items: SearchResult[];
  total: number;
}) {
  const pages = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
  return (
    <Layout title="Ожидают подтверждения данных">
      <StaffNav />
      <h1>Ожидают подтверждения данных</h1>
      <p class="muted">
        {staff.role === 'coordinator'
          ? municipalityId === undefined
            ? 'Вся область'
            : municipalityName(municipalityId)
          : municipalityName(staff.municipalityId)}
      </p>
      {staff.role === 'coordinator' && (
        <form method="get" action="/staff/children" class="filters">
          <input type="hidden" name="status" value="waiting" />
          <SelectField
            name="municipality"
            label="Муниципалитет"
            value={municipalityId === undefined ? '' : String(municipalityId)}
            placeholder="Вся область"
            options={MUNICIPALITIES.map((m) => ({ value: String(m.id), label: m.name }))}
          />
          <button class="button button--secondary" type="submit">
            Показать
          </button>
        </form>
      )}
      {items.length === 0 ? (
        <p class="empty">Все данные проверены: никто не ждёт подтверждения.</p>
      ) : (
        <>
          <p class="muted">Ожидают: {total}. Сначала — те, кто ждёт дольше всех.</p>
          <table class="table table--cards">
            <caption class="visually-hidden">Ожидают подтверждения данных</caption>
            <thead>
              <tr>
                <th scope="col">Ребёнок</th>
                <th scope="col">Дата рождения</th>
                <th scope="col">Муниципалитет</th>
                <th scope="col">Ждёт</th>
              </tr>
            </thead>
            <tbody>
              {items.map(({ child }) => (
                <tr key={child.id}>
                  <td data-label="Ребёнок">
                    <a href={`/staff/children/${child.id}`}>{fullName(child)}</a>
                    {child.possibleDuplicate && <span class="tag tag--warning">совпадение данных</span>}
                  </td>
                  <td data-label="Дата рождения">{formatDate(child.birthDate)}</td>
                  <td data-label="Муниципалитет">{municipalityName(child.municipalityId)}</td>
                  <td data-label="Ждёт">{waitingFor(child.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <Pagination
        page={page}
        pageCount={pages}
        label="Страницы очереди"
        hrefFor={(p) => queueUrl(municipalityId, p)}
      />
    </Layout>
  );
}

/** One child found by a search: the name links to the staff child page, then the facts and the certificate. */
export function ChildResult({ child, certificate }: { child: Child; certificate: Certificate | undefined }) {
  return (
    <li class="result">
      <h3 class="result__title">
        <a href={`/staff/children/${child.id}`}>{fullName(child)}</a>
      </h3>
      <p class="result__meta">
        {formatDate(child.birthDate)} · {municipalityName(child.municipalityId)} · данные:{' '}
        {STATUS[child.dataStatus]}
        {certificate ? ` · сертификат № ${formatCertificateNumber(certificate.number)}` : ''}
      </p>
    </li>
  );
}

const CERTIFICATE_STATUS: Record<Certificate['status'], string> = {
  awaiting_confirmation: 'ожидает подтверждения',
  active: 'действует',
  suspended: 'приостановлен',
  closed: 'закрыт',
};

/** «Совпадения данных детей»: the same child registered in two accounts, waiting for an in-person check. */
export function StaffMatchesPage({
  staff,
  results,
}: {
  staff: StaffRole;
  results: { child: Child; certificate: Certificate | undefined }[];
}) {
  return (
    <Layout title="Совпадения данных детей">
      <StaffNav />
      <h1>Совпадения данных детей</h1>
      <p class="muted">
        {staff.role === 'coordinator' ? 'Вся область' : municipalityName(staff.municipalityId)}
      </p>
      <p>
        Ребёнок с такими же ФИО и датой рождения или СНИЛС зарегистрирован ещё в одном личном кабинете.
        Родителям об этом не сообщается. Сертификат действует только у одной записи: у другой он приостановлен
        до вашего решения. Сверьте документы при личном обращении: подтвердите данные настоящего ребёнка или
        отклоните запись с причиной.
      </p>
      {results.length === 0 ? (
        <p>Совпадений нет.</p>
      ) : (
        <ul class="results">
          {results.map((result) => (
            <ChildResult key={result.child.id} {...result} />
          ))}
        </ul>
      )}
    </Layout>
  );
}

function MatchList({ matches }: { matches: IdentityMatch[] }) {
  return (
    <ul>
      {matches.map((match) => (
        <li key={match.id}>
          {match.reachable ? (
            <a href={`/staff/children/${match.id}`}>Запись в другом кабинете</a>
          ) : (
            'Запись в другом кабинете'
          )}
          {` · ${municipalityName(match.municipalityId)} · данные: ${STATUS[match.dataStatus].toLowerCase()} · сертификат: ${
            match.certificateStatus ? CERTIFICATE_STATUS[match.certificateStatus] : 'не выдан'
          }`}
        </li>
      ))}
    </ul>
  );
}

export function StaffChildPage({
  view,
  confirmValues = {},
  confirmErrors = {},
  rejectValues = {},
  rejectErrors = {},
}: {
  view: StaffChildView;
  confirmValues?: FormValues;
  confirmErrors?: FieldErrors;
  rejectValues?: FormValues;
  rejectErrors?: FieldErrors;
}) {
  const { child, certificate } = view;
  const documentText = documentName(child);
  return (
    <Layout title={`Данные ребёнка: ${fullName(child)}`}>
      <StaffNav />
      <ErrorSummary errors={{ ...confirmErrors, ...rejectErrors }} />
      <h1>{fullName(child)}</h1>
      <p class="lead">Данные: {STATUS[child.dataStatus]}</p>
      {view.matches.length > 0 && (
        <div class="panel" role="note">
          <p>
            <strong>Возможный дубликат.</strong> Ребёнок с таким же СНИЛС или ФИО и датой рождения есть в
            другом личном кабинете. Проверьте документы особенно внимательно: сертификат действует только у
            одной записи.
          </p>
          <MatchList matches={view.matches} />
        </div>
      )}
      <dl class="facts">
        <ChildFacts child={child} />
        <dt>Сертификат</dt>
        <dd>
          {certificate
            ? `№ ${formatCertificateNumber(certificate.number)}, ${CERTIFICATE_STATUS[certificate.status]}`
            : 'не выдан'}
        </dd>
        <dt>Родитель (законный представитель)</dt>
        <dd>{view.parent?.fullName ?? '—'}</dd>
        <dt>Телефон родителя</dt>
        <dd>{view.parent ? formatPhone(view.parent.phone) : '—'}</dd>
        <dt>Электронная почта родителя</dt>
        <dd>{view.parent?.email ?? '—'}</dd>
        {child.dataStatus === 'confirmed' && (
          <>
            <dt>Подтверждено</dt>
            <dd>
              {child.confirmedAt?.toLocaleString('ru-RU', { timeZone: 'Europe/Moscow' })},{' '}
              {child.confirmedDocument}
            </dd>
          </>
        )}
        {child.dataStatus === 'rejected' && (
          <>
            <dt>Причина отклонения</dt>
            <dd>{child.rejectionReason}</dd>
          </>
        )}
      </dl>
      {child.dataStatus !== 'confirmed' && (
        <div class="columns">
          <form method="post" action={`/staff/children/${child.id}/confirm`} class="filters" novalidate>
            <CsrfField />
            <h2>Подтвердить</h2>
            <TextField
              name="document"
              label="Предъявленный документ"
              value={confirmValues.document ?? documentText}
              error={confirmErrors.document}
            />
            <CheckboxField
              name="checked"
              label="Я сверил данные с оригиналом документа"
              checked={confirmValues.checked === 'yes'}
              error={confirmErrors.checked}
            />
            <button type="submit" class="button">
              Подтвердить данные
            </button>
          </form>
          <form method="post" action={`/staff/children/${child.id}/reject`} class="filters" novalidate>
            <CsrfField />
            <h2>Отклонить</h2>
            <div class={`field${rejectErrors.reason ? ' field--error' : ''}`}>
              <label class="label" for="reason">
                Причина (её увидит родитель)
              </label>
              {rejectErrors.reason && (
                <p class="field-error" id="reason-error">
                  <span class="visually-hidden">Ошибка: </span>
                  {rejectErrors.reason}
                </p>
              )}
              <textarea
                class="input textarea"
                id="reason"
                name="reason"
                rows={3}
                maxLength={500}
                aria-describedby={rejectErrors.reason ? 'reason-error' : undefined}
              >
                {rejectValues.reason ?? ''}
              </textarea>
            </div>
            <button type="submit" class="button button--warning">
              Отклонить
            </button>
          </form>
        </div>
      )}
    </Layout>
  );
}

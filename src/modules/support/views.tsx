import type { ComponentChildren } from 'preact';
import type { Letter, LetterState } from '../../platform/mail/history.js';
import type { StaffRole } from '../../platform/http/request-context.js';
import {
  CsrfField,
  ErrorSummary,
  RadioGroup,
  SelectField,
  TextAreaField,
  TextField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { formatDateTime, formatPhone } from '../../platform/views/format.js';
import { Layout } from '../../platform/views/layout.js';
import { officialName } from '../../platform/grammar/index.js';
import { ACCOUNT_PAGE_SIZE, type AccountState, type AccountSummary } from '../accounts/index.js';
import { ChildResult, type StaffChildResult } from '../children/index.js';
import { MUNICIPALITIES, municipalityName } from '../reference/index.js';
import { ACTIONS, type SupportAction } from './schemas.js';
import {
  REQUEST_PAGE_SIZE,
  REQUEST_STATUS,
  TOPICS,
  type RequestStatus,
  type SupportReply,
  type SupportRequest,
  type Topic,
} from './service.js';
import { Pagination } from '../../platform/views/pagination.js';

type FormValues = Partial<Record<string, string>>;

const ROLE: Record<NonNullable<AccountSummary['role']>, string> = {
  org_staff: 'Сотрудник организации',
  municipal_admin: 'Муниципальный администратор',
  coordinator: 'Региональный координатор',
};

function SupportNav() {
  return (
    <p class="muted">
      <a href="/staff">← Рабочий стол</a>
      {' · '}
      <a href="/staff/support">Поддержка: поиск учётной записи</a>
      {' · '}
      <a href="/staff/support/requests">Обращения</a>
    </p>
  );
}

function reach(staff: StaffRole) {
  return staff.role === 'coordinator' ? 'вся область' : municipalityName(staff.municipalityId);
}

function deskUrl(q: string, page: number) {
  const query = new URLSearchParams({ q });
  if (page > 1) query.set('page', String(page));
  return `/staff/support?${query.toString()}`;
}

function ConfirmedTag({ at }: { at: Date | null }) {
  return at ? (
    <span class="tag">адрес подтверждён</span>
  ) : (
    <span class="tag tag--warning">адрес не подтверждён</span>
  );
}

/** «Поддержка»: find an account by e-mail, phone or ФИО (GET), a page of results at a time. */
export function SupportDeskPage({
  staff,
  values = {},
  errors = {},
  page = 1,
  results,
}: {
  staff: StaffRole;
  values?: FormValues;
  errors?: FieldErrors;
  page?: number;
  results?: { items: AccountSummary[]; total: number } | undefined;
}) {
  const pages = results ? Math.max(1, Math.ceil(results.total / ACCOUNT_PAGE_SIZE)) : 1;
  const q = values.q ?? '';
  return (
    <Layout title="Поддержка пользователей">
      <SupportNav />
      <ErrorSummary errors={errors} />
      <h1>Поддержка пользователей</h1>
      <p class="muted">Учётные записи: {reach(staff)}</p>
      <p>
        Родителю не пришло письмо? Найдите его учётную запись: здесь видно, отправлено ли письмо, отклонено
        почтовым сервером или ждёт в очереди, — и можно отправить его ещё раз, исправить адрес или подтвердить
        его вручную.
      </p>
      <form method="get" action="/staff/support" class="search-form" novalidate>
        <TextField
          name="q"
          type="search"
          label="Электронная почта, телефон или ФИО"
          hint="Например, ivanova@, +7 900 123-45-67 или Иванова Мария"
          value={q}
          error={errors.q}
        />
        <button type="submit" class="button">
          Найти
        </button>
      </form>
      {results && (
        <section aria-labelledby="results-title">
          <h2 id="results-title">Найдено: {results.total}</h2>
          {results.items.length === 0 ? (
            <p>
              Ничего не найдено. Поиск идёт по учётным записям{' '}
              {staff.role === 'coordinator' ? 'области' : 'вашего муниципалитета'}; адрес можно ввести частью.
            </p>
          ) : (
            <table class="table table--cards">
              <caption class="visually-hidden">Найденные учётные записи</caption>
              <thead>
                <tr>
                  <th scope="col">ФИО</th>
                  <th scope="col">Электронная почта</th>
                  <th scope="col">Телефон</th>
                  <th scope="col">Муниципалитет</th>
                  <th scope="col">Зарегистрирован</th>
                </tr>
              </thead>
              <tbody>
                {results.items.map((account) => (
                  <tr key={account.id}>
                    <td data-label="ФИО">
                      <a href={`/staff/support/accounts/${account.id}`}>{officialName(account)}</a>
                      {account.role && <span class="tag">{ROLE[account.role]}</span>}
                    </td>
                    <td data-label="Электронная почта">
                      <span class="break">{account.email}</span> <ConfirmedTag at={account.emailVerifiedAt} />
                    </td>
                    <td data-label="Телефон">{formatPhone(account.phone)}</td>
                    <td data-label="Муниципалитет">{municipalityName(account.municipalityId)}</td>
                    <td data-label="Зарегистрирован">{formatDateTime(account.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pagination
            page={page}
            pageCount={pages}
            label="Страницы результатов"
            hrefFor={(p) => deskUrl(q, p)}
          />
        </section>
      )}
    </Layout>
  );
}

/** What became of a letter, in words: «Передано почтовому серверу 01.12.2026, 18:40». */
export function letterStatus(status: LetterState): ComponentChildren {
  switch (status.state) {
    case 'queued':
      return 'В очереди на отправку';
    case 'sending':
      return 'Отправляется';
    case 'sent':
      return `Передано почтовому серверу ${formatDateTime(status.at)}`;
    case 'retrying':
      return (
        <>
          Не отправлено, попыток: {status.attempts}; следующая — {formatDateTime(status.nextAt)}
          {status.answer && <ServerAnswer answer={status.answer} />}
        </>
      );
    case 'failed':
      return (
        <>
          Не отправлено: попытки исчерпаны ({status.attempts})
          {status.answer && <ServerAnswer answer={status.answer} />}
        </>
      );
    case 'cancelled':
      return 'Отменено';
  }
}

function ServerAnswer({ answer }: { answer: string }) {
  return (
    <>
      <br />
      Ответ сервера: <code class="break">{answer}</code>
    </>
  );
}

function LetterRows({ letters }: { letters: Letter[] }) {
  return (
    <table class="table table--cards">
      <caption class="visually-hidden">Письма этой учётной записи</caption>
      <thead>
        <tr>
          <th scope="col">Поставлено в очередь</th>
          <th scope="col">Кому</th>
          <th scope="col">Тема</th>
          <th scope="col">Что с письмом</th>
        </tr>
      </thead>
      <tbody>
        {letters.map((letter) => (
          <tr key={letter.jobId}>
            <td data-label="Поставлено в очередь">{formatDateTime(letter.queuedAt)}</td>
            <td data-label="Кому">
              <span class="break">{letter.to}</span>
            </td>
            <td data-label="Тема">{letter.subject}</td>
            <td data-label="Что с письмом">{letterStatus(letter.status)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const LOCK: Record<AccountState['locks'][number]['kind'], string> = {
  letters: 'Письма на этот адрес: лимит исчерпан',
  reauth: 'Ввод пароля в личном кабинете: лимит исчерпан',
  sign_in: 'Вход замедлен после неверных паролей',
};

/** What an action's form posted, to show its values and errors again (the other forms stay empty). */
export interface PostedForm {
  action: SupportAction;
  values: FormValues;
  errors: FieldErrors;
}

function ActionForm({
  accountId,
  action,
  title,
  text,
  button,
  posted,
  children,
}: {
  accountId: string;
  action: SupportAction;
  title: string;
  text: ComponentChildren;
  button: string;
  posted: PostedForm | undefined;
  children?: ComponentChildren;
}) {
  const field = ACTIONS[action];
  const own = posted?.action === action ? posted : undefined;
  return (
    <form method="post" action={`/staff/support/accounts/${accountId}/${action}`} class="panel" novalidate>
      <CsrfField />
      <h3>{title}</h3>
      <p>{text}</p>
      {children}
      <TextAreaField
        name={field}
        label="Причина"
        hint="Например: «позвонила мама, письмо не пришло». Сохранится в журнале действий."
        rows={2}
        maxLength={500}
        value={own?.values[field]}
        error={own?.errors[field]}
      />
      <button type="submit" class="button button--secondary">
        {button}
      </button>
    </form>
  );
}

/** One account at the desk: its state, its letters, its children, and what the operator can do. */
export function SupportAccountPage({
  state,
  children,
  posted,
}: {
  state: AccountState;
  children: StaffChildResult[];
  posted?: PostedForm | undefined;
}) {
  const { account, letters, locks, lastSignInAt } = state;
  const name = officialName(account);
  return (
    <Layout title={`Поддержка: ${name}`}>
      <SupportNav />
      <ErrorSummary errors={posted?.errors ?? {}} />
      <h1>{name}</h1>
      <dl class="facts">
        <div>
          <dt>Электронная почта</dt>
          <dd>
            <span class="break">{account.email}</span> <ConfirmedTag at={account.emailVerifiedAt} />
            {account.emailVerifiedAt && <> с {formatDateTime(account.emailVerifiedAt)}</>}
          </dd>
        </div>
        <div>
          <dt>Телефон</dt>
          <dd>{formatPhone(account.phone)}</dd>
        </div>
        <div>
          <dt>Муниципалитет</dt>
          <dd>{municipalityName(account.municipalityId)}</dd>
        </div>
        <div>
          <dt>Кто</dt>
          <dd>{account.role ? ROLE[account.role] : 'Родитель (законный представитель) или подросток 14+'}</dd>
        </div>
        <div>
          <dt>Зарегистрирован</dt>
          <dd>{formatDateTime(account.createdAt)}</dd>
        </div>
        <div>
          <dt>Последний вход</dt>
          <dd>{lastSignInAt ? formatDateTime(lastSignInAt) : 'ещё не входил'}</dd>
        </div>
        <div>
          <dt>Ограничения</dt>
          <dd>
            {locks.length === 0 ? (
              'нет'
            ) : (
              <ul>
                {locks.map((lock) => (
                  <li key={lock.kind}>
                    {LOCK[lock.kind]} — до {formatDateTime(lock.until)}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>

      <h2>Письма</h2>
      {letters.length === 0 ? (
        <p class="empty">
          Писем на адреса этой учётной записи не найдено (очередь хранит письма около двух недель).
        </p>
      ) : (
        <LetterRows letters={letters} />
      )}

      <h2>Дети и сертификаты</h2>
      {children.length === 0 ? (
        <p class="empty">Детей в вашей зоне ответственности в этой учётной записи нет.</p>
      ) : (
        <ul class="results">
          {children.map((result) => (
            <ChildResult key={result.child.id} {...result} />
          ))}
        </ul>
      )}

      <h2>Действия</h2>
      <div class="search-forms">
        {!account.emailVerifiedAt && (
          <ActionForm
            accountId={account.id}
            action="resend-confirmation"
            title="Отправить письмо ещё раз"
            text={<>Новое письмо со ссылкой для подтверждения уйдёт на {account.email}.</>}
            button="Отправить письмо"
            posted={posted}
          />
        )}
        <ActionForm
          accountId={account.id}
          action="email"
          title="Исправить адрес электронной почты"
          text="Адрес сменится сразу и будет не подтверждён: на новый адрес уйдёт ссылка для подтверждения. Если прежний адрес был подтверждён, ему придёт уведомление со ссылкой для отмены."
          button="Исправить адрес"
          posted={posted}
        >
          <TextField
            name="newEmail"
            type="email"
            label="Новый адрес"
            autocomplete="off"
            maxLength={254}
            value={posted?.action === 'email' ? posted.values.newEmail : undefined}
            error={posted?.action === 'email' ? posted.errors.newEmail : undefined}
          />
        </ActionForm>
        {!account.emailVerifiedAt && (
          <ActionForm
            accountId={account.id}
            action="confirm-email"
            title="Подтвердить адрес вручную"
            text="Только если вы убедились, что адрес принадлежит владельцу учётной записи (например, он прочитал вам письмо навигатора)."
            button="Подтвердить адрес"
            posted={posted}
          />
        )}
        <ActionForm
          accountId={account.id}
          action="unlock"
          title="Снять ограничения"
          text="Сбрасывает счётчики этой учётной записи: письма на её адрес, ввод пароля в личном кабинете и замедление входа."
          button="Снять ограничения"
          posted={posted}
        />
        <ActionForm
          accountId={account.id}
          action="password-reset"
          title="Отправить ссылку для смены пароля"
          text={
            <>
              Ссылка уйдёт на {account.email} и будет действовать 1 час; прежние ссылки перестанут работать.
            </>
          }
          button="Отправить ссылку"
          posted={posted}
        />
      </div>
    </Layout>
  );
}

/** «Задать вопрос»: topic, text, e-mail; a guest also chooses the municipality the question is for. */
export function AskPage({
  signedIn,
  values = {},
  errors = {},
}: {
  signedIn: boolean;
  values?: FormValues;
  errors?: FieldErrors;
}) {
  return (
    <Layout title="Задать вопрос">
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h1>Задать вопрос</h1>
        <p class="lead">
          Вопрос получит муниципальный администратор вашего муниципалитета. Ответ придёт на указанный адрес
          электронной почты.
        </p>
        <form method="post" action="/support/ask" novalidate>
          <CsrfField />
          <RadioGroup
            name="topic"
            label="Тема"
            value={values.topic}
            error={errors.topic}
            options={Object.entries(TOPICS).map(([value, label]) => ({ value, label }))}
          />
          <TextAreaField
            name="text"
            label="Ваш вопрос"
            hint="Опишите, что случилось. Не указывайте здесь пароль и данные документов."
            maxLength={5000}
            value={values.text}
            error={errors.text}
          />
          <TextField
            name="email"
            type="email"
            label="Адрес электронной почты для ответа"
            autocomplete="email"
            maxLength={254}
            value={values.email}
            error={errors.email}
          />
          {!signedIn && (
            <SelectField
              name="municipalityId"
              label="Муниципалитет"
              hint="Вопрос получит администратор этого муниципалитета"
              placeholder="Выберите муниципалитет"
              value={values.municipalityId}
              error={errors.municipalityId}
              options={MUNICIPALITIES.map((m) => ({ value: String(m.id), label: m.name }))}
            />
          )}
          <button type="submit" class="button">
            Отправить вопрос
          </button>
        </form>
        <p>
          Можно и позвонить:{' '}
          <a href="/contacts">контакты муниципальных администраторов и регионального координатора</a>.
        </p>
      </div>
    </Layout>
  );
}

export function AskSentPage() {
  return (
    <Layout title="Вопрос отправлен">
      <div class="narrow">
        <h1>Вопрос отправлен</h1>
        <p class="lead">
          Муниципальный администратор ответит на указанный адрес электронной почты. Обычно ответ приходит в
          течение рабочего дня.
        </p>
        <p>
          <a href="/">На главную</a>
        </p>
      </div>
    </Layout>
  );
}

const STATUS_FILTERS = [
  ['open', 'Ждут ответа'],
  ['new', REQUEST_STATUS.new],
  ['in_progress', REQUEST_STATUS.in_progress],
  ['answered', REQUEST_STATUS.answered],
  ['closed', REQUEST_STATUS.closed],
  ['all', 'Все'],
] as const;

function requestsUrl(status: string, municipalityId: number | undefined, page: number) {
  const query = new URLSearchParams({ status });
  if (municipalityId !== undefined) query.set('municipality', String(municipalityId));
  if (page > 1) query.set('page', String(page));
  return `/staff/support/requests?${query.toString()}`;
}

function StatusTag({ status }: { status: RequestStatus }) {
  return <span class={`tag${status === 'new' ? ' tag--warning' : ''}`}>{REQUEST_STATUS[status]}</span>;
}

/** «Обращения»: the support requests within reach, the oldest first. */
export function RequestsPage({
  staff,
  status,
  municipalityId,
  page,
  items,
  total,
}: {
  staff: StaffRole;
  status: string;
  municipalityId: number | undefined;
  page: number;
  items: SupportRequest[];
  total: number;
}) {
  const pages = Math.max(1, Math.ceil(total / REQUEST_PAGE_SIZE));
  return (
    <Layout title="Обращения пользователей">
      <SupportNav />
      <h1>Обращения пользователей</h1>
      <p class="muted">
        {staff.role === 'coordinator' && municipalityId !== undefined
          ? municipalityName(municipalityId)
          : reach(staff)}
      </p>
      <form method="get" action="/staff/support/requests" class="filters">
        <SelectField
          name="status"
          label="Состояние"
          value={status}
          options={STATUS_FILTERS.map(([value, label]) => ({ value, label }))}
        />
        {staff.role === 'coordinator' && (
          <SelectField
            name="municipality"
            label="Муниципалитет"
            value={municipalityId === undefined ? '' : String(municipalityId)}
            placeholder="Вся область"
            options={MUNICIPALITIES.map((m) => ({ value: String(m.id), label: m.name }))}
          />
        )}
        <button class="button button--secondary" type="submit">
          Показать
        </button>
      </form>
      {items.length === 0 ? (
        <p class="empty">Обращений нет.</p>
      ) : (
        <table class="table table--cards">
          <caption class="visually-hidden">Обращения</caption>
          <thead>
            <tr>
              <th scope="col">Получено</th>
              <th scope="col">Тема</th>
              <th scope="col">От кого</th>
              <th scope="col">Муниципалитет</th>
              <th scope="col">Состояние</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td data-label="Получено">{formatDateTime(item.createdAt)}</td>
                <td data-label="Тема">
                  <a href={`/staff/support/requests/${item.id}`}>
                    {TOPICS[item.topic as Topic] ?? item.topic}
                  </a>
                </td>
                <td data-label="От кого">
                  <span class="break">{item.email}</span>
                </td>
                <td data-label="Муниципалитет">{municipalityName(item.municipalityId)}</td>
                <td data-label="Состояние">
                  <StatusTag status={item.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination
        page={page}
        pageCount={pages}
        label="Страницы обращений"
        hrefFor={(p) => requestsUrl(status, municipalityId, p)}
      />
    </Layout>
  );
}

/** One request: the question, the answers sent, the answer form and the status. */
export function RequestPage({
  request,
  replies,
  values = {},
  errors = {},
}: {
  request: SupportRequest;
  replies: SupportReply[];
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const topic = TOPICS[request.topic as Topic] ?? request.topic;
  return (
    <Layout title={`Обращение: ${topic}`}>
      <p class="muted">
        <a href="/staff/support/requests">← Обращения</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>{topic}</h1>
      <dl class="facts">
        <div>
          <dt>Состояние</dt>
          <dd>
            <StatusTag status={request.status} />
          </dd>
        </div>
        <div>
          <dt>Получено</dt>
          <dd>{formatDateTime(request.createdAt)}</dd>
        </div>
        <div>
          <dt>От кого</dt>
          <dd>
            <span class="break">{request.email}</span>
            {request.userId && (
              <>
                {' · '}
                <a href={`/staff/support/accounts/${request.userId}`}>учётная запись</a>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Муниципалитет</dt>
          <dd>{municipalityName(request.municipalityId)}</dd>
        </div>
      </dl>
      <h2>Вопрос</h2>
      <p class="pre-line">{request.text}</p>
      {replies.length > 0 && (
        <>
          <h2>Ответы</h2>
          <ul class="results">
            {replies.map((reply) => (
              <li key={reply.id} class="result">
                <p class="result__meta">{formatDateTime(reply.createdAt)}</p>
                <p class="pre-line">{reply.text}</p>
              </li>
            ))}
          </ul>
        </>
      )}
      <form method="post" action={`/staff/support/requests/${request.id}/answer`} class="panel" novalidate>
        <CsrfField />
        <h2>Ответить по электронной почте</h2>
        <TextAreaField
          name="answer"
          label="Ответ"
          hint={`Уйдёт на ${request.email}; обращение станет «Отвечено».`}
          maxLength={10_000}
          rows={6}
          value={values.answer}
          error={errors.answer}
        />
        <button type="submit" class="button">
          Отправить ответ
        </button>
      </form>
      <form method="post" action={`/staff/support/requests/${request.id}/status`} class="filters" novalidate>
        <CsrfField />
        <SelectField
          name="status"
          label="Изменить состояние"
          value={request.status}
          error={errors.status}
          options={Object.entries(REQUEST_STATUS).map(([value, label]) => ({ value, label }))}
        />
        <button type="submit" class="button button--secondary">
          Сохранить
        </button>
      </form>
    </Layout>
  );
}

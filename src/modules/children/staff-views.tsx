import {
  CheckboxField,
  CsrfField,
  ErrorSummary,
  TextField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { formatDate } from '../../platform/views/format.js';
import { Layout } from '../../platform/views/layout.js';
import type { StaffRole } from '../../platform/http/request-context.js';
import type { Certificate } from '../certificates/index.js';
import { formatCertificateNumber } from '../certificates/index.js';
import { municipalityName } from '../reference/index.js';
import type { IdentityMatch, StaffChildView } from './confirmation.js';
import { ROLE_LABELS } from './policy.js';
import { ChildFacts, documentName, fullName } from './format.js';
import type { Child } from './service.js';

type FormValues = Partial<Record<string, string>>;

const STATUS = {
  unconfirmed: 'Ожидает подтверждения',
  confirmed: 'Подтверждены',
  rejected: 'Отклонены',
} as const;

export function StaffHomePage({
  staff,
  values = {},
  errors = {},
  results,
}: {
  staff: StaffRole;
  values?: FormValues;
  errors?: FieldErrors;
  results?: { child: Child; certificate: Certificate | undefined }[];
}) {
  return (
    <Layout title="Подтверждение данных детей">
      <ErrorSummary errors={errors} />
      <h1>Подтверждение данных детей</h1>
      <p class="muted">
        {ROLE_LABELS[staff.role]}
        {staff.role !== 'coordinator' ? ` · ${municipalityName(staff.municipalityId)}` : ' · вся область'}
      </p>
      {staff.role !== 'org_staff' && (
        <p>
          <a href="/staff/moderation">Модерация программ</a>
          {' · '}
          <a href="/staff/people">
            {staff.role === 'coordinator' ? 'Муниципальные администраторы' : 'Сотрудники организаций'}
          </a>
          {staff.role === 'coordinator' && (
            <>
              {' · '}
              <a href="/staff/municipalities">Приёмные муниципальных администраторов</a>
              {' · '}
              <a href="/staff/search-synonyms">Поиск: связанные слова</a>
            </>
          )}
          {' · '}
          <a href="/staff/matches">Совпадения данных детей</a>
        </p>
      )}

      <div class="columns">
        <form method="post" action="/staff/search" class="filters" novalidate>
          <CsrfField />
          <input type="hidden" name="by" value="certificate" />
          <h2>По номеру сертификата</h2>
          <TextField
            name="number"
            label="Номер сертификата"
            inputMode="numeric"
            width="medium"
            value={values.number}
            error={errors.number}
          />
          <button type="submit" class="button">
            Найти
          </button>
        </form>
        <form method="post" action="/staff/search" class="filters" novalidate>
          <CsrfField />
          <input type="hidden" name="by" value="person" />
          <h2>По ФИО и дате рождения</h2>
          <TextField name="lastName" label="Фамилия" value={values.lastName} error={errors.lastName} />
          <TextField name="firstName" label="Имя" value={values.firstName} error={errors.firstName} />
          <TextField
            name="middleName"
            label="Отчество (если есть)"
            value={values.middleName}
            error={errors.middleName}
          />
          <TextField
            name="birthDate"
            label="Дата рождения"
            hint="ДД.ММ.ГГГГ"
            width="medium"
            value={values.birthDate}
            error={errors.birthDate}
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
              Ничего не найдено. Проверьте данные: поиск идёт только среди детей, зарегистрированных в вашем
              муниципалитете.
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

function ChildResult({ child, certificate }: { child: Child; certificate: Certificate | undefined }) {
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
      <p>
        <a href="/staff">← Поиск</a>
      </p>
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
      <p>
        <a href="/staff">← Поиск</a>
      </p>
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
        <dt>Электронная почта родителя</dt>
        <dd>{view.parentEmail ?? '—'}</dd>
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

import {
  CheckboxField,
  CsrfField,
  ErrorSummary,
  SelectField,
  TextAreaField,
  TextField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { formatDate, formatPhone } from '../../platform/views/format.js';
import { Layout } from '../../platform/views/layout.js';
import { formatCertificateNumber } from '../certificates/index.js';
import { formatMoment, STATUS_LABELS } from './labels.js';
import { APPLICATION_STATUSES, type ApplicationStatus } from './places.js';
import {
  PAGE_SIZE,
  type ApplicationEvent,
  type ApplicationView,
  type ApplicationQueries,
} from './queries.js';
import { ApplicationHistory, StatusDetails, StatusTag } from './views.js';
import { Pagination } from '../../platform/views/pagination.js';

type OrgGroup = Awaited<ReturnType<ApplicationQueries['groupsOf']>>[number];
type Roster = NonNullable<Awaited<ReturnType<ApplicationQueries['roster']>>>;

export interface StaffFilter {
  programId?: string | undefined;
  groupId?: string | undefined;
  status?: ApplicationStatus | 'all' | undefined;
  expiring?: boolean | undefined;
  page: number;
}

function filterUrl(filter: StaffFilter, page: number): string {
  const query = new URLSearchParams();
  if (filter.programId) query.set('programId', filter.programId);
  if (filter.groupId) query.set('groupId', filter.groupId);
  if (filter.status) query.set('status', filter.status);
  if (filter.expiring) query.set('expiring', '1');
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return `/staff/org/applications${text ? `?${text}` : ''}`;
}

function Certificate({
  application,
}: {
  application: Pick<ApplicationView, 'certificateNumber' | 'certificateConfirmed'>;
}) {
  if (!application.certificateNumber) return <>—</>;
  return (
    <>
      {formatCertificateNumber(application.certificateNumber)}{' '}
      {!application.certificateConfirmed && <span class="tag tag--warning">данные не подтверждены</span>}
    </>
  );
}

/** The organization's applications: filters, bulk acceptance, a page at a time. */
export function StaffApplicationsPage({
  organizationName,
  groups,
  filter,
  items,
  total,
}: {
  organizationName: string;
  groups: OrgGroup[];
  filter: StaffFilter;
  items: ApplicationView[];
  total: number;
}) {
  const programs = [...new Map(groups.map((group) => [group.programId, group.programName])).entries()];
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <Layout title="Заявки организации">
      <p class="muted">
        <a href="/staff/org">← {organizationName}</a>
      </p>
      <h1>Заявки</h1>
      <p class="button-row">
        <a class="button" href="/staff/org/applications/new">
          Подать заявление за родителя
        </a>
      </p>
      <form method="get" action="/staff/org/applications" class="filters">
        <SelectField
          name="programId"
          label="Программа"
          value={filter.programId}
          placeholder="Все программы"
          options={programs.map(([value, label]) => ({ value, label }))}
        />
        <SelectField
          name="groupId"
          label="Группа"
          value={filter.groupId}
          placeholder="Все группы"
          options={groups
            .filter((group) => !filter.programId || group.programId === filter.programId)
            .map((group) => ({ value: group.id, label: `${group.programName} — ${group.name}` }))}
        />
        <SelectField
          name="status"
          label="Статус"
          value={filter.status}
          placeholder="Требуют действий (без отменённых)"
          options={[
            { value: 'all', label: 'Все, включая отменённые' },
            ...APPLICATION_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] })),
          ]}
        />
        <button class="button button--secondary" type="submit">
          Показать
        </button>
      </form>
      {filter.groupId && (
        <p>
          <a href={`/staff/org/groups/${filter.groupId}/roster`}>Список группы и выгрузка в Excel</a>
        </p>
      )}
      {items.length === 0 ? (
        <p class="empty">
          {filter.programId || filter.groupId || filter.status || filter.expiring
            ? 'Заявок с такими условиями нет.'
            : 'Заявок пока нет. Они появятся здесь, как только родители запишутся в ваши группы.'}
        </p>
      ) : (
        <form method="post" action="/staff/org/applications/accept">
          <CsrfField />
          <p class="muted">
            Найдено заявок: {total}.{' '}
            {filter.expiring
              ? 'Предложенные места, срок ответа по которым истекает в ближайшие 24 часа. '
              : ''}
            {filter.status === undefined
              ? 'Сначала — новые и с предложенным местом, затем остальные; новые выше. Отменённые скрыты.'
              : 'Сначала — поданные позже.'}
          </p>
          <table class="table table--cards">
            <caption class="visually-hidden">Заявки</caption>
            <thead>
              <tr>
                <th scope="col">Отметить</th>
                <th scope="col">Ребёнок</th>
                <th scope="col">Сертификат</th>
                <th scope="col">Программа и группа</th>
                <th scope="col">Статус</th>
                <th scope="col">Подана</th>
              </tr>
            </thead>
            <tbody>
              {items.map((application) => (
                <tr key={application.id}>
                  <td data-label={application.status === 'new' ? 'Отметить' : undefined}>
                    {application.status === 'new' && (
                      <input
                        type="checkbox"
                        name="ids"
                        value={application.id}
                        aria-label={`Отметить заявку: ${application.childName}`}
                      />
                    )}
                  </td>
                  <td data-label="Ребёнок">
                    <a href={`/staff/org/applications/${application.id}`}>{application.childName}</a>
                    <span class="hint">{formatDate(application.childBirthDate)}</span>
                  </td>
                  <td data-label="Сертификат">
                    <Certificate application={application} />
                  </td>
                  <td data-label="Программа и группа">
                    {application.programName}
                    <span class="hint">{application.groupName}</span>
                  </td>
                  <td data-label="Статус">
                    <StatusTag status={application.status} />
                    {application.status === 'queued' && application.queuePlace && (
                      <span class="hint">{application.queuePlace}-й в очереди</span>
                    )}
                  </td>
                  <td data-label="Подана">
                    {formatMoment(application.createdAt)}
                    {application.channel === 'in_person' && <span class="hint">лично</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {items.some((application) => application.status === 'new') && (
            <button class="button" type="submit">
              Принять отмеченные
            </button>
          )}
        </form>
      )}
      <Pagination
        page={filter.page}
        pageCount={pages}
        label="Страницы заявок"
        hrefFor={(p) => filterUrl(filter, p)}
      />
    </Layout>
  );
}

export interface Contact {
  parentName: string;
  phone: string;
  email: string;
}

/** One application for the provider: facts, the decisions possible now, and the history. */
export function StaffApplicationPage({
  application,
  contact,
  events,
  values = {},
  errors = {},
}: {
  application: ApplicationView;
  contact: Contact;
  events: ApplicationEvent[];
  values?: Partial<Record<string, string>>;
  errors?: FieldErrors;
}) {
  const base = `/staff/org/applications/${application.id}`;
  const status = application.status;
  return (
    <Layout title={`Заявка: ${application.childName}`}>
      <p class="muted">
        <a href="/staff/org/applications">← Заявки</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>{application.childName}</h1>
      <p>
        <StatusTag status={status} /> <StatusDetails application={application} />
      </p>
      <dl class="facts">
        <dt>Дата рождения</dt>
        <dd>{formatDate(application.childBirthDate)}</dd>
        <dt>Сертификат</dt>
        <dd>
          <Certificate application={application} />
        </dd>
        <dt>Программа</dt>
        <dd>{application.programName}</dd>
        <dt>Группа</dt>
        <dd>
          <a href={`/staff/org/groups/${application.groupId}/roster`}>{application.groupName}</a>
        </dd>
        <dt>Родитель (законный представитель)</dt>
        <dd>
          {contact.parentName}, {formatPhone(contact.phone)}, {contact.email}
        </dd>
        <dt>Подана</dt>
        <dd>
          {formatMoment(application.createdAt)},{' '}
          {application.channel === 'online' ? 'онлайн' : 'лично в организации'}
        </dd>
      </dl>
      {(status === 'new' || status === 'queued' || status === 'offered' || status === 'accepted') && (
        <h2>Решение</h2>
      )}
      {status === 'new' && (
        <form method="post" action={`${base}/accept`} class="decision">
          <CsrfField />
          <button class="button" type="submit">
            Принять (зачислить)
          </button>
        </form>
      )}
      {(status === 'new' || status === 'queued' || status === 'offered') && (
        <form method="post" action={`${base}/reject`} novalidate class="decision">
          <CsrfField />
          <TextAreaField
            name="reason"
            label="Причина отказа"
            hint="Её увидит родитель в личном кабинете и в письме."
            value={values.reason}
            error={errors.reason}
            maxLength={500}
            rows={3}
          />
          <button class="button button--warning" type="submit">
            Отклонить заявку
          </button>
        </form>
      )}
      {status === 'accepted' && (
        <>
          <form method="post" action={`${base}/expel`} novalidate class="decision">
            <CsrfField />
            <TextAreaField
              name="reason"
              label="Причина отчисления"
              hint="Её увидит родитель в личном кабинете и в письме. Место будет предложено следующему в очереди."
              value={values.reason}
              error={errors.reason}
              maxLength={500}
              rows={3}
            />
            <button class="button button--warning" type="submit">
              Отчислить
            </button>
          </form>
          <form method="post" action={`${base}/complete`} class="decision">
            <CsrfField />
            <button class="button button--secondary" type="submit">
              Обучение завершено
            </button>
          </form>
        </>
      )}
      {!application.childConfirmed &&
        (status === 'new' || status === 'queued' || status === 'offered' || status === 'accepted') && (
          <form method="post" action={`${base}/confirm-child`} novalidate class="decision">
            <CsrfField />
            <h2>Подтвердить данные ребёнка</h2>
            <p class="muted">
              Данные ребёнка ещё не подтверждены. Если родитель принёс документы, сверьте с ними ФИО и дату
              рождения: сертификат станет действующим, родитель получит письмо.
            </p>
            <TextField
              name="document"
              label="Предъявленный документ"
              value={values.document ?? 'Свидетельство о рождении'}
              error={errors.document}
            />
            <CheckboxField
              name="checked"
              label="Я сверил данные с оригиналом документа"
              checked={values.checked === 'yes'}
              error={errors.checked}
            />
            <button class="button" type="submit">
              Подтвердить данные
            </button>
          </form>
        )}
      <ApplicationHistory events={events} />
    </Layout>
  );
}

/** A group's roster: who is enrolled, who holds a place, how long the queue is; the Excel export. */
export function RosterPage({ roster, autoAccept }: { roster: Roster; autoAccept: boolean }) {
  const enrolled = roster.members.filter((member) => member.status === 'accepted');
  return (
    <Layout title={`Список группы «${roster.name}»`}>
      <p class="muted">
        <a href={`/staff/org/applications?groupId=${roster.id}`}>← Заявки в группу</a>
      </p>
      <h1>Список группы «{roster.name}»</h1>
      <p class="lead">{roster.programName}</p>
      <dl class="facts">
        <dt>Педагог</dt>
        <dd>{roster.teacher}</dd>
        <dt>Обучение</dt>
        <dd>
          с {formatDate(roster.studyStart)} по {formatDate(roster.studyEnd)}
        </dd>
        <dt>Места</dt>
        <dd>
          занято {roster.seatsTaken} из {roster.capacity}, зачислено {enrolled.length}, в очереди{' '}
          {roster.queued}
        </dd>
      </dl>
      <p class="button-row">
        <a class="button button--secondary" href={`/staff/org/groups/${roster.id}/roster.xlsx`}>
          Выгрузить список в Excel
        </a>
      </p>
      <form method="post" action={`/staff/org/groups/${roster.id}/auto-accept`}>
        <CsrfField />
        <input type="hidden" name="autoAccept" value={autoAccept ? 'no' : 'yes'} />
        <p>
          {autoAccept
            ? 'Заявки на свободные места принимаются сразу, без решения сотрудника.'
            : 'Заявки на свободные места ждут решения сотрудника (статус «Новая»), место за ребёнком сохраняется.'}{' '}
          <button class="button button--secondary button--small" type="submit">
            {autoAccept ? 'Рассматривать заявки вручную' : 'Принимать заявки автоматически'}
          </button>
        </p>
      </form>
      {roster.members.length === 0 ? (
        <p class="empty">В группе пока никого нет.</p>
      ) : (
        <table class="table table--cards">
          <caption class="visually-hidden">Список группы</caption>
          <thead>
            <tr>
              <th scope="col">№</th>
              <th scope="col">Ребёнок</th>
              <th scope="col">Сертификат</th>
              <th scope="col">Родитель</th>
              <th scope="col">Статус</th>
            </tr>
          </thead>
          <tbody>
            {roster.members.map((member, index) => (
              <tr key={member.id}>
                <td data-label="№">{index + 1}</td>
                <td data-label="Ребёнок">
                  <a href={`/staff/org/applications/${member.id}`}>{member.childName}</a>
                  <span class="hint">{formatDate(member.birthDate)}</span>
                </td>
                <td data-label="Сертификат">
                  <Certificate application={member} />
                </td>
                <td data-label="Родитель">
                  {member.parentName}
                  <span class="hint">
                    {formatPhone(member.phone)}, {member.email}
                  </span>
                </td>
                <td data-label="Статус">
                  <StatusTag status={member.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** The seed's first way: the parent came in person; staff file the application by the certificate number. */
export function InPersonPage({
  groups,
  values = {},
  errors = {},
}: {
  groups: OrgGroup[];
  values?: Partial<Record<string, string>>;
  errors?: FieldErrors;
}) {
  return (
    <Layout title="Заявление при личном обращении">
      <p class="muted">
        <a href="/staff/org/applications">← Заявки</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>Заявление при личном обращении</h1>
      <p>
        Найдите ребёнка по номеру сертификата и дате рождения из документов, которые принёс родитель.
        Заявление пройдёт те же проверки и ту же очередь, что и онлайн, и появится в личном кабинете родителя.
      </p>
      <form method="post" action="/staff/org/applications/new" novalidate>
        <CsrfField />
        <TextField
          name="certificateNumber"
          label="Номер сертификата"
          hint="10 цифр, например 6700000012"
          value={values.certificateNumber}
          error={errors.certificateNumber}
          inputMode="numeric"
          width="medium"
          autocomplete="off"
        />
        <TextField
          name="birthDate"
          label="Дата рождения ребёнка"
          hint="Как в свидетельстве о рождении, например 15.03.2015"
          value={values.birthDate}
          error={errors.birthDate}
          inputMode="numeric"
          width="medium"
          autocomplete="off"
        />
        <SelectField
          name="groupId"
          label="Группа"
          value={values.groupId}
          error={errors.groupId}
          placeholder="Выберите группу"
          options={groups
            .filter((group) => group.published)
            .map((group) => ({ value: group.id, label: `${group.programName} — ${group.name}` }))}
        />
        <button class="button" type="submit">
          Подать заявление
        </button>
      </form>
    </Layout>
  );
}

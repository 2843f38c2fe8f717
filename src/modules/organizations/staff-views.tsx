import { officialName } from '../../platform/grammar/index.js';
import { countOf } from '../../platform/views/format.js';
import {
  CsrfField,
  ErrorSummary,
  SelectField,
  TextAreaField,
  TextField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { MUNICIPALITIES } from '../reference/index.js';
import { OrganizationProfileFields, RequisiteFields, type FormValues } from './form.js';
import { CATEGORY_LABELS, ORGANIZATION_FORMS } from './labels.js';
import type { StaffOrganizationQuery } from './schemas.js';
import type { Organization, OrganizationStaffMember, StaffOrganizationList } from './service.js';
import { Pagination } from '../../platform/views/pagination.js';

const LIST = '/staff/organizations';
const STAFF_FORMS = ['сотрудник', 'сотрудника', 'сотрудников'] as const;
export const NO_STAFF = 'Нет сотрудников — пригласите';

/** The list's address with some parameters changed; defaults are left out. */
export function staffListUrl(
  query: StaffOrganizationQuery,
  changes: Partial<Record<keyof StaffOrganizationQuery, string | undefined>> = {},
): string {
  const values: Record<string, string | number | undefined> = { ...query, ...changes };
  const params = new URLSearchParams();
  for (const key of ['q', 'municipality', 'status', 'staff', 'page'] as const) {
    const value = values[key];
    const isDefault =
      value === undefined ||
      value === '' ||
      (key === 'page' && Number(value) === 1) ||
      (key === 'status' && value === 'active') ||
      (key === 'staff' && value === 'any');
    if (!isDefault) params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${LIST}?${search}` : LIST;
}

function Back({ links }: { links: { href: string; label: string }[] }) {
  return (
    <p class="muted">
      {links.map((link, index) => (
        <>
          {index > 0 && ' / '}
          <a href={link.href}>{link.label}</a>
        </>
      ))}
    </p>
  );
}

const DESK = { href: '/staff', label: 'Рабочий стол' };
const ORGANIZATIONS = { href: LIST, label: 'Организации' };

/** /staff/organizations: the organizations an operator looks after, those without staff marked as a task. */
export function StaffOrganizationListPage({
  query,
  list,
  coordinator,
}: {
  query: StaffOrganizationQuery;
  list: StaffOrganizationList;
  coordinator: boolean;
}) {
  const filtered = staffListUrl(query, { page: undefined }) !== LIST;
  return (
    <Layout title={list.page > 1 ? `Организации — страница ${list.page}` : 'Организации'}>
      <Back links={[DESK]} />
      <h1>Организации</h1>
      <p>
        <a class="button" href={`${LIST}/new`}>
          Добавить организацию
        </a>
      </p>
      <form class="filters" action={LIST} method="get" role="search" aria-label="Поиск организаций">
        <div class="field">
          <label class="label" for="q">
            Название или ИНН
          </label>
          <input class="input" id="q" name="q" type="search" maxLength={200} value={query.q ?? ''} />
        </div>
        {coordinator && (
          <SelectField
            name="municipality"
            label="Муниципалитет"
            value={query.municipality}
            placeholder="Вся область"
            options={MUNICIPALITIES.map((m) => ({ value: m.code, label: m.name }))}
          />
        )}
        <SelectField
          name="status"
          label="Состояние"
          value={query.status}
          options={[
            { value: 'active', label: 'Действующие' },
            { value: 'archived', label: 'В архиве' },
            { value: 'all', label: 'Все' },
          ]}
        />
        <SelectField
          name="staff"
          label="Сотрудники"
          value={query.staff}
          options={[
            { value: 'any', label: 'Все организации' },
            { value: 'none', label: 'Без сотрудников' },
          ]}
        />
        <div class="filters__actions">
          <button class="button" type="submit">
            Показать
          </button>
          {filtered && <a href={LIST}>Сбросить</a>}
        </div>
      </form>
      {list.total === 0 ? (
        <div class="empty" role="status">
          <h2>Организаций не найдено</h2>
          <p>Измените условия или добавьте организацию.</p>
        </div>
      ) : (
        <>
          <p class="muted" role="status">
            Найдено {countOf(list.total, ORGANIZATION_FORMS)}
          </p>
          <table class="table table--cards">
            <caption class="visually-hidden">Организации</caption>
            <thead>
              <tr>
                <th scope="col">Организация</th>
                <th scope="col">ИНН</th>
                {coordinator && <th scope="col">Муниципалитет</th>}
                <th scope="col">Сотрудники</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((item) => (
                <tr key={item.id}>
                  <th scope="row" data-label="Организация">
                    <a href={`${LIST}/${item.id}`}>{item.shortName}</a>
                    {item.archived && <span class="tag"> В архиве</span>}
                  </th>
                  <td data-label="ИНН">{item.inn ?? '—'}</td>
                  {coordinator && <td data-label="Муниципалитет">{item.municipality}</td>}
                  <td data-label="Сотрудники">
                    {item.staffCount > 0 ? (
                      countOf(item.staffCount, STAFF_FORMS)
                    ) : (
                      <a class="attention" href={`${LIST}/${item.id}#invite`}>
                        {NO_STAFF}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination
            page={list.page}
            pageCount={list.pageCount}
            label="Страницы списка"
            hrefFor={(p) => staffListUrl(query, { page: String(p) })}
          />
        </>
      )}
    </Layout>
  );
}

/** The create and edit form of the municipal administrator and the coordinator. */
export function OrganizationFormPage({
  organization,
  values,
  errors = {},
  chooseMunicipality,
}: {
  /** Absent: a new organization. */
  organization?: Organization;
  values: FormValues;
  errors?: FieldErrors;
  /** The coordinator chooses the municipality of a new organization; an administrator's is their own. */
  chooseMunicipality: boolean;
}) {
  const title = organization ? `Изменить: ${organization.shortName}` : 'Новая организация';
  return (
    <Layout title={title}>
      <Back
        links={
          organization
            ? [DESK, ORGANIZATIONS, { href: `${LIST}/${organization.id}`, label: organization.shortName }]
            : [DESK, ORGANIZATIONS]
        }
      />
      <ErrorSummary errors={errors} />
      <h1>{organization ? 'Изменить сведения об организации' : 'Новая организация'}</h1>
      <form
        method="post"
        action={organization ? `${LIST}/${organization.id}` : LIST}
        class="narrow"
        novalidate
      >
        <CsrfField />
        {!organization && chooseMunicipality && (
          <SelectField
            name="municipalityId"
            label="Муниципалитет"
            placeholder="Выберите муниципалитет"
            options={MUNICIPALITIES.map((m) => ({ value: String(m.id), label: m.name }))}
            value={values.municipalityId}
            error={errors.municipalityId}
          />
        )}
        <OrganizationProfileFields values={values} errors={errors} />
        <RequisiteFields values={values} errors={errors} />
        <button class="button" type="submit">
          {organization ? 'Сохранить' : 'Добавить организацию'}
        </button>
      </form>
    </Layout>
  );
}

/** An organization's card for its overseer: details, staff, the invitation, archive or restore. */
export function OrganizationCardPage({
  organization,
  municipality,
  staff,
  invite = {},
  inviteErrors = {},
  archiveErrors = {},
}: {
  organization: Organization;
  municipality: string;
  staff: OrganizationStaffMember[];
  invite?: FormValues;
  inviteErrors?: FieldErrors;
  archiveErrors?: FieldErrors;
}) {
  const archived = organization.archivedAt !== null;
  const base = `${LIST}/${organization.id}`;
  return (
    <Layout title={organization.shortName}>
      <Back links={[DESK, ORGANIZATIONS]} />
      <ErrorSummary errors={{ ...inviteErrors, ...archiveErrors }} />
      <h1>{organization.shortName}</h1>
      {archived && (
        <p class="notice" role="status">
          Организация в архиве: её нет в каталоге и в списке организаций, её программы не показываются.
        </p>
      )}
      <p class="lead">{organization.name}</p>
      <dl class="facts">
        <dt>Муниципалитет</dt>
        <dd>{municipality}</dd>
        <dt>Тип</dt>
        <dd>{CATEGORY_LABELS[organization.category]}</dd>
        <dt>ИНН / КПП</dt>
        <dd>
          {organization.inn ?? '—'} / {organization.kpp ?? '—'}
        </dd>
        <dt>ОГРН</dt>
        <dd>{organization.ogrn ?? '—'}</dd>
        <dt>Фактический адрес</dt>
        <dd>{organization.address}</dd>
        {organization.legalAddress && (
          <>
            <dt>Юридический адрес</dt>
            <dd>{organization.legalAddress}</dd>
          </>
        )}
        {organization.head && (
          <>
            <dt>Руководитель</dt>
            <dd>{organization.head}</dd>
          </>
        )}
        <dt>Телефон</dt>
        <dd>{organization.phone ?? '—'}</dd>
        <dt>Электронная почта</dt>
        <dd>{organization.email ?? '—'}</dd>
      </dl>
      <p class="actions">
        <a class="button" href={`${base}/edit`}>
          Изменить сведения
        </a>{' '}
        {!archived && <a href={`/organizations/${organization.id}`}>Страница в каталоге</a>}
      </p>

      <h2>Сотрудники</h2>
      {staff.length === 0 ? (
        <p class="attention">{NO_STAFF}: без них организация не опубликует программы и не примет заявки.</p>
      ) : (
        <ul>
          {staff.map((person) => (
            <li key={person.id}>
              {officialName(person)}, {person.email}
            </li>
          ))}
        </ul>
      )}
      {!archived && (
        <form method="post" action={`${base}/staff`} class="narrow" novalidate>
          <h3 id="invite">Пригласить сотрудника</h3>
          <p>Сотруднику придёт письмо со ссылкой, чтобы задать пароль.</p>
          <CsrfField />
          <TextField name="lastName" label="Фамилия" value={invite.lastName} error={inviteErrors.lastName} />
          <TextField name="firstName" label="Имя" value={invite.firstName} error={inviteErrors.firstName} />
          <TextField
            name="email"
            label="Адрес электронной почты"
            type="email"
            value={invite.email}
            error={inviteErrors.email}
          />
          <button type="submit" class="button">
            Пригласить
          </button>
        </form>
      )}

      <h2>{archived ? 'Вернуть из архива' : 'Архив'}</h2>
      <form method="post" action={`${base}/${archived ? 'restore' : 'archive'}`} class="narrow" novalidate>
        <CsrfField />
        <p>
          {archived
            ? 'Организация и её опубликованные программы снова появятся в каталоге.'
            : 'Организация и её программы пропадут из каталога; ничего не удаляется, её можно вернуть.'}
        </p>
        <TextAreaField
          name="reason"
          label="Причина"
          value={undefined}
          error={archiveErrors.reason}
          maxLength={500}
          rows={2}
        />
        <button type="submit" class={archived ? 'button' : 'button button--warning'}>
          {archived ? 'Вернуть из архива' : 'Перенести в архив'}
        </button>
      </form>
    </Layout>
  );
}

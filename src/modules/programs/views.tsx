import { Layout } from '../../platform/views/layout.js';
import {
  CheckboxField,
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  RadioGroup,
  SelectField,
  TextAreaField,
  TextField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { ages, countOf, formatDate, freePlaces, scheduleText } from '../../platform/views/format.js';
import { OrganizationProfileFields, type Organization } from '../organizations/index.js';
import type { Direction, Specialization } from '../reference/index.js';
import {
  FINANCING_LABELS,
  financingOf,
  FORMAT_LABELS,
  LEVEL_LABELS,
  OVZ_CATEGORIES,
  OVZ_LABELS,
  REGISTRIES,
  REGISTRY_HINTS,
  REGISTRY_LABELS,
  type OvzCategory,
} from '../reference/index.js';
import { STATUS_LABELS } from './labels.js';
import type { ProgramContent } from './schema.js';
import type { Group, ModerationItem, Program, ProgramListItem } from './service.js';
import { workingContent } from './service.js';
import type { ImportRowError } from './import.js';

type Values = Partial<Record<string, string>>;

/** The state a provider reads: the lifecycle, and what happens to a published program's edits. */
export function statusText(program: Pick<Program, 'status' | 'revisionStatus'>): string {
  const base = STATUS_LABELS[program.status];
  if (program.status !== 'published' || !program.revisionStatus) return base;
  return program.revisionStatus === 'moderation'
    ? `${base} · изменения на модерации`
    : `${base} · изменения ожидают правки`;
}

function Breadcrumbs({ links }: { links: { href: string; label: string }[] }) {
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

const ORG = { href: '/staff/org', label: 'Кабинет организации' };

/** A short whole-number field (ages, months, hours, places, minutes). */
function NumberField(props: {
  name: string;
  label: string;
  digits: number;
  values: Values;
  errors: FieldErrors;
}) {
  const { name, label, digits, values, errors } = props;
  return (
    <TextField
      name={name}
      label={label}
      inputMode="numeric"
      width="short"
      maxLength={digits}
      value={values[name]}
      error={errors[name]}
    />
  );
}

export function OrgHomePage({
  organization,
  programs,
  newApplications = 0,
}: {
  organization: Organization;
  programs: ProgramListItem[];
  newApplications?: number;
}) {
  return (
    <Layout title="Кабинет организации">
      <h1>{organization.shortName}</h1>
      <p>
        <a href="/staff/org/applications">Заявки</a>
        {newApplications > 0 && (
          <>
            {' '}
            (<a href="/staff/org/applications?status=new">новых: {newApplications}</a>)
          </>
        )}{' '}
        · <a href="/staff/org/profile">Профиль организации</a> ·{' '}
        <a href={`/organizations/${organization.id}`}>Страница организации в каталоге</a>
      </p>
      <h2 id="programs">Программы</h2>
      <p class="button-row">
        <a class="button" href="/staff/org/programs/new">
          Добавить программу
        </a>
        <a class="button button--secondary" href="/staff/org/import">
          Загрузить из Excel
        </a>
      </p>
      {programs.length === 0 ? (
        <p class="empty">
          Программ пока нет. Добавьте первую программу или загрузите несколько программ из файла Excel.
        </p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Программы организации</caption>
          <thead>
            <tr>
              <th scope="col">Программа</th>
              <th scope="col">Состояние</th>
              <th scope="col">Групп</th>
            </tr>
          </thead>
          <tbody>
            {programs.map((program) => (
              <tr key={program.id}>
                <td>
                  <a href={`/staff/org/programs/${program.id}`}>{program.name}</a>
                  {program.moderatorComment &&
                    (program.status === 'needs_changes' || program.revisionStatus === 'needs_changes') && (
                      <p class="field-error">Комментарий модератора: {program.moderatorComment}</p>
                    )}
                </td>
                <td>{statusText(program)}</td>
                <td>{program.groups}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function OrgProfilePage({ values, errors = {} }: { values: Values; errors?: FieldErrors }) {
  return (
    <Layout title="Профиль организации">
      <Breadcrumbs links={[ORG]} />
      <ErrorSummary errors={errors} />
      <h1>Профиль организации</h1>
      <p>Эти сведения видят родители на странице организации и программ.</p>
      <form method="post" action="/staff/org/profile" class="narrow" novalidate>
        <CsrfField />
        <OrganizationProfileFields values={values} errors={errors} />
        <button class="button" type="submit">
          Сохранить
        </button>
      </form>
    </Layout>
  );
}

export interface ProgramFormProps {
  programId?: string;
  published?: boolean;
  values: Values;
  errors?: FieldErrors;
  directions: Direction[];
  specializations: Specialization[];
}

export function ProgramFormPage({
  programId,
  published = false,
  values,
  errors = {},
  directions,
  specializations,
}: ProgramFormProps) {
  const title = programId ? 'Изменить программу' : 'Новая программа';
  return (
    <Layout title={title}>
      <Breadcrumbs
        links={programId ? [ORG, { href: `/staff/org/programs/${programId}`, label: 'Программа' }] : [ORG]}
      />
      <ErrorSummary errors={errors} />
      <h1>{title}</h1>
      {published && (
        <div class="notice">
          Программа опубликована. Изменения уйдут на модерацию, а до решения модератора родители видят
          опубликованную версию.
        </div>
      )}
      <form
        method="post"
        action={programId ? `/staff/org/programs/${programId}` : '/staff/org/programs'}
        novalidate
      >
        <CsrfField />
        <div class="narrow">
          <TextField name="name" label="Название программы" value={values.name} error={errors.name} />
          <SelectField
            name="directionId"
            label="Направленность"
            value={values.directionId}
            error={errors.directionId}
            placeholder="Выберите направленность"
            options={directions.map((d) => ({ value: String(d.id), label: d.name }))}
          />
          <div class="field">
            <label class="label" for="specializationId">
              Специализация (необязательно)
            </label>
            {errors.specializationId && (
              <p class="field-error" id="specializationId-error">
                <span class="visually-hidden">Ошибка: </span>
                {errors.specializationId}
              </p>
            )}
            <select
              class="select"
              id="specializationId"
              name="specializationId"
              aria-describedby={errors.specializationId ? 'specializationId-error' : undefined}
            >
              <option value="">Не указана</option>
              {directions.map((d) => (
                <optgroup key={d.id} label={d.name}>
                  {specializations
                    .filter((s) => s.directionId === d.id)
                    .map((s) => (
                      <option
                        key={s.id}
                        value={String(s.id)}
                        selected={values.specializationId === String(s.id)}
                      >
                        {s.name}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </div>
          <TextAreaField
            name="description"
            label="Описание"
            hint="Чем занимаются дети, что понадобится. Не меньше 30 символов."
            value={values.description}
            error={errors.description}
            rows={6}
          />
          <TextAreaField
            name="goals"
            label="Цели (необязательно)"
            value={values.goals}
            error={errors.goals}
          />
          <TextAreaField
            name="expectedResults"
            label="Ожидаемые результаты (необязательно)"
            value={values.expectedResults}
            error={errors.expectedResults}
          />
          <NumberField name="ageFrom" label="Возраст от, лет" digits={2} values={values} errors={errors} />
          <NumberField name="ageTo" label="Возраст до, лет" digits={2} values={values} errors={errors} />
          <RadioGroup
            name="level"
            label="Уровень"
            value={values.level}
            error={errors.level}
            options={Object.entries(LEVEL_LABELS).map(([value, label]) => ({ value, label }))}
          />
          <NumberField
            name="durationMonths"
            label="Продолжительность, месяцев"
            digits={3}
            values={values}
            errors={errors}
          />
          <NumberField name="hoursTotal" label="Объём, часов" digits={4} values={values} errors={errors} />
          <RadioGroup
            name="format"
            label="Форма обучения"
            value={values.format}
            error={errors.format}
            options={Object.entries(FORMAT_LABELS).map(([value, label]) => ({ value, label }))}
          />
          <RadioGroup
            name="registry"
            label="Реестр"
            hint="Реестр окончательно устанавливает модератор при публикации"
            value={values.registry}
            error={errors.registry}
            options={REGISTRIES.map((r) => ({
              value: r,
              label: REGISTRY_LABELS[r],
              hint: REGISTRY_HINTS[r],
            }))}
          />
          <CheckboxField
            name="ovzAdapted"
            label="Программа адаптирована для детей с ОВЗ"
            checked={values.ovzAdapted === 'yes'}
            error={errors.ovzAdapted}
          />
          <CheckboxGroup
            name="ovzCategories"
            label="Категории детей с ОВЗ"
            hint="Если программа адаптирована"
            options={OVZ_CATEGORIES.map((c) => ({ name: `ovz_${c}`, label: OVZ_LABELS[c] }))}
            values={values}
          />
          <button class="button" type="submit">
            Сохранить
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** A program's content as a list of facts (provider's and moderator's pages). */
export function ProgramFacts({
  content,
  directions,
  specializations,
}: {
  content: ProgramContent;
  directions: Direction[];
  specializations: Specialization[];
}) {
  return (
    <dl class="facts">
      <dt>Название</dt>
      <dd>{content.name}</dd>
      <dt>Направленность</dt>
      <dd>
        {directions.find((d) => d.id === content.directionId)?.name}
        {content.specializationId
          ? `, ${specializations.find((s) => s.id === content.specializationId)?.name ?? ''}`
          : ''}
      </dd>
      <dt>Описание</dt>
      <dd class="prose">{content.description}</dd>
      <dt>Цели</dt>
      <dd>{content.goals || '—'}</dd>
      <dt>Ожидаемые результаты</dt>
      <dd>{content.expectedResults || '—'}</dd>
      <dt>Возраст</dt>
      <dd>{ages(content.ageFrom, content.ageTo)}</dd>
      <dt>Уровень</dt>
      <dd>{LEVEL_LABELS[content.level]}</dd>
      <dt>Продолжительность</dt>
      <dd>
        {content.durationMonths} мес., {content.hoursTotal} ч.
      </dd>
      <dt>Форма обучения</dt>
      <dd>{FORMAT_LABELS[content.format]}</dd>
      <dt>Реестр</dt>
      <dd>
        {REGISTRY_LABELS[content.registry]} ({FINANCING_LABELS[financingOf(content.registry)].toLowerCase()})
      </dd>
      <dt>Для детей с ОВЗ</dt>
      <dd>
        {content.ovzAdapted
          ? content.ovzCategories.map((c) => OVZ_LABELS[c as OvzCategory] ?? c).join(', ')
          : 'не адаптирована'}
      </dd>
    </dl>
  );
}

export function GroupList({
  groups,
  editBase,
  today,
}: {
  groups: Group[];
  /** Where each group's edit form lives; none for a read-only list. */
  editBase?: string;
  today: string;
}) {
  if (groups.length === 0)
    return (
      <p class="empty">
        Групп пока нет. Чтобы отправить программу на модерацию, добавьте хотя бы одну группу.
      </p>
    );
  return (
    <table class="table">
      <caption class="visually-hidden">Группы программы</caption>
      <thead>
        <tr>
          <th scope="col">Группа</th>
          <th scope="col">Расписание</th>
          <th scope="col">Приём заявок</th>
          <th scope="col">Места</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((group) => (
          <tr key={group.id}>
            <td>
              {editBase ? <a href={`${editBase}/${group.id}`}>{group.name}</a> : group.name}
              <br />
              <span class="muted">
                {group.teacher}, {ages(group.ageFrom, group.ageTo)}
              </span>
            </td>
            <td>{scheduleText(group.schedule)}</td>
            <td>
              {formatDate(group.enrolmentFrom)}–{formatDate(group.enrolmentTo)}
              {group.enrolmentFrom <= today && today <= group.enrolmentTo ? ' (идёт)' : ''}
            </td>
            <td>{freePlaces(group.capacity, group.seatsTaken)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ProviderProgramPage({
  program,
  groups,
  directions,
  specializations,
  today,
}: {
  program: Program;
  groups: Group[];
  directions: Direction[];
  specializations: Specialization[];
  today: string;
}) {
  const content = workingContent(program);
  const base = `/staff/org/programs/${program.id}`;
  const returned = program.status === 'needs_changes' || program.revisionStatus === 'needs_changes';
  return (
    <Layout title={content.name}>
      <Breadcrumbs links={[ORG]} />
      <h1>{content.name}</h1>
      <p>
        Состояние: <strong>{statusText(program)}</strong>
        {program.status === 'published' && (
          <>
            {' · '}
            <a href={`/programs/${program.id}`}>открыть в каталоге</a>
          </>
        )}
      </p>
      {returned && program.moderatorComment && (
        <div class="notice" role="status">
          <strong>Комментарий модератора:</strong> {program.moderatorComment}
        </div>
      )}
      {program.status === 'moderation' && (
        <p class="notice">Программа на модерации. Изменить её можно будет после решения модератора.</p>
      )}
      <div class="button-row">
        {program.status !== 'moderation' && program.status !== 'archived' && (
          <a class="button button--secondary" href={`${base}/edit`}>
            Изменить программу
          </a>
        )}
        {(program.status === 'draft' || program.status === 'needs_changes') && (
          <form method="post" action={`${base}/submit`} class="inline-form">
            <CsrfField />
            <button class="button" type="submit">
              Отправить на модерацию
            </button>
          </form>
        )}
        {program.status === 'archived' ? (
          <form method="post" action={`${base}/restore`} class="inline-form">
            <CsrfField />
            <button class="button button--secondary" type="submit">
              Вернуть из архива в черновики
            </button>
          </form>
        ) : (
          <form method="post" action={`${base}/archive`} class="inline-form">
            <CsrfField />
            <button class="button button--warning" type="submit">
              Перенести в архив
            </button>
          </form>
        )}
      </div>
      <h2>Группы ({groups.length})</h2>
      <GroupList groups={groups} editBase={`${base}/groups`} today={today} />
      {program.status !== 'archived' && (
        <p>
          <a class="button button--secondary" href={`${base}/groups/new`}>
            Добавить группу
          </a>
        </p>
      )}
      <h2>{program.pendingRevision ? 'Изменения, отправленные на модерацию' : 'Программа'}</h2>
      <ProgramFacts content={content} directions={directions} specializations={specializations} />
    </Layout>
  );
}

const WEEKDAYS = ['понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота', 'воскресенье'];

export function GroupFormPage({
  programId,
  programName,
  groupId,
  values,
  errors = {},
}: {
  programId: string;
  programName: string;
  groupId?: string;
  values: Values;
  errors?: FieldErrors;
}) {
  const base = `/staff/org/programs/${programId}`;
  const title = groupId ? 'Изменить группу' : 'Новая группа';
  return (
    <Layout title={`${title} — ${programName}`}>
      <Breadcrumbs links={[ORG, { href: base, label: programName }]} />
      <ErrorSummary errors={errors} />
      <h1>{title}</h1>
      <p class="lead">{programName}</p>
      <form
        method="post"
        action={groupId ? `${base}/groups/${groupId}` : `${base}/groups`}
        class="narrow"
        novalidate
      >
        <CsrfField />
        <TextField
          name="name"
          label="Название группы"
          hint="Например, «Группа 1 (первый год обучения)»"
          value={values.name}
          error={errors.name}
        />
        <TextField name="teacher" label="Педагог (ФИО)" value={values.teacher} error={errors.teacher} />
        <TextField
          name="address"
          label="Адрес занятий"
          value={values.address}
          error={errors.address}
          maxLength={300}
        />
        <fieldset class="fieldset field" id="schedule">
          <legend class="label">Расписание</legend>
          <p class="hint">
            Время начала и окончания занятий в формате ЧЧ:ММ, например 15:00 и 16:30. Пустые дни — без
            занятий.
          </p>
          <table class="table schedule">
            <thead>
              <tr>
                <th scope="col">День</th>
                <th scope="col">Начало</th>
                <th scope="col">Окончание</th>
              </tr>
            </thead>
            <tbody>
              {WEEKDAYS.map((weekday, index) => {
                const day = index + 1;
                const startError = errors[`day${day}Start`];
                const endError = errors[`day${day}End`];
                return (
                  <tr key={day}>
                    <th scope="row">{weekday}</th>
                    <td>
                      <label class="visually-hidden" for={`day${day}Start`}>
                        {weekday}, начало
                      </label>
                      {startError && <p class="field-error">{startError}</p>}
                      <input
                        class={`input input--short${startError ? ' input--error' : ''}`}
                        id={`day${day}Start`}
                        name={`day${day}Start`}
                        inputMode="numeric"
                        maxLength={5}
                        value={values[`day${day}Start`] ?? ''}
                      />
                    </td>
                    <td>
                      <label class="visually-hidden" for={`day${day}End`}>
                        {weekday}, окончание
                      </label>
                      {endError && <p class="field-error">{endError}</p>}
                      <input
                        class={`input input--short${endError ? ' input--error' : ''}`}
                        id={`day${day}End`}
                        name={`day${day}End`}
                        inputMode="numeric"
                        maxLength={5}
                        value={values[`day${day}End`] ?? ''}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </fieldset>
        <NumberField
          name="lessonMinutes"
          label="Продолжительность занятия, минут"
          digits={3}
          values={values}
          errors={errors}
        />
        <NumberField name="ageFrom" label="Возраст от, лет" digits={2} values={values} errors={errors} />
        <NumberField name="ageTo" label="Возраст до, лет" digits={2} values={values} errors={errors} />
        <NumberField name="capacity" label="План приёма, мест" digits={3} values={values} errors={errors} />
        <TextField
          name="enrolmentFrom"
          label="Приём заявок с"
          hint="ДД.ММ.ГГГГ"
          width="medium"
          value={values.enrolmentFrom}
          error={errors.enrolmentFrom}
        />
        <TextField
          name="enrolmentTo"
          label="Приём заявок по"
          hint="ДД.ММ.ГГГГ"
          width="medium"
          value={values.enrolmentTo}
          error={errors.enrolmentTo}
        />
        <TextField
          name="studyStart"
          label="Начало занятий"
          hint="ДД.ММ.ГГГГ"
          width="medium"
          value={values.studyStart}
          error={errors.studyStart}
        />
        <TextField
          name="studyEnd"
          label="Окончание занятий"
          hint="ДД.ММ.ГГГГ"
          width="medium"
          value={values.studyEnd}
          error={errors.studyEnd}
        />
        <TextField
          name="monthlyCostCertificate"
          label="Стоимость в месяц по сертификату, ₽ (необязательно)"
          hint="Пусто — по сертификату не оплачивается"
          inputMode="numeric"
          width="medium"
          value={values.monthlyCostCertificate}
          error={errors.monthlyCostCertificate}
        />
        <TextField
          name="monthlyCostOwn"
          label="Стоимость в месяц за свой счёт, ₽ (необязательно)"
          hint="Пусто — бесплатно или только по сертификату"
          inputMode="numeric"
          width="medium"
          value={values.monthlyCostOwn}
          error={errors.monthlyCostOwn}
        />
        <button class="button" type="submit">
          Сохранить
        </button>
      </form>
      {groupId && (
        <form method="post" action={`${base}/groups/${groupId}/delete`} class="narrow">
          <CsrfField />
          <h2>Удалить группу</h2>
          <p>Группу можно удалить, пока в ней никто не занял место.</p>
          <button class="button button--warning" type="submit">
            Удалить группу
          </button>
        </form>
      )}
    </Layout>
  );
}

const MODERATION = { href: '/staff/moderation', label: 'Модерация программ' };

export function ModerationQueuePage({ items }: { items: ModerationItem[] }) {
  return (
    <Layout title="Модерация программ">
      <p class="muted">
        <a href="/staff">← Рабочий стол</a>
      </p>
      <h1>Модерация программ</h1>
      {items.length === 0 ? (
        <p class="empty">Программ на модерации нет.</p>
      ) : (
        <>
          <p>На модерации {countOf(items.length, ['программа', 'программы', 'программ'])}, сначала давние.</p>
          <table class="table">
            <caption class="visually-hidden">Программы на модерации</caption>
            <thead>
              <tr>
                <th scope="col">Программа</th>
                <th scope="col">Организация</th>
                <th scope="col">Отправлена</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td>
                    <a href={`/staff/moderation/${item.id}`}>{item.name}</a>
                    {item.status === 'published' && <span class="muted"> (изменения опубликованной)</span>}
                  </td>
                  <td>
                    {item.organization}, {item.municipality}
                  </td>
                  <td>{item.submittedAt?.toLocaleString('ru-RU', { timeZone: 'Europe/Moscow' }) ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Layout>
  );
}

export function ModerationProgramPage({
  program,
  organization,
  groups,
  directions,
  specializations,
  today,
  values = {},
  errors = {},
}: {
  program: Program;
  organization: Organization;
  groups: Group[];
  directions: Direction[];
  specializations: Specialization[];
  today: string;
  values?: Values;
  errors?: FieldErrors;
}) {
  const content = workingContent(program);
  const base = `/staff/moderation/${program.id}`;
  const waiting = program.status === 'moderation' || program.revisionStatus === 'moderation';
  const changed = program.pendingRevision
    ? (Object.keys(program.pendingRevision) as (keyof ProgramContent)[]).filter(
        (key) => JSON.stringify(program.pendingRevision![key]) !== JSON.stringify(program[key]),
      )
    : [];
  return (
    <Layout title={`Модерация: ${content.name}`}>
      <Breadcrumbs links={[MODERATION]} />
      <ErrorSummary errors={errors} />
      <h1>{content.name}</h1>
      <p>
        {organization.name} · Состояние: <strong>{statusText(program)}</strong>
      </p>
      {program.pendingRevision && (
        <p class="notice">
          Это изменения опубликованной программы; до решения родители видят опубликованную версию. Изменены
          поля: {changed.map((key) => FIELD_LABELS[key]).join(', ') || 'нет изменений'}.
        </p>
      )}
      <ProgramFacts content={content} directions={directions} specializations={specializations} />
      <h2>Группы ({groups.length})</h2>
      <GroupList groups={groups} today={today} />
      {waiting ? (
        <div class="columns">
          <form method="post" action={`${base}/publish`} class="filters">
            <CsrfField />
            <h2>Опубликовать</h2>
            <p>Программа появится в каталоге, организации придёт письмо.</p>
            <RadioGroup
              name="registry"
              label="Реестр программы"
              hint={`Организация предложила: ${REGISTRY_LABELS[content.registry]}`}
              value={values.registry ?? content.registry}
              error={errors.registry}
              options={REGISTRIES.map((r) => ({
                value: r,
                label: REGISTRY_LABELS[r],
                hint: REGISTRY_HINTS[r],
              }))}
            />
            <button class="button" type="submit">
              Опубликовать
            </button>
          </form>
          <form method="post" action={`${base}/return`} class="filters" novalidate>
            <CsrfField />
            <h2>Вернуть на доработку</h2>
            <TextAreaField
              name="comment"
              label="Что нужно исправить"
              hint="Этот комментарий увидит организация"
              value={values.comment}
              error={errors.comment}
              maxLength={2000}
            />
            <button class="button button--secondary" type="submit">
              Вернуть на доработку
            </button>
          </form>
        </div>
      ) : (
        <p>Решение по программе уже принято.</p>
      )}
      {program.status !== 'archived' && (
        <form method="post" action={`${base}/archive`}>
          <CsrfField />
          <button class="button button--warning" type="submit">
            Перенести в архив
          </button>
        </form>
      )}
    </Layout>
  );
}

const FIELD_LABELS: Record<keyof ProgramContent, string> = {
  name: 'название',
  directionId: 'направленность',
  specializationId: 'специализация',
  description: 'описание',
  goals: 'цели',
  expectedResults: 'ожидаемые результаты',
  ageFrom: 'возраст от',
  ageTo: 'возраст до',
  level: 'уровень',
  durationMonths: 'продолжительность',
  hoursTotal: 'объём в часах',
  format: 'форма обучения',
  ovzAdapted: 'адаптация для ОВЗ',
  ovzCategories: 'категории ОВЗ',
  registry: 'реестр',
};

export function ImportPage({ errors, fileError }: { errors?: ImportRowError[]; fileError?: string }) {
  return (
    <Layout title="Загрузка программ из Excel">
      <Breadcrumbs links={[ORG]} />
      {fileError && <ErrorSummary errors={{ file: fileError }} />}
      <h1>Загрузка программ из Excel</h1>
      <ol class="prose">
        <li>
          <a href="/staff/org/import/template.xlsx">Скачайте шаблон</a> (.xlsx): лист «Программы», лист
          «Группы» и справочники допустимых значений.
        </li>
        <li>Заполните по строке на программу и на группу; группа ссылается на программу по коду.</li>
        <li>
          Загрузите файл. Если в какой-то строке ошибка, не загрузится ничего — исправьте строки из списка и
          загрузите файл снова.
        </li>
      </ol>
      <p>Загруженные программы сохраняются как черновики: проверьте их и отправьте на модерацию.</p>
      {errors && errors.length > 0 && (
        <section class="error-summary" role="alert" aria-labelledby="import-errors-title" tabIndex={-1}>
          <h2 class="error-summary__title" id="import-errors-title">
            Файл не загружен: исправьте {countOf(errors.length, ['строку', 'строки', 'строк'])}
          </h2>
          <table class="table">
            <caption class="visually-hidden">Ошибки по строкам</caption>
            <thead>
              <tr>
                <th scope="col">Лист</th>
                <th scope="col">Строка</th>
                <th scope="col">Что исправить</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((error) => (
                <tr key={`${error.sheet}-${error.row}`}>
                  <td>{error.sheet}</td>
                  <td>{error.row || '—'}</td>
                  <td>
                    <ul class="error-summary__list">
                      {error.messages.map((message) => (
                        <li key={message}>{message}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <form method="post" action="/staff/org/import" enctype="multipart/form-data" class="narrow">
        <CsrfField />
        <div class={`field${fileError ? ' field--error' : ''}`}>
          <label class="label" for="file">
            Файл Excel (.xlsx), до 5 МБ
          </label>
          {fileError && (
            <p class="field-error" id="file-error">
              <span class="visually-hidden">Ошибка: </span>
              {fileError}
            </p>
          )}
          <input
            class="input"
            id="file"
            name="file"
            type="file"
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={fileError ? 'file-error' : undefined}
          />
        </div>
        <button class="button" type="submit">
          Загрузить
        </button>
      </form>
    </Layout>
  );
}

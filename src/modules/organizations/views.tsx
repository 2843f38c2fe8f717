import type { MapSettings } from '../../platform/config.js';
import { ContactFacts } from '../../platform/views/contact.js';
import { ages, countOf } from '../../platform/views/format.js';
import { SelectField } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { MarkerMap } from '../../platform/views/map.js';
import { FINANCING_LABELS } from '../reference/index.js';
import { CATEGORY_LABELS, ORGANIZATION_FORMS } from './labels.js';
import { ORGANIZATION_CATEGORIES } from './schema.js';
import type { OrganizationQuery } from './schemas.js';
import type { OrganizationList, OrganizationProfile } from './service.js';
import { Pagination } from '../../platform/views/pagination.js';

const PROGRAM_FORMS = ['программа', 'программы', 'программ'] as const;

type ListQuery = Omit<OrganizationQuery, 'municipality'> & { municipality?: string | undefined };

/** The list's address with some parameters changed (undefined drops one); page 1 has no `page`. */
function listUrl(query: ListQuery, changes: Partial<Record<keyof ListQuery, string | undefined>>): string {
  const values: Record<string, string | number | undefined> = { ...query, ...changes };
  const params = new URLSearchParams();
  for (const key of ['q', 'municipality', 'category', 'page'] as const) {
    const value = values[key];
    if (value !== undefined && value !== '' && !(key === 'page' && Number(value) === 1)) {
      params.set(key, String(value));
    }
  }
  const search = params.toString();
  return search ? `/organizations?${search}` : '/organizations';
}

/** The public «Организации» list: search by name, filters, pages. */
export function OrganizationListPage({
  query,
  list,
  municipalities,
}: {
  query: ListQuery;
  list: OrganizationList;
  municipalities: readonly { code: string; name: string }[];
}) {
  const filtered = Boolean(query.q || query.municipality || query.category);
  return (
    <Layout
      title={list.page > 1 ? `Организации — страница ${list.page}` : 'Организации'}
      description="Организации дополнительного образования: школы, центры творчества, школы искусств, спортивные школы"
    >
      <h1>Организации</h1>
      <form
        class="filters organizations__filters"
        action="/organizations"
        method="get"
        role="search"
        aria-label="Поиск организаций"
      >
        <div class="field">
          <label class="label" for="q">
            Название
          </label>
          <input class="input" id="q" name="q" type="search" maxLength={200} value={query.q ?? ''} />
        </div>
        <SelectField
          name="municipality"
          label="Муниципалитет"
          value={query.municipality}
          placeholder="Вся область"
          options={municipalities.map((m) => ({ value: m.code, label: m.name }))}
        />
        <SelectField
          name="category"
          label="Тип организации"
          value={query.category}
          placeholder="Любой"
          options={ORGANIZATION_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
        />
        <div class="filters__actions">
          <button class="button" type="submit">
            Найти
          </button>
          {filtered && <a href="/organizations">Сбросить</a>}
        </div>
      </form>
      <section aria-labelledby="organizations-results">
        <h2 class="visually-hidden" id="organizations-results">
          Результаты
        </h2>
        {list.total === 0 ? (
          <div class="empty" role="status">
            <h2>Ничего не найдено</h2>
            <p>
              Проверьте, нет ли опечатки в названии, или{' '}
              <a href="/organizations">посмотрите все организации области</a>.
            </p>
          </div>
        ) : (
          <>
            <p class="muted" role="status">
              Найдено {countOf(list.total, ORGANIZATION_FORMS)}
            </p>
            <ul class="results">
              {list.items.map((item) => (
                <li class="result" key={item.id}>
                  <h3 class="result__title">
                    <a href={`/organizations/${item.id}`}>{item.shortName}</a>
                  </h3>
                  <p class="result__tags">
                    <span class="tag">{CATEGORY_LABELS[item.category]}</span>
                    <span class="tag">{item.municipality}</span>
                    <span class="tag">
                      {item.publishedPrograms
                        ? countOf(item.publishedPrograms, PROGRAM_FORMS)
                        : 'нет опубликованных программ'}
                    </span>
                  </p>
                  <p class="result__meta">
                    {item.address}
                    {item.phone && <>, {item.phone}</>}
                  </p>
                </li>
              ))}
            </ul>
            <Pagination
              page={list.page}
              pageCount={list.pageCount}
              label="Страницы результатов"
              hrefFor={(p) => listUrl(query, { page: String(p) })}
            />
          </>
        )}
      </section>
    </Layout>
  );
}

/** An organization's public page: what it says about itself, and its published programs. */
export function OrganizationPage({
  details,
  map,
}: {
  details: OrganizationProfile;
  map: MapSettings | null;
}) {
  const { organization, programs } = details;
  return (
    <Layout
      title={organization.shortName}
      description={organization.description.slice(0, 160) || organization.name}
    >
      <p class="muted">
        <a href="/organizations">Организации</a> / {CATEGORY_LABELS[organization.category]}
      </p>
      <h1>{organization.shortName}</h1>
      <p class="lead">{organization.name}</p>
      {organization.description && <p class="prose">{organization.description}</p>}
      <dl class="facts">
        <dt>Тип</dt>
        <dd>{CATEGORY_LABELS[organization.category]}</dd>
        <dt>Организационно-правовая форма</dt>
        <dd>{organization.kind}</dd>
        <dt>Муниципалитет</dt>
        <dd>{details.municipality}</dd>
        <ContactFacts
          address={organization.address}
          phone={organization.phone}
          hours={organization.workingHours}
          email={organization.email}
        />
        {organization.website && (
          <>
            <dt>Сайт</dt>
            <dd>
              <a href={organization.website} rel="nofollow noopener">
                {organization.website}
              </a>
            </dd>
          </>
        )}
        {organization.inn && (
          <>
            <dt>ИНН</dt>
            <dd>{organization.inn}</dd>
          </>
        )}
        {organization.kpp && (
          <>
            <dt>КПП</dt>
            <dd>{organization.kpp}</dd>
          </>
        )}
        {organization.ogrn && (
          <>
            <dt>{organization.ogrn.length === 15 ? 'ОГРНИП' : 'ОГРН'}</dt>
            <dd>{organization.ogrn}</dd>
          </>
        )}
        {organization.head && (
          <>
            <dt>Руководитель</dt>
            <dd>{organization.head}</dd>
          </>
        )}
        {organization.legalAddress && (
          <>
            <dt>Юридический адрес</dt>
            <dd>{organization.legalAddress}</dd>
          </>
        )}
      </dl>
      {organization.latitude !== null && organization.longitude !== null && (
        <MarkerMap
          settings={map}
          label={`Карта: ${organization.shortName}`}
          markers={[
            {
              name: organization.shortName,
              address: organization.address,
              latitude: organization.latitude,
              longitude: organization.longitude,
              href: `/organizations/${organization.id}`,
            },
          ]}
        />
      )}
      <h2>Программы ({programs.length})</h2>
      {programs.length > 0 && (
        <p>
          <a href={`/programs?municipality=all&organization=${organization.id}`}>
            Искать среди программ организации с фильтрами
          </a>
        </p>
      )}
      {programs.length === 0 ? (
        <p>Опубликованных программ пока нет.</p>
      ) : (
        <ul class="results">
          {programs.map((program) => (
            <li class="result" key={program.id}>
              <h3 class="result__title">
                <a href={`/programs/${program.id}`}>{program.name}</a>
              </h3>
              <p class="result__tags">
                <span class="tag">{program.direction}</span>
                <span class="tag">{ages(program.ageFrom, program.ageTo)}</span>
                <span class="tag">{FINANCING_LABELS[program.financing]}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

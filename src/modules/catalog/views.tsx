import type { ComponentChildren } from 'preact';
import { ContactFacts } from '../../platform/views/contact.js';
import { SelectField } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import {
  ages,
  countOf,
  formatDate,
  freePlaces,
  PLACE_FORMS,
  scheduleText,
  YEAR_FORMS,
} from '../../platform/views/format.js';
import type { Direction, Municipality, Specialization } from '../reference/index.js';
import {
  FINANCING_LABELS,
  FORMAT_LABELS,
  LEVEL_LABELS,
  OVZ_LABELS,
  REGISTRIES,
  REGISTRY_LABELS,
  type OvzCategory,
} from '../reference/index.js';
import { PROGRAM_FORMS, SORT_LABELS } from './labels.js';
import type { ProgramQueryInput } from './schemas.js';
import type { CatalogService, ProgramCard, SearchResult } from './service.js';
import { Pagination } from '../../platform/views/pagination.js';

/** The catalog's address for a query, with some parameters changed or dropped (undefined). */
export function catalogUrl(
  query: ProgramQueryInput,
  changes: Partial<Record<string, string | undefined>> = {},
) {
  const params = new URLSearchParams();
  const merged: Record<string, unknown> = { ...query, page: undefined, ...changes };
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined || value === '' || value === false) continue;
    params.set(key, value === true ? '1' : typeof value === 'string' ? value : JSON.stringify(value));
  }
  const search = params.toString();
  return search ? `/programs?${search}` : '/programs';
}

function rubles(amount: number): string {
  return `${amount.toLocaleString('ru-RU')} ₽`;
}

/** One program in a list: the catalog, the home page's recommendations. */
export function ProgramCardItem({
  program,
  headingLevel = 2,
}: {
  program: ProgramCard;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <li class="result">
      <Heading class="result__title">
        <a href={`/programs/${program.id}`}>{program.name}</a>
      </Heading>
      <p class="result__meta">
        {program.organization} · {program.municipality}
      </p>
      <p class="result__tags">
        <span class="tag">{program.direction}</span>
        <span class="tag">{ages(program.ageFrom, program.ageTo)}</span>
        <span class="tag">{FINANCING_LABELS[program.financing]}</span>
        {program.minMonthlyCost !== null && (
          <span class="tag">от {rubles(program.minMonthlyCost)} в месяц</span>
        )}
        {program.format !== 'in_person' && <span class="tag">{FORMAT_LABELS[program.format]}</span>}
        {program.ovzAdapted && <span class="tag">Для детей с ОВЗ</span>}
      </p>
      <p>
        {program.enrolmentOpen ? (
          <span class="tag tag--success">
            Идёт запись · свободно {countOf(program.freePlaces, PLACE_FORMS)}
          </span>
        ) : (
          <span class="muted">Запись сейчас закрыта</span>
        )}
        {program.nextStart && <span class="muted"> · начало занятий {formatDate(program.nextStart)}</span>}
      </p>
    </li>
  );
}

export interface ProgramListProps {
  query: ProgramQueryInput;
  /** The municipality searched in (the signed-in user's when the query names none). */
  municipalityCode: string | undefined;
  result: SearchResult;
  directions: Direction[];
  specializations: Specialization[];
  municipalities: Municipality[];
  /** The signed-in user's children, for «для моего ребёнка». */
  myChildren: { id: string; label: string }[];
  organizationName: string | null;
  /** The results' map (catalog/map.tsx), placed below the list; absent without one. */
  map?: ComponentChildren;
  /** `ResultsFound` already rendered for this query and result (from the cache); `map` is then unused. */
  foundHtml?: string | undefined;
}

function Filters(props: ProgramListProps) {
  const { query, municipalityCode, directions, specializations, municipalities, myChildren } = props;
  const direction = directions.find((d) => d.code === query.direction);
  const specializationOptions = specializations
    .filter((s) => !direction || s.directionId === direction.id)
    .map((s) => ({ value: String(s.id), label: s.name }));
  return (
    // Folded as served, applied filters or not, so that on a phone the results come first (the chips above them
    // say what is applied); catalog.js unfolds it beside the results on wide screens.
    <details class="catalog__toggle">
      <summary class="catalog__summary">
        Фильтры{activeFilterCount(props) > 0 ? ` (${activeFilterCount(props)})` : ''}
      </summary>
      <form class="filters catalog__filters" action="/programs" method="get" aria-label="Фильтры">
        {query.q && <input type="hidden" name="q" value={query.q} />}
        {query.organization && <input type="hidden" name="organization" value={query.organization} />}
        <div class="field">
          <label class="label" for="municipality">
            Муниципалитет
          </label>
          <select class="select" id="municipality" name="municipality">
            <option value="all" selected={!municipalityCode}>
              Вся область
            </option>
            {municipalities.map((m) => (
              <option key={m.code} value={m.code} selected={m.code === municipalityCode}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <SelectField
          name="direction"
          label="Направленность"
          value={query.direction}
          placeholder="Все направленности"
          options={directions.map((d) => ({ value: d.code, label: d.name }))}
        />
        <SelectField
          name="specialization"
          label="Специализация"
          value={query.specialization ? String(query.specialization) : undefined}
          placeholder="Все специализации"
          options={specializationOptions}
        />
        {myChildren.length > 0 && (
          <SelectField
            name="child"
            label="Для моего ребёнка"
            value={query.child}
            placeholder="Не выбран"
            options={myChildren.map((c) => ({ value: c.id, label: c.label }))}
          />
        )}
        <SelectField
          name="age"
          label="Возраст ребёнка"
          value={query.age === undefined ? undefined : String(query.age)}
          placeholder="Любой"
          options={Array.from({ length: 19 }, (_, age) => ({
            value: String(age),
            label: countOf(age, YEAR_FORMS),
          }))}
        />
        <SelectField
          name="financing"
          label="Оплата"
          value={query.financing}
          placeholder="Любая"
          options={Object.entries(FINANCING_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <SelectField
          name="registry"
          label="Реестр"
          value={query.registry}
          placeholder="Любой"
          options={REGISTRIES.map((value) => ({ value, label: REGISTRY_LABELS[value] }))}
        />
        <div class="field">
          <label class="label" for="maxCost">
            Стоимость в месяц, не больше, ₽
          </label>
          <input
            class="input input--short"
            id="maxCost"
            name="maxCost"
            inputMode="numeric"
            pattern="[0-9]*"
            maxLength={7}
            value={query.maxCost === undefined ? '' : String(query.maxCost)}
          />
        </div>
        <SelectField
          name="format"
          label="Форма обучения"
          value={query.format}
          placeholder="Любая"
          options={Object.entries(FORMAT_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <SelectField
          name="level"
          label="Уровень"
          value={query.level}
          placeholder="Любой"
          options={Object.entries(LEVEL_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <div class="checkbox">
          <input
            class="checkbox__input"
            type="checkbox"
            id="open"
            name="open"
            value="1"
            checked={query.open}
          />
          <label class="checkbox__label" for="open">
            Только с открытой записью
          </label>
        </div>
        <div class="checkbox">
          <input class="checkbox__input" type="checkbox" id="ovz" name="ovz" value="1" checked={query.ovz} />
          <label class="checkbox__label" for="ovz">
            Адаптированные для детей с ОВЗ
          </label>
        </div>
        <SelectField
          name="sort"
          label="Сортировка"
          value={query.sort}
          placeholder={query.q ? SORT_LABELS.relevance : SORT_LABELS.name}
          options={Object.entries(SORT_LABELS)
            .filter(([value]) => value !== (query.q ? 'relevance' : 'name'))
            .filter(([value]) => query.q || value !== 'relevance')
            .map(([value, label]) => ({ value, label }))}
        />
        <button class="button" type="submit">
          Показать
        </button>
        <p>
          <a href="/programs?municipality=all">Сбросить все фильтры</a>
        </p>
      </form>
    </details>
  );
}

/** How many filters narrow the list (the municipality counts: it is chosen for a signed-in user by default). */
function activeFilterCount(props: ProgramListProps): number {
  const { query, municipalityCode } = props;
  return [
    municipalityCode,
    query.direction,
    query.specialization,
    query.age ?? query.child,
    query.financing,
    query.registry,
    query.maxCost,
    query.format,
    query.level,
    query.open || undefined,
    query.ovz || undefined,
  ].filter((value) => value !== undefined).length;
}

/**
 * Each filter that narrows the list, with the address that drops it: the chips above the results, and the
 * suggestions of «Ничего не найдено» (`relax`).
 */
export function appliedFilters(props: ProgramListProps): { label: string; relax: string; href: string }[] {
  const { query, municipalityCode, municipalities, directions, specializations, myChildren } = props;
  const applied: { label: string; relax: string; href: string }[] = [];
  const add = (label: string, relax: string, changes: Partial<Record<string, string | undefined>>) =>
    applied.push({ label, relax, href: catalogUrl(query, changes) });
  if (municipalityCode) {
    const name = municipalities.find((m) => m.code === municipalityCode)?.name ?? municipalityCode;
    add(name, 'искать по всей области', { municipality: 'all' });
  }
  if (props.organizationName && query.organization) {
    add(props.organizationName, 'все организации', { organization: undefined });
  }
  const direction = directions.find((d) => d.code === query.direction);
  if (direction) {
    add(`${direction.name} направленность`, 'без направленности', {
      direction: undefined,
      specialization: undefined,
    });
  }
  const specialization = specializations.find((s) => s.id === query.specialization);
  if (specialization) add(specialization.name, 'без специализации', { specialization: undefined });
  if (query.child || query.age !== undefined) {
    const child = myChildren.find((c) => c.id === query.child);
    add(
      child ? `Для ребёнка: ${child.label}` : `Возраст: ${countOf(query.age ?? 0, YEAR_FORMS)}`,
      'любой возраст',
      { age: undefined, child: undefined },
    );
  }
  if (query.financing) add(FINANCING_LABELS[query.financing], 'любая оплата', { financing: undefined });
  if (query.registry)
    add(`Реестр: ${REGISTRY_LABELS[query.registry]}`, 'любой реестр', { registry: undefined });
  if (query.maxCost !== undefined) {
    add(`Не дороже ${rubles(query.maxCost)} в месяц`, 'любая стоимость', { maxCost: undefined });
  }
  if (query.format) add(FORMAT_LABELS[query.format], 'любая форма обучения', { format: undefined });
  if (query.level) add(LEVEL_LABELS[query.level], 'любой уровень', { level: undefined });
  if (query.open) add('Идёт запись', 'в том числе с закрытой записью', { open: undefined });
  if (query.ovz) add('Для детей с ОВЗ', 'не только для детей с ОВЗ', { ovz: undefined });
  return applied;
}

/** Links that each drop one active filter: the suggestions of «Ничего не найдено». */
function relaxations(props: ProgramListProps): { href: string; label: string }[] {
  const { query } = props;
  const links = appliedFilters(props).map((filter) => ({ href: filter.href, label: filter.relax }));
  if (query.q) links.push({ href: catalogUrl(query, { q: undefined }), label: `без слов «${query.q}»` });
  return links;
}

/** The applied filters above the results, each a link that removes it (no script needed). */
function FilterChips(props: ProgramListProps) {
  const applied = appliedFilters(props);
  if (applied.length === 0) return null;
  return (
    <nav class="chips" aria-label="Выбранные фильтры">
      <ul class="chips__list">
        {applied.map((filter) => (
          <li key={filter.href}>
            <a class="chip" href={filter.href}>
              {filter.label}
              <span class="chip__remove" aria-hidden="true">
                ×
              </span>
              <span class="visually-hidden"> — убрать фильтр</span>
            </a>
          </li>
        ))}
        <li>
          <a
            class="chips__reset"
            href={catalogUrl(
              { q: props.query.q, ovz: false, open: false, partial: false, page: 1 },
              { municipality: 'all' },
            )}
          >
            Сбросить все
          </a>
        </li>
      </ul>
    </nav>
  );
}

/**
 * What a search found: the count, a page of cards, the pages and the map. It depends on the query and its results
 * only, never on who asks, so a signed-in user's page may take it from the cache as text (ADR 0031).
 */
export function ResultsFound({ query, result, map }: Pick<ProgramListProps, 'query' | 'result' | 'map'>) {
  return (
    <>
      <p class="muted" role="status">
        {result.totalCapped
          ? `Найдено более ${countOf(result.total, PROGRAM_FORMS)}: уточните запрос или выберите фильтры`
          : `Найдено ${countOf(result.total, PROGRAM_FORMS)}`}
      </p>
      <ul class="results">
        {result.items.map((program) => (
          <ProgramCardItem key={program.id} program={program} />
        ))}
      </ul>
      <Pagination
        page={result.page}
        pageCount={result.pageCount}
        label="Страницы результатов"
        hrefFor={(p) =>
          catalogUrl(query, {
            page: p > 1 ? String(p) : undefined,
            ...(result.partialMatch ? { partial: '1' } : {}),
          })
        }
      />
      {/* After the results: on a phone the list comes first, the map below it. */}
      {map}
    </>
  );
}

export function ProgramListPage(props: ProgramListProps) {
  const { query, result, directions, organizationName } = props;
  const direction = directions.find((d) => d.code === query.direction);
  const title = organizationName
    ? `Программы: ${organizationName}`
    : direction
      ? `Программы: ${direction.name.toLowerCase()} направленность`
      : 'Программы';
  const suggestions = relaxations(props);
  return (
    <Layout title={query.q ? `${title} — «${query.q}»` : title} scripts={['catalog.js']}>
      <h1>{title}</h1>
      <form class="search" action="/programs" method="get" role="search" aria-label="Поиск программ">
        <label class="label" for="q">
          Название или ключевые слова
        </label>
        <div class="search__row">
          <input class="input" id="q" name="q" type="search" maxLength={200} value={query.q ?? ''} />
          {props.municipalityCode && (
            <input type="hidden" name="municipality" value={props.municipalityCode} />
          )}
          <button class="button" type="submit">
            Найти
          </button>
        </div>
      </form>
      <div class="catalog">
        <Filters {...props} />
        <section class="catalog__results" aria-labelledby="results-title">
          <h2 class="visually-hidden" id="results-title">
            Результаты
          </h2>
          <FilterChips {...props} />
          {result.partialMatch && (
            <p class="notice">
              Нет программ со всеми словами запроса. Показаны программы, где есть хотя бы одно из них.
            </p>
          )}
          {result.correctedQuery && (
            <p class="notice">Показаны результаты по запросу «{result.correctedQuery}».</p>
          )}
          {result.total === 0 ? (
            <div class="empty" role="status">
              <h2>Ничего не найдено</h2>
              <p>Попробуйте:</p>
              <ul>
                <li>
                  проверить, нет ли опечатки в запросе, или искать по более общему слову, например «танцы»;
                </li>
                {suggestions.map((s) => (
                  <li key={s.href}>
                    <a href={s.href}>{s.label}</a>;
                  </li>
                ))}
                <li>
                  <a href="/programs?municipality=all">посмотреть все программы области</a>.
                </li>
              </ul>
            </div>
          ) : props.foundHtml !== undefined ? (
            <div class="catalog__found" dangerouslySetInnerHTML={{ __html: props.foundHtml }} />
          ) : (
            <div class="catalog__found">
              <ResultsFound query={query} result={result} map={props.map} />
            </div>
          )}
          <p class="muted">
            <a href={`/programs.csv`}>Весь каталог в формате CSV (открытые данные)</a>
          </p>
        </section>
      </div>
    </Layout>
  );
}

type ProgramDetails = NonNullable<Awaited<ReturnType<CatalogService['getPublishedProgram']>>>;

export function enrolmentOpen(group: { enrolmentFrom: string; enrolmentTo: string }, today: string): boolean {
  return group.enrolmentFrom <= today && today <= group.enrolmentTo;
}

export function ProgramDetailsPage({
  details,
  today,
  splits,
}: {
  details: ProgramDetails;
  today: string;
  /** A signed-in parent's funded children: per group, what the certificate covers (never on a guest's page). */
  splits?: Map<string, string[]> | undefined;
}) {
  const { program, organization, groups } = details;
  return (
    <Layout title={program.name} description={program.description.slice(0, 160)}>
      <p class="muted">
        <a href="/programs">Программы</a> /{' '}
        <a href={`/programs?direction=${details.directionCode}`}>{details.direction}</a>
      </p>
      <h1>{program.name}</h1>
      <p class="lead">
        <a href={`/organizations/${organization.id}`}>{organization.shortName}</a>, {details.municipality}
      </p>
      <dl class="facts">
        <dt>Направленность</dt>
        <dd>
          {details.direction}
          {details.specialization ? `, ${details.specialization}` : ''}
        </dd>
        <dt>Возраст</dt>
        <dd>{ages(program.ageFrom, program.ageTo)}</dd>
        <dt>Уровень</dt>
        <dd>{LEVEL_LABELS[program.level]}</dd>
        <dt>Форма обучения</dt>
        <dd>{FORMAT_LABELS[program.format]}</dd>
        <dt>Продолжительность</dt>
        <dd>
          {program.durationMonths} мес., {program.hoursTotal} ч.
        </dd>
        <dt>Оплата</dt>
        <dd>{FINANCING_LABELS[program.financing]}</dd>
        <dt>Реестр</dt>
        <dd>{REGISTRY_LABELS[program.registry]}</dd>
        <dt>Для детей с ОВЗ</dt>
        <dd>
          {program.ovzAdapted
            ? `адаптирована: ${program.ovzCategories.map((c) => OVZ_LABELS[c as OvzCategory]?.toLowerCase() ?? c).join(', ')}`
            : 'не адаптирована'}
        </dd>
      </dl>
      <h2>О программе</h2>
      <p class="prose">{program.description}</p>
      {program.goals && (
        <>
          <h3>Цели</h3>
          <p class="prose">{program.goals}</p>
        </>
      )}
      {program.expectedResults && (
        <>
          <h3>Ожидаемые результаты</h3>
          <p class="prose">{program.expectedResults}</p>
        </>
      )}
      <h2>Группы</h2>
      {groups.length === 0 ? (
        <p>Группы пока не набираются.</p>
      ) : (
        <ul class="results">
          {groups.map((group) => {
            const open = enrolmentOpen(group, today);
            const free = group.capacity - group.seatsTaken;
            return (
              <li class="result" key={group.id}>
                <h3 class="result__title">{group.name}</h3>
                <p>
                  {open ? (
                    <span class="tag tag--success">{freePlaces(group.capacity, group.seatsTaken)}</span>
                  ) : (
                    <span class="tag">{freePlaces(group.capacity, group.seatsTaken)}</span>
                  )}
                </p>
                <dl class="facts">
                  <dt>Расписание</dt>
                  <dd>
                    {scheduleText(group.schedule)} (занятие {group.lessonMinutes} мин.)
                  </dd>
                  <dt>Адрес</dt>
                  <dd>{group.address}</dd>
                  <dt>Педагог</dt>
                  <dd>{group.teacher}</dd>
                  <dt>Возраст</dt>
                  <dd>{ages(group.ageFrom, group.ageTo)}</dd>
                  <dt>Приём заявок</dt>
                  <dd>
                    с {formatDate(group.enrolmentFrom)} по {formatDate(group.enrolmentTo)}
                    {open
                      ? ' — идёт запись'
                      : today < group.enrolmentFrom
                        ? ' — ещё не начался'
                        : ' — завершён'}
                  </dd>
                  <dt>Период обучения</dt>
                  <dd>
                    с {formatDate(group.studyStart)} по {formatDate(group.studyEnd)}
                  </dd>
                  <dt>Стоимость</dt>
                  <dd>
                    {group.monthlyCostCertificate === null && group.monthlyCostOwn === null
                      ? 'бесплатно'
                      : [
                          group.monthlyCostCertificate !== null &&
                            `по сертификату ${rubles(group.monthlyCostCertificate)} в месяц`,
                          group.monthlyCostOwn !== null &&
                            `за свой счёт ${rubles(group.monthlyCostOwn)} в месяц`,
                        ]
                          .filter(Boolean)
                          .join('; ')}
                  </dd>
                  {(splits?.get(group.id) ?? []).length > 0 && (
                    <>
                      <dt>Ваш сертификат</dt>
                      {splits!.get(group.id)!.map((line) => (
                        <dd key={line}>{line}</dd>
                      ))}
                    </>
                  )}
                </dl>
                {open ? (
                  <>
                    {free === 0 && <p class="muted">Свободных мест нет: новая заявка встанет в очередь.</p>}
                    <a class="button" href={`/groups/${group.id}/apply`}>
                      {free > 0 ? 'Записаться' : 'Встать в очередь'}
                      <span class="visually-hidden"> в группу «{group.name}»</span>
                    </a>
                  </>
                ) : (
                  <p class="muted">Запись в эту группу сейчас закрыта.</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <h2>Организация</h2>
      <dl class="facts">
        <dt>Название</dt>
        <dd>
          <a href={`/organizations/${organization.id}`}>{organization.name}</a>
        </dd>
        <ContactFacts
          address={organization.address}
          phone={organization.phone}
          hours={organization.workingHours}
          email={organization.email}
        />
      </dl>
    </Layout>
  );
}

export type PublicGroup = NonNullable<Awaited<ReturnType<CatalogService['getPublicGroup']>>>;

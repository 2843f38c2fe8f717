import { ContactFacts } from '../../platform/views/contact.js';
import { Layout } from '../../platform/views/layout.js';
import { countOf, formatDate, WEEKDAYS_SHORT } from '../../platform/views/format.js';
import type { Direction, Municipality } from '../reference/service.js';
import {
  FINANCING_LABELS,
  FORMAT_LABELS,
  LEVEL_LABELS,
  PLACE_FORMS,
  PROGRAM_FORMS,
  YEAR_FORMS,
} from './labels.js';
import type { ProgramQuery, ProgramPage, CatalogService } from './service.js';

function pageUrl(query: ProgramQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.direction) params.set('direction', query.direction);
  if (query.municipality) params.set('municipality', query.municipality);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `/programs?${search}` : '/programs';
}

function ages(from: number, to: number): string {
  return `от ${from} до ${countOf(to, YEAR_FORMS)}`;
}

export interface ProgramListProps {
  query: ProgramQuery;
  result: ProgramPage;
  directions: Direction[];
  municipalities: Municipality[];
}

export function ProgramListPage({ query, result, directions, municipalities }: ProgramListProps) {
  const direction = directions.find((d) => d.code === query.direction);
  const title = direction ? `Программы: ${direction.name.toLowerCase()} направленность` : 'Программы';
  return (
    <Layout title={query.q ? `${title} — «${query.q}»` : title}>
      <h1>{title}</h1>
      <form class="filters" action="/programs" method="get" role="search" aria-label="Поиск программ">
        <div class="field">
          <label class="label" for="q">
            Название или ключевые слова
          </label>
          <input class="input" id="q" name="q" type="search" maxLength={200} value={query.q ?? ''} />
        </div>
        <div class="field">
          <label class="label" for="direction">
            Направленность
          </label>
          <select class="select" id="direction" name="direction">
            <option value="">Все направленности</option>
            {directions.map((d) => (
              <option value={d.code} selected={d.code === query.direction}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label class="label" for="municipality">
            Муниципалитет
          </label>
          <select class="select" id="municipality" name="municipality">
            <option value="">Вся область</option>
            {municipalities.map((m) => (
              <option value={m.code} selected={m.code === query.municipality}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <button class="button" type="submit">
          Найти
        </button>
      </form>

      {result.total === 0 ? (
        <section class="empty" aria-live="polite">
          <h2>Ничего не найдено</h2>
          <p>Попробуйте:</p>
          <ul>
            <li>проверить, нет ли опечатки в запросе;</li>
            <li>искать по более общему слову, например «танцы» вместо «хип-хоп»;</li>
            <li>
              выбрать «Вся область» или <a href="/programs">посмотреть все программы</a>.
            </li>
          </ul>
        </section>
      ) : (
        <>
          <p class="muted" aria-live="polite">
            Найдено {countOf(result.total, PROGRAM_FORMS)}
          </p>
          <ul class="results">
            {result.items.map((program) => (
              <li class="result" key={program.id}>
                <h2 class="result__title">
                  <a href={`/programs/${program.id}`}>{program.name}</a>
                </h2>
                <p class="result__meta">
                  {program.organization} · {program.municipality}
                </p>
                <p class="result__tags">
                  <span class="tag">{program.direction}</span>
                  <span class="tag">{ages(program.ageFrom, program.ageTo)}</span>
                  <span class="tag">{FINANCING_LABELS[program.financing]}</span>
                </p>
              </li>
            ))}
          </ul>
          {result.pageCount > 1 && (
            <nav class="pagination" aria-label="Страницы результатов">
              {result.page > 1 && (
                <a href={pageUrl(query, result.page - 1)} rel="prev">
                  ← Предыдущая
                </a>
              )}
              <span>
                Страница {result.page} из {result.pageCount}
              </span>
              {result.page < result.pageCount && (
                <a href={pageUrl(query, result.page + 1)} rel="next">
                  Следующая →
                </a>
              )}
            </nav>
          )}
        </>
      )}
    </Layout>
  );
}

type ProgramDetails = NonNullable<Awaited<ReturnType<CatalogService['getPublishedProgram']>>>;

export function ProgramDetailsPage({ details }: { details: ProgramDetails }) {
  const { program, organization, groups } = details;
  return (
    <Layout title={program.name} description={program.description.slice(0, 160)}>
      <p class="muted">
        <a href="/programs">Программы</a> /{' '}
        <a href={`/programs?direction=${details.directionCode}`}>{details.direction}</a>
      </p>
      <h1>{program.name}</h1>
      <p class="lead">
        {organization.shortName}, {details.municipality}
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
        {program.ovzAdapted && (
          <>
            <dt>Адаптирована для детей с ОВЗ</dt>
            <dd>{program.ovzCategories.join(', ') || 'да'}</dd>
          </>
        )}
      </dl>
      <h2>О программе</h2>
      <p>{program.description}</p>
      {program.goals && (
        <>
          <h3>Цели</h3>
          <p>{program.goals}</p>
        </>
      )}
      {program.expectedResults && (
        <>
          <h3>Ожидаемые результаты</h3>
          <p>{program.expectedResults}</p>
        </>
      )}
      <h2>Группы</h2>
      {groups.length === 0 ? (
        <p>Группы пока не набираются.</p>
      ) : (
        <ul class="results">
          {groups.map((group) => (
            <li class="result" key={group.id}>
              <h3 class="result__title">{group.name}</h3>
              <dl class="facts">
                <dt>Расписание</dt>
                <dd>
                  {group.schedule
                    .map((slot) => `${WEEKDAYS_SHORT[slot.weekday]} ${slot.start}–${slot.end}`)
                    .join(', ')}
                </dd>
                <dt>Адрес</dt>
                <dd>{group.address}</dd>
                <dt>Педагог</dt>
                <dd>{group.teacher}</dd>
                <dt>Возраст</dt>
                <dd>{ages(group.ageFrom, group.ageTo)}</dd>
                <dt>План приёма</dt>
                <dd>{countOf(group.capacity, PLACE_FORMS)}</dd>
                <dt>Приём заявок</dt>
                <dd>
                  с {formatDate(group.enrolmentFrom)} по {formatDate(group.enrolmentTo)}
                </dd>
                <dt>Период обучения</dt>
                <dd>
                  с {formatDate(group.studyStart)} по {formatDate(group.studyEnd)}
                </dd>
                {group.monthlyCostCertificate !== null && (
                  <>
                    <dt>Стоимость по сертификату</dt>
                    <dd>{group.monthlyCostCertificate} ₽ в месяц</dd>
                  </>
                )}
                {group.monthlyCostOwn !== null && (
                  <>
                    <dt>Стоимость</dt>
                    <dd>{group.monthlyCostOwn} ₽ в месяц</dd>
                  </>
                )}
              </dl>
            </li>
          ))}
        </ul>
      )}
      <h2>Организация</h2>
      <dl class="facts">
        <dt>Название</dt>
        <dd>{organization.name}</dd>
        <ContactFacts
          address={organization.address}
          phone={organization.phone}
          hours={organization.workingHours}
        />
      </dl>
    </Layout>
  );
}

import { CabinetLayout } from '../../platform/views/cabinet.js';
import {
  CheckboxField,
  CsrfField,
  ErrorSummary,
  TextField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { formatDate, regionToday } from '../../platform/views/format.js';
import { municipalityName } from '../reference/index.js';
import { formatRoubles, nextPeriod, periodName, periodOf, type Period } from './money.js';
import type { CategoryState, FundingPeriod, FundingState } from './service.js';

type FormValues = Partial<Record<string, string>>;

/** The seed's words, and ours for the states the seed does not name. */
export const FUNDING_TEXTS = {
  noFunding: 'В настоящее время финансирование сертификата не осуществляется',
  request: 'Подать заявление на финансирование',
  queued: (position: number) => `Лимит сертификатов исчерпан. Вы ${position}-й в очереди`,
} as const;

/** One line for the child's card: where its certificate stands with funding, and where to go next. */
export function fundingLine(state: FundingState): { line: string; action?: string } {
  switch (state.status) {
    case 'funded':
      return {
        line: `Сертификат персонифицированного финансирования: ${sumsLine(state.sums)}`,
        action: 'Подробнее о финансировании',
      };
    case 'queued':
      return { line: `${FUNDING_TEXTS.queued(state.position)}.`, action: 'Подробнее об очереди' };
    case 'can_request':
      return {
        line: `Муниципалитет финансирует сертификаты: номинал ${formatRoubles(state.nominalKopecks)} до конца учебного года.`,
        action: FUNDING_TEXTS.request,
      };
    case 'no_category':
      return { line: 'Сертификаты детей этого возраста муниципалитет сейчас не финансирует.' };
    default:
      return { line: FUNDING_TEXTS.noFunding };
  }
}

/** The sums of a funded period in one line: «Номинал 5 000 ₽ · зарезервировано 3 200 ₽ · осталось 1 800 ₽». */
function sumsLine(sums: { granted: number; reserved: number; balance: number }): string {
  return `номинал ${formatRoubles(sums.granted)} · зарезервировано ${formatRoubles(sums.reserved)} · осталось ${formatRoubles(sums.balance)}`;
}

/** The card's line for the current period, and the next period's sums once it is known (funded or queued there). */
export function fundingSummaryOf({ current, next }: { current: FundingState; next: FundingState | null }): {
  line: string;
  action?: string;
} {
  const summary = fundingLine(current);
  if (!next) return summary;
  const later =
    next.status === 'funded'
      ? `${periodName(next.period)}: ${sumsLine(next.sums)}`
      : next.status === 'queued'
        ? `${periodName(next.period)}: ${FUNDING_TEXTS.queued(next.position).toLowerCase()}`
        : null;
  return later ? { ...summary, line: `${summary.line}. ${later}` } : summary;
}

export function FundingPage({
  childId,
  childName,
  state,
  next = null,
}: {
  childId: string;
  childName: string;
  state: FundingState;
  /** The next period, once the certificate is funded or queued there. */
  next?: FundingState | null;
}) {
  const title = 'Финансирование сертификата';
  return (
    <CabinetLayout tab="children" title={title}>
      <p>
        <a href="/cabinet/children">← Дети</a>
      </p>
      <h2>{title}</h2>
      <p>
        {childName}, {periodName(state.period)}
      </p>
      {state.status === 'funded' && (
        <>
          <p class="status status--success">Сертификат персонифицированного финансирования</p>
          <dl class="facts">
            <dt>Номинал</dt>
            <dd>{formatRoubles(state.sums.granted)}</dd>
            <dt>Зарезервировано на оплату договоров</dt>
            <dd>{formatRoubles(state.sums.reserved)}</dd>
            <dt>Оплачено</dt>
            <dd>{formatRoubles(state.sums.spent)}</dd>
            <dt>Осталось</dt>
            <dd>{formatRoubles(state.sums.balance)}</dd>
            <dt>Категория</dt>
            <dd>{state.category.name}</dd>
          </dl>
          <p>
            Сертификат оплачивает программы с пометкой «Оплата сертификатом». Неизрасходованный остаток не
            переносится на следующий учебный год: в новом году номинал начисляется заново.
          </p>
        </>
      )}
      {state.status === 'queued' && (
        <>
          <p class="status">{FUNDING_TEXTS.queued(state.position)}</p>
          <p>
            Заявление подано {formatDate(regionToday(state.requestedAt))}. Когда место освободится, сертификат
            переведут автоматически в порядке очереди, и мы пришлём письмо. Пока можно записываться на
            бесплатные программы.
          </p>
        </>
      )}
      {state.status === 'can_request' && (
        <>
          <p>
            Муниципалитет финансирует сертификаты категории «{state.category.name}». Номинал до конца учебного
            года — <strong>{formatRoubles(state.nominalKopecks)}</strong>. Сертификаты переводят в порядке
            подачи заявлений, пока не исчерпан лимит; когда он исчерпан, заявление встаёт в очередь.
          </p>
          <form method="post" action={`/cabinet/children/${childId}/funding`}>
            <CsrfField />
            <button type="submit" class="button">
              {FUNDING_TEXTS.request}
            </button>
          </form>
        </>
      )}
      {state.status === 'closed' && <p>{FUNDING_TEXTS.noFunding}.</p>}
      {state.status === 'no_category' && (
        <p>
          Сертификаты детей этого возраста муниципалитет сейчас не финансирует. Сертификат учёта действует.
        </p>
      )}
      {state.status === 'not_confirmed' && (
        <p>
          Подать заявление на финансирование можно после того, как данные ребёнка подтверждены.{' '}
          <a href={`/cabinet/children/${childId}/confirm`}>Как подтвердить данные</a>
        </p>
      )}
      {state.status === 'no_certificate' && <p>Сначала получите сертификат на странице «Дети».</p>}
      {next?.status === 'funded' && (
        <>
          <h3>{periodName(next.period)}</h3>
          <dl class="facts">
            <dt>Номинал</dt>
            <dd>{formatRoubles(next.sums.granted)}</dd>
            <dt>Зарезервировано на оплату договоров</dt>
            <dd>{formatRoubles(next.sums.reserved)}</dd>
            <dt>Осталось</dt>
            <dd>{formatRoubles(next.sums.balance)}</dd>
          </dl>
        </>
      )}
      {next?.status === 'queued' && (
        <>
          <h3>{periodName(next.period)}</h3>
          <p class="status">{FUNDING_TEXTS.queued(next.position)}</p>
        </>
      )}
    </CabinetLayout>
  );
}

export function FundingOverviewPage({
  period,
  rows,
}: {
  period: Period;
  rows: { municipalityId: number; open: boolean; funded: number; queued: number; categories: number }[];
}) {
  const title = 'Финансирование сертификатов';
  return (
    <Layout title={title}>
      <p>
        <a href="/staff">← Рабочий стол</a>
      </p>
      <h1>{title}</h1>
      <p>{periodName(period)}</p>
      <ul class="cards">
        {rows.map((row) => (
          <li class="card" key={row.municipalityId}>
            <h2 class="card__title">
              <a href={`/staff/funding/${row.municipalityId}`}>{municipalityName(row.municipalityId)}</a>
            </h2>
            <p>
              {row.open ? 'Финансирование открыто' : 'Финансирование закрыто'} · категорий: {row.categories} ·
              финансируется: {row.funded} · в очереди: {row.queued}
            </p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function FundingSettingsPage(props: {
  municipalityId: number;
  period: Period;
  saved: FundingPeriod | null;
  categories: CategoryState[];
  values?: FormValues;
  errors?: FieldErrors;
  /** The coordinator sets the hourly rate of normative costs; others read it. */
  rateEditable?: boolean;
}) {
  const { municipalityId, period, saved, categories, values = {}, errors = {}, rateEditable = false } = props;
  const base = `/staff/funding/${municipalityId}`;
  const query = `?period=${period.startsOn}`;
  const current = periodOf(regionToday());
  const title = `Финансирование: ${municipalityName(municipalityId)}`;
  return (
    <Layout title={title}>
      <p>
        <a href="/staff/funding">← Все муниципалитеты</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>{title}</h1>
      <nav aria-label="Учебный год">
        <p>
          {[current, nextPeriod(current)].map((p) =>
            p.startsOn === period.startsOn ? (
              <strong key={p.startsOn}>{periodName(p)} </strong>
            ) : (
              <a key={p.startsOn} href={`${base}?period=${p.startsOn}`}>
                {periodName(p)}{' '}
              </a>
            ),
          )}
        </p>
      </nav>
      {period.startsOn !== current.startsOn && categories.length === 0 && (
        <div class="narrow">
          <h2>Создать период по образцу текущего</h2>
          <p>
            Категории {periodName(current)} с их номиналами, лимитами и ограничениями будут скопированы в{' '}
            {periodName(period)}. Финансирование в новом периоде останется закрытым, пока вы его не откроете;
            номиналы и лимиты можно будет изменить. Когда новый период открыт, а прошлый закончился,
            сертификаты, профинансированные в прошлом, финансируются в новом снова автоматически.
          </p>
          <form method="post" action={`${base}/next-period`} novalidate>
            <CsrfField />
            <TextField
              name="password"
              label="Ваш пароль"
              hint="Нужен, потому что задаются номиналы"
              type="password"
              autocomplete="current-password"
              width="medium"
              error={errors.password}
            />
            <button type="submit" class="button">
              Создать {periodName(period)}
            </button>
          </form>
        </div>
      )}
      {saved?.closedAt && (
        <p class="status">
          Период закрыт {formatDate(regionToday(saved.closedAt))}: неизрасходованные остатки списаны, очередь
          отозвана или перенесена в следующий период.
        </p>
      )}
      <div class="narrow">
        <h2>Период</h2>
        <form method="post" action={`${base}/period${query}`} novalidate>
          <CsrfField />
          <CheckboxField
            name="open"
            label="Финансирование открыто: родители могут подать заявление, сертификаты переводятся, пока не исчерпан лимит"
            checked={(values.open ?? (saved?.open ? 'yes' : '')) === 'yes'}
            error={errors.open}
          />
          <TextField
            name="contractsBannedFrom"
            label="Запрет на заключение новых договоров с даты (необязательно)"
            hint="Например, 01.04.2027"
            width="medium"
            inputMode="numeric"
            value={
              values.contractsBannedFrom ??
              (saved?.contractsBannedFrom ? formatDate(saved.contractsBannedFrom) : '')
            }
            error={errors.contractsBannedFrom}
          />
          {rateEditable ? (
            <TextField
              name="hourlyRate"
              label="Стоимость часа для нормативной стоимости, ₽ (необязательно)"
              hint="Нормативная стоимость программы без своего значения = часы программы в месяц × стоимость часа"
              width="medium"
              inputMode="numeric"
              value={
                values.hourlyRate ??
                (saved?.hourlyRateKopecks ? String(saved.hourlyRateKopecks / 100).replace('.', ',') : '')
              }
              error={errors.hourlyRate}
            />
          ) : (
            <p>
              Стоимость часа для нормативной стоимости:{' '}
              {saved?.hourlyRateKopecks ? formatRoubles(saved.hourlyRateKopecks) : 'не задана'} (задаёт
              региональный координатор).
            </p>
          )}
          {rateEditable ? (
            <TextField
              name="freeProgramsPerChild"
              label="Бесплатных программ на ребёнка за учебный год"
              hint="Сколько программ бюджетных реестров (значимые, предпрофессиональные, иные) ребёнок из этого муниципалитета может начать за учебный год по сертификату учёта. Пусто — без ограничения."
              inputMode="numeric"
              width="short"
              value={
                values.freeProgramsPerChild ??
                (saved?.freeProgramsPerChild == null ? '' : String(saved.freeProgramsPerChild))
              }
              error={errors.freeProgramsPerChild}
            />
          ) : (
            <p>
              Бесплатных программ на ребёнка за учебный год:{' '}
              {saved?.freeProgramsPerChild == null ? 'без ограничения' : saved.freeProgramsPerChild}{' '}
              (устанавливает региональный координатор).
            </p>
          )}
          <button type="submit" class="button">
            Сохранить
          </button>
        </form>
      </div>
      <h2>Категории сертификатов</h2>
      {categories.length === 0 ? (
        <p>
          Категорий пока нет. Пока их нет, сертификаты не финансируются, даже если финансирование открыто.
        </p>
      ) : (
        <ul class="cards">
          {categories.map((category) => (
            <li class="card" key={category.id}>
              <h3 class="card__title">{category.name}</h3>
              <p>
                {category.ageFrom}–{category.ageTo} лет · номинал {formatRoubles(category.nominalKopecks)} ·
                лимит {category.quota}
                {category.nominalCapKopecks !== null &&
                  ` · ограничение суммы номиналов ${formatRoubles(category.nominalCapKopecks)}`}
              </p>
              <p>
                Финансируется: {category.funded} · в очереди: {category.queued} · начислено{' '}
                {formatRoubles(category.grantedKopecks)}
              </p>
              <p>
                <a href={`${base}/categories/${category.id}${query}`}>Изменить категорию «{category.name}»</a>
              </p>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a class="button button--secondary" href={`${base}/categories/new${query}`}>
          Добавить категорию
        </a>
      </p>
    </Layout>
  );
}

export function CategoryFormPage(props: {
  municipalityId: number;
  period: Period;
  categoryId: string | null;
  values: FormValues;
  errors?: FieldErrors;
}) {
  const { municipalityId, period, categoryId, values, errors = {} } = props;
  const title = categoryId ? 'Изменить категорию сертификатов' : 'Новая категория сертификатов';
  const action = `/staff/funding/${municipalityId}/categories/${categoryId ?? 'new'}?period=${period.startsOn}`;
  return (
    <Layout title={title}>
      <p>
        <a href={`/staff/funding/${municipalityId}?period=${period.startsOn}`}>← Финансирование</a>
      </p>
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h1>{title}</h1>
        <p>
          {municipalityName(municipalityId)}, {periodName(period)}. Новый номинал действует для сертификатов,
          которые переводятся с этого момента; уже переведённые сохраняют начисленное.
        </p>
        <form method="post" action={action} novalidate>
          <CsrfField />
          <TextField
            name="name"
            label="Название"
            hint="Например, «Дети 5–18 лет»"
            value={values.name}
            error={errors.name}
          />
          <TextField
            name="ageFrom"
            label="Возраст от, лет"
            width="short"
            inputMode="numeric"
            value={values.ageFrom}
            error={errors.ageFrom}
          />
          <TextField
            name="ageTo"
            label="Возраст до, лет"
            width="short"
            inputMode="numeric"
            value={values.ageTo}
            error={errors.ageTo}
          />
          <TextField
            name="nominal"
            label="Номинал на учебный год, ₽"
            hint="Например, 5 000"
            width="medium"
            inputMode="text"
            value={values.nominal}
            error={errors.nominal}
          />
          <TextField
            name="quota"
            label="Лимит: сколько сертификатов финансируется"
            width="medium"
            inputMode="numeric"
            value={values.quota}
            error={errors.quota}
          />
          <TextField
            name="nominalCap"
            label="Ограничение суммы номиналов, ₽ (необязательно)"
            width="medium"
            inputMode="text"
            value={values.nominalCap}
            error={errors.nominalCap}
          />
          <TextField
            name="password"
            label="Ваш пароль"
            hint="Нужен, когда задаётся или меняется номинал"
            type="password"
            autocomplete="current-password"
            width="medium"
            error={errors.password}
          />
          <button type="submit" class="button">
            Сохранить
          </button>
        </form>
      </div>
    </Layout>
  );
}

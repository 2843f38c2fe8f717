import { formatDate, formatDateTime } from '../../platform/views/format.js';
import {
  CsrfField,
  ErrorSummary,
  SelectField,
  TextField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { MUNICIPALITIES, municipalityName } from '../reference/index.js';
import { BarChart, formatValue } from './chart.js';
import { PROGRAMS_REFRESH_MINUTES, REPORTS, type Report, type ReportSlug, type Section } from './service.js';

/** The filters as the address carries them: what the form shows and the exports repeat. */
export type FilterValues = Partial<Record<'municipality' | 'from' | 'to', string>>;

/** The filters as an address's query string, without the empty ones. */
export const query = (values: FilterValues) =>
  new URLSearchParams(
    Object.entries(values).filter((entry): entry is [string, string] => Boolean(entry[1])),
  ).toString();

function Back({ href = '/staff', label = 'Рабочий стол' }: { href?: string; label?: string }) {
  return (
    <p>
      <a href={href}>← {label}</a>
    </p>
  );
}

/** `/staff/reports`: the list of reports (and, for the coordinator, the population form). */
export function ReportsIndexPage({
  coordinator,
  municipalityId,
}: {
  coordinator: boolean;
  municipalityId: number | null;
}) {
  return (
    <Layout title="Отчёты">
      <Back />
      <h1>Отчёты</h1>
      <p class="lead">
        {coordinator ? 'Вся область и каждый муниципалитет' : municipalityName(municipalityId)}
      </p>
      <ul class="actions">
        {REPORTS.map((report) => (
          <li key={report.slug}>
            <a href={`/staff/reports/${report.slug}`}>{report.title}</a>
          </li>
        ))}
      </ul>
      {coordinator && (
        <p>
          <a href="/staff/reports/population">Численность детей 5–18 лет по муниципалитетам</a> — для отчёта
          об охвате.
        </p>
      )}
    </Layout>
  );
}

function SectionTable({ section }: { section: Section }) {
  const shown = section.pageRows ?? section.categories.length;
  return (
    <>
      <table class="table table--cards">
        <caption>{section.title}</caption>
        <thead>
          <tr>
            <th scope="col">{section.categoryTitle}</th>
            {section.series.map((series) => (
              <th scope="col" key={series.title} class="numeric">
                {series.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {section.categories.slice(0, shown).map((category, row) => (
            <tr key={`${row}`}>
              <th scope="row" data-label={section.categoryTitle}>
                {category}
              </th>
              {section.series.map((series) => (
                <td key={series.title} data-label={series.title} class="numeric">
                  {formatValue(series.values[row] ?? null, series.percent)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {section.categories.length > shown && (
        <p class="hint">
          Показаны первые {shown} строк из {section.categories.length.toLocaleString('ru-RU')}; все строки — в
          выгрузке XLSX или CSV.
        </p>
      )}
    </>
  );
}

function Filters({
  slug,
  coordinator,
  values,
  errors,
}: {
  slug: ReportSlug;
  coordinator: boolean;
  values: FilterValues;
  errors: FieldErrors;
}) {
  return (
    <form method="get" action={`/staff/reports/${slug}`} class="filters" novalidate>
      {coordinator && (
        <SelectField
          name="municipality"
          label="Муниципалитет"
          value={values.municipality}
          error={errors.municipality}
          placeholder="Вся область"
          options={MUNICIPALITIES.map((m) => ({ value: String(m.id), label: m.name }))}
        />
      )}
      <TextField
        name="from"
        label="Период с"
        type="date"
        width="medium"
        value={values.from}
        error={errors.from}
      />
      <TextField name="to" label="по" type="date" width="medium" value={values.to} error={errors.to} />
      <button type="submit" class="button">
        Показать
      </button>
    </form>
  );
}

/** When the programs report's figures were gathered (ADR 0045), and the button that gathers them now. */
function Gathered({ at, values }: { at: Date; values: FilterValues }) {
  return (
    <form method="post" action="/staff/reports/programs/refresh" class="report-gathered">
      <CsrfField />
      {(['municipality', 'from', 'to'] as const).map(
        (name) => values[name] && <input key={name} type="hidden" name={name} value={values[name]} />,
      )}
      <p>
        Данные на {formatDateTime(at)}; они обновляются каждые {PROGRAMS_REFRESH_MINUTES} минут.{' '}
        <button type="submit" class="button button--secondary">
          Обновить сейчас
        </button>
      </p>
    </form>
  );
}

/** One report: filters, then each section's chart beside its table, and the exports of the same rows. */
export function ReportPage({
  slug,
  report,
  coordinator,
  values,
  errors = {},
}: {
  slug: ReportSlug;
  report: Report | null;
  coordinator: boolean;
  values: FilterValues;
  errors?: FieldErrors;
}) {
  const title = REPORTS.find((r) => r.slug === slug)!.title;
  const exported = query(values);
  return (
    <Layout title={title}>
      <Back href="/staff/reports" label="Все отчёты" />
      <ErrorSummary errors={errors} />
      <h1>{title}</h1>
      {report && (
        <p class="lead">
          {report.municipalityId === null ? 'Вся область' : municipalityName(report.municipalityId)}, с{' '}
          {formatDate(report.filter.from)} по {formatDate(report.filter.to)}
        </p>
      )}
      <Filters slug={slug} coordinator={coordinator} values={values} errors={errors} />
      {report?.gatheredAt && <Gathered at={report.gatheredAt} values={values} />}
      {report && (
        <>
          <p class="actions">
            <a href={`/staff/reports/${slug}/export.xlsx${exported ? `?${exported}` : ''}`} download>
              Скачать XLSX
            </a>{' '}
            <a href={`/staff/reports/${slug}/export.csv${exported ? `?${exported}` : ''}`} download>
              Скачать CSV
            </a>
          </p>
          {report.sections.map((section) => (
            <section key={section.id} class="report-section" aria-labelledby={`section-${section.id}`}>
              <h2 id={`section-${section.id}`}>{section.title}</h2>
              {section.categories.length === 0 ? (
                <p>Нет данных за выбранный период.</p>
              ) : (
                <div class={section.chart ? 'report-section__body' : undefined}>
                  {section.chart && <BarChart section={section} />}
                  <SectionTable section={section} />
                </div>
              )}
            </section>
          ))}
        </>
      )}
    </Layout>
  );
}

/** The coordinator's form: children 5–18 per municipality, the denominator of the coverage. */
export function PopulationPage({
  rows,
  values,
  errors = {},
}: {
  rows: { municipalityId: number; name: string }[];
  values: Partial<Record<string, string>>;
  errors?: FieldErrors;
}) {
  return (
    <Layout title="Численность детей 5–18 лет">
      <Back href="/staff/reports" label="Все отчёты" />
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h1>Численность детей 5–18 лет</h1>
        <p>
          По данным статистики на начало года. По этим числам считается охват: сколько детей муниципалитета
          занимаются хотя бы в одной программе. Пустое поле — нет данных.
        </p>
        <form method="post" action="/staff/reports/population" novalidate>
          <CsrfField />
          {rows.map((row) => (
            <TextField
              key={row.municipalityId}
              name={`m${row.municipalityId}`}
              label={row.name}
              inputMode="numeric"
              width="short"
              maxLength={9}
              value={values[`m${row.municipalityId}`]}
              error={errors[`m${row.municipalityId}`]}
            />
          ))}
          <button type="submit" class="button">
            Сохранить
          </button>
        </form>
      </div>
    </Layout>
  );
}

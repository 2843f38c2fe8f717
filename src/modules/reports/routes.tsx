import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isCoordinator } from '../../platform/access/policy.js';
import { access, operatorOf } from '../../platform/http/access.js';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { setFlash } from '../../platform/http/security.js';
import { dateField } from '../../platform/validation/fields.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { fieldErrors } from '../../platform/views/forms.js';
import { regionToday } from '../../platform/views/format.js';
import { sendPage } from '../../platform/views/render.js';
import { csvLine } from '../catalog/index.js';
import { MUNICIPALITIES } from '../reference/index.js';
import type { ReportFilter } from './queries.js';
import { REPORTS, type Report, type ReportSlug, type ReportsService } from './service.js';
import { PopulationPage, ReportPage, ReportsIndexPage, query, type FilterValues } from './views.js';

/** The longest period a report covers: three years of weeks is still a readable table. */
const MAX_DAYS = 3 * 366;

const filterSchema = z
  .object({
    municipality: z.preprocess(
      (value) => (typeof value === 'string' ? value.trim() : ''),
      z
        .string()
        .refine((id) => id === '' || MUNICIPALITIES.some((m) => String(m.id) === id), {
          message: 'Выберите муниципалитет из списка',
        })
        .transform((id) => (id === '' ? null : Number(id))),
    ),
    from: dateField('Укажите начало периода'),
    to: dateField('Укажите конец периода'),
  })
  .superRefine((value, ctx) => {
    if (value.from > value.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'Конец периода не может быть раньше начала' });
    else if ((Date.parse(value.to) - Date.parse(value.from)) / 86_400_000 > MAX_DAYS)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'Период не может быть длиннее трёх лет' });
    else if (value.to > '2100-01-01')
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'Проверьте год конца периода' });
  });

/** The education year so far (1 September – today): the default period. */
function defaultPeriod(): { from: string; to: string } {
  const today = regionToday();
  const year = Number(today.slice(0, 4)) - (today.slice(5) < '09-01' ? 1 : 0);
  return { from: `${year}-09-01`, to: today };
}

/** The filters of the address, with the default period for what is not given. */
function filterValues(request: FastifyRequest): FilterValues {
  const raw = inputFields(request.query);
  const period = defaultPeriod();
  return {
    municipality: raw.municipality ?? '',
    from: raw.from ?? period.from,
    to: raw.to ?? period.to,
  };
}

const POPULATION_MESSAGE = 'Введите целое число детей от 1 до 9 999 999 или оставьте поле пустым';
const population = z.preprocess(
  (value) => (typeof value === 'string' ? value.replace(/[\s\u00a0]/g, '') : ''),
  z
    .string()
    .refine((text) => text === '' || /^[1-9]\d{0,6}$/.test(text), { message: POPULATION_MESSAGE })
    .transform((text) => (text === '' ? null : Number(text))),
);
const populationSchema = z.object(Object.fromEntries(MUNICIPALITIES.map((m) => [`m${m.id}`, population])));

/** Every row of every section: the exports hold exactly what the page's tables show (and the rows it cut). */
function exportRows(report: Report): { title: string; rows: (string | number | null)[][] }[] {
  return report.sections.map((section) => ({
    title: section.title,
    rows: [
      [section.categoryTitle, ...section.series.map((series) => series.title)],
      ...section.categories.map((category, row) => [
        category,
        ...section.series.map((series) => series.values[row] ?? null),
      ]),
    ],
  }));
}

const filename = (report: Report, extension: string) =>
  `otchet-${report.slug}-${report.municipalityId ?? 'oblast'}-${report.filter.from}-${report.filter.to}.${extension}`;

/**
 * `/staff/reports`: the region's figures for municipal administrators (their municipality) and the coordinator
 * (every municipality and the region), with SVG charts, XLSX and CSV; the coordinator's population form.
 */
export function reportsRoutes({
  reports,
  secureCookies,
}: {
  reports: ReportsService;
  secureCookies: boolean;
}) {
  /** The report the address asks for, or why not: `errors` (400), null (404: unknown or out of reach). */
  async function reportOf(request: FastifyRequest<{ Params: { report: string } }>): Promise<{
    slug: ReportSlug;
    values: FilterValues;
    report: Report | null;
    errors?: Record<string, string>;
  } | null> {
    const found = REPORTS.find((r) => r.slug === request.params.report);
    if (!found) return null;
    const values = filterValues(request);
    const parsed = filterSchema.safeParse(values);
    if (!parsed.success)
      return {
        slug: found.slug,
        values,
        report: null,
        errors: fieldErrors(parsed.error) as Record<string, string>,
      };
    const filter: ReportFilter = {
      municipalityId: parsed.data.municipality,
      from: parsed.data.from,
      to: parsed.data.to,
    };
    const report = await reports.build(operatorOf(request), found.slug, filter);
    return report ? { slug: found.slug, values, report } : null;
  }

  const notFound = (reply: FastifyReply) => sendPage(reply, <NotFoundPage />, 404);

  return (app: FastifyInstance) => {
    app.get('/staff/reports', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      return sendPage(
        reply,
        <ReportsIndexPage
          coordinator={isCoordinator(operator)}
          municipalityId={operator.staff.municipalityId}
        />,
      );
    });

    app.get('/staff/reports/population', access('coordinator'), async (request, reply) => {
      const rows = await reports.populations(operatorOf(request));
      const values = Object.fromEntries(
        rows.map((row) => [`m${row.municipalityId}`, row.children === null ? '' : String(row.children)]),
      );
      return sendPage(reply, <PopulationPage rows={rows} values={values} />);
    });

    app.post('/staff/reports/population', access('coordinator'), async (request, reply) => {
      const operator = operatorOf(request);
      const rows = await reports.populations(operator);
      const values = inputFields(request.body);
      const parsed = populationSchema.safeParse(values);
      if (!parsed.success)
        return sendPage(
          reply,
          <PopulationPage rows={rows} values={values} errors={fieldErrors(parsed.error)} />,
          400,
        );
      const figures = new Map(MUNICIPALITIES.map((m) => [m.id, parsed.data[`m${m.id}`] ?? null]));
      const changed = await reports.setPopulations(operator, figures, auditContextOf(request));
      setFlash(reply, changed ? 'Численность детей сохранена.' : 'Изменений нет.', { secure: secureCookies });
      return reply.redirect('/staff/reports/coverage', 303);
    });

    /** «Обновить сейчас»: the programs report's figures gathered at once, then back to the same filters. */
    app.post('/staff/reports/programs/refresh', access('municipal_admin'), async (request, reply) => {
      const { refreshed } = await reports.refreshPrograms(operatorOf(request));
      setFlash(
        reply,
        refreshed ? 'Данные о программах обновлены.' : 'Данные о программах только что обновлены.',
        { secure: secureCookies },
      );
      // Only the filters go back into the address, as the form sent them (the report validates them again).
      const raw = inputFields(request.body);
      const back = query({ municipality: raw.municipality, from: raw.from, to: raw.to });
      return reply.redirect(`/staff/reports/programs${back ? `?${back}` : ''}`, 303);
    });

    app.get<{ Params: { report: string } }>(
      '/staff/reports/:report',
      access('municipal_admin'),
      async (request, reply) => {
        const found = await reportOf(request);
        if (!found) return notFound(reply);
        const coordinator = isCoordinator(operatorOf(request));
        return sendPage(
          reply,
          <ReportPage
            slug={found.slug}
            report={found.report}
            coordinator={coordinator}
            values={found.values}
            errors={found.errors ?? {}}
          />,
          found.errors ? 400 : 200,
        );
      },
    );

    /** CSV for Excel: UTF-8 with a BOM, `;` between fields, each section under its title. */
    app.get<{ Params: { report: string } }>(
      '/staff/reports/:report/export.csv',
      access('municipal_admin'),
      async (request, reply) => {
        const found = await reportOf(request);
        if (!found?.report) return found ? reportPageWithErrors(request, reply, found) : notFound(reply);
        const text = exportRows(found.report)
          .map((table) => csvLine([table.title], ';') + table.rows.map((row) => csvLine(row, ';')).join(''))
          .join('\r\n');
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename(found.report, 'csv')}"`)
          .header('cache-control', 'no-store')
          .send('\ufeff' + text);
      },
    );

    /** XLSX: one sheet per section, numbers as numbers. */
    app.get<{ Params: { report: string } }>(
      '/staff/reports/:report/export.xlsx',
      access('municipal_admin'),
      async (request, reply) => {
        const found = await reportOf(request);
        if (!found?.report) return found ? reportPageWithErrors(request, reply, found) : notFound(reply);
        // exceljs (some 200 modules) is loaded at the first workbook, not at start (ADR 0041).
        const { default: ExcelJS } = await import('exceljs');
        const workbook = new ExcelJS.Workbook();
        exportRows(found.report).forEach((table, index) => {
          // Sheet names: at most 31 characters, none of : \ / ? * [ ].
          const sheet = workbook.addWorksheet(
            `${index + 1}. ${table.title.replace(/[:\\/?*[\]]/g, ' ')}`.slice(0, 31),
          );
          table.rows.forEach((row, rowIndex) => {
            const added = sheet.addRow(row);
            if (rowIndex === 0) added.font = { bold: true };
          });
          sheet.getColumn(1).width = 48;
          for (let column = 2; column <= (table.rows[0]?.length ?? 1); column++)
            sheet.getColumn(column).width = 18;
        });
        const buffer = await workbook.xlsx.writeBuffer();
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${filename(found.report, 'xlsx')}"`)
          .header('cache-control', 'no-store')
          .send(Buffer.from(buffer));
      },
    );

    function reportPageWithErrors(
      request: FastifyRequest,
      reply: FastifyReply,
      found: { slug: ReportSlug; values: FilterValues; errors?: Record<string, string> },
    ) {
      return sendPage(
        reply,
        <ReportPage
          slug={found.slug}
          report={null}
          coordinator={isCoordinator(operatorOf(request))}
          values={found.values}
          errors={found.errors ?? {}}
        />,
        400,
      );
    }
  };
}

import multipart from '@fastify/multipart';
import type ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { administers } from '../../platform/access/policy.js';
import { access, operatorOf } from '../../platform/http/access.js';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { setFlash } from '../../platform/http/security.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { regionToday } from '../../platform/views/format.js';
import { sendPage } from '../../platform/views/render.js';
import { parseMonth } from './accounting.js';
import { CompletenessPage, RegistersPage } from './accounting-views.js';
import { COMPLETENESS_SHEET, COMPLETENESS_TITLES, monthCell } from './completeness-upload.js';
import { monthName } from './contracts.js';
import {
  REGISTER_KIND_LABELS,
  REGISTER_STATUS_LABELS,
  type RegisterStatus,
  type RegistersService,
} from './registers.js';

const monthQuery = z.object({ month: z.string().optional() });
const registerQuery = z.object({
  month: z.string(),
  organization: z.uuid(),
  municipality: z.coerce.number().int().positive(),
  kind: z.enum(['advance', 'invoice']),
});
const statusSchema = z.object({
  status: z.enum(Object.keys(REGISTER_STATUS_LABELS) as [RegisterStatus, ...RegisterStatus[]]),
});

/** The month asked for (`?month=2026-11`), or the current one. */
function monthOf(query: unknown): string | null {
  const parsed = monthQuery.safeParse(query);
  if (!parsed.success) return null;
  return parsed.data.month ? parseMonth(parsed.data.month) : `${regionToday().slice(0, 7)}-01`;
}

/** exceljs (some 200 modules) is loaded at the first workbook, not at start (ADR 0031, 0041). */
async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: Excel } = await import('exceljs');
  return new Excel.Workbook();
}

async function sendXlsx(reply: FastifyReply, workbook: ExcelJS.Workbook, filename: string) {
  const buffer = await workbook.xlsx.writeBuffer();
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(Buffer.from(buffer));
}

const roubles = (kopecks: number) => kopecks / 100;
/** The filled completeness table: a few hundred rows are tens of kilobytes. */
const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
/** What the multipart reader refuses, as the page says it (the form has one file and the `_csrf` field). */
const UPLOAD_FORM_ERRORS: Record<string, string> = {
  FST_REQ_FILE_TOO_LARGE:
    'Файл больше 5 МБ: в таблице полноты столько не бывает. Скачайте таблицу заново и заполните её.',
  FST_FILES_LIMIT: 'Загрузите один файл Excel (.xlsx) с заполненной полнотой.',
  FST_FIELDS_LIMIT: 'Форма отправлена не со страницы полноты: загрузите файл Excel (.xlsx) через неё.',
  FST_PARTS_LIMIT: 'Форма отправлена не со страницы полноты: загрузите файл Excel (.xlsx) через неё.',
};

/**
 * The month close's pages (ADR 0035): the provider's completeness entry and its XLSX; the registers of a month for
 * the payer municipality (status), the coordinator and the provider (read only), with their XLSX.
 */
export function accountingRoutes({
  registers,
  secureCookies,
}: {
  registers: RegistersService;
  secureCookies: boolean;
}) {
  return (app: FastifyInstance) => {
    app.get('/staff/org/completeness', access('org_staff'), async (request, reply) => {
      const month = monthOf(request.query);
      if (!month) return sendPage(reply, <NotFoundPage />, 404);
      const rows = await registers.completenessOf(operatorOf(request), month, auditContextOf(request));
      if (!rows) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, <CompletenessPage month={month} rows={rows} />);
    });

    app.post('/staff/org/completeness', access('org_staff'), async (request, reply) => {
      const month = monthOf(request.query);
      if (!month) return sendPage(reply, <NotFoundPage />, 404);
      const operator = operatorOf(request);
      const values = inputFields(request.body);
      const saved = await registers.saveCompleteness(operator, month, values, auditContextOf(request));
      if (!saved) return sendPage(reply, <NotFoundPage />, 404);
      if (!saved.ok) {
        const rows = await registers.completenessOf(operator, month, auditContextOf(request));
        return sendPage(
          reply,
          <CompletenessPage month={month} rows={rows ?? []} values={values} errors={saved.errors} />,
          400,
        );
      }
      setFlash(reply, `Полнота оказания услуг за ${monthName(month)} сохранена.`, { secure: secureCookies });
      return reply.redirect(`/staff/org/completeness?month=${month.slice(0, 7)}`, 303);
    });

    // ---- The filled table uploaded back. Multipart is parsed before the CSRF check, so `_csrf` is read like a
    // form's (as the programs' import does).
    void app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: UPLOAD_MAX_BYTES, files: 1, fields: 5 },
      throwFileSizeLimit: true,
    });

    app.post(
      '/staff/org/completeness/upload',
      {
        ...access('org_staff'),
        // A file over the limit, or a form that is not the page's (several files, extra fields), is refused
        // while the form is read: say why on the same page. Anything else goes to the app's handler.
        errorHandler: (error: Error & { code?: string }, request, reply) => {
          const fileError = UPLOAD_FORM_ERRORS[error.code ?? ''];
          if (!fileError) throw error;
          const month = monthOf(request.query) ?? `${regionToday().slice(0, 7)}-01`;
          // A failure while answering (the database gone) goes on to the app's handler, not unhandled.
          void registers
            .completenessOf(operatorOf(request), month, auditContextOf(request))
            .then((rows) =>
              sendPage(
                reply,
                <CompletenessPage month={month} rows={rows ?? []} fileError={fileError} />,
                error.code === 'FST_REQ_FILE_TOO_LARGE' ? 413 : 400,
              ),
            )
            .catch((failure: unknown) => reply.send(failure));
        },
      },
      async (request, reply) => {
        const month = monthOf(request.query);
        if (!month) return sendPage(reply, <NotFoundPage />, 404);
        const operator = operatorOf(request);
        const file = (request.body as Record<string, unknown> | undefined)?.file;
        const again = async (props: {
          fileError?: string;
          uploadErrors?: { row: number; message: string }[];
        }) => {
          const rows = await registers.completenessOf(operator, month, auditContextOf(request));
          if (!rows) return sendPage(reply, <NotFoundPage />, 404);
          return sendPage(reply, <CompletenessPage month={month} rows={rows} {...props} />, 400);
        };
        if (!Buffer.isBuffer(file) || file.length === 0)
          return again({ fileError: 'Выберите файл Excel (.xlsx) с заполненной полнотой' });
        const outcome = await registers.uploadCompleteness(operator, month, file, auditContextOf(request));
        if (!outcome) return sendPage(reply, <NotFoundPage />, 404);
        if (!outcome.ok)
          return again(
            'fileError' in outcome ? { fileError: outcome.fileError } : { uploadErrors: outcome.errors },
          );
        setFlash(reply, `Полнота оказания услуг за ${monthName(month)} загружена из файла.`, {
          secure: secureCookies,
        });
        return reply.redirect(`/staff/org/completeness?month=${month.slice(0, 7)}`, 303);
      },
    );

    app.get('/staff/org/completeness.xlsx', access('org_staff'), async (request, reply) => {
      const month = monthOf(request.query);
      if (!month) return sendPage(reply, <NotFoundPage />, 404);
      const rows = await registers.completenessOf(
        operatorOf(request),
        month,
        auditContextOf(request),
        'xlsx',
      );
      if (!rows) return sendPage(reply, <NotFoundPage />, 404);
      const workbook = await newWorkbook();
      const sheet = workbook.addWorksheet(COMPLETENESS_SHEET);
      sheet.addRow(COMPLETENESS_TITLES);
      // The month as text, so that a spreadsheet does not turn it into a date.
      sheet.getColumn(2).numFmt = '@';
      for (const row of rows)
        sheet.addRow([
          row.number,
          monthCell(month),
          row.childName,
          row.programName,
          roubles(row.partKopecks),
          row.invoicedPercent ?? row.percent ?? '',
        ]);
      return sendXlsx(reply, workbook, `polnota-${month.slice(0, 7)}.xlsx`);
    });

    app.get('/staff/funding/registers', access('staff'), async (request, reply) => {
      const month = monthOf(request.query);
      if (!month) return sendPage(reply, <NotFoundPage />, 404);
      const operator = operatorOf(request);
      const list = await registers.registersOf(operator, month, auditContextOf(request));
      return sendPage(
        reply,
        <RegistersPage
          month={month}
          registers={list}
          maySetStatus={(register) => administers(operator, register.municipalityId)}
        />,
      );
    });

    app.get('/staff/funding/registers/export.xlsx', access('staff'), async (request, reply) => {
      const query = registerQuery.safeParse(request.query);
      const month = query.success ? parseMonth(query.data.month) : null;
      if (!query.success || !month) return sendPage(reply, <NotFoundPage />, 404);
      const register = await registers.registerToDownload(
        operatorOf(request),
        {
          organizationId: query.data.organization,
          municipalityId: query.data.municipality,
          month,
          kind: query.data.kind,
        },
        auditContextOf(request),
      );
      if (!register) return sendPage(reply, <NotFoundPage />, 404);
      const workbook = await newWorkbook();
      const sheet = workbook.addWorksheet(REGISTER_KIND_LABELS[register.kind]);
      sheet.addRow([
        `${REGISTER_KIND_LABELS[register.kind]} за ${monthName(month)}: ${register.organizationName}`,
      ]);
      sheet.addRow([
        `Плательщик: ${register.municipality}. Статус: ${REGISTER_STATUS_LABELS[register.status]}`,
      ]);
      sheet.addRow([
        'Договор',
        'Обучающийся',
        'Сертификат за месяц, ₽',
        'Полнота, %',
        'К оплате, ₽',
        'Списано, ₽',
        'Возврат аванса, ₽',
        'Возвращено из резерва, ₽',
      ]);
      for (const line of register.lines)
        sheet.addRow([
          line.number,
          line.childName,
          roubles(line.partKopecks),
          line.completenessPercent ?? '',
          roubles(line.dueKopecks),
          roubles(line.chargedKopecks),
          roubles(line.refundedKopecks),
          roubles(line.releasedKopecks),
        ]);
      sheet.addRow([
        'Итого',
        '',
        '',
        '',
        roubles(register.totals.dueKopecks),
        roubles(register.totals.chargedKopecks),
        roubles(register.totals.refundedKopecks),
        roubles(register.totals.releasedKopecks),
      ]);
      return sendXlsx(reply, workbook, `reestr-${register.kind}-${month.slice(0, 7)}.xlsx`);
    });

    app.post('/staff/funding/registers/status', access('municipal_admin'), async (request, reply) => {
      const query = registerQuery.safeParse(request.query);
      const month = query.success ? parseMonth(query.data.month) : null;
      const body = statusSchema.safeParse(inputFields(request.body));
      if (!query.success || !month) return sendPage(reply, <NotFoundPage />, 404);
      const back = `/staff/funding/registers?month=${month.slice(0, 7)}`;
      if (!body.success) {
        setFlash(reply, 'Выберите статус реестра.', { secure: secureCookies });
        return reply.redirect(back, 303);
      }
      const outcome = await registers.setStatus(
        operatorOf(request),
        {
          organizationId: query.data.organization,
          municipalityId: query.data.municipality,
          month,
          kind: query.data.kind,
        },
        body.data.status,
        auditContextOf(request),
      );
      if (outcome === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      setFlash(reply, `Статус реестра: ${REGISTER_STATUS_LABELS[body.data.status]}.`, {
        secure: secureCookies,
      });
      return reply.redirect(back, 303);
    });
  };
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { backTo, setFlash } from '../../platform/http/security.js';
import { dateField } from '../../platform/validation/fields.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { fieldErrors } from '../../platform/views/forms.js';
import { formatDate } from '../../platform/views/format.js';
import { sendPage } from '../../platform/views/render.js';
import { confirmSchema } from '../children/index.js';
import type { OrganizationsService } from '../organizations/index.js';
import { STATUS_LABELS } from './labels.js';
import { APPLICATION_STATUSES } from './places.js';
import { afterAction } from './routes.js';
import type { ActionResult, ApplicationsService, Operator } from './service.js';
import { InPersonPage, RosterPage, StaffApplicationPage, StaffApplicationsPage } from './staff-views.js';
import { access, operatorOf } from '../../platform/http/access.js';

const idParams = z.object({ id: z.uuid() });
const optionalId = z.preprocess((value) => (value === '' ? undefined : value), z.uuid().optional());
const filterSchema = z.object({
  programId: optionalId.catch(undefined),
  groupId: optionalId.catch(undefined),
  status: z
    .enum([...APPLICATION_STATUSES, 'all'])
    .optional()
    .catch(undefined),
  expiring: z
    .literal('1')
    .optional()
    .catch(undefined)
    .transform((value) => value === '1'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
const reasonSchema = z.object({
  reason: z
    .string({ error: 'Укажите причину' })
    .trim()
    .min(3, { message: 'Укажите причину: её прочитает родитель' })
    .max(500, { message: 'Причина — не длиннее 500 знаков' }),
});
// The check digit is the lookup's business: a wrong one gets the same answer as an unknown number.
const inPersonSchema = z.object({
  certificateNumber: z.preprocess(
    (value) => (typeof value === 'string' ? value.replace(/[\s-]/g, '') : ''),
    z
      .string()
      .min(1, { message: 'Введите номер сертификата' })
      .regex(/^\d{10}$/, { message: 'Номер сертификата — 10 цифр' }),
  ),
  birthDate: dateField('Введите дату рождения ребёнка'),
  groupId: z.uuid({ message: 'Выберите группу' }),
});
const bulkSchema = z.object({
  ids: z.preprocess(
    (value): unknown[] => (Array.isArray(value) ? (value as unknown[]) : value ? [value] : []),
    z.array(z.uuid()).max(500),
  ),
});

/** The provider's side (`/staff/org/applications`): lists, decisions, in-person filing, rosters and their export. */
export function staffApplicationsRoutes({
  applications,
  organizations,
  secureCookies,
}: {
  applications: ApplicationsService;
  organizations: OrganizationsService;
  secureCookies: boolean;
}) {
  const settings = { secure: secureCookies };

  async function showApplication(
    request: FastifyRequest,
    reply: FastifyReply,
    operator: Operator,
    id: string,
    form: { values?: Record<string, string | undefined>; errors?: Record<string, string | undefined> } = {},
  ) {
    const found = await applications.openForStaff(operator, id, auditContextOf(request));
    if (!found) return sendPage(reply, <NotFoundPage />, 404);
    const { application, contact, events } = found;
    return sendPage(
      reply,
      <StaffApplicationPage application={application} contact={contact} events={events} {...form} />,
      form.errors ? 400 : 200,
    );
  }

  const decided = (reply: FastifyReply, id: string, result: ActionResult, done: string) =>
    afterAction(reply, `/staff/org/applications/${id}`, result, done, settings);

  return (app: FastifyInstance) => {
    app.get('/staff/org/applications', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const organizationId = operator.staff.organizationId!;
      const filter = filterSchema.parse(inputFields(request.query));
      const [organization, groups, list] = await Promise.all([
        organizations.get(organizationId),
        applications.groupsForStaff(operator),
        applications.listForStaff(operator, filter, auditContextOf(request)),
      ]);
      return sendPage(
        reply,
        <StaffApplicationsPage
          organizationName={organization?.shortName ?? 'Организация'}
          groups={groups}
          filter={filter}
          items={list.items}
          total={list.total}
        />,
      );
    });

    app.post('/staff/org/applications/accept', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const parsed = bulkSchema.safeParse(request.body ?? {});
      const ids = parsed.success ? parsed.data.ids : [];
      if (ids.length === 0) {
        setFlash(reply, 'Отметьте заявки, которые нужно принять.', settings);
        return reply.redirect('/staff/org/applications', 303);
      }
      const { accepted, refusals } = await applications.acceptMany(operator, ids);
      setFlash(
        reply,
        accepted === ids.length
          ? `Принято заявок: ${accepted}.`
          : refusals.length > 0
            ? `Принято заявок: ${accepted} из ${ids.length}. ${[...new Set(refusals)].join(' ')}`
            : `Принято заявок: ${accepted} из ${ids.length}. Остальные уже были рассмотрены.`,
        settings,
      );
      return reply.redirect(backTo('/staff/org/applications', request.headers.referer), 303);
    });

    app.get('/staff/org/applications/new', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const groups = await applications.groupsForStaff(operator);
      return sendPage(reply, <InPersonPage groups={groups} />);
    });

    app.post('/staff/org/applications/new', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const values = inputFields(request.body);
      const groups = await applications.groupsForStaff(operator);
      const show = (errors: Record<string, string | undefined>) =>
        sendPage(reply, <InPersonPage groups={groups} values={values} errors={errors} />, 400);
      const parsed = inPersonSchema.safeParse(values);
      if (!parsed.success) return show(fieldErrors(parsed.error));
      if (!groups.some((group) => group.id === parsed.data.groupId && group.published))
        return show({ groupId: 'Выберите группу' });
      const result = await applications.fileInPerson(operator, parsed.data, auditContextOf(request));
      if (!result.ok) {
        if (result.code === 'too_many_lookups')
          return sendPage(
            reply,
            <InPersonPage groups={groups} values={values} errors={{ certificateNumber: result.message }} />,
            429,
          );
        return show(
          result.code === 'lookup_failed'
            ? { certificateNumber: result.message }
            : { groupId: result.message },
        );
      }
      setFlash(
        reply,
        result.status === 'queued'
          ? `Заявление подано и поставлено в очередь: ${result.queuePlace}-е место. Родитель увидит его в личном кабинете.`
          : 'Заявление подано. Родитель увидит его в личном кабинете.',
        settings,
      );
      return reply.redirect(`/staff/org/applications/${result.id}`, 303);
    });

    app.get('/staff/org/applications/:id', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      return showApplication(request, reply, operator, params.data.id);
    });

    app.post('/staff/org/applications/:id/confirm-child', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const id = params.data.id;
      const values = inputFields(request.body);
      const parsed = confirmSchema.safeParse(values);
      if (!parsed.success)
        return showApplication(request, reply, operator, id, { values, errors: fieldErrors(parsed.error) });
      const result = await applications.confirmChild(
        operator,
        id,
        parsed.data.document,
        auditContextOf(request),
      );
      if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      setFlash(
        reply,
        result === 'confirmed'
          ? 'Данные ребёнка подтверждены, сертификат активирован. Родителю отправлено письмо.'
          : result === 'identity_taken'
            ? 'Данные не подтверждены: у этого ребёнка уже есть действующий сертификат в другой учётной записи. Направьте родителя к муниципальному администратору.'
            : result === 'needs_administrator'
              ? 'Данные не подтверждены: их проверяет муниципальный администратор. Направьте родителя к нему с документами.'
              : result === 'closed'
                ? 'Заявка закрыта: подтвердить данные ребёнка может муниципальный администратор.'
                : 'Данные ребёнка уже подтверждены.',
        settings,
      );
      return reply.redirect(`/staff/org/applications/${id}`, 303);
    });

    app.post('/staff/org/applications/:id/:action', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = z
        .object({ id: z.uuid(), action: z.enum(['accept', 'reject', 'expel', 'complete']) })
        .safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const { id, action } = params.data;
      if (action === 'accept')
        return decided(
          reply,
          id,
          await applications.accept(operator, id),
          'Заявка принята, ребёнок зачислен.',
        );
      if (action === 'complete')
        return decided(
          reply,
          id,
          await applications.complete(operator, id),
          'Обучение отмечено завершённым.',
        );
      const values = inputFields(request.body);
      const parsed = reasonSchema.safeParse(values);
      if (!parsed.success)
        return showApplication(request, reply, operator, id, { values, errors: fieldErrors(parsed.error) });
      return action === 'reject'
        ? decided(reply, id, await applications.reject(operator, id, parsed.data.reason), 'Заявка отклонена.')
        : decided(reply, id, await applications.expel(operator, id, parsed.data.reason), 'Ребёнок отчислен.');
    });

    app.get('/staff/org/groups/:id/roster', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      const roster = params.success
        ? await applications.rosterForStaff(operator, params.data.id, 'page', auditContextOf(request))
        : null;
      if (!roster) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, <RosterPage roster={roster} autoAccept={roster.autoAccept} />);
    });

    app.post('/staff/org/groups/:id/auto-accept', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      const on = inputFields(request.body).autoAccept === 'yes';
      if (!params.success || !(await applications.setAutoAccept(operator, params.data.id, on)))
        return sendPage(reply, <NotFoundPage />, 404);
      setFlash(
        reply,
        on
          ? 'Заявки на свободные места будут приниматься сразу.'
          : 'Заявки на свободные места будут ждать решения.',
        settings,
      );
      return reply.redirect(`/staff/org/groups/${params.data.id}/roster`, 303);
    });

    app.get('/staff/org/groups/:id/roster.xlsx', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      const roster = params.success
        ? await applications.rosterForStaff(operator, params.data.id, 'xlsx', auditContextOf(request))
        : null;
      if (!roster) return sendPage(reply, <NotFoundPage />, 404);
      // Loaded when needed: exceljs is a large part of the app's start-up time (issue 16).
      const { default: ExcelJS } = await import('exceljs');
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Список группы');
      sheet.addRow([`${roster.programName} — ${roster.name}`]);
      sheet.addRow([
        `Педагог: ${roster.teacher}; обучение с ${formatDate(roster.studyStart)} по ${formatDate(roster.studyEnd)}`,
      ]);
      sheet.addRow([]);
      const header = sheet.addRow([
        '№',
        'Ребёнок',
        'Дата рождения',
        'Сертификат',
        'Данные подтверждены',
        'Родитель',
        'Телефон',
        'Эл. почта',
        'Статус',
      ]);
      header.font = { bold: true };
      roster.members.forEach((member, index) =>
        sheet.addRow([
          index + 1,
          member.childName,
          formatDate(member.birthDate),
          member.certificateNumber ?? '',
          member.certificateConfirmed ? 'да' : 'нет',
          member.parentName,
          member.phone,
          member.email,
          STATUS_LABELS[member.status],
        ]),
      );
      [5, 36, 14, 14, 12, 36, 16, 30, 18].forEach(
        (width, index) => (sheet.getColumn(index + 1).width = width),
      );
      const buffer = await workbook.xlsx.writeBuffer();
      const filename = `spisok-gruppy-${roster.id.slice(0, 8)}.xlsx`;
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(buffer));
    });
  };
}

import ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { backTo, setFlash } from '../../platform/http/security.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { fieldErrors } from '../../platform/views/forms.js';
import { formatDate } from '../../platform/views/format.js';
import { sendPage } from '../../platform/views/render.js';
import { requireProvider } from '../catalog/provider-routes.js';
import type { CertificatesService } from '../certificates/service.js';
import { certificateSearchSchema } from '../children/staff-schemas.js';
import type { OrganizationsService } from '../organizations/service.js';
import { STATUS_LABELS } from './labels.js';
import { APPLICATION_STATUSES } from './places.js';
import type { ApplicationQueries } from './queries.js';
import { afterAction } from './routes.js';
import type { ActionResult, ApplicationsService, Operator } from './service.js';
import { InPersonPage, RosterPage, StaffApplicationPage, StaffApplicationsPage } from './staff-views.js';

const idParams = z.object({ id: z.uuid() });
const optionalId = z.preprocess((value) => (value === '' ? undefined : value), z.uuid().optional());
const filterSchema = z.object({
  programId: optionalId.catch(undefined),
  groupId: optionalId.catch(undefined),
  status: z.enum(APPLICATION_STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
const reasonSchema = z.object({
  reason: z
    .string({ error: 'Укажите причину' })
    .trim()
    .min(3, { message: 'Укажите причину: её прочитает родитель' })
    .max(500, { message: 'Причина — не длиннее 500 знаков' }),
});
const inPersonSchema = z.object({
  certificateNumber: certificateSearchSchema.shape.number,
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
  applicationQueries,
  certificates,
  organizations,
  secureCookies,
}: {
  applications: ApplicationsService;
  applicationQueries: ApplicationQueries;
  certificates: CertificatesService;
  organizations: OrganizationsService;
  secureCookies: boolean;
}) {
  const settings = { secure: secureCookies };

  async function showApplication(
    reply: FastifyReply,
    operator: Operator,
    id: string,
    form: { values?: Record<string, string | undefined>; errors?: Record<string, string | undefined> } = {},
  ) {
    const application = await applicationQueries.getOne(id, {
      organizationId: operator.staff.organizationId!,
    });
    if (!application) return sendPage(reply, <NotFoundPage />, 404);
    const [contact, events] = await Promise.all([
      applicationQueries.contact(id),
      applicationQueries.history(id),
    ]);
    return sendPage(
      reply,
      <StaffApplicationPage application={application} contact={contact} events={events} {...form} />,
      form.errors ? 400 : 200,
    );
  }

  const decided = (reply: FastifyReply, id: string, result: ActionResult, done: string) =>
    afterAction(reply, `/staff/org/applications/${id}`, result, done, settings);

  return (app: FastifyInstance) => {
    app.get('/staff/org/applications', async (request, reply) => {
      const operator = requireProvider(request, reply);
      if (!operator) return reply;
      const organizationId = operator.staff.organizationId!;
      const filter = filterSchema.parse(inputFields(request.query));
      const [organization, groups, list] = await Promise.all([
        organizations.get(organizationId),
        applicationQueries.groupsOf(organizationId),
        applicationQueries.listForOrganization(organizationId, filter),
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

    app.post('/staff/org/applications/accept', async (request, reply) => {
      const operator = requireProvider(request, reply);
      if (!operator) return reply;
      const parsed = bulkSchema.safeParse(request.body ?? {});
      const ids = parsed.success ? parsed.data.ids : [];
      if (ids.length === 0) {
        setFlash(reply, 'Отметьте заявки, которые нужно принять.', settings);
        return reply.redirect('/staff/org/applications', 303);
      }
      const accepted = await applications.acceptMany(operator, ids);
      setFlash(
        reply,
        accepted === ids.length
          ? `Принято заявок: ${accepted}.`
          : `Принято заявок: ${accepted} из ${ids.length}. Остальные уже были рассмотрены.`,
        settings,
      );
      return reply.redirect(backTo('/staff/org/applications', request.headers.referer), 303);
    });

    app.get('/staff/org/applications/new', async (request, reply) => {
      const operator = requireProvider(request, reply);
      if (!operator) return reply;
      const groups = await applicationQueries.groupsOf(operator.staff.organizationId!);
      return sendPage(reply, <InPersonPage groups={groups} />);
    });

    app.post('/staff/org/applications/new', async (request, reply) => {
      const operator = requireProvider(request, reply);
      if (!operator) return reply;
      const values = inputFields(request.body);
      const groups = await applicationQueries.groupsOf(operator.staff.organizationId!);
      const show = (errors: Record<string, string | undefined>) =>
        sendPage(reply, <InPersonPage groups={groups} values={values} errors={errors} />, 400);
      const parsed = inPersonSchema.safeParse(values);
      if (!parsed.success) return show(fieldErrors(parsed.error));
      if (!groups.some((group) => group.id === parsed.data.groupId && group.published))
        return show({ groupId: 'Выберите группу' });
      const certificate = await certificates.findByNumber(parsed.data.certificateNumber);
      if (!certificate)
        return show({
          certificateNumber: 'Сертификат с таким номером не найден. Проверьте номер у родителя.',
        });
      const result = await applications.apply({
        actorUserId: operator.id,
        channel: 'in_person',
        childId: certificate.childId,
        groupId: parsed.data.groupId,
      });
      if (!result.ok) return show({ groupId: result.message });
      setFlash(
        reply,
        result.status === 'queued'
          ? `Заявление подано и поставлено в очередь: ${result.queuePlace}-е место. Родитель увидит его в личном кабинете.`
          : 'Заявление подано. Родитель увидит его в личном кабинете.',
        settings,
      );
      return reply.redirect(`/staff/org/applications/${result.id}`, 303);
    });

    app.get('/staff/org/applications/:id', async (request, reply) => {
      const operator = requireProvider(request, reply);
      if (!operator) return reply;
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      return showApplication(reply, operator, params.data.id);
    });

    app.post('/staff/org/applications/:id/:action', async (request, reply) => {
      const operator = requireProvider(request, reply);
      if (!operator) return reply;
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
        return showApplication(reply, operator, id, { values, errors: fieldErrors(parsed.error) });
      return action === 'reject'
        ? decided(reply, id, await applications.reject(operator, id, parsed.data.reason), 'Заявка отклонена.')
        : decided(reply, id, await applications.expel(operator, id, parsed.data.reason), 'Ребёнок отчислен.');
    });

    app.get('/staff/org/groups/:id/roster', async (request, reply) => {
      const operator = requireProvider(request, reply);
      if (!operator) return reply;
      const params = idParams.safeParse(request.params);
      const roster = params.success
        ? await applicationQueries.roster(operator.staff.organizationId!, params.data.id)
        : null;
      if (!roster) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, <RosterPage roster={roster} autoAccept={roster.autoAccept} />);
    });

    app.post('/staff/org/groups/:id/auto-accept', async (request, reply) => {
      const operator = requireProvider(request, reply);
      if (!operator) return reply;
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

    app.get('/staff/org/groups/:id/roster.xlsx', async (request, reply) => {
      const operator = requireProvider(request, reply);
      if (!operator) return reply;
      const params = idParams.safeParse(request.params);
      const roster = params.success
        ? await applicationQueries.roster(operator.staff.organizationId!, params.data.id)
        : null;
      if (!roster) return sendPage(reply, <NotFoundPage />, 404);
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

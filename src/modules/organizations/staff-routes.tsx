import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCoordinator } from '../../platform/access/policy.js';
import { access, operatorOf } from '../../platform/http/access.js';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { lastPageUrl } from '../../platform/http/paging.js';
import { setFlash } from '../../platform/http/security.js';
import { idParams } from '../../platform/validation/fields.js';
import { inputFields } from '../../platform/validation/input.js';
import { fieldErrors, type FieldErrors } from '../../platform/views/forms.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { sendPage } from '../../platform/views/render.js';
import { MUNICIPALITIES } from '../reference/index.js';
import { formValuesOf, type FormValues } from './form.js';
import {
  archiveSchema,
  inviteSchema,
  newOrganizationSchema,
  organizationDetailsSchema,
  parseOrganizationForm,
  staffOrganizationQuerySchema,
} from './schemas.js';
import type { OrganizationsService, StaffDirectory } from './service.js';
import { OrganizationCardPage, OrganizationFormPage, StaffOrganizationListPage } from './staff-views.js';

const LIST = '/staff/organizations';

/**
 * The operators' side: the municipal administrator onboards and keeps the organizations of their municipality,
 * the coordinator those of any (organizationPolicy: `create`, `manage`, `oversee`; out of reach answers 404).
 */
export function organizationStaffRoutes({
  organizations,
  staffDirectory,
  secureCookies,
}: {
  organizations: OrganizationsService;
  staffDirectory: StaffDirectory;
  secureCookies: boolean;
}) {
  const settings = { secure: secureCookies };
  const idOf = (request: FastifyRequest) => {
    const params = idParams.safeParse(request.params);
    return params.success ? params.data.id : null;
  };

  async function showCard(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { invite?: FormValues; inviteErrors?: FieldErrors; archiveErrors?: FieldErrors } = {},
    status = 200,
  ) {
    const operator = operatorOf(request);
    const managed = await organizations.managed(operator, id);
    const staff = await staffDirectory.staffOf(operator, id);
    return sendPage(reply, <OrganizationCardPage {...managed} staff={staff} {...extra} />, status);
  }

  return (app: FastifyInstance) => {
    app.get(LIST, access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const query = staffOrganizationQuerySchema.parse(request.query ?? {});
      const coordinator = isCoordinator(operator);
      const municipality = coordinator
        ? MUNICIPALITIES.find((m) => m.code === query.municipality)
        : undefined;
      const list = await organizations.staffList(operator, {
        municipalityId: municipality?.id,
        status: query.status,
        withoutStaff: query.staff === 'none',
        q: query.q,
        page: query.page,
      });
      if (list.total > 0 && list.page > list.pageCount) {
        return reply.redirect(lastPageUrl(request.url, list.pageCount), 303);
      }
      return sendPage(
        reply,
        <StaffOrganizationListPage
          query={{ ...query, municipality: municipality?.code }}
          list={list}
          coordinator={coordinator}
        />,
      );
    });

    app.get(`${LIST}/new`, access('municipal_admin'), async (request, reply) =>
      sendPage(
        reply,
        <OrganizationFormPage values={{}} chooseMunicipality={isCoordinator(operatorOf(request))} />,
      ),
    );

    app.post(LIST, access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const coordinator = isCoordinator(operator);
      const values = inputFields(request.body);
      // An administrator's municipality is their own, whatever the request says.
      if (!coordinator) values.municipalityId = String(operator.staff.municipalityId);
      const show = (errors: FieldErrors) =>
        sendPage(
          reply,
          <OrganizationFormPage values={values} errors={errors} chooseMunicipality={coordinator} />,
          400,
        );
      const parsed = parseOrganizationForm(newOrganizationSchema, values, true);
      if (!parsed.ok) return show(parsed.errors);
      const created = await organizations.create(operator, parsed.data, auditContextOf(request));
      if (!created.ok) return show(created.errors);
      setFlash(reply, 'Организация добавлена. Пригласите её сотрудников.', settings);
      return reply.redirect(`${LIST}/${created.id}`, 303);
    });

    app.get(`${LIST}/:id`, access('municipal_admin'), async (request, reply) => {
      const id = idOf(request);
      if (!id) return sendPage(reply, <NotFoundPage />, 404);
      return showCard(request, reply, id);
    });

    app.get(`${LIST}/:id/edit`, access('municipal_admin'), async (request, reply) => {
      const id = idOf(request);
      if (!id) return sendPage(reply, <NotFoundPage />, 404);
      const { organization } = await organizations.managed(operatorOf(request), id);
      return sendPage(
        reply,
        <OrganizationFormPage
          organization={organization}
          values={formValuesOf(organization)}
          chooseMunicipality={false}
        />,
      );
    });

    app.post(`${LIST}/:id`, access('municipal_admin'), async (request, reply) => {
      const id = idOf(request);
      if (!id) return sendPage(reply, <NotFoundPage />, 404);
      const operator = operatorOf(request);
      // Out of reach: 404 before the form is read.
      const { organization } = await organizations.managed(operator, id);
      const values = inputFields(request.body);
      const show = (errors: FieldErrors) =>
        sendPage(
          reply,
          <OrganizationFormPage
            organization={organization}
            values={values}
            errors={errors}
            chooseMunicipality={false}
          />,
          400,
        );
      const parsed = parseOrganizationForm(organizationDetailsSchema, values, true);
      if (!parsed.ok) return show(parsed.errors);
      const saved = await organizations.edit(operator, id, parsed.data, auditContextOf(request));
      if (!saved.ok) return show(saved.errors);
      setFlash(reply, 'Сведения об организации сохранены.', settings);
      return reply.redirect(`${LIST}/${id}`, 303);
    });

    app.post(`${LIST}/:id/staff`, access('municipal_admin'), async (request, reply) => {
      const id = idOf(request);
      if (!id) return sendPage(reply, <NotFoundPage />, 404);
      const operator = operatorOf(request);
      const { organization } = await organizations.managed(operator, id);
      const values = inputFields(request.body);
      const parsed = inviteSchema.safeParse(values);
      const invited =
        parsed.success && organization.archivedAt === null
          ? await staffDirectory.invite(operator, { role: 'org_staff', organizationId: id, ...parsed.data })
          : null;
      if (!invited?.ok) {
        const inviteErrors = parsed.success
          ? (invited?.errors ?? { email: 'Организация в архиве: верните её, чтобы пригласить сотрудника' })
          : fieldErrors(parsed.error);
        return showCard(request, reply, id, { invite: values, inviteErrors }, 400);
      }
      setFlash(reply, `Приглашение отправлено на ${parsed.data!.email}.`, settings);
      return reply.redirect(`${LIST}/${id}`, 303);
    });

    for (const action of ['archive', 'restore'] as const) {
      app.post(`${LIST}/:id/${action}`, access('municipal_admin'), async (request, reply) => {
        const id = idOf(request);
        if (!id) return sendPage(reply, <NotFoundPage />, 404);
        const operator = operatorOf(request);
        await organizations.managed(operator, id);
        const parsed = archiveSchema.safeParse(inputFields(request.body));
        if (!parsed.success)
          return showCard(request, reply, id, { archiveErrors: fieldErrors(parsed.error) }, 400);
        const changed = await organizations.setArchived(
          operator,
          id,
          action === 'archive',
          parsed.data.reason,
          auditContextOf(request),
        );
        if (changed)
          setFlash(
            reply,
            action === 'archive' ? 'Организация перенесена в архив.' : 'Организация возвращена из архива.',
            settings,
          );
        return reply.redirect(`${LIST}/${id}`, 303);
      });
    }
  };
}

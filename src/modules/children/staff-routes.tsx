import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { setFlash } from '../../platform/http/security.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { fieldErrors } from '../../platform/views/forms.js';
import { sendPage } from '../../platform/views/render.js';
import { requireUser } from '../accounts/routes.js';
import type { ConfirmationService, Operator } from './confirmation.js';
import { certificateSearchSchema, confirmSchema, personSearchSchema, rejectSchema } from './staff-schemas.js';
import {
  MunicipalAdminOnlyPage,
  StaffChildPage,
  StaffHomePage,
  StaffMatchesPage,
  StaffOnlyPage,
} from './staff-views.js';

const idParams = z.object({ id: z.uuid() });

/** Operators only; anyone else signed in gets an explanation, a guest is sent to sign in. */
export function requireStaff(request: FastifyRequest, reply: FastifyReply): Operator | null {
  const user = requireUser(request, reply);
  if (!user) return null;
  if (user.staff) return user as Operator;
  void sendPage(reply, <StaffOnlyPage />, 403);
  return null;
}

export function staffRoutes({
  confirmation,
  secureCookies,
}: {
  confirmation: ConfirmationService;
  secureCookies: boolean;
}) {
  const settings = { secure: secureCookies };
  return (app: FastifyInstance) => {
    app.get('/staff', (request, reply) => {
      const operator = requireStaff(request, reply);
      if (!operator) return reply;
      return sendPage(reply, <StaffHomePage staff={operator.staff} />);
    });

    // A POST, so that children's names and birth dates never stand in a URL.
    app.post('/staff/search', async (request, reply) => {
      const operator = requireStaff(request, reply);
      if (!operator) return reply;
      const values = inputFields(request.body);
      if (values.by === 'certificate') {
        const parsed = certificateSearchSchema.safeParse(values);
        if (!parsed.success) {
          return sendPage(
            reply,
            <StaffHomePage staff={operator.staff} values={values} errors={fieldErrors(parsed.error)} />,
            400,
          );
        }
        const results = await confirmation.search(operator, {
          by: 'certificate',
          number: parsed.data.number,
        });
        return sendPage(reply, <StaffHomePage staff={operator.staff} values={values} results={results} />);
      }
      const parsed = personSearchSchema.safeParse(values);
      if (!parsed.success) {
        return sendPage(
          reply,
          <StaffHomePage staff={operator.staff} values={values} errors={fieldErrors(parsed.error)} />,
          400,
        );
      }
      const results = await confirmation.search(operator, { by: 'person', ...parsed.data });
      return sendPage(reply, <StaffHomePage staff={operator.staff} values={values} results={results} />);
    });

    // Records of one child in two accounts: the municipal administrator checks them in person.
    app.get('/staff/matches', async (request, reply) => {
      const operator = requireStaff(request, reply);
      if (!operator) return reply;
      if (operator.staff.role === 'org_staff') return sendPage(reply, <MunicipalAdminOnlyPage />, 403);
      const results = await confirmation.matches(operator);
      return sendPage(reply, <StaffMatchesPage staff={operator.staff} results={results} />);
    });

    app.get('/staff/children/:id', async (request, reply) => {
      const operator = requireStaff(request, reply);
      if (!operator) return reply;
      const params = idParams.safeParse(request.params);
      const view = params.success ? await confirmation.open(operator, params.data.id) : null;
      if (!view) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, <StaffChildPage view={view} />);
    });

    app.post('/staff/children/:id/confirm', async (request, reply) => {
      const operator = requireStaff(request, reply);
      if (!operator) return reply;
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = confirmSchema.safeParse(values);
      if (!parsed.success) {
        const view = await confirmation.open(operator, params.data.id);
        if (!view) return sendPage(reply, <NotFoundPage />, 404);
        return sendPage(
          reply,
          <StaffChildPage view={view} confirmValues={values} confirmErrors={fieldErrors(parsed.error)} />,
          400,
        );
      }
      const result = await confirmation.confirm(operator, params.data.id, parsed.data.document);
      if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      setFlash(
        reply,
        result === 'confirmed'
          ? 'Данные подтверждены, сертификат активирован. Родителю отправлено письмо.'
          : result === 'identity_taken'
            ? 'Данные не подтверждены: на этого ребёнка уже действует подтверждённый сертификат в другом личном кабинете. Сверьте записи в разделе «Совпадения данных» или отклоните данные с причиной.'
            : 'Данные уже были подтверждены.',
        settings,
      );
      return reply.redirect(`/staff/children/${params.data.id}`, 303);
    });

    app.post('/staff/children/:id/reject', async (request, reply) => {
      const operator = requireStaff(request, reply);
      if (!operator) return reply;
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = rejectSchema.safeParse(values);
      if (!parsed.success) {
        const view = await confirmation.open(operator, params.data.id);
        if (!view) return sendPage(reply, <NotFoundPage />, 404);
        return sendPage(
          reply,
          <StaffChildPage view={view} rejectValues={values} rejectErrors={fieldErrors(parsed.error)} />,
          400,
        );
      }
      const result = await confirmation.reject(operator, params.data.id, parsed.data.reason);
      if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      setFlash(
        reply,
        result === 'rejected'
          ? 'Данные отклонены. Родителю отправлено письмо с причиной.'
          : 'Данные уже были подтверждены.',
        settings,
      );
      return reply.redirect(`/staff/children/${params.data.id}`, 303);
    });
  };
}

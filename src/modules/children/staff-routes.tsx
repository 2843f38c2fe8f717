import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { setFlash } from '../../platform/http/security.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { fieldErrors } from '../../platform/views/forms.js';
import { sendPage } from '../../platform/views/render.js';
import type { ConfirmationService } from './confirmation.js';
import { confirmsChildren } from './policy.js';
import { certificateSearchSchema, confirmSchema, personSearchSchema, rejectSchema } from './staff-schemas.js';
import { StaffChildPage, StaffHomePage, StaffMatchesPage } from './staff-views.js';
import { access, operatorOf } from '../../platform/http/access.js';

const idParams = z.object({ id: z.uuid() });

export function staffRoutes({
  confirmation,
  secureCookies,
}: {
  confirmation: ConfirmationService;
  secureCookies: boolean;
}) {
  const settings = { secure: secureCookies };
  return (app: FastifyInstance) => {
    app.get('/staff', access('staff'), (request, reply) => {
      const operator = operatorOf(request);
      // Organization staff have their own cabinet; confirming children's data is not their work.
      if (!confirmsChildren(operator)) return reply.redirect('/staff/org', 303);
      return sendPage(reply, <StaffHomePage staff={operator.staff} />);
    });

    // A POST, so that children's names and birth dates never stand in a URL.
    app.post('/staff/search', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
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
        const results = await confirmation.search(
          operator,
          {
            by: 'certificate',
            number: parsed.data.number,
          },
          auditContextOf(request),
        );
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
      const results = await confirmation.search(
        operator,
        { by: 'person', ...parsed.data },
        auditContextOf(request),
      );
      return sendPage(reply, <StaffHomePage staff={operator.staff} values={values} results={results} />);
    });

    // Records of one child in two accounts: the municipal administrator checks them in person.
    app.get('/staff/matches', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const results = await confirmation.matches(operator, auditContextOf(request));
      return sendPage(reply, <StaffMatchesPage staff={operator.staff} results={results} />);
    });

    app.get('/staff/children/:id', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      const view = params.success
        ? await confirmation.open(operator, params.data.id, auditContextOf(request))
        : null;
      if (!view) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, <StaffChildPage view={view} />);
    });

    app.post('/staff/children/:id/confirm', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = confirmSchema.safeParse(values);
      if (!parsed.success) {
        const view = await confirmation.open(operator, params.data.id, auditContextOf(request));
        if (!view) return sendPage(reply, <NotFoundPage />, 404);
        return sendPage(
          reply,
          <StaffChildPage view={view} confirmValues={values} confirmErrors={fieldErrors(parsed.error)} />,
          400,
        );
      }
      const result = await confirmation.confirm(
        operator,
        params.data.id,
        parsed.data.document,
        auditContextOf(request),
      );
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

    app.post('/staff/children/:id/reject', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = rejectSchema.safeParse(values);
      if (!parsed.success) {
        const view = await confirmation.open(operator, params.data.id, auditContextOf(request));
        if (!view) return sendPage(reply, <NotFoundPage />, 404);
        return sendPage(
          reply,
          <StaffChildPage view={view} rejectValues={values} rejectErrors={fieldErrors(parsed.error)} />,
          400,
        );
      }
      const result = await confirmation.reject(
        operator,
        params.data.id,
        parsed.data.reason,
        auditContextOf(request),
      );
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

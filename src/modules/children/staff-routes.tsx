import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { setFlash } from '../../platform/http/security.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { fieldErrors, type FieldErrors } from '../../platform/views/forms.js';
import { sendPage } from '../../platform/views/render.js';
import type { ConfirmationService, StaffSearch } from './confirmation.js';
import {
  certificateSearchSchema,
  confirmSchema,
  contactSearchSchema,
  parseContact,
  personSearchSchema,
  queueFilterSchema,
  rejectSchema,
} from './staff-schemas.js';
import {
  StaffChildPage,
  StaffMatchesPage,
  StaffQueuePage,
  StaffSearchPage,
  type SearchResult,
} from './staff-views.js';
import { access, operatorOf } from '../../platform/http/access.js';

const idParams = z.object({ id: z.uuid() });
const SEARCH_FIELDS = [
  'by',
  'number',
  'lastName',
  'firstName',
  'middleName',
  'birthDate',
  'contact',
] as const;

export function staffRoutes({
  confirmation,
  secureCookies,
}: {
  confirmation: ConfirmationService;
  secureCookies: boolean;
}) {
  const settings = { secure: secureCookies };
  return (app: FastifyInstance) => {
    // A GET, so that refresh, back and a bookmark work; the query names a child, so the page is never cached.
    app.get('/staff/search', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const values = inputFields(request.query);
      reply.header('cache-control', 'no-store');
      const show = (props: { errors?: FieldErrors; results?: SearchResult[] }, status = 200) =>
        sendPage(reply, <StaffSearchPage staff={operator.staff} values={values} {...props} />, status);
      const search = async (query: StaffSearch) =>
        show({ results: await confirmation.search(operator, query, auditContextOf(request)) });
      switch (values.by) {
        case 'certificate': {
          const parsed = certificateSearchSchema.safeParse(values);
          if (!parsed.success) return show({ errors: fieldErrors(parsed.error) }, 400);
          return search({ by: 'certificate', number: parsed.data.number });
        }
        case 'person': {
          const parsed = personSearchSchema.safeParse(values);
          if (!parsed.success) return show({ errors: fieldErrors(parsed.error) }, 400);
          return search({ by: 'person', ...parsed.data });
        }
        case 'contact': {
          const parsed = contactSearchSchema.safeParse(values);
          const contact = parsed.success ? parseContact(parsed.data.contact) : null;
          if (!contact?.ok) {
            const message = contact?.message ?? 'Введите телефон или адрес электронной почты родителя';
            return show({ errors: { contact: message } }, 400);
          }
          return search({ by: 'contact', ...contact.value });
        }
        default:
          return show({});
      }
    });

    // The search used to be a POST form; a bookmarked or re-sent one lands on the same search by GET.
    app.post('/staff/search', access('municipal_admin'), (request, reply) => {
      const values = inputFields(request.body);
      const query = new URLSearchParams();
      for (const name of SEARCH_FIELDS) {
        const value = values[name];
        if (typeof value === 'string' && value !== '') query.set(name, value);
      }
      return reply.redirect(`/staff/search?${query.toString()}`, 303);
    });

    // «Ожидают подтверждения»: the longest waiting first, a page at a time.
    app.get('/staff/children', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const filter = queueFilterSchema.parse(inputFields(request.query));
      // A municipal administrator sees their municipality whatever the address says.
      const municipalityId = operator.staff.role === 'coordinator' ? filter.municipality : undefined;
      const queue = await confirmation.waitingQueue(
        operator,
        { municipalityId, page: filter.page },
        auditContextOf(request),
      );
      return sendPage(
        reply,
        <StaffQueuePage
          staff={operator.staff}
          municipalityId={municipalityId}
          page={filter.page}
          items={queue.items}
          total={queue.total}
        />,
      );
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

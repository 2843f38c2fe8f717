import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access, operatorOf } from '../../platform/http/access.js';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { lastPageUrl } from '../../platform/http/paging.js';
import { setFlash } from '../../platform/http/security.js';
import type { Operator } from '../../platform/http/request-context.js';
import { idParams } from '../../platform/validation/fields.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { fieldErrors, type FieldErrors } from '../../platform/views/forms.js';
import { sendPage } from '../../platform/views/render.js';
import { ACCOUNT_PAGE_SIZE, type AccountSupport } from '../accounts/index.js';
import type { ConfirmationService } from '../children/index.js';
import {
  answerSchema,
  askSchema,
  correctEmailSchema,
  guestAskSchema,
  parseQuery,
  reasonSchema,
  requestFilterSchema,
  searchSchema,
  statusSchema,
  type SupportAction,
} from './schemas.js';
import {
  AskLimitedError,
  REQUEST_PAGE_SIZE,
  REQUEST_STATUS,
  type SupportRequestsService,
} from './service.js';
import {
  AskPage,
  AskSentPage,
  RequestPage,
  RequestsPage,
  SupportAccountPage,
  SupportDeskPage,
  type PostedForm,
} from './views.js';
import { waitInWords } from '../../platform/security/rate-limit.js';

const DONE: Record<SupportAction, string> = {
  'resend-confirmation': 'Письмо для подтверждения адреса поставлено в очередь на отправку.',
  email: 'Адрес исправлен. На новый адрес отправлена ссылка для подтверждения.',
  'confirm-email': 'Адрес электронной почты подтверждён.',
  unlock: 'Ограничения сняты.',
  'password-reset': 'Ссылка для смены пароля поставлена в очередь на отправку.',
};

const OTHER: Record<string, string> = {
  already_confirmed: 'Адрес уже подтверждён: ничего не изменено.',
  same_address: 'Это и есть текущий адрес учётной записи: ничего не изменено.',
};

/**
 * The support desk «письмо не пришло» (ADR 0028): `/staff/support` finds an account by GET, its page shows the
 * state and the letters, and five POST forms help — each with CSRF (the app's), a reason, an audit row, a flash.
 */
export function supportRoutes({
  accountSupport,
  supportRequests,
  confirmation,
  secureCookies,
}: {
  accountSupport: AccountSupport;
  supportRequests: SupportRequestsService;
  confirmation: ConfirmationService;
  secureCookies: boolean;
}) {
  const settings = { secure: secureCookies };

  /** The account page, or null when the account is out of reach (the caller answers 404). */
  async function accountPage(request: FastifyRequest, operator: Operator, id: string, posted?: PostedForm) {
    const context = auditContextOf(request);
    const state = await accountSupport.open(operator, id, context);
    if (!state) return null;
    const children = await confirmation.search(
      operator,
      { by: 'contact', email: state.account.email },
      context,
    );
    return <SupportAccountPage state={state} children={children} posted={posted} />;
  }

  return (app: FastifyInstance) => {
    // A GET, so that refresh, back and a bookmark work; it names people, so it is never cached.
    app.get('/staff/support', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const values = inputFields(request.query);
      reply.header('cache-control', 'no-store');
      const { q, page } = searchSchema.parse(values);
      const show = (
        props: { errors?: FieldErrors; results?: Parameters<typeof SupportDeskPage>[0]['results'] },
        status = 200,
      ) =>
        sendPage(
          reply,
          <SupportDeskPage staff={operator.staff} values={values} page={page} {...props} />,
          status,
        );
      if (!q) return show({});
      const parsed = parseQuery(q);
      if (!parsed.ok) return show({ errors: { q: parsed.message } }, 400);
      const results = await accountSupport.find(operator, parsed.query, page, auditContextOf(request));
      const last = Math.max(1, Math.ceil(results.total / ACCOUNT_PAGE_SIZE));
      if (page > last) return reply.redirect(lastPageUrl(request.url, last), 303);
      return show({ results });
    });

    app.get('/staff/support/accounts/:id', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      reply.header('cache-control', 'no-store');
      const params = idParams.safeParse(request.params);
      const page = params.success ? await accountPage(request, operator, params.data.id) : null;
      if (!page) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, page);
    });

    const post = (
      action: SupportAction,
      run: (
        operator: Operator,
        id: string,
        values: Partial<Record<string, string>>,
        request: FastifyRequest,
      ) => Promise<{ errors: FieldErrors } | { result: string }>,
    ) =>
      app.post(`/staff/support/accounts/:id/${action}`, access('municipal_admin'), async (request, reply) => {
        const operator = operatorOf(request);
        const params = idParams.safeParse(request.params);
        if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
        const id = params.data.id;
        const values = inputFields(request.body);
        const outcome = await run(operator, id, values, request);
        if ('errors' in outcome)
          return again(reply, request, operator, id, { action, values, errors: outcome.errors });
        if (outcome.result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
        setFlash(
          reply,
          outcome.result === 'done' ? DONE[action] : (OTHER[outcome.result] ?? DONE[action]),
          settings,
        );
        return reply.redirect(`/staff/support/accounts/${id}`, 303);
      });

    async function again(
      reply: FastifyReply,
      request: FastifyRequest,
      operator: Operator,
      id: string,
      posted: PostedForm,
    ) {
      const page = await accountPage(request, operator, id, posted);
      if (!page) return sendPage(reply, <NotFoundPage />, 404);
      reply.header('cache-control', 'no-store');
      return sendPage(reply, page, 400);
    }

    const simple =
      (
        method: 'resendConfirmation' | 'confirmEmail' | 'liftLocks' | 'sendPasswordReset',
        action: SupportAction,
      ) =>
      async (
        operator: Operator,
        id: string,
        values: Partial<Record<string, string>>,
        request: FastifyRequest,
      ) => {
        const parsed = reasonSchema(action).safeParse(values);
        if (!parsed.success) return { errors: fieldErrors(parsed.error) };
        return {
          result: await accountSupport[method](operator, id, parsed.data.reason, auditContextOf(request)),
        };
      };

    post('resend-confirmation', simple('resendConfirmation', 'resend-confirmation'));
    post('confirm-email', simple('confirmEmail', 'confirm-email'));
    post('unlock', simple('liftLocks', 'unlock'));
    post('password-reset', simple('sendPasswordReset', 'password-reset'));
    post('email', async (operator, id, values, request) => {
      const parsed = correctEmailSchema.safeParse(values);
      if (!parsed.success) return { errors: fieldErrors(parsed.error) };
      const result = await accountSupport.correctEmail(
        operator,
        id,
        parsed.data.email,
        parsed.data.reason,
        auditContextOf(request),
      );
      if (result === 'address_taken')
        return { errors: { newEmail: 'С этим адресом уже есть другая учётная запись' } };
      return { result };
    });

    // «Задать вопрос»: anyone; a signed-in person's municipality is their profile's.
    app.get('/support/ask', access('public'), async (request, reply) => {
      const user = request.user;
      return sendPage(reply, <AskPage signedIn={!!user} values={user ? { email: user.email } : {}} />);
    });

    app.post('/support/ask', access('public'), async (request, reply) => {
      const user = request.user;
      const values = inputFields(request.body);
      const parsed = user ? askSchema.safeParse(values) : guestAskSchema.safeParse(values);
      const again = (errors: FieldErrors, status = 400) =>
        sendPage(reply, <AskPage signedIn={!!user} values={values} errors={errors} />, status);
      if (!parsed.success) return again(fieldErrors(parsed.error));
      const { topic, text, email } = parsed.data;
      const municipalityId =
        'municipalityId' in parsed.data ? (parsed.data.municipalityId as number) : user!.municipalityId;
      try {
        await supportRequests.ask(
          { topic, text, email, municipalityId, userId: user?.id ?? null },
          auditContextOf(request),
        );
      } catch (error) {
        if (!(error instanceof AskLimitedError)) throw error;
        reply.header('retry-after', String(error.retryAfterSeconds));
        return again(
          {
            form: `Слишком много вопросов подряд. Попробуйте ${waitInWords(error.retryAfterSeconds)} или позвоните муниципальному администратору.`,
          },
          429,
        );
      }
      return reply.redirect('/support/ask/sent', 303);
    });

    app.get('/support/ask/sent', access('public'), async (_request, reply) =>
      sendPage(reply, <AskSentPage />),
    );

    app.get('/staff/support/requests', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      reply.header('cache-control', 'no-store');
      const filter = requestFilterSchema.parse(inputFields(request.query));
      const municipalityId = operator.staff.role === 'coordinator' ? filter.municipality : undefined;
      const list = await supportRequests.list(operator, {
        status: filter.status,
        municipalityId,
        page: filter.page,
      });
      const last = Math.max(1, Math.ceil(list.total / REQUEST_PAGE_SIZE));
      if (filter.page > last) return reply.redirect(lastPageUrl(request.url, last), 303);
      return sendPage(
        reply,
        <RequestsPage
          staff={operator.staff}
          status={filter.status}
          municipalityId={municipalityId}
          page={filter.page}
          items={list.items}
          total={list.total}
        />,
      );
    });

    app.get('/staff/support/requests/:id', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      reply.header('cache-control', 'no-store');
      const params = idParams.safeParse(request.params);
      const view = params.success
        ? await supportRequests.open(operator, params.data.id, auditContextOf(request))
        : null;
      if (!view) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, <RequestPage {...view} />);
    });

    app.post('/staff/support/requests/:id/answer', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = answerSchema.safeParse(values);
      if (!parsed.success) {
        const view = await supportRequests.open(operator, params.data.id, auditContextOf(request));
        if (!view) return sendPage(reply, <NotFoundPage />, 404);
        return sendPage(
          reply,
          <RequestPage {...view} values={values} errors={fieldErrors(parsed.error)} />,
          400,
        );
      }
      const result = await supportRequests.answer(
        operator,
        params.data.id,
        parsed.data.answer,
        auditContextOf(request),
      );
      if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      setFlash(reply, 'Ответ поставлен в очередь на отправку, обращение отмечено «Отвечено».', settings);
      return reply.redirect(`/staff/support/requests/${params.data.id}`, 303);
    });

    app.post('/staff/support/requests/:id/status', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = statusSchema.safeParse(values);
      if (!parsed.success) {
        const view = await supportRequests.open(operator, params.data.id, auditContextOf(request));
        if (!view) return sendPage(reply, <NotFoundPage />, 404);
        return sendPage(reply, <RequestPage {...view} errors={fieldErrors(parsed.error)} />, 400);
      }
      const result = await supportRequests.setStatus(
        operator,
        params.data.id,
        parsed.data.status,
        auditContextOf(request),
      );
      if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      setFlash(reply, `Состояние обращения: «${REQUEST_STATUS[parsed.data.status]}».`, settings);
      return reply.redirect(`/staff/support/requests/${params.data.id}`, 303);
    });
  };
}

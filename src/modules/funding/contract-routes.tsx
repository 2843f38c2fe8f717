import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { worksFor, type Actor } from '../../platform/access/policy.js';
import { access, operatorOf, userOf } from '../../platform/http/access.js';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { setFlash } from '../../platform/http/security.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { sendPage } from '../../platform/views/render.js';
import {
  ParentContractPage,
  ParentContractsPage,
  StaffContractPage,
  StaffContractsPage,
} from './contract-views.js';
import { TERMINATION_REASONS, type ContractsService, type TerminationReason } from './contracts.js';

const idParams = z.object({ id: z.uuid() });
const agreeSchema = z.object({
  agree: z.literal('yes', { message: 'Отметьте, что ознакомились с условиями договора-оферты' }),
});
const reasonSchema = z.object({
  reason: z.enum(Object.keys(TERMINATION_REASONS) as [TerminationReason, ...TerminationReason[]], {
    message: 'Выберите основание расторжения',
  }),
});

/**
 * Contracts as offers (ADR 0034): the parent's «Договоры» tab, a contract's page with accept / decline / notice,
 * the staff lists (the organization's, the municipality's, all for the coordinator), the PDF.
 */
export function contractRoutes({
  contracts,
  secureCookies,
}: {
  contracts: ContractsService;
  secureCookies: boolean;
}) {
  const settings = { secure: secureCookies };

  /** The contract for a parent's page: only their own (a staff member who is also a parent sees theirs here). */
  async function ownContract(request: FastifyRequest, user: Actor) {
    const params = idParams.safeParse(request.params);
    if (!params.success) return null;
    const document = await contracts.open(user, params.data.id, auditContextOf(request)).catch(() => null);
    return document && document.contract.parentUserId === user.id ? document : null;
  }

  async function staffContract(request: FastifyRequest, format: 'page' | 'pdf' = 'page') {
    const params = idParams.safeParse(request.params);
    if (!params.success) return null;
    return contracts
      .open(operatorOf(request), params.data.id, auditContextOf(request), format)
      .catch(() => null);
  }

  async function sendPdf(
    reply: FastifyReply,
    document: NonNullable<Awaited<ReturnType<typeof contracts.open>>>,
  ) {
    // pdf-lib and fontkit (some 170 modules) are loaded at the first contract asked for as a PDF (ADR 0041).
    const { contractPdf } = await import('./contract-pdf.js');
    const bytes = await contractPdf(document);
    reply.header('content-type', 'application/pdf');
    reply.header('content-disposition', `inline; filename="contract-${document.contract.number}.pdf"`);
    reply.header('cache-control', 'no-store');
    return reply.send(Buffer.from(bytes));
  }

  type Outcome = Awaited<ReturnType<ContractsService['confirm']>>;
  function after(reply: FastifyReply, url: string, outcome: Outcome, done: string) {
    if (!outcome) return sendPage(reply, <NotFoundPage />, 404);
    setFlash(reply, outcome.ok ? done : outcome.message, settings);
    return reply.redirect(url, 303);
  }

  return (app: FastifyInstance) => {
    app.get('/cabinet/contracts', access('user'), async (request, reply) => {
      const items = await contracts.listForParent(userOf(request));
      return sendPage(reply, <ParentContractsPage items={items} />);
    });

    app.get('/cabinet/contracts/:id', access('user'), async (request, reply) => {
      const document = await ownContract(request, userOf(request));
      if (!document) return sendPage(reply, <NotFoundPage />, 404);
      const user = userOf(request);
      return sendPage(
        reply,
        <ParentContractPage
          document={document}
          accruals={await contracts.accrualsOf(user, document.contract)}
        />,
      );
    });

    app.get('/cabinet/contracts/:id/pdf', access('user'), async (request, reply) => {
      const document = await ownContract(request, userOf(request));
      if (!document) return sendPage(reply, <NotFoundPage />, 404);
      return sendPdf(reply, document);
    });

    app.post('/cabinet/contracts/:id/accept', access('user'), async (request, reply) => {
      const user = userOf(request);
      const document = await ownContract(request, user);
      if (!document) return sendPage(reply, <NotFoundPage />, 404);
      const parsed = agreeSchema.safeParse(inputFields(request.body));
      if (!parsed.success)
        return sendPage(
          reply,
          <ParentContractPage
            document={document}
            accruals={await contracts.accrualsOf(user, document.contract)}
            errors={{ agree: 'Отметьте, что ознакомились с условиями договора-оферты' }}
          />,
          400,
        );
      const url = `/cabinet/contracts/${document.contract.id}`;
      return after(
        reply,
        url,
        await contracts.accept(user, document.contract.id, auditContextOf(request)),
        'Договор заключён и действует.',
      );
    });

    app.post('/cabinet/contracts/:id/decline', access('user'), async (request, reply) => {
      const user = userOf(request);
      const document = await ownContract(request, user);
      if (!document) return sendPage(reply, <NotFoundPage />, 404);
      return after(
        reply,
        `/cabinet/contracts/${document.contract.id}`,
        await contracts.decline(user, document.contract.id, auditContextOf(request)),
        'Вы отказались от договора. Зарезервированные средства вернулись на сертификат.',
      );
    });

    app.post('/cabinet/contracts/:id/terminate', access('user'), async (request, reply) => {
      const user = userOf(request);
      const document = await ownContract(request, user);
      if (!document) return sendPage(reply, <NotFoundPage />, 404);
      return after(
        reply,
        `/cabinet/contracts/${document.contract.id}`,
        await contracts.terminate(user, document.contract.id, null, auditContextOf(request)),
        'Уведомление направлено: договор прекратил действие, остаток вернулся на сертификат.',
      );
    });

    app.get('/staff/contracts', access('staff'), async (request, reply) => {
      const items = await contracts.listForStaff(operatorOf(request), auditContextOf(request));
      return sendPage(reply, <StaffContractsPage items={items} />);
    });

    app.get('/staff/contracts/:id', access('staff'), async (request, reply) => {
      const document = await staffContract(request);
      if (!document) return sendPage(reply, <NotFoundPage />, 404);
      const mayDecide = worksFor(operatorOf(request), document.contract.organizationId);
      return sendPage(reply, <StaffContractPage document={document} mayDecide={mayDecide} />);
    });

    app.get('/staff/contracts/:id/pdf', access('staff'), async (request, reply) => {
      const document = await staffContract(request, 'pdf');
      if (!document) return sendPage(reply, <NotFoundPage />, 404);
      return sendPdf(reply, document);
    });

    app.post('/staff/contracts/:id/confirm', access('org_staff'), async (request, reply) => {
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      return after(
        reply,
        `/staff/contracts/${params.data.id}`,
        await contracts.confirm(operatorOf(request), params.data.id, auditContextOf(request)),
        'Договор подтверждён и направлен родителю как оферта.',
      );
    });

    app.post('/staff/contracts/:id/terminate', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = reasonSchema.safeParse(values);
      if (!parsed.success) {
        const document = await staffContract(request);
        if (!document || !worksFor(operator, document.contract.organizationId))
          return sendPage(reply, <NotFoundPage />, 404);
        return sendPage(
          reply,
          <StaffContractPage
            document={document}
            mayDecide
            values={values}
            errors={{ reason: 'Выберите основание расторжения' }}
          />,
          400,
        );
      }
      return after(
        reply,
        `/staff/contracts/${params.data.id}`,
        await contracts.terminate(operator, params.data.id, parsed.data.reason, auditContextOf(request)),
        'Договор расторгнут, остаток вернулся на сертификат. Родителю отправлено письмо.',
      );
    });
  };
}

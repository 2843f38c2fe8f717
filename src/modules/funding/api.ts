import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../platform/access/policy.js';
import { notFound } from '../../platform/http/api.js';
import { access, userOf } from '../../platform/http/access.js';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { present, type ApiOperation, type ApiRegistry } from '../../platform/http/openapi.js';
import { contractAnswerSchema, contractsAnswerSchema, fundingAnswerSchema } from './api-schemas.js';
import type { periodBalanceSchema } from './api-schemas.js';
import { CONTRACT_STATUS_LABELS, contractStatusLine, type ContractsService } from './contracts.js';
import { periodName } from './money.js';
import type { FundingService, FundingState } from './service.js';
import { fundingLine } from './views.js';

const idParams = z.object({ id: z.uuid() });

/** One period's figures as the API gives them: the card's sums, null where the state has none. */
function periodBalance(state: FundingState): z.input<typeof periodBalanceSchema> {
  const funded = state.status === 'funded' ? state.sums : null;
  return {
    period: { ...state.period, name: periodName(state.period) },
    status: state.status,
    message: fundingLine(state).line,
    category: 'category' in state ? state.category.name : null,
    nominalKopecks: funded ? funded.granted : state.status === 'can_request' ? state.nominalKopecks : null,
    reservedKopecks: funded?.reserved ?? null,
    spentKopecks: funded?.spent ?? null,
    balanceKopecks: funded?.balance ?? null,
    queuePosition: state.status === 'queued' ? state.position : null,
  };
}

/**
 * The parent's certificate money and contracts in /api/v1 (issue 13, item 8): the same services as the card, the
 * funding page and «Договоры». Only the parent's own children and contracts; anyone else's answer 404.
 */
export function fundingApi({
  funding,
  contracts,
  registry,
}: {
  funding: FundingService;
  contracts: ContractsService;
  registry: ApiRegistry;
}) {
  const tag = 'Сертификат финансирования и договоры';
  const operations: ApiOperation[] = [
    {
      method: 'get',
      path: '/api/v1/children/{id}/funding',
      summary: 'Номинал, резерв и остаток сертификата за текущий учебный год (и следующий, когда известен)',
      tag,
      responses: { 200: 'Суммы по периодам', 401: 'Не выполнен вход', 404: 'Не найдено' },
      result: fundingAnswerSchema,
    },
    {
      method: 'get',
      path: '/api/v1/contracts',
      summary: 'Договоры об образовании детей родителя',
      tag,
      responses: { 200: 'Список, новые первыми', 401: 'Не выполнен вход' },
      result: contractsAnswerSchema,
    },
    {
      method: 'get',
      path: '/api/v1/contracts/{id}',
      summary: 'Договор: стороны, срок, цена, оплата и начисления по месяцам',
      tag,
      responses: { 200: 'Договор', 401: 'Не выполнен вход', 404: 'Не найдено' },
      result: contractAnswerSchema,
    },
  ];
  for (const operation of operations) registry.add(operation);

  /** The parent's own contract's id, or null: checked before opening, so nobody else's view is ever recorded. */
  async function ownContractId(user: Actor, id: string): Promise<string | null> {
    const own = await contracts.listForParent(user);
    return own.some((item) => item.id === id) ? id : null;
  }

  return (app: FastifyInstance) => {
    app.get('/api/v1/children/:id/funding', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      const periods = params.success ? await funding.periodsOf(user, params.data.id) : null;
      if (!params.success || !periods) return notFound(reply);
      return present(fundingAnswerSchema, {
        childId: params.data.id,
        current: periodBalance(periods.current),
        next: periods.next && periodBalance(periods.next),
      });
    });

    app.get('/api/v1/contracts', access('user'), async (request) => {
      const items = await contracts.listForParent(userOf(request));
      return present(contractsAnswerSchema, {
        contracts: items.map((item) => ({ ...item, statusText: CONTRACT_STATUS_LABELS[item.status] })),
      });
    });

    app.get('/api/v1/contracts/:id', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      const id = params.success ? await ownContractId(user, params.data.id) : null;
      const document = id ? await contracts.open(user, id, auditContextOf(request)).catch(() => null) : null;
      if (!document || document.contract.parentUserId !== user.id) return notFound(reply);
      const { contract } = document;
      return present(contractAnswerSchema, {
        ...contract,
        statusText: contractStatusLine(contract),
        childName: [document.child.lastName, document.child.firstName, document.child.middleName]
          .filter(Boolean)
          .join(' '),
        programName: document.program.name,
        organizationName: document.organization.name,
        group: document.group,
        municipality: document.municipality,
        accruals: await contracts.accrualsOf(user, contract),
      });
    });
  };
}

// The funding module's surface: other modules and the composition root import only from here.
import { routeModules, type RouteModule } from '../../platform/http/app.js';
import { accountingRoutes } from './accounting-routes.js';
import { fundingApi } from './api.js';
import { contractRoutes } from './contract-routes.js';
import type { createRegistersService } from './registers.js';
import { normativeRoutes } from './normative-routes.js';
import type { FundingQuotes } from './quotes.js';
import { fundingRoutes } from './routes.js';

export { createFundingService } from './service.js';
export { createContractsService } from './contracts.js';
export { fundingJobs } from './jobs.js';
export type { ContractsService } from './contracts.js';
export { createAccountingService, parseMonth, shiftMonth } from './accounting.js';
export { createRegistersService } from './registers.js';
export { createRolloverService } from './rollover.js';
export type { PeriodCloseReport, RolloverService } from './rollover.js';
export { parsePeriod, periodName } from './money.js';
export type { RegistersService } from './registers.js';
export type { AccountingService, CloseReport } from './accounting.js';
export type { FundingService, FundingState } from './service.js';
export { fundingLine, fundingSummaryOf } from './views.js';
export { createFundingQuotes, splitLine } from './quotes.js';
export { formatRoubles } from './money.js';
export type { FundingQuote, FundingQuotes, QuoteInput } from './quotes.js';

/** Every page of the module, for the composition root. */
export function fundingWeb(
  deps: Parameters<typeof fundingRoutes>[0] &
    Parameters<typeof contractRoutes>[0] &
    Parameters<typeof fundingApi>[0] & {
      fundingQuotes: FundingQuotes;
      registers: ReturnType<typeof createRegistersService>;
    },
): RouteModule {
  return routeModules(
    fundingRoutes(deps),
    contractRoutes(deps),
    accountingRoutes({ registers: deps.registers, secureCookies: deps.secureCookies }),
    fundingApi(deps),
    normativeRoutes({ quotes: deps.fundingQuotes, secureCookies: deps.secureCookies }),
  );
}

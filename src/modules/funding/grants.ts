import { eq, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/audit.js';
import type { Tx } from '../../platform/db/client.js';
import type { CertificatesService } from '../certificates/index.js';
import { periodName, type Given, type Period } from './money.js';
import { fundingLedger, fundingRequests } from './schema.js';

/** Who grants: an operator's action or a job. */
export type GrantBy = { actorUserId: string } | { job: string };

export interface Grant {
  requestId: string;
  certificateId: string;
  category: { id: string; name: string };
  period: Period & { id: string };
  amountKopecks: number;
  by: GrantBy;
  /** The closed period's request this one carries (the rollover, ADR 0039): told in the audit row. */
  carriedFromId?: string;
}

/**
 * Funds a request in the caller's transaction, which holds the category's lock: the certificate becomes funded,
 * the request `funded`, the ledger gets the grant and the audit log `funding.granted`, and `given` (the
 * category's counters read under that lock) counts it. False, and nothing written, when the amount is not
 * positive or the certificate could not become funded. The caller checks the category's room first.
 */
export async function grantFunding(
  tx: Tx,
  certificates: Pick<CertificatesService, 'setType'>,
  grant: Grant,
  given: Given,
): Promise<boolean> {
  const { requestId, certificateId, category, period, amountKopecks, by, carriedFromId } = grant;
  if (amountKopecks <= 0 || !(await certificates.setType(tx, certificateId, 'funded'))) return false;
  await tx.db
    .update(fundingRequests)
    .set({ status: 'funded', decidedAt: sql`clock_timestamp()` })
    .where(eq(fundingRequests.id, requestId));
  await tx.db.insert(fundingLedger).values({
    certificateId,
    periodId: period.id,
    kind: 'grant',
    amountKopecks,
    reason: `Номинал категории «${category.name}» на ${periodName(period)}`,
    ...by,
  });
  await audit(tx.db, {
    actorUserId: 'actorUserId' in by ? by.actorUserId : null,
    action: 'funding.granted',
    subjectType: 'certificate',
    subjectId: certificateId,
    details: {
      requestId,
      ...(carriedFromId === undefined ? {} : { carriedFromId }),
      categoryId: category.id,
      amountKopecks,
    },
  });
  given.funded += 1;
  given.grantedKopecks += amountKopecks;
  return true;
}

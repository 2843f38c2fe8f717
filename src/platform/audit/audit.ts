import type { Db } from '../db/client.js';
import { auditEvents } from './schema.js';

/** Which request an audited action came from (platform/http `auditContextOf`). */
export interface AuditContext {
  requestId: string;
  clientAddress: string;
}

export interface AuditEvent {
  actorUserId: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
  /** Absent for work that no request caused (jobs, the command line). */
  context?: AuditContext | undefined;
}

/** Writes an audit row; pass the transaction's `db` so the row commits with the change it records. */
export async function audit(db: Db, event: AuditEvent): Promise<void> {
  await db.insert(auditEvents).values({
    actorUserId: event.actorUserId,
    action: event.action,
    subjectType: event.subjectType ?? null,
    subjectId: event.subjectId ?? null,
    details: event.details ?? null,
    requestId: event.context?.requestId ?? null,
    clientAddress: event.context?.clientAddress ?? null,
  });
}

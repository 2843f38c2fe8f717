import type { Db } from '../db/client.js';
import { auditEvents } from './schema.js';

export interface AuditEvent {
  actorUserId: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

/** Writes an audit row; pass the transaction's `db` so the row commits with the change it records. */
export async function audit(db: Db, event: AuditEvent): Promise<void> {
  await db.insert(auditEvents).values({
    actorUserId: event.actorUserId,
    action: event.action,
    subjectType: event.subjectType ?? null,
    subjectId: event.subjectId ?? null,
    details: event.details ?? null,
  });
}

import { and, eq, inArray } from 'drizzle-orm';
import { audit } from '../../platform/audit/audit.js';
import type { Database, Tx } from '../../platform/db/client.js';
import type { Child, ChildrenService } from '../children/index.js';
import { certificateNumberFor } from './number.js';
import { certificates } from './schema.js';

export type Certificate = typeof certificates.$inferSelect;

/** The day before the 18th birthday: the certificate is valid until the child turns 18. */
function validUntil(birthDate: string): string {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const eighteenth = new Date(Date.UTC(year + 18, month - 1, day));
  return new Date(eighteenth.getTime() - 86_400_000).toISOString().slice(0, 10);
}

export function createCertificatesService({
  database,
  children,
}: {
  database: Database;
  children: ChildrenService;
}) {
  const { db } = database;
  return {
    async findByNumber(number: string): Promise<Certificate | null> {
      const [row] = await db.select().from(certificates).where(eq(certificates.number, number));
      return row ?? null;
    },

    /** Confirmed data activate the certificate; call inside the confirming transaction. */
    async activate(tx: Tx, childId: string): Promise<void> {
      await tx.db
        .update(certificates)
        .set({ status: 'active' })
        .where(and(eq(certificates.childId, childId), eq(certificates.status, 'awaiting_confirmation')));
    },

    async forChildren(childIds: string[]): Promise<Map<string, Certificate>> {
      if (childIds.length === 0) return new Map();
      const rows = await db.select().from(certificates).where(inArray(certificates.childId, childIds));
      return new Map(rows.map((row) => [row.childId, row]));
    },

    /**
     * «Получить сертификат»: issues the child's certificate at once, or returns the one it has. Double clicks and
     * parallel requests give one certificate (unique child); the same child in another account never gets a
     * second one.
     */
    async issue(
      actorUserId: string,
      child: Child,
    ): Promise<{ ok: true; certificate: Certificate } | { ok: false; reason: 'issued_elsewhere' }> {
      if (child.possibleDuplicate) {
        const others = await children.sameChildIds(child);
        if (others.length > 0 && (await this.forChildren(others)).size > 0)
          return { ok: false, reason: 'issued_elsewhere' };
      }
      return database.transaction(async (tx) => {
        const [existing] = await tx.db.select().from(certificates).where(eq(certificates.childId, child.id));
        if (existing) return { ok: true, certificate: existing };
        const { rows } = await tx.sql.executeSql(`select nextval('certificate_serial_seq') as serial`);
        const serial = Number(rows[0]?.serial);
        const [created] = await tx.db
          .insert(certificates)
          .values({
            childId: child.id,
            number: certificateNumberFor(serial),
            validUntil: validUntil(child.birthDate),
          })
          .onConflictDoNothing({ target: certificates.childId })
          .returning();
        if (created) {
          await audit(tx.db, {
            actorUserId,
            action: 'certificate.issued',
            subjectType: 'child',
            subjectId: child.id,
            details: { certificateId: created.id },
          });
          return { ok: true, certificate: created };
        }
        // A parallel request won the race: its certificate is this child's certificate.
        const [winner] = await tx.db.select().from(certificates).where(eq(certificates.childId, child.id));
        return { ok: true, certificate: winner! };
      });
    },
  };
}

export type CertificatesService = ReturnType<typeof createCertificatesService>;

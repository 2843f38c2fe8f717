import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { audit } from '../../platform/audit/audit.js';
import type { Database, Db, Tx } from '../../platform/db/client.js';
import type { Child, ChildrenService } from '../children/service.js';
import { certificateNumbering } from './number.js';
import { certificateNumberKey, certificates } from './schema.js';

export type Certificate = typeof certificates.$inferSelect;

/** The day before the 18th birthday: the certificate is valid until the child turns 18. */
function validUntil(birthDate: string): string {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const eighteenth = new Date(Date.UTC(year + 18, month - 1, day));
  return new Date(eighteenth.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/**
 * The secret that keys certificate numbers: made at the first start (32 random bytes) and kept in the database.
 * Two processes starting at once both insert-if-absent and then read the one row that won.
 */
export async function ensureCertificateNumberKey(db: Db): Promise<string> {
  await db
    .insert(certificateNumberKey)
    .values({ id: 1, secret: randomBytes(32).toString('base64url') })
    .onConflictDoNothing({ target: certificateNumberKey.id });
  const [row] = await db.select().from(certificateNumberKey).where(eq(certificateNumberKey.id, 1));
  return row!.secret;
}

/** A fresh serial may map onto a number issued before (by the old formula or another key): take the next. */
const MAX_NUMBER_ATTEMPTS = 20;

export function createCertificatesService({
  database,
  children,
  numberKey,
}: {
  database: Database;
  children: ChildrenService;
  /** CERTIFICATE_NUMBER_KEY; without it the key stored in the database. */
  numberKey?: string | undefined;
}) {
  const { db } = database;
  let numbering: Promise<(serial: number) => string> | null = null;
  /** Loaded once, outside any transaction (PGlite has one connection, which the transaction holds). */
  const loadNumbering = () => {
    numbering ??= (numberKey ? Promise.resolve(numberKey) : ensureCertificateNumberKey(db)).then(
      certificateNumbering,
      (error: unknown) => {
        numbering = null;
        throw error;
      },
    );
    return numbering;
  };

  /**
   * Inserts the child's certificate under the first fresh serial whose number is not taken yet; null when a
   * parallel request gave the child its certificate first.
   */
  async function insertNumbered(tx: Tx, values: Omit<typeof certificates.$inferInsert, 'number'>) {
    const numberFor = await loadNumbering();
    for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
      const { rows } = await tx.sql.executeSql(`select nextval('certificate_serial_seq') as serial`);
      const number = numberFor(Number(rows[0]?.serial));
      const [created] = await tx.db
        .insert(certificates)
        .values({ ...values, number })
        .onConflictDoNothing()
        .returning();
      if (created) return created;
      const [sameChild] = await tx.db
        .select({ id: certificates.id })
        .from(certificates)
        .where(eq(certificates.childId, values.childId));
      if (sameChild) return null;
    }
    throw new Error('no free certificate number after several serials');
  }

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
      await loadNumbering();
      return database.transaction(async (tx) => {
        const [existing] = await tx.db.select().from(certificates).where(eq(certificates.childId, child.id));
        if (existing) return { ok: true, certificate: existing };
        const created = await insertNumbered(tx, {
          childId: child.id,
          validUntil: validUntil(child.birthDate),
        });
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

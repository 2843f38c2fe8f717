import { randomBytes } from 'node:crypto';
import { and, eq, inArray, ne, or } from 'drizzle-orm';
import { authorize, type Actor } from '../../platform/access/policy.js';
import { audit } from '../../platform/audit/audit.js';
import type { Database, Db, Tx } from '../../platform/db/client.js';
import type { Child } from '../children/index.js';
import { certificateNumbering } from './number.js';
import { certificatePolicy, type CertificateResource } from './policy.js';
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

/** Awaiting confirmation or active: an identity holds at most one (the partial unique indexes in schema.ts). */
const LIVE = ['awaiting_confirmation', 'active'] as const;
const isLive = (status: Certificate['status']) => (LIVE as readonly string[]).includes(status);

type Identity = Pick<Child, 'id' | 'identityKey' | 'snils' | 'dataStatus'>;

export function createCertificatesService({
  database,
  numberKey,
}: {
  database: Database;
  /** CERTIFICATE_NUMBER_KEY; without it the key stored in the database. */
  numberKey?: string | undefined;
}) {
  const { db } = database;
  let numbering: Promise<(serial: number) => string> | null = null;
  /** Loaded once; `ready()` loads it before a transaction starts (PGlite's one connection is then taken). */
  const loadNumbering = (via: Db = db) => {
    numbering ??= (numberKey ? Promise.resolve(numberKey) : ensureCertificateNumberKey(via)).then(
      certificateNumbering,
      (error: unknown) => {
        numbering = null;
        throw error;
      },
    );
    return numbering;
  };

  /** Inserts the certificate under the first fresh serial whose number is not taken yet. */
  async function insertNumbered(tx: Tx, values: Omit<typeof certificates.$inferInsert, 'number'>) {
    const numberFor = await loadNumbering(tx.db);
    for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
      const { rows } = await tx.sql.executeSql(`select nextval('certificate_serial_seq') as serial`);
      const number = numberFor(Number(rows[0]?.serial));
      const [created] = await tx.db
        .insert(certificates)
        .values({ ...values, number })
        .onConflictDoNothing({ target: certificates.number })
        .returning();
      if (created) return created;
    }
    throw new Error('no free certificate number after several serials');
  }

  /**
   * Serialises every change that could give one identity a second live certificate (issue, an edit, a
   * confirmation): one transaction-scoped advisory lock per key, taken in one order so two never deadlock. The
   * unique indexes stay the last word; the locks make a race end in a held certificate, not in an error.
   */
  async function lockIdentity(tx: Tx, child: Identity) {
    const keys = [`certificate-holder:${child.identityKey}`];
    if (child.snils) keys.push(`certificate-snils:${child.snils}`);
    for (const key of keys.sort())
      await tx.sql.executeSql(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [key]);
  }

  /** Live certificates of other records of the same child (ФИО + birth date, or СНИЛС). */
  function liveOthers(tx: Tx, child: Identity): Promise<Certificate[]> {
    return tx.db
      .select()
      .from(certificates)
      .where(
        and(
          ne(certificates.childId, child.id),
          inArray(certificates.status, [...LIVE]),
          child.snils
            ? or(eq(certificates.holderKey, child.identityKey), eq(certificates.holderSnils, child.snils))
            : eq(certificates.holderKey, child.identityKey),
        ),
      );
  }

  /**
   * Whether the child's certificate may be live now; call under lockIdentity. A claim whose documents an
   * operator has seen (confirmed data) outranks records nobody has checked: their certificates are suspended.
   * Otherwise the first live certificate keeps the identity and this one is held for the municipal administrator.
   */
  async function claim(
    tx: Tx,
    actorUserId: string,
    child: Identity,
    documentsSeen: boolean,
  ): Promise<'live' | 'held'> {
    const others = await liveOthers(tx, child);
    if (others.length === 0) return 'live';
    if (!documentsSeen || others.some((other) => other.status === 'active')) return 'held';
    for (const other of others) {
      await tx.db.update(certificates).set({ status: 'suspended' }).where(eq(certificates.id, other.id));
      await audit(tx.db, {
        actorUserId,
        action: 'certificate.suspended',
        subjectType: 'child',
        subjectId: other.childId,
        details: {
          certificateId: other.id,
          reason: 'identity_confirmed_elsewhere',
          confirmedChildId: child.id,
        },
      });
    }
    return 'live';
  }

  async function held(tx: Tx, actorUserId: string, child: Identity, certificateId: string) {
    await audit(tx.db, {
      actorUserId,
      action: 'certificate.held',
      subjectType: 'child',
      subjectId: child.id,
      details: { certificateId, reason: 'identity_match' },
    });
  }

  return {
    /** Loads the numbering key; call before a transaction that issues certificates. */
    ready: async (): Promise<void> => {
      await loadNumbering();
    },

    /**
     * The certificate with this number, for the staff desk's search, which keeps only what the child policy lets
     * the operator inspect. Not for anyone who cannot see the child already: in-person filing asks for the birth
     * date too, limited and audited, in the applications service.
     */
    async findByNumber(number: string): Promise<Certificate | null> {
      const [row] = await db.select().from(certificates).where(eq(certificates.number, number));
      return row ?? null;
    },

    /** The child a certificate belongs to, for a module that tells its parent (in the caller's transaction). */
    async childOf(executor: Db, certificateId: string): Promise<string | null> {
      const [row] = await executor
        .select({ childId: certificates.childId })
        .from(certificates)
        .where(eq(certificates.id, certificateId));
      return row?.childId ?? null;
    },

    /**
     * Confirmed data activate the certificate; call inside the confirming transaction, with the child's row
     * locked. 'identity_taken': another record of this child already holds an active certificate.
     */
    async activate(
      tx: Tx,
      actor: Actor,
      child: Identity & CertificateResource,
    ): Promise<'activated' | 'no_certificate' | 'identity_taken'> {
      authorize(certificatePolicy, actor, 'activate', child);
      const actorUserId = actor.id;
      const [current] = await tx.db.select().from(certificates).where(eq(certificates.childId, child.id));
      if (!current || current.status === 'closed') return 'no_certificate';
      await lockIdentity(tx, child);
      if ((await claim(tx, actorUserId, child, true)) === 'held') return 'identity_taken';
      await tx.db
        .update(certificates)
        .set({ status: 'active', holderKey: child.identityKey, holderSnils: child.snils })
        .where(eq(certificates.id, current.id));
      return 'activated';
    },

    /**
     * Funded or back to учёт: called by the funding module inside the transaction that moves the money, after its
     * own policy allowed the change (or in its job, acting for nobody). Only an active certificate is funded.
     */
    async setType(tx: Tx, certificateId: string, type: Certificate['type']): Promise<boolean> {
      const updated = await tx.db
        .update(certificates)
        .set({ type })
        .where(
          and(
            eq(certificates.id, certificateId),
            type === 'funded' ? eq(certificates.status, 'active') : undefined,
          ),
        )
        .returning({ id: certificates.id });
      return updated.length === 1;
    },

    /** The certificates of these children that the actor may read (a child out of reach simply has none here). */
    async forChildren(actor: Actor, childIds: string[]): Promise<Map<string, Certificate>> {
      if (childIds.length === 0) return new Map();
      const rows = await db
        .select()
        .from(certificates)
        .where(and(inArray(certificates.childId, childIds), certificatePolicy.scope(actor, 'read')));
      return new Map(rows.map((row) => [row.childId, row]));
    },

    /**
     * «Получить сертификат»: issues the child's certificate at once, or returns the one it has. Call inside a
     * transaction with the child's row locked (children.getCertificate), so double clicks and parallel requests
     * give one certificate. When another record of the same child holds a live certificate, this one is issued
     * suspended: the parent sees the same answer, and the municipal administrator decides in person. Only the
     * child's parent asks (certificate policy); anyone else is answered «not found».
     */
    async issueFor(tx: Tx, actor: Actor, child: Child): Promise<Certificate> {
      authorize(certificatePolicy, actor, 'issue', child);
      const actorUserId = actor.id;
      const [existing] = await tx.db.select().from(certificates).where(eq(certificates.childId, child.id));
      if (existing) return existing;
      await lockIdentity(tx, child);
      const live = (await claim(tx, actorUserId, child, child.dataStatus === 'confirmed')) === 'live';
      const created = await insertNumbered(tx, {
        childId: child.id,
        validUntil: validUntil(child.birthDate),
        holderKey: child.identityKey,
        holderSnils: child.snils,
        status: !live ? 'suspended' : child.dataStatus === 'confirmed' ? 'active' : 'awaiting_confirmation',
      });
      await audit(tx.db, {
        actorUserId,
        action: 'certificate.issued',
        subjectType: 'child',
        subjectId: child.id,
        details: { certificateId: created.id },
      });
      if (!live) await held(tx, actorUserId, child, created.id);
      return created;
    },

    /**
     * The child's ФИО, birth date or СНИЛС changed (inside the editing transaction): the certificate follows the
     * new identity, and is suspended when that identity already holds another live certificate. The parent's edit
     * is what moves it (certificate policy).
     */
    async identityChanged(tx: Tx, actor: Actor, child: Child): Promise<void> {
      authorize(certificatePolicy, actor, 'update', child);
      const actorUserId = actor.id;
      const [current] = await tx.db.select().from(certificates).where(eq(certificates.childId, child.id));
      if (!current) return;
      if (current.holderKey === child.identityKey && current.holderSnils === child.snils) return;
      await lockIdentity(tx, child);
      const suspend = isLive(current.status) && (await claim(tx, actorUserId, child, false)) === 'held';
      await tx.db
        .update(certificates)
        .set({
          holderKey: child.identityKey,
          holderSnils: child.snils,
          ...(suspend ? { status: 'suspended' as const } : {}),
        })
        .where(eq(certificates.id, current.id));
      if (suspend) await held(tx, actorUserId, child, current.id);
    },
  };
}

export type CertificatesService = ReturnType<typeof createCertificatesService>;

/** A certificate as the API shows it: without the holder's identity keys. */
export function publicCertificate(certificate: Certificate) {
  const { holderKey: _key, holderSnils: _snils, ...visible } = certificate;
  return visible;
}

/**
 * What the parent is told of a certificate. Until the child's data are confirmed, a certificate held because of
 * a matching record reads as «awaiting confirmation» like any other, so the answer never tells a parent whether
 * another family registered the same child; the municipal administrator sees the match and decides in person.
 */
export function certificateForParent(certificate: Certificate, child: Pick<Child, 'dataStatus'>) {
  const visible = publicCertificate(certificate);
  return child.dataStatus !== 'confirmed' && visible.status === 'suspended'
    ? { ...visible, status: 'awaiting_confirmation' as const }
    : visible;
}

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import type { Database } from '../../platform/db/client.js';
import { createTestApp, testConfig } from '../../../tests/support/app.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createFamily } from '../../../tests/support/enrolment.js';
import { children } from '../children/schema.js';
import { certificateNumbering, isValidCertificateNumber } from './number.js';
import { certificateNumberKey, certificates } from './schema.js';
import { ensureCertificateNumberKey } from './service.js';

let database: Database;
let app: App;
let families = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function childWithoutCertificate() {
  const family = await createFamily(database.db, {
    email: `numbers${++families}@example.ru`,
    certificate: null,
    childFirstName: `Ребёнок${families}`,
  });
  const [child] = await database.db.select().from(children).where(eq(children.id, family.childId));
  return { userId: family.userId, child: child! };
}

async function issue(target: App, { userId, child }: { userId: string; child: { id: string } }) {
  const issued = await target.services.children.getCertificate(
    { id: userId, emailVerified: true, staff: null },
    child.id,
  );
  return issued!.certificate;
}

async function nextSerial(): Promise<number> {
  const { rows } = await database.sql.executeSql(
    `select case when is_called then last_value + 1 else last_value end as next from certificate_serial_seq`,
  );
  return Number(rows[0]?.next);
}

describe('certificate numbers of a deployment', () => {
  it('are keyed by one secret made once, even when several processes start at once', async () => {
    const keys = await Promise.all(Array.from({ length: 5 }, () => ensureCertificateNumberKey(database.db)));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]!.length).toBeGreaterThanOrEqual(32);
    expect(await database.db.select().from(certificateNumberKey)).toHaveLength(1);
  });

  it('issue the number of the next serial under the stored key', async () => {
    const family = await childWithoutCertificate();
    const serial = await nextSerial();
    const certificate = await issue(app, family);
    const expected = certificateNumbering(await ensureCertificateNumberKey(database.db))(serial);
    expect(certificate.number).toBe(expected);
    expect(isValidCertificateNumber(expected)).toBe(true);
  });

  it('skip a serial whose number is already taken (issued earlier by another formula)', async () => {
    const numberFor = certificateNumbering(await ensureCertificateNumberKey(database.db));
    const taken = await childWithoutCertificate();
    const serial = await nextSerial();
    // An old certificate already holds the number the next serial maps to.
    await database.db.insert(certificates).values({
      childId: taken.child.id,
      number: numberFor(serial),
      validUntil: '2033-01-01',
      holderKey: taken.child.identityKey,
    });
    const certificate = await issue(app, await childWithoutCertificate());
    expect(certificate.number).toBe(numberFor(serial + 1));
  });

  it('follow CERTIFICATE_NUMBER_KEY when it is configured instead of the stored key', async () => {
    const key = 'configured-certificate-number-key-0123456789';
    const configured = await createTestApp(database, {
      config: testConfig({ CERTIFICATE_NUMBER_KEY: key }),
    });
    try {
      const family = await childWithoutCertificate();
      const serial = await nextSerial();
      const certificate = await issue(configured, family);
      expect(certificate.number).toBe(certificateNumbering(key)(serial));
      const stored = certificateNumbering(await ensureCertificateNumberKey(database.db))(serial);
      expect(certificate.number).not.toBe(stored);
    } finally {
      await configured.close();
    }
  });
});

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessDenied, organizationOf, type Actor } from '../../platform/access/policy.js';
import type { Database } from '../../platform/db/client.js';
import {
  ACTORS,
  ACTOR_NAMES,
  DESNOGORSK,
  ORG_DESNOGORSK,
  ORG_SMOLENSK,
  SMOLENSK,
  type ActorName,
} from '../../../tests/support/actors.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createFamily, createOpenGroup } from '../../../tests/support/enrolment.js';
import { applications } from '../applications/schema.js';
import { children } from '../children/schema.js';
import { organizations } from '../organizations/schema.js';
import { certificatePolicy, type CertificateAction } from './policy.js';
import { certificates } from './schema.js';
import { createCertificatesService } from './service.js';

let database: Database;
const people: Record<ActorName, Actor | null> = { ...ACTORS };
/** Each family's certificate, with the organization its child applied to (if any). */
const holders: {
  certificateId: string;
  childId: string;
  ownerUserId: string;
  municipalityId: number;
  appliedTo: string | null;
}[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  for (const [id, municipalityId] of [
    [ORG_SMOLENSK, SMOLENSK],
    [ORG_DESNOGORSK, DESNOGORSK],
  ] as const) {
    await db
      .insert(organizations)
      .values({ id, municipalityId, name: id, shortName: id, kind: 'МБУ ДО', address: '—' });
  }
  const group = await createOpenGroup(db, { organizationId: ORG_SMOLENSK });
  // Parent A: a child in Смоленск. Parent B: one in Десногорск who applied to the Смоленск organization, one without.
  const families = [
    { parent: 'parentA', municipalityId: SMOLENSK, appliedTo: null },
    { parent: 'parentB', municipalityId: DESNOGORSK, appliedTo: ORG_SMOLENSK },
    { parent: 'parentB', municipalityId: DESNOGORSK, appliedTo: null },
  ] as const;
  const owners: Partial<Record<'parentA' | 'parentB', string>> = {};
  for (const [index, family] of families.entries()) {
    const created = await createFamily(db, {
      email: `policy-${index}@example.ru`,
      certificate: 'active',
      childFirstName: `Ребёнок${index}`,
    });
    const ownerUserId = owners[family.parent] ?? created.userId;
    owners[family.parent] = ownerUserId;
    await db
      .update(children)
      .set({ ownerUserId, municipalityId: family.municipalityId })
      .where(eq(children.id, created.childId));
    if (family.appliedTo) {
      await db.insert(applications).values({
        ...group,
        organizationId: family.appliedTo,
        childId: created.childId,
        applicantUserId: ownerUserId,
        filedByUserId: ownerUserId,
        channel: 'online',
        status: 'new',
      });
    }
    const [certificate] = await db
      .select()
      .from(certificates)
      .where(eq(certificates.childId, created.childId));
    holders.push({
      certificateId: certificate!.id,
      childId: created.childId,
      ownerUserId,
      municipalityId: family.municipalityId,
      appliedTo: family.appliedTo,
    });
  }
  people.parentA = { id: owners.parentA!, emailVerified: true, staff: null };
  people.parentB = { id: owners.parentB!, emailVerified: true, staff: null };
});

afterAll(async () => {
  await database.close();
});

describe('certificate policy on real rows', () => {
  it.each(['read', 'issue', 'update', 'activate'] as CertificateAction[])(
    '%s: the SQL scope finds exactly the certificates `can` allows, for each of the eight people',
    async (action) => {
      for (const name of ACTOR_NAMES) {
        const actor = people[name];
        const found = await database.db
          .select({ id: certificates.id })
          .from(certificates)
          .where(certificatePolicy.scope(actor, action));
        const expected = holders.filter((holder) =>
          certificatePolicy.can(actor, action, {
            ownerUserId: holder.ownerUserId,
            municipalityId: holder.municipalityId,
            // What the applications service vouches for: an application of the child to the actor's organization.
            applicationTo:
              holder.appliedTo !== null && holder.appliedTo === organizationOf(actor)
                ? holder.appliedTo
                : null,
          }),
        );
        expect(found.map((row) => row.id).sort(), `${action} × ${name}`).toEqual(
          expected.map((holder) => holder.certificateId).sort(),
        );
      }
    },
  );

  it('reads as the table says: the organization sees its applicant’s only, the administrator their municipality’s', async () => {
    const read = async (name: ActorName) =>
      (
        await database.db
          .select({ id: certificates.id })
          .from(certificates)
          .where(certificatePolicy.scope(people[name], 'read'))
      ).length;
    expect(await read('orgSmolensk')).toBe(1);
    expect(await read('orgDesnogorsk')).toBe(0);
    expect(await read('adminDesnogorsk')).toBe(2);
    expect(await read('adminSmolensk')).toBe(1);
    expect(await read('parentB')).toBe(2);
    expect(await read('coordinator')).toBe(3);
  });

  it('the certificates service issues and moves a certificate only for the child’s own parent', async () => {
    const service = createCertificatesService({ database });
    await service.ready();
    const [child] = await database.db.select().from(children).where(eq(children.id, holders[2]!.childId));
    await database.db.delete(certificates).where(eq(certificates.childId, child!.id));
    for (const name of ['parentA', 'adminDesnogorsk', 'coordinator'] as const) {
      await expect(
        database.transaction((tx) => service.issueFor(tx, people[name]!, child!)),
      ).rejects.toBeInstanceOf(AccessDenied);
      await expect(
        database.transaction((tx) => service.identityChanged(tx, people[name]!, child!)),
      ).rejects.toBeInstanceOf(AccessDenied);
    }
    expect(await database.db.select().from(certificates).where(eq(certificates.childId, child!.id))).toEqual(
      [],
    );
    const issued = await database.transaction((tx) => service.issueFor(tx, people.parentB!, child!));
    expect(issued.childId).toBe(child!.id);
  });
});

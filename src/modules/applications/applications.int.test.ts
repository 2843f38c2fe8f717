import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import {
  createFamily,
  createOpenGroup,
  createOrganization,
  type Family,
} from '../../../tests/support/enrolment.js';
import { eventually, type SmtpSink } from '../../../tests/support/smtp.js';
import type { App } from '../../app.js';
import type { Actor } from '../../platform/access/policy.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { regionToday } from '../../platform/views/format.js';
import { periodOf } from '../funding/money.js';
import type { GroupInput } from '../programs/schemas.js';
import type { ApplicationsService, Operator } from './service.js';

/** Every status change and precondition, the seat arithmetic, who may do what, and the seat race. */

let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let database: Database;
let app: App;
let sink: SmtpSink;
let service: ApplicationsService;
let organizationId: string;
let otherOrganizationId: string;
let staff: Operator;
let otherStaff: Operator;
let families = 0;

function operator(organization: string, id: string): Operator {
  return {
    id,
    email: `${id}@example.ru`,
    shortName: 'Сотрудник',
    emailVerified: true,
    municipalityId: 1,
    sessionTokenHash: '',
    staff: { role: 'org_staff', municipalityId: 1, organizationId: organization },
  };
}

const family = (options: Parameters<typeof createFamily>[1] extends infer O ? Partial<O> : never = {}) =>
  createFamily(database.db, { email: `parent${++families}@example.ru`, ...options });

const applyOnline = (who: Family, groupId: string) =>
  service.apply({
    actorUserId: who.userId,
    ownerUserId: who.userId,
    channel: 'online',
    childId: who.childId,
    groupId,
  });

const asParent = (userId: string): Actor => ({ id: userId, emailVerified: true, staff: null });

/** The application as its applicant's page shows it; null when out of their reach. */
async function openAs(userId: string, applicationId: string) {
  return (await service.openForApplicant(asParent(userId), applicationId))?.application ?? null;
}

async function statusOf(id: string): Promise<string> {
  const [row] = await queryRows(database.db, sql`select status from applications where id = ${id}`);
  return String(row?.status);
}

/** Capacity is exact: every group's places taken equal its applications that hold a place. */
async function expectSeatsConsistent() {
  const rows = await queryRows(
    database.db,
    sql`select gp.group_id, gp.taken as seats_taken, gp.capacity,
               (select count(*)::int from applications a
                 where a.group_id = gp.group_id and a.status in ('new', 'accepted', 'offered')) as holding
          from group_places gp`,
  );
  for (const row of rows) {
    expect(Number(row.seats_taken)).toBe(Number(row.holding));
    expect(Number(row.seats_taken)).toBeLessThanOrEqual(Number(row.capacity));
  }
}

async function historyOf(id: string) {
  return queryRows(
    database.db,
    sql`select from_status, to_status, actor_user_id, reason from application_events
         where application_id = ${id} order by created_at, id`,
  );
}

/** The coordinator's number of free programs per child in Смоленск's current funding period (ADR 0039). */
async function setFreeLimit(limit: number | null) {
  const coordinator: Actor = {
    id: randomUUID(),
    emailVerified: true,
    staff: { role: 'coordinator', municipalityId: null, organizationId: null },
  };
  await app.services.funding.savePeriod(coordinator, 1, periodOf(regionToday()), {
    open: false,
    contractsBannedFrom: null,
    freeProgramsPerChild: limit,
  });
}

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, app, sink } = testbed);
  service = app.services.applications;
  organizationId = await createOrganization(database.db);
  otherOrganizationId = await createOrganization(database.db, 'Спортивная школа «Олимп»');
  const [staffUser] = await queryRows(
    database.db,
    sql`insert into users (email, email_verified_at, password_hash, last_name, first_name, phone, municipality_id, applicant_kind)
        values ('staff@example.ru', now(), 'x', 'Петрова', 'Ольга', '+79000000000', 1, 'parent'),
               ('other-staff@example.ru', now(), 'x', 'Сидоров', 'Пётр', '+79000000001', 1, 'parent')
        returning id`,
  );
  const ids = await queryRows(
    database.db,
    sql`select id, email from users where email like '%staff@example.ru'`,
  );
  const idOf = (email: string) => String(ids.find((row) => row.email === email)!.id);
  expect(staffUser).toBeDefined();
  staff = operator(organizationId, idOf('staff@example.ru'));
  otherStaff = operator(otherOrganizationId, idOf('other-staff@example.ru'));
});

afterAll(async () => {
  await testbed?.close();
});

// The queue's length kept beside the group's places (migration 0035) follows every path these tests take into
// and out of a queue: filed, offered, declined, expired, rejected, expelled, left, completed, deleted.
afterEach(async () => {
  const drifted = await queryRows(
    database.db,
    sql`select gp.group_id, gp.queued,
               (select count(*)::int from applications a where a.group_id = gp.group_id and a.status = 'queued')
                 as counted
          from group_places gp
         where gp.queued <> (select count(*) from applications a
                              where a.group_id = gp.group_id and a.status = 'queued')`,
  );
  expect(drifted).toEqual([]);
});

describe('applying', () => {
  it('takes a place as «Новая», the provider accepts; the parent gets a notice and a letter each time', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId, capacity: 2 });
    const parent = await family();
    const filed = await applyOnline(parent, groupId);
    expect(filed).toMatchObject({ ok: true, status: 'new', queuePlace: null });
    const id = filed.ok ? filed.id : '';
    expect(await service.accept(staff, id)).toBe('done');
    expect(await statusOf(id)).toBe('accepted');
    expect(await service.accept(staff, id)).toBe('conflict');
    const history = await historyOf(id);
    expect(history.map((event) => event.to_status)).toEqual(['new', 'accepted']);
    expect(history[1]).toMatchObject({ from_status: 'new', actor_user_id: staff.id });

    const letter = await sink.waitFor(`parent${families}@example.ru`, 10_000, 'принята');
    expect(letter.text).toContain('Иванова Анна Сергеевна зачислена в группу');
    expect(letter.text).not.toContain('(а)');
    expect(letter.text).toContain(`/cabinet/applications/${id}`);
    const notices = await eventually(async () => {
      const { items } = await app.services.notices.page(
        { id: parent.userId, emailVerified: true, staff: null },
        1,
      );
      return items.length === 2 ? items : null;
    });
    expect(notices.map((notice) => notice.text).join(' ')).toContain('Место в группе за ребёнком сохранено');
    await expectSeatsConsistent();
  });

  it('accepts at once in a group with auto-accept', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId, autoAccept: true });
    expect(await applyOnline(await family(), groupId)).toMatchObject({ ok: true, status: 'accepted' });
  });

  it('refuses with a clear message when a precondition fails, and stores nothing', async () => {
    const parent = await family();
    const refusal = async (groupId: string, who: Family = parent) => {
      const result = await applyOnline(who, groupId);
      expect(result.ok).toBe(false);
      return result.ok ? null : result;
    };
    const draft = await createOpenGroup(database.db, { organizationId, status: 'draft' });
    expect(await refusal(draft.groupId)).toMatchObject({ code: 'not_published' });
    const future = await createOpenGroup(database.db, { organizationId, enrolmentFromDays: 5 });
    expect((await refusal(future.groupId))?.message).toMatch(
      /^Приём заявок в эту группу откроется \d\d\.\d\d\.\d{4}\.$/,
    );
    const past = await createOpenGroup(database.db, {
      organizationId,
      enrolmentFromDays: -30,
      enrolmentToDays: -1,
    });
    expect(await refusal(past.groupId)).toMatchObject({ code: 'enrolment_closed' });
    const teens = await createOpenGroup(database.db, { organizationId, ageFrom: 14, ageTo: 17 });
    expect((await refusal(teens.groupId))?.message).toMatch(
      /^Группа для детей от 14 до 17 лет, а ребёнку к началу занятий \d\d\.\d\d\.\d{4} будет \d+ (лет|год|года)\./,
    );
    const open = await createOpenGroup(database.db, { organizationId });
    expect(await refusal(open.groupId, await family({ certificate: null }))).toMatchObject({
      code: 'no_certificate',
    });
    // A certificate held for a matching record of another family: the parent learns only that the data must be
    // confirmed in person — the same thing the «Дети» tab tells every parent whose data are not confirmed.
    const held = await refusal(open.groupId, await family({ certificate: 'suspended' }));
    expect(held).toMatchObject({ code: 'confirmation_required' });
    expect(held?.message).not.toMatch(/приостановлен|другой|совпад/i);
    const closedOne = await family();
    await database.db.execute(
      sql`update certificates set status = 'closed' where child_id = ${closedOne.childId}`,
    );
    expect(await refusal(open.groupId, closedOne)).toMatchObject({ code: 'certificate_inactive' });
    const stranger = await family();
    const notMine = await service.apply({
      actorUserId: stranger.userId,
      ownerUserId: stranger.userId,
      channel: 'online',
      childId: parent.childId,
      groupId: open.groupId,
    });
    expect(notMine).toMatchObject({ ok: false, code: 'child_not_found' });
    expect(
      await service.apply({
        actorUserId: parent.userId,
        channel: 'online',
        childId: parent.childId,
        groupId: '00000000-0000-4000-8000-000000000000',
      }),
    ).toMatchObject({ ok: false, code: 'group_not_found' });
    const [stored] = await queryRows(
      database.db,
      sql`select count(*)::int as n from applications where child_id = ${parent.childId}`,
    );
    expect(stored?.n).toBe(0);
  });

  it('lets an unconfirmed certificate apply and shows the provider it is unconfirmed', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId });
    const filed = await applyOnline(await family({ certificate: 'awaiting_confirmation' }), groupId);
    expect(filed.ok).toBe(true);
    const view = await app.services.applicationQueries.getOne(
      filed.ok ? filed.id : '',
      sql`a.organization_id = ${organizationId}`,
    );
    expect(view?.certificateConfirmed).toBe(false);
  });

  it('one live application per child and group, even when sent twice at once', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId });
    const parent = await family();
    const results = await Promise.all([applyOnline(parent, groupId), applyOnline(parent, groupId)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toMatchObject({
      code: 'duplicate',
      message: 'У ребёнка уже есть заявка в эту группу.',
    });
    // After cancelling, the child may apply again.
    const filed = results.find((result) => result.ok);
    expect(await service.cancel(asParent(parent.userId), filed?.ok ? filed.id : '')).toBe('done');
    expect(await applyOnline(parent, groupId)).toMatchObject({ ok: true });
    await expectSeatsConsistent();
  });

  it("keeps the municipality's limit of free programs per child in the education year", async () => {
    await setFreeLimit(2);
    try {
      const parent = await family();
      const groups = [];
      for (let i = 0; i < 3; i++) groups.push(await createOpenGroup(database.db, { organizationId }));
      const paid = await createOpenGroup(database.db, { organizationId, financing: 'certificate' });
      expect(await applyOnline(parent, groups[0]!.groupId)).toMatchObject({ ok: true });
      expect(await applyOnline(parent, groups[1]!.groupId)).toMatchObject({ ok: true });
      const third = await applyOnline(parent, groups[2]!.groupId);
      expect(third).toMatchObject({ ok: false, code: 'limit' });
      expect(third.ok ? '' : third.message).toContain('уже записан на 2 из 2 бесплатных программ');
      // Programs by certificate are not counted; a cancelled application frees its program.
      expect(await applyOnline(parent, paid.groupId)).toMatchObject({ ok: true });
      const [first] = await queryRows(
        database.db,
        sql`select id from applications where child_id = ${parent.childId} and group_id = ${groups[0]!.groupId}`,
      );
      expect(await service.cancel(asParent(parent.userId), String(first!.id))).toBe('done');
      expect(await applyOnline(parent, groups[2]!.groupId)).toMatchObject({ ok: true });
    } finally {
      await setFreeLimit(null);
    }
  });
});

describe('the queue', () => {
  it('queues when full, offers a freed place to the first in line, who takes it', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId, capacity: 1 });
    const [first, second, third] = [await family(), await family(), await family()];
    const a = await applyOnline(first, groupId);
    const b = await applyOnline(second, groupId);
    const c = await applyOnline(third, groupId);
    expect(a).toMatchObject({ status: 'new' });
    expect(b).toMatchObject({ status: 'queued', queuePlace: 1 });
    expect(c).toMatchObject({ status: 'queued', queuePlace: 2 });
    const [ida, idb, idc] = [a, b, c].map((r) => (r.ok ? r.id : ''));

    expect(await service.cancel(asParent(first.userId), ida!)).toBe('done');
    expect(await statusOf(ida!)).toBe('cancelled');
    expect(await statusOf(idb!)).toBe('offered');
    const view = await openAs(second.userId, idb!);
    expect(view?.offerExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 47 * 3_600_000);
    expect((await openAs(third.userId, idc!))?.queuePlace).toBe(1);
    const offer = await sink.waitFor(`parent${families - 1}@example.ru`, 10_000, 'предложено место');
    expect(offer.text).toContain('Подтвердите его до');

    expect(await service.takeOffer(asParent(second.userId), idb!)).toBe('done');
    expect(await statusOf(idb!)).toBe('accepted');
    const events = await historyOf(idb!);
    expect(events.map((event) => event.to_status)).toEqual(['queued', 'offered', 'accepted']);
    expect(events[1]?.actor_user_id).toBeNull();
    await expectSeatsConsistent();
  });

  it('declining or letting an offer expire passes the place on; rejecting a holder too', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId, capacity: 1 });
    const people = [await family(), await family(), await family(), await family()];
    const ids: string[] = [];
    for (const who of people) {
      const filed = await applyOnline(who, groupId);
      ids.push(filed.ok ? filed.id : '');
    }
    expect(await service.reject(staff, ids[0]!, 'Группа для детей с подготовкой')).toBe('done');
    expect(await statusOf(ids[1]!)).toBe('offered');
    expect(await service.cancel(asParent(people[1]!.userId), ids[1]!)).toBe('done');
    expect(await statusOf(ids[1]!)).toBe('declined');
    expect(await statusOf(ids[2]!)).toBe('offered');

    // Not yet due: nothing happens.
    expect(await service.expireOffer(ids[2]!)).toBe(false);
    await queryRows(
      database.db,
      sql`update applications set offer_expires_at = now() - interval '1 minute' where id = ${ids[2]!}`,
    );
    expect(await service.takeOffer(asParent(people[2]!.userId), ids[2]!)).toBe('conflict');
    expect(await service.expireOffer(ids[2]!)).toBe(true);
    expect(await statusOf(ids[2]!)).toBe('expired');
    expect(await statusOf(ids[3]!)).toBe('offered');
    // The deadline job was scheduled with the offer.
    const [job] = await queryRows(
      database.db,
      sql`select start_after from pgboss.job where name = 'applications.expire-offer' and data->>'applicationId' = ${ids[3]!}`,
    );
    expect(new Date(job!.start_after as string).getTime()).toBeGreaterThan(Date.now() + 47 * 3_600_000);
    const rejected = await historyOf(ids[0]!);
    expect(rejected.at(-1)).toMatchObject({
      to_status: 'rejected',
      reason: 'Группа для детей с подготовкой',
    });
    await expectSeatsConsistent();
  });

  it('expelling, leaving by request and completing free places for the queue', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId, capacity: 1, autoAccept: true });
    const people = [await family(), await family(), await family(), await family()];
    const ids: string[] = [];
    for (const who of people) {
      const filed = await applyOnline(who, groupId);
      ids.push(filed.ok ? filed.id : '');
    }
    expect(await statusOf(ids[0]!)).toBe('accepted');
    expect(await service.expel(staff, ids[0]!, 'Не посещает занятия')).toBe('done');
    expect(await service.takeOffer(asParent(people[1]!.userId), ids[1]!)).toBe('done');
    expect(await service.leave(asParent(people[1]!.userId), ids[1]!)).toBe('done');
    expect((await historyOf(ids[1]!)).at(-1)).toMatchObject({
      to_status: 'expelled',
      reason: 'Заявление на отчисление от родителя (законного представителя)',
    });
    expect(await service.takeOffer(asParent(people[2]!.userId), ids[2]!)).toBe('done');
    expect(await service.complete(staff, ids[2]!)).toBe('done');
    expect(await statusOf(ids[2]!)).toBe('completed');
    expect(await statusOf(ids[3]!)).toBe('offered');
    await expectSeatsConsistent();
  });

  it('offers places added by the provider to the queue, in the provider’s transaction', async () => {
    const { programId, groupId } = await createOpenGroup(database.db, { organizationId, capacity: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const filed = await applyOnline(await family(), groupId);
      ids.push(filed.ok ? filed.id : '');
    }
    const provider = app.services.provider;
    const saved = await provider.saveGroup(
      staff,
      programId,
      groupId,
      await groupInput(programId, groupId, 3),
    );
    expect(saved).toEqual({ ok: true, id: groupId, offered: 2 });
    expect(await Promise.all(ids.map(statusOf))).toEqual(['new', 'offered', 'offered', 'queued']);
    expect(await placesOf(groupId)).toEqual({ capacity: 3, taken: 3 });
    await expectSeatsConsistent();

    // The raise and its offers are one transaction: rolled back together, nobody is left with an offer.
    await expect(
      database.transaction(async (tx) => {
        expect(await service.places.changeCapacity(tx, groupId, 4)).toEqual({ ok: true, offered: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await statusOf(ids[3]!)).toBe('queued');
    expect(await placesOf(groupId)).toEqual({ capacity: 3, taken: 3 });
  });

  it('a raise during a rush offers exactly the new places to the first in the queue', async () => {
    const { programId, groupId } = await createOpenGroup(database.db, { organizationId, capacity: 2 });
    const early: string[] = [];
    for (let i = 0; i < 6; i++) {
      const filed = await applyOnline(await family(), groupId);
      early.push(filed.ok ? filed.id : '');
    }
    const latecomers = await Promise.all(Array.from({ length: 8 }, () => family()));
    const input = await groupInput(programId, groupId, 5);
    const [saved, ...filed] = await Promise.all([
      app.services.provider.saveGroup(staff, programId, groupId, input),
      ...latecomers.map((who) => applyOnline(who, groupId)),
    ]);
    expect(saved).toEqual({ ok: true, id: groupId, offered: 3 });
    // Newcomers never take the places the raise added: those went to the queue first.
    expect(filed.every((result) => result.ok && result.status === 'queued')).toBe(true);
    expect(await Promise.all(early.map(statusOf))).toEqual([
      'new',
      'new',
      'offered',
      'offered',
      'offered',
      'queued',
    ]);
    expect(await placesOf(groupId)).toEqual({ capacity: 5, taken: 5 });
    await expectSeatsConsistent();
  });

  it('refuses a capacity below the places taken and changes nothing', async () => {
    const { programId, groupId } = await createOpenGroup(database.db, { organizationId, capacity: 3 });
    for (let i = 0; i < 4; i++) await applyOnline(await family(), groupId);
    const input = { ...(await groupInput(programId, groupId, 2)), name: 'Другое название' };
    const refused = await app.services.provider.saveGroup(staff, programId, groupId, input);
    expect(refused).toEqual({
      ok: false,
      errors: { capacity: 'Уже занято 3 места: план приёма не может быть меньше' },
    });
    expect(await placesOf(groupId)).toEqual({ capacity: 3, taken: 3 });
    const group = await app.services.provider.getGroup(staff, programId, groupId);
    expect(group?.name).toBe('Группа 1');
    // Exactly the places taken is allowed.
    const same = await app.services.provider.saveGroup(staff, programId, groupId, {
      ...input,
      capacity: 3,
    });
    expect(same).toEqual({ ok: true, id: groupId, offered: 0 });
    await expectSeatsConsistent();
  });

  it('deletes a group only when nobody applied, its places with it', async () => {
    const provider = app.services.provider;
    const empty = await createOpenGroup(database.db, { organizationId, status: 'draft' });
    expect(await provider.deleteGroup(staff, empty.programId, empty.groupId)).toBe('deleted');
    expect(await placesOf(empty.groupId)).toBeUndefined();
    const { programId, groupId } = await createOpenGroup(database.db, { organizationId, capacity: 1 });
    const filed = await applyOnline(await family(), groupId);
    expect(filed.ok && (await service.cancel(asParent((await ownerOf(filed.id))!), filed.id))).toBe('done');
    // Cancelled: no place is held, but the application keeps its group for its history.
    expect(await provider.deleteGroup(staff, programId, groupId)).toBe('taken');
    expect(await placesOf(groupId)).toEqual({ capacity: 1, taken: 0 });
  });
});

async function placesOf(groupId: string) {
  const [row] = await queryRows(
    database.db,
    sql`select capacity, taken from group_places where group_id = ${groupId}`,
  );
  return row ? { capacity: Number(row.capacity), taken: Number(row.taken) } : undefined;
}

async function ownerOf(applicationId: string) {
  const [row] = await queryRows(
    database.db,
    sql`select applicant_user_id from applications where id = ${applicationId}`,
  );
  return row ? String(row.applicant_user_id) : undefined;
}

/** The group's form as stored, with another «план приёма». */
async function groupInput(programId: string, groupId: string, capacity: number): Promise<GroupInput> {
  const group = await app.services.provider.getGroup(staff, programId, groupId);
  const { id: _id, programId: _p, createdAt: _c, updatedAt: _u, seatsTaken: _s, ...input } = group!;
  return { ...input, capacity };
}

describe('who may do what', () => {
  it('a parent acts only on their own applications, staff only on their organization’s', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId, capacity: 5 });
    const owner = await family();
    const filed = await applyOnline(owner, groupId);
    const id = filed.ok ? filed.id : '';
    const stranger = await family();
    expect(await service.cancel(asParent(stranger.userId), id)).toBe('not_found');
    expect(await service.takeOffer(asParent(stranger.userId), id)).toBe('not_found');
    expect(await service.accept(otherStaff, id)).toBe('not_found');
    expect(await service.reject(otherStaff, id, 'Нет')).toBe('not_found');
    const admin: Operator = {
      ...staff,
      staff: { role: 'municipal_admin', municipalityId: 1, organizationId: null },
    };
    expect(await service.accept(admin, id)).toBe('not_found');
    expect(await openAs(stranger.userId, id)).toBeNull();
    expect(
      await app.services.applicationQueries.getOne(id, sql`a.organization_id = ${otherOrganizationId}`),
    ).toBeNull();
    // Wrong moves for the state are conflicts, not errors.
    expect(await service.takeOffer(asParent(owner.userId), id)).toBe('conflict');
    expect(await service.leave(asParent(owner.userId), id)).toBe('conflict');
    expect(await service.expel(staff, id, 'Нет')).toBe('conflict');
    expect(await statusOf(id)).toBe('new');
  });
});

describe('the seat race', () => {
  it('200 applications at once to 20 places: 20 hold places, 180 queued 1…180 in arrival order', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId, capacity: 20 });
    const people: Family[] = [];
    for (let i = 0; i < 200; i++) people.push(await family());
    const results = await Promise.all(people.map((who) => applyOnline(who, groupId)));
    expect(results.every((result) => result.ok)).toBe(true);

    const rows = await queryRows(
      database.db,
      sql`select id, child_id, status, arrival,
                 case when status = 'queued' then
                   (select count(*)::int from applications q where q.group_id = a.group_id and q.status = 'queued' and q.arrival <= a.arrival)
                 end as place
            from applications a where group_id = ${groupId} order by arrival`,
    );
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((row) => row.child_id)).size).toBe(200);
    const holding = rows.filter((row) => row.status === 'new');
    const queued = rows.filter((row) => row.status === 'queued');
    expect(holding).toHaveLength(20);
    expect(queued).toHaveLength(180);
    // Places come first: nobody was queued before the group was full.
    expect(rows.slice(0, 20).every((row) => row.status === 'new')).toBe(true);
    expect(queued.map((row) => Number(row.place))).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));
    // What each applicant was told matches what is stored.
    const told = new Map(
      results.map((result) => [result.ok ? result.id : '', result.ok ? result.queuePlace : null]),
    );
    for (const row of queued) expect(told.get(String(row.id))).toBe(Number(row.place));
    await expectSeatsConsistent();
  });
});

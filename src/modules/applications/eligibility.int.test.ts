import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import { isoInYear } from '../../../tests/support/dates.js';
import {
  createChild,
  createFamily,
  createOpenGroup,
  createOrganization,
  type ChildOptions,
} from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import type { Actor } from '../../platform/access/policy.js';
import { formatDate, regionToday } from '../../platform/views/format.js';
import { periodOf } from '../funding/money.js';
import { hashPassword } from '../accounts/password.js';

/**
 * «Записаться» says who can apply before anything is sent: each child of the account with its reasons, the same
 * reasons the service refuses by (eligibility.ts), and the service still refuses a child posted by hand.
 */

const PASSWORD = 'Родитель-навигатора-67';
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let database: Database;
let app: App;
let passwordHash: string;
let organizationId: string;
let families = 0;

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
  ({ database, app } = testbed);
  passwordHash = await hashPassword(PASSWORD);
  organizationId = await createOrganization(database.db);
});
afterAll(async () => {
  await testbed.close();
});

/** A signed-in parent whose first child (Анна, 11, active certificate) can apply to an ordinary group. */
async function parent() {
  const email = `eligible${++families}@example.ru`;
  const family = await createFamily(database.db, { email, passwordHash });
  const client = new TestClient(app.http, `198.51.100.${(families % 200) + 1}`);
  expect((await client.submit('/login', { email, password: PASSWORD })).status).toBe(303);
  const add = async (options: ChildOptions) =>
    (await createChild(database.db, family.userId, options)).childId;
  return { ...family, client, add };
}

/** The radio of a child on the chooser: whether it is disabled, and the text tied to it by aria-describedby. */
function radioOf(html: string, childId: string) {
  const input = new RegExp(`<input[^>]*value="${childId}"[^>]*>`).exec(html)?.[0];
  expect(input, `no radio for ${childId}`).toBeDefined();
  const describedBy = /aria-describedby="([^"]+)"/.exec(input!)?.[1];
  const hint = describedBy
    ? textOf(new RegExp(`id="${describedBy}"[^>]*>([\\s\\S]*?)</span>`).exec(html)?.[1] ?? '')
    : '';
  return { disabled: /\sdisabled/.test(input!), hint };
}

const countApplications = async (childId: string) =>
  Number(
    (
      await queryRows(
        database.db,
        sql`select count(*)::int as n from applications where child_id = ${childId}`,
      )
    )[0]!.n,
  );

describe('the child chooser of «Записаться»', () => {
  it('shows each child with whether it can apply and why not, and disables those who cannot', async () => {
    const who = await parent();
    const { groupId, programId } = await createOpenGroup(database.db, {
      organizationId,
      ageFrom: 8,
      ageTo: 14,
      groupName: 'Основная группа',
    });
    const sibling = await createOpenGroup(database.db, {
      organizationId,
      programId,
      ageFrom: 8,
      ageTo: 14,
      groupName: 'Вечерняя группа',
    });
    const young = await who.add({ childFirstName: 'Мила', birthDate: isoInYear(4, '06-10') });
    // Seven today, eight on the first lesson: the age that counts is the one at the start of studies.
    const [{ study_start: studyStart }] = (await queryRows(
      database.db,
      sql`select study_start::text as study_start from program_groups where id = ${groupId}`,
    )) as [{ study_start: string }];
    const turnsEight = await who.add({
      childFirstName: 'Лев',
      birthDate: `${Number(studyStart.slice(0, 4)) - 8}${studyStart.slice(4)}`,
    });
    const noCertificate = await who.add({ childFirstName: 'Вера', certificate: null });
    const held = await who.add({ childFirstName: 'Зоя', certificate: 'suspended' });
    const closed = await who.add({ childFirstName: 'Ада' });
    await database.db.execute(sql`update certificates set status = 'closed' where child_id = ${closed}`);
    const inGroup = await who.add({ childFirstName: 'Ева' });
    const inProgram = await who.add({ childFirstName: 'Ия' });
    const apply = (childId: string, group: string) =>
      app.services.applications.apply({
        actorUserId: who.userId,
        ownerUserId: who.userId,
        channel: 'online',
        childId,
        groupId: group,
      });
    expect(await apply(inGroup, groupId)).toMatchObject({ ok: true });
    expect(await apply(inProgram, sibling.groupId)).toMatchObject({ ok: true });

    const page = await who.client.get(`/groups/${groupId}/apply`);
    expect(page.status).toBe(200);
    const html = page.body;
    expect(radioOf(html, who.childId).disabled).toBe(false);
    expect(radioOf(html, who.childId).hint).toContain('Можно записать');
    expect(radioOf(html, turnsEight).disabled).toBe(false);
    const reasons: [string, RegExp][] = [
      [
        young,
        /^Нельзя записать: Группа для детей от 8 до 14 лет, а ребёнку к началу занятий \d\d\.\d\d\.\d{4} будет 4 года\./,
      ],
      [
        noCertificate,
        /Для записи нужен сертификат: получите его на вкладке «Дети» кнопкой «Получить сертификат»/,
      ],
      [held, /подтвердите данные ребёнка лично/],
      [closed, /Сертификат ребёнка приостановлен или закрыт\. Обратитесь к муниципальному администратору/],
      [inGroup, /У ребёнка уже есть заявка в эту группу\./],
      [inProgram, /У ребёнка уже есть заявка на эту программу в группу «Вечерняя группа»\./],
    ];
    for (const [childId, reason] of reasons) {
      const radio = radioOf(html, childId);
      expect(radio.disabled, childId).toBe(true);
      expect(radio.hint).toMatch(reason);
    }
    expect(textOf(html)).toContain('Продолжить');
    expect(textOf(html)).not.toContain('Сейчас никого из детей нельзя записать');

    // The rule is the service's own: each child shown as disabled is refused when posted by hand.
    const token = csrfTokenOf(html);
    for (const [childId, reason] of reasons) {
      const before = await countApplications(childId);
      const posted = await who.client.post(`/groups/${groupId}/apply`, { _csrf: token, childId });
      expect(posted.status).toBe(400);
      const text = textOf(posted.body);
      expect(text).toContain('Заявка не подана.');
      expect(text).toMatch(new RegExp(reason.source.replace(/^\^Нельзя записать: /, '')));
      expect(text).not.toContain('Исправьте ошибки');
      expect(await countApplications(childId)).toBe(before);
      // …and never reaches the review step by a typed address.
      const typed = await who.client.get(`/groups/${groupId}/apply?childId=${childId}`);
      expect(textOf(typed.body)).not.toContain('Подтвердить запись');
    }
  });

  it('tells the limit of free programs of the education year before anything is sent', async () => {
    await setFreeLimit(1);
    try {
      const who = await parent();
      const first = await createOpenGroup(database.db, { organizationId });
      const second = await createOpenGroup(database.db, { organizationId });
      const byCertificate = await createOpenGroup(database.db, { organizationId, financing: 'certificate' });
      expect(
        await app.services.applications.apply({
          actorUserId: who.userId,
          ownerUserId: who.userId,
          channel: 'online',
          childId: who.childId,
          groupId: first.groupId,
        }),
      ).toMatchObject({ ok: true });
      const radio = radioOf((await who.client.get(`/groups/${second.groupId}/apply`)).body, who.childId);
      expect(radio.disabled).toBe(true);
      expect(radio.hint).toContain('В этом учебном году ребёнок уже записан на 1 из 1 бесплатных программ');
      // The limit counts free programs only.
      expect(
        radioOf((await who.client.get(`/groups/${byCertificate.groupId}/apply`)).body, who.childId),
      ).toMatchObject({
        disabled: false,
      });
    } finally {
      await setFreeLimit(null);
    }
  });

  it('says so when no child can apply, and what to do', async () => {
    const who = await parent();
    const { groupId } = await createOpenGroup(database.db, { organizationId, ageFrom: 15, ageTo: 17 });
    const html = (await who.client.get(`/groups/${groupId}/apply`)).body;
    const text = textOf(html);
    expect(text).toContain('Сейчас никого из детей нельзя записать в эту группу.');
    expect(text).toContain('Выберите в каталоге группу, которая подходит по возрасту');
    expect(text).not.toContain('Продолжить');
    expect(radioOf(html, who.childId).disabled).toBe(true);
  });

  it('says once when the group itself takes no applications', async () => {
    const who = await parent();
    const { groupId } = await createOpenGroup(database.db, {
      organizationId,
      enrolmentFromDays: -30,
      enrolmentToDays: -1,
    });
    const text = textOf((await who.client.get(`/groups/${groupId}/apply`)).body);
    expect(text).toMatch(/Приём заявок в эту группу закончился \d\d\.\d\d\.\d{4}\./);
    expect(text).not.toContain('Продолжить');
  });
});

describe('the review step', () => {
  it('shows the cost per month, who pays and the study start date', async () => {
    const who = await parent();
    const cases = [
      [{ financing: 'free' }, 'бесплатно', 'бюджет муниципалитета'],
      [{ financing: 'paid', monthlyCostOwn: 2500 }, '2 500 ₽ в месяц', 'семья (платная программа)'],
    ] as const;
    for (const [options, cost, payer] of cases) {
      const { groupId } = await createOpenGroup(database.db, { organizationId, ...options });
      const [group] = await queryRows(
        database.db,
        sql`select study_start::text as study_start from program_groups where id = ${groupId}`,
      );
      const review = await who.client.get(`/groups/${groupId}/apply?childId=${who.childId}`);
      expect(review.status).toBe(200);
      const text = textOf(review.body).replace(/\u00a0/g, ' ');
      expect(text).toContain('Проверьте заявку');
      expect(text).toContain(`Стоимость ${cost}`);
      expect(text).toContain(`Кто оплачивает ${payer}`);
      expect(text).toContain(`Начало занятий ${formatDate(String(group!.study_start))}`);
      expect(text).toContain('Подтвердить запись');
    }
  });

  it("refuses a certified program in the seed's words while the municipality does not fund certificates", async () => {
    const who = await parent();
    const { groupId } = await createOpenGroup(database.db, {
      organizationId,
      financing: 'certificate',
      monthlyCostCertificate: 800,
    });
    const review = await who.client.get(`/groups/${groupId}/apply?childId=${who.childId}`);
    const text = textOf(review.body);
    expect(text).toContain('В настоящее время финансирование сертификата не осуществляется');
    expect(text).not.toContain('Подтвердить запись');
  });
});

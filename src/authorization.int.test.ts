import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './app.js';
import { ACCESS_RULES, type RouteAccess } from './platform/http/access.js';
import type { Database } from './platform/db/client.js';
import { queryRows } from './platform/db/client.js';
import { createTestApp } from '../tests/support/app.js';
import { TestClient, csrfTokenOf } from '../tests/support/client.js';
import { createTestDatabase } from '../tests/support/database.js';
import { createOpenGroup, createOrganization, numberingOf } from '../tests/support/enrolment.js';
import { createStaffAccount } from './modules/accounts/service.js';
import { hashPassword } from './modules/accounts/password.js';
import { users } from './modules/accounts/schema.js';
import { programs } from './modules/programs/schema.js';
import { certificates } from './modules/certificates/schema.js';
import { children } from './modules/children/schema.js';
import { organizations } from './modules/organizations/schema.js';
import { supportRequests } from './modules/support/schema.js';
import { fundingContracts } from './modules/funding/schema.js';
import { periodOf } from './modules/funding/money.js';
import { regionToday } from './platform/views/format.js';

/**
 * The authorization matrix, generated from the app's own route table: every registered route × every kind of
 * person, on objects that belong to someone else. A route missing from EXPECTED fails the test, so a new route
 * cannot ship unchecked. Run with UPDATE_MATRIX_DOC=1 to rewrite docs/authorization-matrix.md from this table.
 *
 * Cells: O — let in (any answer but the ones below); L — sent to sign in (API: 401); F — refused by the route's
 * access rule (403 «Раздел недоступен» / `forbidden`); N — not found (404: the object is out of this person's reach,
 * and its existence is not revealed).
 */
const ACTORS = ['guest', 'parentA', 'parentB', 'orgS', 'orgD', 'adminS', 'adminD', 'coordinator'] as const;
type ActorName = (typeof ACTORS)[number];

const ACTOR_LABELS: Record<ActorName, string> = {
  guest: 'гость',
  parentA: 'родитель A',
  parentB: 'родитель B (владелец)',
  orgS: 'организация в Смоленске (группа её)',
  orgD: 'организация в Десногорске',
  adminS: 'мун. администратор Смоленска',
  adminD: 'мун. администратор Десногорска',
  coordinator: 'координатор',
};

// The objects: parent B's child, registered in Десногорск, applied to a group of the Смоленск organization,
// whose program (in Смоленск) is published — or waits for moderation on the moderation routes.
//                                     G A B s d S D C
const EVERYONE = /*                */ 'O O O O O O O O';
const SIGNED_IN = /*               */ 'L O O O O O O O';
const OWNER_ONLY = /*              */ 'L N O N N N N N';
const ANY_STAFF = /*               */ 'L F F O O O O O';
const ADMINS = /*                  */ 'L F F F F O O O';
const ADMINS_OF_CHILD = /*         */ 'L F F F F N O O';
const ADMINS_OF_PROGRAM = /*       */ 'L F F F F O N O';
const COORDINATOR = /*             */ 'L F F F F F F O';
const ORG_STAFF = /*               */ 'L F F O O F F F';
const ORG_OF_OBJECT = /*           */ 'L F F O N F F F';
const NOBODY_FINDS = /*            */ 'N N N N N N N N';
const ADMINS_OF_DESNOGORSK = /*    */ 'L F F F F N O O';
const CONTRACT_READERS = /*        */ 'L F F O N N O O';
// A register named by the query: without one, nobody's register is found.
const ADMINS_FIND_NONE = /*        */ 'L F F F F N N N';
const STAFF_FIND_NONE = /*         */ 'L F F N N N N N';
// The coordinator's door, on a program that is not certified (the world's is free): not found.
const COORDINATOR_NOT_CERTIFIED = /**/ 'L F F F F F F N';

const EXPECTED: Record<string, string> = {
  'GET /static/*': EVERYONE,
  'GET /healthz': EVERYONE,
  'GET /readyz': EVERYONE,
  'GET /': EVERYONE,
  'GET /low-vision': EVERYONE,
  'POST /low-vision': EVERYONE,
  'GET /programs': EVERYONE,
  'GET /programs.csv': EVERYONE,
  'GET /programs/places': EVERYONE,
  'GET /programs/:id': EVERYONE,
  'GET /organizations': EVERYONE,
  'GET /organizations/:id': EVERYONE,
  'GET /privacy': EVERYONE,
  'GET /terms': EVERYONE,
  'GET /help': EVERYONE,
  'GET /contacts': EVERYONE,
  'GET /register': EVERYONE,
  'POST /register': EVERYONE,
  'GET /register/check-email': EVERYONE,
  'POST /register/resend': EVERYONE,
  'GET /verify/email': EVERYONE,
  'POST /verify/email/resend': SIGNED_IN,
  'GET /login': EVERYONE,
  'POST /login': EVERYONE,
  'POST /logout': EVERYONE,
  'GET /password/forgot': EVERYONE,
  'POST /password/forgot': EVERYONE,
  'GET /password/forgot/sent': EVERYONE,
  'GET /password/reset': EVERYONE,
  'POST /password/reset': EVERYONE,
  'GET /cabinet': SIGNED_IN,
  'GET /cabinet/profile': SIGNED_IN,
  'POST /cabinet/profile': SIGNED_IN,
  'GET /cabinet/password': SIGNED_IN,
  'POST /cabinet/password': SIGNED_IN,
  'GET /cabinet/email': SIGNED_IN,
  'POST /cabinet/email': SIGNED_IN,
  'GET /email/undo': EVERYONE,
  'POST /email/undo': EVERYONE,
  'POST /api/v1/accounts': EVERYONE,
  'POST /api/v1/accounts/confirmation': EVERYONE,
  'POST /api/v1/accounts/verify-email': EVERYONE,
  'POST /api/v1/session': EVERYONE,
  'DELETE /api/v1/session': EVERYONE,
  'GET /api/v1/me': SIGNED_IN,
  'PATCH /api/v1/me': SIGNED_IN,
  'POST /api/v1/me/password': SIGNED_IN,
  'POST /api/v1/me/email': SIGNED_IN,
  'POST /api/v1/password/forgot': EVERYONE,
  'POST /api/v1/password/reset': EVERYONE,
  'GET /cabinet/children': SIGNED_IN,
  'GET /cabinet/children/new': SIGNED_IN,
  'POST /cabinet/children': SIGNED_IN,
  'GET /cabinet/children/:id/edit': OWNER_ONLY,
  'POST /cabinet/children/:id': OWNER_ONLY,
  'GET /cabinet/children/:id/delete': OWNER_ONLY,
  'POST /cabinet/children/:id/delete': OWNER_ONLY,
  'POST /cabinet/children/:id/certificate': OWNER_ONLY,
  'GET /cabinet/children/:id/confirm': OWNER_ONLY,
  'GET /cabinet/children/:id/funding': OWNER_ONLY,
  'POST /cabinet/children/:id/funding': OWNER_ONLY,
  'GET /cabinet/contracts': SIGNED_IN,
  'GET /cabinet/contracts/:id': OWNER_ONLY,
  'GET /cabinet/contracts/:id/pdf': OWNER_ONLY,
  'POST /cabinet/contracts/:id/accept': OWNER_ONLY,
  'POST /cabinet/contracts/:id/decline': OWNER_ONLY,
  'POST /cabinet/contracts/:id/terminate': OWNER_ONLY,
  'GET /staff/contracts': ANY_STAFF,
  'GET /staff/contracts/:id': CONTRACT_READERS,
  'GET /staff/contracts/:id/pdf': CONTRACT_READERS,
  'POST /staff/contracts/:id/confirm': ORG_OF_OBJECT,
  'POST /staff/contracts/:id/terminate': ORG_OF_OBJECT,
  'GET /staff/funding': ADMINS,
  'GET /staff/funding/registers': ANY_STAFF,
  'GET /staff/funding/registers/export.xlsx': STAFF_FIND_NONE,
  'POST /staff/funding/registers/status': ADMINS_FIND_NONE,
  'GET /staff/org/completeness': ORG_STAFF,
  'POST /staff/org/completeness': ORG_STAFF,
  'GET /staff/org/completeness.xlsx': ORG_STAFF,
  'POST /staff/org/completeness/upload': ORG_STAFF,
  'GET /staff/funding/normative': COORDINATOR,
  'GET /staff/funding/normative/:programId': COORDINATOR_NOT_CERTIFIED,
  'POST /staff/funding/normative/:programId': COORDINATOR_NOT_CERTIFIED,
  'GET /staff/funding/:id': ADMINS_OF_DESNOGORSK,
  'POST /staff/funding/:id/period': ADMINS_OF_DESNOGORSK,
  'POST /staff/funding/:id/next-period': ADMINS_OF_DESNOGORSK,
  'GET /staff/funding/:id/categories/:categoryId': ADMINS_OF_DESNOGORSK,
  'POST /staff/funding/:id/categories/:categoryId': ADMINS_OF_DESNOGORSK,
  'GET /staff': ANY_STAFF,
  'GET /staff/search': ADMINS,
  'POST /staff/search': ADMINS,
  'GET /staff/children': ADMINS,
  'GET /staff/matches': ADMINS,
  'GET /staff/children/:id': ADMINS_OF_CHILD,
  'POST /staff/children/:id/confirm': ADMINS_OF_CHILD,
  'POST /staff/children/:id/reject': ADMINS_OF_CHILD,
  'GET /staff/support': ADMINS,
  'GET /staff/support/accounts/:id': ADMINS_OF_DESNOGORSK,
  'POST /staff/support/accounts/:id/resend-confirmation': ADMINS_OF_DESNOGORSK,
  'POST /staff/support/accounts/:id/email': ADMINS_OF_DESNOGORSK,
  'POST /staff/support/accounts/:id/confirm-email': ADMINS_OF_DESNOGORSK,
  'POST /staff/support/accounts/:id/unlock': ADMINS_OF_DESNOGORSK,
  'POST /staff/support/accounts/:id/password-reset': ADMINS_OF_DESNOGORSK,
  'GET /staff/support/requests': ADMINS,
  'GET /staff/support/requests/:id': ADMINS_OF_DESNOGORSK,
  'POST /staff/support/requests/:id/answer': ADMINS_OF_DESNOGORSK,
  'POST /staff/support/requests/:id/status': ADMINS_OF_DESNOGORSK,
  'GET /support/ask': EVERYONE,
  'POST /support/ask': EVERYONE,
  'GET /support/ask/sent': EVERYONE,
  'GET /staff/organizations': ADMINS,
  'GET /staff/organizations/new': ADMINS,
  'POST /staff/organizations': ADMINS,
  'GET /staff/organizations/:id': ADMINS_OF_PROGRAM,
  'GET /staff/organizations/:id/edit': ADMINS_OF_PROGRAM,
  'POST /staff/organizations/:id': ADMINS_OF_PROGRAM,
  'POST /staff/organizations/:id/staff': ADMINS_OF_PROGRAM,
  'POST /staff/organizations/:id/archive': ADMINS_OF_PROGRAM,
  'POST /staff/organizations/:id/restore': ADMINS_OF_PROGRAM,
  'GET /staff/people': ADMINS,
  'POST /staff/people': ADMINS,
  'GET /staff/municipalities': ADMINS,
  'GET /staff/municipalities/region': COORDINATOR,
  'POST /staff/municipalities/region': COORDINATOR,
  'GET /staff/municipalities/:id': ADMINS_OF_DESNOGORSK,
  'POST /staff/municipalities/:id': ADMINS_OF_DESNOGORSK,
  'GET /staff/reports': ADMINS,
  'GET /staff/reports/population': COORDINATOR,
  'POST /staff/reports/population': COORDINATOR,
  'POST /staff/reports/programs/refresh': ADMINS,
  'GET /staff/reports/:report': ADMINS,
  'GET /staff/reports/:report/export.csv': ADMINS,
  'GET /staff/reports/:report/export.xlsx': ADMINS,
  'GET /staff/search-synonyms': COORDINATOR,
  'POST /staff/search-synonyms': COORDINATOR,
  'GET /staff/search-synonyms/:id': COORDINATOR,
  'POST /staff/search-synonyms/:id': COORDINATOR,
  'POST /staff/search-synonyms/:id/delete': COORDINATOR,
  'GET /staff/org': ORG_STAFF,
  'GET /staff/org/profile': ORG_STAFF,
  'POST /staff/org/profile': ORG_STAFF,
  'GET /staff/org/programs/new': ORG_STAFF,
  'POST /staff/org/programs': ORG_STAFF,
  'GET /staff/org/programs/:id': ORG_OF_OBJECT,
  'GET /staff/org/programs/:id/edit': ORG_OF_OBJECT,
  'POST /staff/org/programs/:id': ORG_OF_OBJECT,
  'POST /staff/org/programs/:id/submit': ORG_OF_OBJECT,
  'POST /staff/org/programs/:id/archive': ORG_OF_OBJECT,
  'POST /staff/org/programs/:id/restore': ORG_OF_OBJECT,
  'GET /staff/org/programs/:id/groups/new': ORG_OF_OBJECT,
  'POST /staff/org/programs/:id/groups': ORG_OF_OBJECT,
  'GET /staff/org/programs/:id/groups/:groupId': ORG_OF_OBJECT,
  'POST /staff/org/programs/:id/groups/:groupId': ORG_OF_OBJECT,
  'POST /staff/org/programs/:id/groups/:groupId/delete': ORG_OF_OBJECT,
  'GET /staff/org/import': ORG_STAFF,
  'GET /staff/org/import/template.xlsx': ORG_STAFF,
  'POST /staff/org/import': ORG_STAFF,
  'GET /staff/moderation': ADMINS,
  'GET /staff/moderation/:id': ADMINS_OF_PROGRAM,
  'POST /staff/moderation/:id/publish': ADMINS_OF_PROGRAM,
  'POST /staff/moderation/:id/archive': ADMINS_OF_PROGRAM,
  'POST /staff/moderation/:id/return': ADMINS_OF_PROGRAM,
  'GET /api/v1/children': SIGNED_IN,
  'POST /api/v1/children': SIGNED_IN,
  'PATCH /api/v1/children/:id': OWNER_ONLY,
  'DELETE /api/v1/children/:id': OWNER_ONLY,
  'POST /api/v1/children/:id/certificate': OWNER_ONLY,
  'GET /api/v1/children/:id/funding': OWNER_ONLY,
  'GET /api/v1/contracts': SIGNED_IN,
  'GET /api/v1/contracts/:id': OWNER_ONLY,
  'POST /api/v1/staff/search': ADMINS,
  'GET /api/v1/staff/children/:id': ADMINS_OF_CHILD,
  'POST /api/v1/staff/children/:id/confirm': ADMINS_OF_CHILD,
  'POST /api/v1/staff/children/:id/reject': ADMINS_OF_CHILD,
  'GET /api/v1/programs': EVERYONE,
  'GET /api/v1/programs/places': EVERYONE,
  'GET /api/v1/programs/:id': EVERYONE,
  'GET /api/v1/organizations': EVERYONE,
  'GET /api/v1/organizations/:id': EVERYONE,
  'GET /groups/:id/apply': EVERYONE,
  'POST /groups/:id/apply': SIGNED_IN,
  'GET /cabinet/applications': SIGNED_IN,
  'GET /cabinet/applications/:id': OWNER_ONLY,
  'GET /cabinet/applications/:id/:action': OWNER_ONLY,
  'POST /cabinet/applications/:id/:action': OWNER_ONLY,
  'GET /staff/org/applications': ORG_STAFF,
  'POST /staff/org/applications/accept': ORG_STAFF,
  'GET /staff/org/applications/new': ORG_STAFF,
  'POST /staff/org/applications/new': ORG_STAFF,
  'GET /staff/org/applications/:id': ORG_OF_OBJECT,
  'POST /staff/org/applications/:id/confirm-child': ORG_OF_OBJECT,
  'POST /staff/org/applications/:id/:action': ORG_OF_OBJECT,
  'GET /staff/org/groups/:id/roster': ORG_OF_OBJECT,
  'POST /staff/org/groups/:id/auto-accept': ORG_OF_OBJECT,
  'GET /staff/org/groups/:id/roster.xlsx': ORG_OF_OBJECT,
  'GET /api/v1/applications': SIGNED_IN,
  'POST /api/v1/applications': SIGNED_IN,
  'GET /api/v1/applications/:id': OWNER_ONLY,
  'POST /api/v1/applications/:id/:action': OWNER_ONLY,
  'GET /cabinet/notices': SIGNED_IN,
  'POST /cabinet/notices/read-all': SIGNED_IN,
  'POST /cabinet/notices/:id/read': OWNER_ONLY,
  'GET /api/v1/notices': SIGNED_IN,
  'POST /api/v1/notices/read-all': SIGNED_IN,
  'POST /api/v1/notices/:id/read': OWNER_ONLY,
  'GET /api/v1/openapi.json': EVERYONE,
  'GET /api/v1/municipalities': EVERYONE,
  'GET /dev/mail': EVERYONE,
  // The development mailbox has no letter with a random id.
  'GET /dev/mail/:id': NOBODY_FINDS,
  'GET /dev/mail/:id/html': NOBODY_FINDS,
};

/** Objects made afresh for every cell, so that one person's allowed action never changes another's cell. */
interface World {
  programId: string;
  groupId: string;
  childId: string;
  applicationId: string;
  noticeId: string;
  contractId: string;
}

const PASSWORD = 'Матрица-доступа-2026';
let database: Database;
let app: App;
let organizationS: string;
let organizationD: string;
/** Parent B's question, routed to Десногорск. */
let supportRequestId: string;
const clients = {} as Record<ActorName, TestClient>;
const userIds = {} as Partial<Record<ActorName, string>>;

async function signIn(name: ActorName, index: number): Promise<TestClient> {
  const client = new TestClient(app.http, `198.51.100.${index + 1}`);
  if (name === 'guest') return client;
  const response = await client.submit('/login', {
    email: `${name.toLowerCase()}@matrix.example.ru`,
    password: PASSWORD,
  });
  expect(response.status, `${name} signs in`).toBe(303);
  return client;
}

async function signInEveryone() {
  for (const [index, name] of ACTORS.entries()) clients[name] = await signIn(name, index);
}

async function createParent(name: ActorName, municipalityId: number) {
  const [user] = await database.db
    .insert(users)
    .values({
      email: `${name.toLowerCase()}@matrix.example.ru`,
      emailVerifiedAt: new Date(),
      passwordHash: await hashPassword(PASSWORD),
      lastName: 'Родителева',
      firstName: 'Ольга',
      phone: '+79001112233',
      municipalityId,
      applicantKind: 'parent',
    })
    .returning({ id: users.id });
  userIds[name] = user!.id;
}

async function createWorld(moderation: boolean): Promise<World> {
  const { programId, groupId } = await createOpenGroup(database.db, { organizationId: organizationS });
  const birthYear = new Date().getFullYear() - 10;
  const [child] = await database.db
    .insert(children)
    .values({
      ownerUserId: userIds.parentB!,
      lastName: 'Петров',
      firstName: 'Глеб',
      middleName: 'Ильич',
      birthDate: `${birthYear}-05-20`,
      sex: 'male',
      documentType: 'birth_certificate',
      documentSeries: 'II-МП',
      documentNumber: String(100000 + Math.floor(Math.random() * 899999)),
      documentIssuedAt: `${birthYear}-06-01`,
      documentIssuedBy: 'Отдел ЗАГС г. Десногорска',
      municipalityId: 2,
      registrationAddress: 'г. Десногорск, мкр. 2, д. 5, кв. 7',
      identityKey: `петров|глеб|ильич|${birthYear}-05-20|${randomUUID()}`,
    })
    .returning({ id: children.id, identityKey: children.identityKey });
  const [serial] = await queryRows(database.db, sql`select nextval('certificate_serial_seq') as serial`);
  const [certificate] = await database.db
    .insert(certificates)
    .values({
      childId: child!.id,
      number: (await numberingOf(database.db))(Number(serial!.serial)),
      holderKey: child!.identityKey,
      status: 'awaiting_confirmation',
      validUntil: `${birthYear + 18}-05-19`,
    })
    .returning({ id: certificates.id });
  const filed = await app.services.applications.apply({
    actorUserId: userIds.parentB!,
    ownerUserId: userIds.parentB!,
    channel: 'online',
    childId: child!.id,
    groupId,
  });
  if (!filed.ok) throw new Error(`the world's application was refused: ${filed.message}`);
  if (moderation)
    await database.db.update(programs).set({ status: 'moderation' }).where(eq(programs.id, programId));
  // Parent B's notice about the application (the notifying job would write the same).
  const [notice] = await queryRows(
    database.db,
    sql`insert into application_notices (event_id, user_id, application_id, text)
        select e.id, ${userIds.parentB!}, e.application_id, 'Заявка подана.' from application_events e
         where e.application_id = ${filed.id} on conflict (event_id) do nothing returning id`,
  );
  const noticeId = notice
    ? String(notice.id)
    : String(
        (
          await queryRows(
            database.db,
            sql`select id from application_notices where application_id = ${filed.id}`,
          )
        )[0]!.id,
      );
  // Parent B's contract with organization S, paid by Десногорск (as an acceptance would make it).
  const period = periodOf(regionToday());
  const [fundingPeriod] = await queryRows(
    database.db,
    sql`insert into funding_periods (municipality_id, starts_on, ends_on) values (2, ${period.startsOn}, ${period.endsOn})
        on conflict (municipality_id, starts_on) do update set updated_at = now() returning id`,
  );
  const [contract] = await database.db
    .insert(fundingContracts)
    .values({
      number: `matrix-${randomUUID()}`,
      applicationId: filed.id,
      certificateId: certificate!.id,
      periodId: String(fundingPeriod!.id),
      municipalityId: 2,
      organizationId: organizationS,
      programId,
      groupId,
      childId: child!.id,
      parentUserId: userIds.parentB!,
      startsOn: period.startsOn,
      endsOn: period.endsOn,
      priceKopecks: 80_000,
      certificateKopecks: 0,
      familyKopecks: 80_000,
      months: [{ month: period.startsOn, certificateKopecks: 0, familyKopecks: 80_000 }],
    })
    .returning({ id: fundingContracts.id });
  return {
    programId,
    groupId,
    childId: child!.id,
    applicationId: filed.id,
    noticeId,
    contractId: contract!.id,
  };
}

/** A concrete URL for a route pattern, pointing at this cell's objects. */
function urlFor(route: RouteAccess, world: World | null): string {
  const path = route.url;
  if (path === '/static/*') return '/static/app.css';
  if (!world) return path;
  const idFor = (): string => {
    if (/^\/(cabinet|api\/v1)\/children\/|^\/(api\/v1\/)?staff\/children\//.test(path)) return world.childId;
    if (/applications\/:id/.test(path)) return world.applicationId;
    if (/notices\/:id/.test(path)) return world.noticeId;
    if (/contracts\/:id/.test(path)) return world.contractId;
    if (/^\/groups\/|\/staff\/org\/groups\//.test(path)) return world.groupId;
    if (/^\/(api\/v1\/)?programs\/|\/staff\/org\/programs\/|\/staff\/moderation\//.test(path))
      return world.programId;
    if (/organizations\/:id/.test(path)) return organizationS;
    if (/^\/staff\/support\/accounts\//.test(path)) return userIds.parentB!;
    if (/^\/staff\/support\/requests\//.test(path)) return supportRequestId;
    if (/funding\/normative\/:programId/.test(path)) return world.programId;
    if (/municipalities\/:id|staff\/funding\/:id/.test(path)) return '2';
    if (/search-synonyms\/:id/.test(path)) return '1'; // seeded by the migration (0016)
    if (/^\/staff\/reports\//.test(path)) return 'no-id'; // a report is named, not numbered
    if (/^\/dev\/mail\//.test(path)) return 'no-such-letter';
    throw new Error(`No object for ${route.method} ${path}: teach urlFor about it`);
  };
  const action = path.startsWith('/staff/org/applications/') ? 'accept' : 'cancel';
  return path
    .replace(':groupId', world.groupId)
    .replace(':categoryId', 'new')
    .replace(':report', 'certificates')
    .replace(':programId', world.programId)
    .replace(':id', idFor())
    .replace(':action', action);
}

/** What one person gets from one request, as a cell letter (E for a server error, or the status otherwise). */
async function outcome(client: TestClient, method: string, url: string): Promise<string> {
  const api = url.startsWith('/api/');
  let status: number;
  let location: string | undefined;
  let body: string;
  if (method === 'GET') {
    ({ status, location, body } = await client.get(url));
  } else if (api) {
    const response = await app.http.inject({
      method: method as 'POST',
      url,
      remoteAddress: '198.51.100.200',
      headers: {
        cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
      },
      ...(method === 'DELETE' ? {} : { payload: '{}' }),
    });
    ({ statusCode: status, body } = response);
  } else {
    const form = await client.get('/password/forgot');
    ({ status, location, body } = await client.post(url, { _csrf: csrfTokenOf(form.body) }));
  }
  if (status >= 500) return 'E';
  if (status === 401 || (status === 303 && location?.startsWith('/login'))) return 'L';
  if (status === 403) {
    const refusedByRule = api ? body.includes('"error":"forbidden"') : body.includes('Раздел недоступен');
    return refusedByRule ? 'F' : '403';
  }
  if (status === 404) return 'N';
  return 'O';
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  await app.http.ready();
  organizationS = await createOrganization(database.db, 'Дом творчества «Смоленские узоры»');
  organizationD = await createOrganization(database.db, 'Центр «Десна»');
  await database.db
    .update(organizations)
    .set({ municipalityId: 2 })
    .where(eq(organizations.id, organizationD));
  const staff = {
    orgS: { role: 'org_staff', municipalityId: 1, organizationId: organizationS },
    orgD: { role: 'org_staff', municipalityId: 2, organizationId: organizationD },
    adminS: { role: 'municipal_admin', municipalityId: 1 },
    adminD: { role: 'municipal_admin', municipalityId: 2 },
    coordinator: { role: 'coordinator' },
  } as const;
  for (const [name, role] of Object.entries(staff)) {
    await createStaffAccount(database, {
      ...role,
      email: `${name.toLowerCase()}@matrix.example.ru`,
      password: PASSWORD,
      lastName: 'Сотрудникова',
      firstName: 'Анна',
    });
  }
  await createParent('parentA', 1);
  await createParent('parentB', 2);
  const [question] = await database.db
    .insert(supportRequests)
    .values({
      municipalityId: 2,
      userId: userIds.parentB!,
      email: 'parentb@matrix.example.ru',
      topic: 'letter',
      text: 'Письмо не пришло',
    })
    .returning({ id: supportRequests.id });
  supportRequestId = question!.id;
  await signInEveryone();
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('the authorization matrix', () => {
  it('lists every registered route, and every declared rule is known', () => {
    const registered = app.http.routeAccess.map((route) => `${route.method} ${route.url}`);
    const missing = registered.filter((key) => !(key in EXPECTED));
    const stale = Object.keys(EXPECTED).filter((key) => !registered.includes(key));
    expect(missing, 'routes without a row in EXPECTED').toEqual([]);
    expect(stale, 'rows of EXPECTED for routes that no longer exist').toEqual([]);
    for (const route of app.http.routeAccess) expect(Object.keys(ACCESS_RULES)).toContain(route.access);
  });

  it('every route × every person answers as the table says, on objects of someone else', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    for (const route of app.http.routeAccess) {
      const row = EXPECTED[`${route.method} ${route.url}`]!.split(' ');
      for (const [index, actor] of ACTORS.entries()) {
        const world = route.url.includes(':')
          ? await createWorld(route.url.startsWith('/staff/moderation/'))
          : null;
        const got = await outcome(clients[actor], route.method, urlFor(route, world));
        cells++;
        if (got !== row[index]) {
          mismatches.push(`${route.method} ${route.url} as ${actor}: expected ${row[index]}, got ${got}`);
        }
      }
      // Signing out ends the session the next routes need.
      if (route.url === '/logout' || (route.url === '/api/v1/session' && route.method === 'DELETE')) {
        await signInEveryone();
      }
    }
    console.log(
      `authorization matrix: ${app.http.routeAccess.length} routes × ${ACTORS.length} people = ${cells} cells`,
    );
    expect(mismatches).toEqual([]);
    if (process.env.UPDATE_MATRIX_DOC) writeMatrixDoc(app.http.routeAccess);
  }, 600_000);
});

function writeMatrixDoc(routes: RouteAccess[]) {
  const header = `| маршрут | правило | ${ACTORS.map((actor) => ACTOR_LABELS[actor]).join(' | ')} |`;
  const lines = routes.map(
    (route) =>
      `| \`${route.method} ${route.url}\` | ${route.access} | ${EXPECTED[`${route.method} ${route.url}`]!.split(' ').join(' | ')} |`,
  );
  const doc = [
    '# Authorization matrix',
    '',
    'Generated by `npm run docs:matrix` from the route table and the expected outcomes that',
    '`src/authorization.int.test.ts` checks on both databases. O — let in; L — sent to sign in (API 401);',
    'F — refused by the route rule (403); N — not found (404, the object is out of reach). The objects belong to',
    'parent B: a child registered in Десногорск, applied to a group of the Смоленск organization.',
    '',
    '| правило | кто |',
    '| --- | --- |',
    ...Object.entries(ACCESS_RULES).map(([rule, who]) => `| ${rule} | ${who} |`),
    '',
    header,
    `| --- | --- | ${ACTORS.map(() => '---').join(' | ')} |`,
    ...lines,
    '',
  ].join('\n');
  fs.writeFileSync(new URL('../docs/authorization-matrix.md', import.meta.url), doc);
}

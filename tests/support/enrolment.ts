import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/platform/db/client.js';
import { queryRows } from '../../src/platform/db/client.js';
import { regionToday } from '../../src/platform/views/format.js';
import { users } from '../../src/modules/accounts/schema.js';
import { groupPlaces } from '../../src/modules/applications/schema.js';
import type { ApplicationsService } from '../../src/modules/applications/index.js';
import { programGroups, programs } from '../../src/modules/programs/schema.js';
import { certificateNumbering } from '../../src/modules/certificates/number.js';
import { ensureCertificateNumberKey } from '../../src/modules/certificates/service.js';
import { certificates } from '../../src/modules/certificates/schema.js';
import { children } from '../../src/modules/children/schema.js';
import { organizations } from '../../src/modules/organizations/schema.js';
import { isoInYear } from './dates.js';

/** Data for applications' tests and the rush benchmark: organizations, open groups, families with certificates. */

const shiftDays = (days: number) => regionToday(new Date(Date.now() + days * 86_400_000));

export async function createOrganization(
  db: Db,
  name = 'Центр детского творчества «Радуга»',
  municipalityId = 1,
): Promise<string> {
  const [row] = await db
    .insert(organizations)
    .values({
      municipalityId,
      name: `Муниципальное бюджетное учреждение дополнительного образования ${name}`,
      shortName: name,
      kind: 'Муниципальное бюджетное учреждение дополнительного образования',
      address: 'г. Смоленск, ул. Ленина, д. 1',
      phone: '+7 4812 00-00-00',
    })
    .returning({ id: organizations.id });
  return row!.id;
}

export interface GroupOptions {
  organizationId: string;
  capacity?: number;
  /** The way of paying, as its usual registry (certificate → сертифицированные, free → иные, paid → платные). */
  financing?: 'free' | 'certificate' | 'paid';
  registry?: 'certified' | 'significant' | 'preprofessional' | 'other' | 'paid';
  status?: 'published' | 'draft';
  ageFrom?: number;
  ageTo?: number;
  autoAccept?: boolean;
  /** Days from today; the window is open by default. */
  enrolmentFromDays?: number;
  enrolmentToDays?: number;
  programName?: string;
  groupName?: string;
  /** Another group of this program instead of a new program. */
  programId?: string;
  monthlyCostCertificate?: number;
  monthlyCostOwn?: number;
}

/** A published program with one group whose enrolment is open today. */
export async function createOpenGroup(
  db: Db,
  options: GroupOptions,
): Promise<{ programId: string; groupId: string }> {
  const programId = options.programId ?? randomUUID();
  if (!options.programId)
    await db.insert(programs).values({
      id: programId,
      organizationId: options.organizationId,
      municipalityId: 1,
      directionId: 1,
      name: options.programName ?? 'Робототехника для начинающих',
      description: 'Собираем и программируем роботов.',
      ageFrom: options.ageFrom ?? 5,
      ageTo: options.ageTo ?? 17,
      level: 'start',
      durationMonths: 9,
      hoursTotal: 72,
      format: 'in_person',
      ovzCategories: [],
      registry:
        options.registry ??
        ({ free: 'other', certificate: 'certified', paid: 'paid' } as const)[options.financing ?? 'free'],
      status: options.status ?? 'published',
    });
  const [group] = await db
    .insert(programGroups)
    .values({
      programId,
      name: options.groupName ?? 'Группа 1',
      teacher: 'Орлова Ирина Павловна',
      address: 'г. Смоленск, ул. Ленина, д. 1, каб. 12',
      schedule: [{ weekday: 2, start: '16:00', end: '17:30' }],
      lessonMinutes: 45,
      ageFrom: options.ageFrom ?? 5,
      ageTo: options.ageTo ?? 17,
      enrolmentFrom: shiftDays(options.enrolmentFromDays ?? -10),
      enrolmentTo: shiftDays(options.enrolmentToDays ?? 30),
      studyStart: shiftDays(40),
      studyEnd: shiftDays(300),
      monthlyCostCertificate: options.monthlyCostCertificate ?? null,
      monthlyCostOwn: options.monthlyCostOwn ?? null,
    })
    .returning({ id: programGroups.id });
  await db.insert(groupPlaces).values({
    groupId: group!.id,
    capacity: options.capacity ?? 20,
    autoAccept: options.autoAccept ?? false,
  });
  return { programId, groupId: group!.id };
}

export interface FamilyOptions {
  email: string;
  passwordHash?: string;
  emailVerified?: boolean;
  /** Null: the child has no certificate yet. */
  certificate?: 'active' | 'awaiting_confirmation' | 'suspended' | null;
  birthDate?: string;
  childFirstName?: string;
  childLastName?: string;
}

export interface Family {
  userId: string;
  childId: string;
  certificateNumber: string | null;
}

const numberings = new Map<string, (serial: number) => string>();
/** The database's own numbering, so numbers made here never meet the ones the app issues. */
export async function numberingOf(db: Db) {
  const key = await ensureCertificateNumberKey(db);
  if (!numberings.has(key)) numberings.set(key, certificateNumbering(key));
  return numberings.get(key)!;
}

/** A parent's account with one child (and by default an active certificate). */
export async function createFamily(db: Db, options: FamilyOptions): Promise<Family> {
  const [user] = await db
    .insert(users)
    .values({
      email: options.email,
      emailVerifiedAt: options.emailVerified === false ? null : new Date(),
      passwordHash: options.passwordHash ?? 'not-a-hash',
      lastName: 'Иванова',
      firstName: 'Мария',
      middleName: 'Петровна',
      phone: '+79001112233',
      municipalityId: 1,
      applicantKind: 'parent',
    })
    .returning({ id: users.id });
  const { childId, certificateNumber } = await createChild(db, user!.id, options);
  return { userId: user!.id, childId, certificateNumber };
}

export type ChildOptions = Pick<
  FamilyOptions,
  'certificate' | 'birthDate' | 'childFirstName' | 'childLastName'
> & {
  /** Defaults from the certificate: confirmed with an active one, unconfirmed otherwise. */
  dataStatus?: 'unconfirmed' | 'confirmed' | 'rejected';
};

/** One more child in a parent's account (by default with an active certificate). */
export async function createChild(
  db: Db,
  userId: string,
  options: ChildOptions = {},
): Promise<{ childId: string; certificateNumber: string | null }> {
  const firstName = options.childFirstName ?? 'Анна';
  const lastName = options.childLastName ?? 'Иванова';
  const birthDate = options.birthDate ?? isoInYear(11, '03-14');
  const [child] = await db
    .insert(children)
    .values({
      ownerUserId: userId,
      lastName,
      firstName,
      middleName: 'Сергеевна',
      birthDate,
      sex: 'female',
      documentType: 'birth_certificate',
      documentSeries: 'I-МП',
      documentNumber: String(100000 + Math.floor(Math.random() * 899999)),
      documentIssuedAt: isoInYear(11, '04-01'),
      documentIssuedBy: 'Отдел ЗАГС г. Смоленска',
      municipalityId: 1,
      registrationAddress: 'г. Смоленск, ул. Ленина, д. 2, кв. 3',
      identityKey: `${lastName.toLowerCase()}|${firstName.toLowerCase()}|сергеевна|${birthDate}|${randomUUID()}`,
      dataStatus:
        options.dataStatus ??
        (options.certificate === 'active' || options.certificate === undefined ? 'confirmed' : 'unconfirmed'),
    })
    .returning({ id: children.id, identityKey: children.identityKey });
  let certificateNumber: string | null = null;
  if (options.certificate !== null) {
    const [serial] = await queryRows(db, sql`select nextval('certificate_serial_seq') as serial`);
    certificateNumber = (await numberingOf(db))(Number(serial!.serial));
    await db.insert(certificates).values({
      childId: child!.id,
      number: certificateNumber,
      status: options.certificate ?? 'active',
      validUntil: isoInYear(11 - 18, '03-13'),
      holderKey: child!.identityKey,
    });
  }
  return { childId: child!.id, certificateNumber };
}

/** The family's parent files an application for its child online, through the service; a refusal throws. */
export async function applyOnline(
  applications: Pick<ApplicationsService, 'apply'>,
  family: Pick<Family, 'userId' | 'childId'>,
  groupId: string,
) {
  const filed = await applications.apply({
    actorUserId: family.userId,
    ownerUserId: family.userId,
    channel: 'online',
    childId: family.childId,
    groupId,
  });
  if (!filed.ok) throw new Error(filed.message);
  return filed;
}

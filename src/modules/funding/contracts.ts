import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { authorize, type Actor } from '../../platform/access/policy.js';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import type { Database, Tx } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/client.js';
import { officialName, type PersonName } from '../../platform/grammar/index.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { renderEmail } from '../../platform/mail/template.js';
import { REGION } from '../../platform/region.js';
import { formatDate, regionToday } from '../../platform/views/format.js';
import { municipalityName } from '../reference/index.js';
import { contractSplit, formatRoubles, periodOf, sumsOf } from './money.js';
import { monthAccruals, type MonthAccrual } from './month-accruals.js';
import { contractPolicy, type ContractFacts } from './contract-policy.js';
import { contractSpan } from './quote.js';
import { normativeCostIn } from './quotes.js';
import { fundingAccruals, fundingContracts, fundingLedger, fundingPeriods } from './schema.js';

/*
 * Contracts as offers (ADR 0034). Pure terms first (working days, months, numbers), then the service: the port the
 * applications module calls when an application is accepted or leaves, the transitions, the expiry job.
 */

export type Contract = typeof fundingContracts.$inferSelect;
export type ContractStatus = Contract['status'];

export const CONTRACT_STATUS_LABELS: Record<ContractStatus, string> = {
  created: 'Создан, ожидает подтверждения',
  confirmed: 'Подтверждён, ожидает заключения',
  active: 'Действует',
  declined: 'Отклонён без заключения',
  terminated: 'Прекратил действие',
};

/** How many working days the parent has to accept an offer (pfdo.ru's default). */
export const OFFER_WORKING_DAYS = 5;

export const OFFER_EXPIRED_REASON = 'Оферта отозвана в связи с превышением сроков акцепта';
export const PERIOD_ENDED_REASON = 'Окончание срока действия договора';
export const PARENT_DECLINED_REASON = 'Заказчик отказался от заключения договора';
export const PARENT_NOTICE_REASON = 'Уведомление заказчика о расторжении договора';

/** The provider's statutory grounds to end a contract early (the issue's list). */
export const TERMINATION_REASONS = {
  payment_overdue: 'Просрочка оплаты',
  expulsion:
    'Применение к обучающемуся, достигшему возраста 15 лет, отчисления как меры дисциплинарного взыскания',
  unlawful_enrolment:
    'Установление нарушения порядка приёма, повлёкшего по вине обучающегося его незаконное зачисление',
  impossible:
    'Невозможность надлежащего исполнения обязательств вследствие действий (бездействия) обучающегося',
  force_majeure: 'Обстоятельства, не зависящие от воли сторон',
  other: 'Иные основания, предусмотренные законодательством Российской Федерации',
} as const;
export type TerminationReason = keyof typeof TERMINATION_REASONS;

/** Non-working holidays of ст. 112 ТК РФ (MM-DD); the government's yearly transfers of days off are not modelled. */
const HOLIDAYS = new Set([
  '01-01',
  '01-02',
  '01-03',
  '01-04',
  '01-05',
  '01-06',
  '01-07',
  '01-08',
  '02-23',
  '03-08',
  '05-01',
  '05-09',
  '06-12',
  '11-04',
]);

const addDays = (isoDate: string, days: number) =>
  new Date(Date.parse(`${isoDate}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export function isWorkingDay(isoDate: string): boolean {
  const weekday = new Date(`${isoDate}T12:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !HOLIDAYS.has(isoDate.slice(5));
}

/** The `count`-th working day after `isoDate` (the day itself not counted). */
export function addWorkingDays(isoDate: string, count: number): string {
  let day = isoDate;
  for (let left = count; left > 0;) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) left -= 1;
  }
  return day;
}

/** The offer's deadline: the end (Moscow time, UTC+3 all year) of the fifth working day after `isoDate`. */
export function offerDeadline(isoDate: string, workingDays = OFFER_WORKING_DAYS): Date {
  return new Date(`${addDays(addWorkingDays(isoDate, workingDays), 1)}T00:00:00+03:00`);
}

/** First days of the calendar months from `startsOn` to `endsOn`, both counted: 2027-01-10…2027-03-05 → 3. */
export function monthsOf(startsOn: string, endsOn: string): string[] {
  const months: string[] = [];
  let [year, month] = startsOn.split('-').map(Number) as [number, number];
  const end = endsOn.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    if (key > end) return months;
    months.push(`${key}-01`);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
}

/** «Договор об образовании № 67-26-000042»: the region, the period's first year, a serial. */
export function contractNumber(periodStartsOn: string, serial: number): string {
  return `${REGION.code}-${periodStartsOn.slice(2, 4)}-${String(serial).padStart(6, '0')}`;
}

const MONTH_NAMES = [
  'январь',
  'февраль',
  'март',
  'апрель',
  'май',
  'июнь',
  'июль',
  'август',
  'сентябрь',
  'октябрь',
  'ноябрь',
  'декабрь',
];

/** '2027-01-01' → «январь 2027». */
export function monthName(isoMonth: string): string {
  return `${MONTH_NAMES[Number(isoMonth.slice(5, 7)) - 1]} ${isoMonth.slice(0, 4)}`;
}

/** The contract as its parties read it: the facts the HTML page and the PDF both print. */
export interface ContractDocument {
  contract: Contract;
  organization: { name: string; address: string; inn: string | null; phone: string | null };
  parent: PersonName & { email: string };
  child: PersonName & { birthDate: string };
  program: { name: string };
  group: { name: string; address: string; teacher: string };
  municipality: string;
}

/** One printed block of the contract: a heading and its paragraphs (the HTML page and the PDF share them). */
export interface DocumentSection {
  heading: string;
  paragraphs: string[];
}

/** The text of the contract, section by section; the month table is printed beside it from `contract.months`. */
export function contractSections(document: ContractDocument): DocumentSection[] {
  const { contract, organization, parent, child, program, group, municipality } = document;
  return [
    {
      heading: '1. Стороны',
      paragraphs: [
        `Исполнитель: ${organization.name}, адрес: ${organization.address}${organization.inn ? `, ИНН ${organization.inn}` : ''}${organization.phone ? `, телефон ${organization.phone}` : ''}.`,
        `Заказчик: ${officialName(parent)} — родитель (законный представитель) обучающегося.`,
        `Обучающийся: ${officialName(child)}, дата рождения ${formatDate(child.birthDate)}.`,
        `Оплата по сертификату персонифицированного финансирования: ${municipality} (уполномоченный орган).`,
      ],
    },
    {
      heading: '2. Предмет договора',
      paragraphs: [
        `Исполнитель обязуется оказать образовательную услугу по дополнительной общеобразовательной программе «${program.name}», группа «${group.name}» (педагог ${group.teacher}), по адресу: ${group.address}.`,
        `Срок обучения по договору: с ${formatDate(contract.startsOn)} по ${formatDate(contract.endsOn)} (${contract.months.length} мес.).`,
      ],
    },
    {
      heading: '3. Стоимость и порядок оплаты',
      paragraphs: [
        `Стоимость услуги — ${formatRoubles(contract.priceKopecks)} в месяц${contract.normativeKopecks === null ? '' : `; нормативная стоимость — ${formatRoubles(contract.normativeKopecks)} в месяц`}. Всего за период: ${formatRoubles(contract.certificateKopecks + contract.familyKopecks)}, из них за счёт сертификата ${formatRoubles(contract.certificateKopecks)}, за счёт средств заказчика ${formatRoubles(contract.familyKopecks)}.`,
        'Оплата ежемесячная, независимо от посещения занятий. Часть, оплачиваемую сертификатом, перечисляет уполномоченный орган по счетам исполнителя; часть заказчика (если она есть) заказчик вносит исполнителю до 10-го числа оплачиваемого месяца.',
        'Сумма, оплачиваемая сертификатом, зарезервирована на сертификате на весь срок договора. При расторжении договора неиспользованный остаток возвращается на сертификат.',
      ],
    },
    {
      heading: '4. Заключение и расторжение',
      paragraphs: [
        `Договор является публичной офертой исполнителя (ст. 437 ГК РФ). Акцепт — подтверждение заказчиком в личном кабинете навигатора с отметкой «Я ознакомлен с условиями договора-оферты» (ст. 438 ГК РФ) в течение ${OFFER_WORKING_DAYS} рабочих дней со дня направления оферты; по истечении срока оферта отзывается.`,
        'Заказчик вправе расторгнуть договор, направив уведомление в личном кабинете. Исполнитель вправе расторгнуть договор по основаниям, предусмотренным законодательством. Договор прекращает действие по окончании срока обучения.',
      ],
    },
  ];
}

/** Where the contract stands, in one line for its page and the PDF. */
export function contractStatusLine(contract: Contract): string {
  const label = CONTRACT_STATUS_LABELS[contract.status];
  if (contract.status === 'confirmed' && contract.offerExpiresAt)
    return `${label}: принять до ${formatDate(regionToday(new Date(contract.offerExpiresAt.getTime() - 1)))} включительно`;
  if (contract.status === 'active' && contract.acceptedAt)
    return `${label} с ${formatDate(regionToday(contract.acceptedAt))}`;
  if ((contract.status === 'declined' || contract.status === 'terminated') && contract.closedAt)
    return `${label} ${formatDate(regionToday(contract.closedAt))}${contract.closeReason ? `: ${contract.closeReason}` : ''}`;
  return label;
}

/**
 * Locks many contracts at once: their certificates' funded request rows in id order, then the contracts in id
 * order. Every transaction that takes more than one certificate takes them this way, so two never wait on each
 * other in a cycle; a single transition (one certificate, then its contract) cannot close a cycle with them.
 */
export async function lockContractsInOrder(tx: Tx, ids: readonly string[]): Promise<void> {
  const list = sql`${`{${ids.join(',')}}`}::uuid[]`;
  await queryRows(
    tx.db,
    sql`select r.id from funding_requests r
          join funding_contracts c on c.certificate_id = r.certificate_id and c.period_id = r.period_id
         where c.id = any(${list}) and r.status = 'funded'
         order by r.id for update of r`,
  );
  await queryRows(
    tx.db,
    sql`select id from funding_contracts where id = any(${list}) order by id for update`,
  );
}

/** What the applications module asks when an application becomes «Принята», in that transaction. */
export type AcceptanceAnswer = { ok: true } | { ok: false; message: string };

export const EXPIRE_CONTRACTS_JOB = 'funding-contracts-expire';
/** Days after its end an active contract waits for the month close to invoice its last month. */
export const ENDED_GRACE_DAYS = 3;

type Executor = Database['db'];
const rowsOf = <Row>(executor: Executor, query: SQL) => queryRows(executor, query) as Promise<Row[]>;

interface AcceptedApplication {
  application_id: string;
  child_id: string;
  group_id: string;
  program_id: string;
  organization_id: string;
  parent_user_id: string;
  financing: string;
  study_start: string;
  study_end: string;
  monthly_cost_certificate: number | null;
  municipality_id: number;
  certificate_id: string | null;
}

type By = { actorUserId: string } | { job: string };
const actorOfBy = (by: By) => ('actorUserId' in by ? by.actorUserId : null);

/**
 * The contracts service. Every change of a certificate's reserve locks the certificate's funded request row (the
 * funding module's own per-certificate, per-period row) first, so parallel acceptances of one child's
 * applications reserve one after another from the balance each leaves.
 */
export function createContractsService({
  database,
  mailer,
  baseUrl,
}: {
  database: Database;
  mailer: Mailer;
  baseUrl: string;
}) {
  const { db } = database;

  async function lockCertificate(tx: Tx, certificateId: string, periodId: string): Promise<boolean> {
    const rows = await rowsOf<{ id: string }>(
      tx.db,
      sql`select id from funding_requests
           where certificate_id = ${certificateId} and period_id = ${periodId} and status = 'funded'
           for update`,
    );
    return rows.length > 0;
  }

  async function balanceOf(executor: Executor, certificateId: string, periodId: string) {
    const rows = await executor
      .select({ kind: fundingLedger.kind, amountKopecks: fundingLedger.amountKopecks })
      .from(fundingLedger)
      .where(and(eq(fundingLedger.certificateId, certificateId), eq(fundingLedger.periodId, periodId)));
    return sumsOf(rows).balance;
  }

  /** What is still reserved for this contract: reserved − released − charged. */
  async function reservedFor(executor: Executor, contractId: string): Promise<number> {
    const [row] = await rowsOf<{ left: number }>(
      executor,
      sql`select coalesce(sum(case kind when 'reserve' then amount_kopecks
                                        when 'release' then -amount_kopecks
                                        when 'charge' then -amount_kopecks else 0 end), 0)::bigint as left
            from funding_ledger where contract_id = ${contractId}`,
    );
    return Number(row?.left ?? 0);
  }

  async function documentOf(executor: Executor, contract: Contract): Promise<ContractDocument> {
    const [row] = await rowsOf<Record<string, string | null>>(
      executor,
      sql`select o.name as org_name, o.address as org_address, o.inn, o.phone,
                 u.last_name as p_last, u.first_name as p_first, u.middle_name as p_middle, u.email,
                 ch.last_name as c_last, ch.first_name as c_first, ch.middle_name as c_middle, ch.sex::text as sex,
                 ch.birth_date::text as birth_date, p.name as program_name,
                 g.name as group_name, g.address as group_address, g.teacher
            from organizations o, users u, children ch, programs p, program_groups g
           where o.id = ${contract.organizationId} and u.id = ${contract.parentUserId} and ch.id = ${contract.childId}
             and p.id = ${contract.programId} and g.id = ${contract.groupId}`,
    );
    const r = row ?? {};
    const text = (key: string) => String(r[key] ?? '');
    return {
      contract,
      organization: {
        name: text('org_name'),
        address: text('org_address'),
        inn: r.inn ?? null,
        phone: r.phone ?? null,
      },
      parent: {
        lastName: text('p_last'),
        firstName: text('p_first'),
        middleName: r.p_middle ?? null,
        email: text('email'),
      },
      child: {
        lastName: text('c_last'),
        firstName: text('c_first'),
        middleName: r.c_middle ?? null,
        sex: (r.sex as PersonName['sex']) ?? null,
        birthDate: text('birth_date'),
      },
      program: { name: text('program_name') },
      group: { name: text('group_name'), address: text('group_address'), teacher: text('teacher') },
      municipality: municipalityName(contract.municipalityId) ?? '',
    };
  }

  type LetterKind = 'offered' | 'active' | 'declined' | 'terminated';

  async function tellParent(tx: Tx, contract: Contract, kind: LetterKind) {
    const document = await documentOf(tx.db, contract);
    await mailer.send(tx.sql, contractEmail(kind, document, baseUrl));
  }

  async function lockContract(tx: Tx, contractId: string): Promise<Contract | null> {
    const [row] = await tx.db
      .select()
      .from(fundingContracts)
      .where(eq(fundingContracts.id, contractId))
      .for('update');
    return row ?? null;
  }

  /** Ends a live contract («Отклонён без заключения» or «Прекратил действие») and releases what it still holds. */
  async function close(
    tx: Tx,
    contract: Contract,
    to: 'declined' | 'terminated',
    reason: string,
    by: By,
    context?: AuditContext,
  ): Promise<Contract> {
    const left = await reservedFor(tx.db, contract.id);
    if (left > 0)
      await tx.db.insert(fundingLedger).values({
        certificateId: contract.certificateId,
        periodId: contract.periodId,
        contractId: contract.id,
        kind: 'release',
        amountKopecks: left,
        reason: `Договор № ${contract.number}: ${reason}`,
        ...by,
      });
    const [closed] = await tx.db
      .update(fundingContracts)
      .set({ status: to, closedAt: sql`now()`, closedBy: actorOfBy(by), closeReason: reason })
      .where(eq(fundingContracts.id, contract.id))
      .returning();
    await audit(tx.db, {
      actorUserId: actorOfBy(by),
      action: to === 'declined' ? 'contract.declined' : 'contract.terminated',
      subjectType: 'contract',
      subjectId: contract.id,
      details: { from: contract.status, releasedKopecks: left, ...('job' in by ? { job: by.job } : {}) },
      context,
    });
    await tellParent(tx, closed!, to === 'declined' ? 'declined' : 'terminated');
    return closed!;
  }

  /**
   * A transition under the locks (certificate first, then the contract), with the policy asked first.
   * `change` answers the new row, or a message when the contract's state does not allow it.
   */
  async function transition(
    actor: Actor,
    contractId: string,
    action: 'confirm' | 'accept' | 'decline' | 'terminate',
    change: (tx: Tx, contract: Contract) => Promise<Contract | string>,
  ): Promise<{ ok: true; contract: Contract } | { ok: false; message: string } | null> {
    const [found] = await db.select().from(fundingContracts).where(eq(fundingContracts.id, contractId));
    if (!found || !contractPolicy.can(actor, action, found)) return null;
    return database.transaction(async (tx) => {
      await lockCertificate(tx, found.certificateId, found.periodId);
      const contract = await lockContract(tx, contractId);
      if (!contract) return null;
      const result = await change(tx, contract);
      return typeof result === 'string' ? { ok: false, message: result } : { ok: true, contract: result };
    });
  }

  const STALE = 'Статус договора уже изменился: обновите страницу.';

  return {
    /**
     * The port the applications module calls in the transaction that makes an application «Принята»: for a
     * certified program and a certificate funded this period, the contract and the reserve of its certificate
     * part. Refused (the caller rolls back) when the balance cannot pay the first month or contracts are banned.
     */
    async accepted(tx: Tx, acceptance: { applicationId: string; actorUserId: string | null }) {
      const [application] = await rowsOf<AcceptedApplication>(
        tx.db,
        sql`select a.id as application_id, a.child_id, a.group_id, a.program_id, a.organization_id,
                   a.applicant_user_id as parent_user_id, p.financing::text as financing,
                   g.study_start::text as study_start, g.study_end::text as study_end, g.monthly_cost_certificate,
                   ch.municipality_id, cert.id as certificate_id
              from applications a
              join programs p on p.id = a.program_id
              join program_groups g on g.id = a.group_id
              join children ch on ch.id = a.child_id
              left join certificates cert on cert.child_id = a.child_id and cert.status <> 'closed'
             where a.id = ${acceptance.applicationId}`,
      );
      if (!application || application.financing !== 'certificate' || !application.certificate_id)
        return { ok: true } as AcceptanceAnswer;
      const today = regionToday();
      const period = periodOf(today);
      const [periodRow] = await tx.db
        .select()
        .from(fundingPeriods)
        .where(
          and(
            eq(fundingPeriods.municipalityId, Number(application.municipality_id)),
            eq(fundingPeriods.startsOn, period.startsOn),
          ),
        );
      if (!periodRow) return { ok: true } as AcceptanceAnswer;
      // The lock every reserve of this certificate takes: parallel acceptances reserve one after another.
      if (!(await lockCertificate(tx, application.certificate_id, periodRow.id)))
        return { ok: true } as AcceptanceAnswer;
      const [live] = await tx.db
        .select({ id: fundingContracts.id })
        .from(fundingContracts)
        .where(
          and(
            eq(fundingContracts.applicationId, application.application_id),
            sql`${fundingContracts.status} in ('created', 'confirmed', 'active')`,
          ),
        );
      if (live) return { ok: true } as AcceptanceAnswer;
      // The municipality stopped funding since the parent applied (or its period is closed): no new contract, no
      // reserve; the caller rolls the acceptance back and the provider reads why.
      if (!periodRow.open || periodRow.closedAt)
        return {
          ok: false,
          message: `Финансирование сертификатов муниципалитетом сейчас закрыто: заявку на программу по сертификату нельзя принять, договор не заключается. Заявка осталась в прежнем статусе.`,
        } as AcceptanceAnswer;
      if (periodRow.contractsBannedFrom && periodRow.contractsBannedFrom <= today)
        return {
          ok: false,
          message: `Заключение новых договоров по сертификатам запрещено муниципалитетом с ${formatDate(periodRow.contractsBannedFrom)}: заявку нельзя принять.`,
        } as AcceptanceAnswer;
      const study = { studyStart: application.study_start, studyEnd: application.study_end };
      const span = contractSpan(study, periodRow, today);
      const priceKopecks = Number(application.monthly_cost_certificate ?? 0) * 100;
      // Nothing to pay by certificate in this period (no price, or the study is outside it): no contract here.
      if (priceKopecks <= 0 || !span) return { ok: true } as AcceptanceAnswer;
      const { startsOn, endsOn } = span;
      const months = monthsOf(startsOn, endsOn);
      // The same normative cost the review step showed: the program's own, or hours × the period's hourly rate.
      const normativeKopecks = await normativeCostIn(tx.db, application.program_id, periodRow.startsOn);
      const balanceKopecks = await balanceOf(tx.db, application.certificate_id, periodRow.id);
      const split = contractSplit({
        priceKopecks,
        normativeKopecks,
        months: months.length,
        balanceKopecks,
      });
      if (!split.coversFirstMonth)
        return {
          ok: false,
          message: `Заявку нельзя принять: остатка сертификата (${formatRoubles(balanceKopecks)}) не хватает на оплату первого месяца по сертификату (${formatRoubles(Math.min(priceKopecks, normativeKopecks ?? priceKopecks))}).`,
        } as AcceptanceAnswer;
      const [serial] = await rowsOf<{ n: number }>(
        tx.db,
        sql`select nextval('funding_contract_number_seq')::int as n`,
      );
      const [contract] = await tx.db
        .insert(fundingContracts)
        .values({
          number: contractNumber(periodRow.startsOn, Number(serial!.n)),
          applicationId: application.application_id,
          certificateId: application.certificate_id,
          periodId: periodRow.id,
          municipalityId: periodRow.municipalityId,
          organizationId: application.organization_id,
          programId: application.program_id,
          groupId: application.group_id,
          childId: application.child_id,
          parentUserId: application.parent_user_id,
          startsOn,
          endsOn,
          priceKopecks,
          normativeKopecks,
          certificateKopecks: split.certificateKopecks,
          familyKopecks: split.familyKopecks,
          months: split.months.map((month, index) => ({ month: months[index]!, ...month })),
          createdBy: acceptance.actorUserId,
        })
        .returning();
      const by: By = acceptance.actorUserId
        ? { actorUserId: acceptance.actorUserId }
        : { job: 'applications.accept' };
      await tx.db.insert(fundingLedger).values({
        certificateId: application.certificate_id,
        periodId: periodRow.id,
        contractId: contract!.id,
        kind: 'reserve',
        amountKopecks: split.certificateKopecks,
        reason: `Резерв по договору № ${contract!.number} на ${months.length} мес.`,
        ...by,
      });
      await audit(tx.db, {
        actorUserId: acceptance.actorUserId,
        action: 'contract.created',
        subjectType: 'contract',
        subjectId: contract!.id,
        details: {
          applicationId: application.application_id,
          certificateId: application.certificate_id,
          reservedKopecks: split.certificateKopecks,
        },
      });
      return { ok: true } as AcceptanceAnswer;
    },

    /**
     * The port's other half: the application left «Принята» (expelled, the parent's notice, completed). A contract
     * not yet in force is declined, one in force terminated; what it still holds returns to the certificate.
     */
    async left(tx: Tx, change: { applicationId: string; actorUserId: string | null; reason: string | null }) {
      const [live] = await tx.db
        .select()
        .from(fundingContracts)
        .where(
          and(
            eq(fundingContracts.applicationId, change.applicationId),
            sql`${fundingContracts.status} in ('created', 'confirmed', 'active')`,
          ),
        );
      if (!live) return;
      await lockCertificate(tx, live.certificateId, live.periodId);
      const contract = await lockContract(tx, live.id);
      if (!contract || !['created', 'confirmed', 'active'].includes(contract.status)) return;
      const by: By = change.actorUserId ? { actorUserId: change.actorUserId } : { job: 'applications.leave' };
      const reason = `Зачисление прекращено${change.reason ? `: ${change.reason}` : ''}`;
      await close(tx, contract, contract.status === 'active' ? 'terminated' : 'declined', reason, by);
    },

    /** The provider confirms the contract: it is offered to the parent until the fifth working day's end. */
    confirm: (actor: Actor, contractId: string, context: AuditContext) =>
      transition(actor, contractId, 'confirm', async (tx, contract) => {
        if (contract.status !== 'created') return STALE;
        const [confirmed] = await tx.db
          .update(fundingContracts)
          .set({
            status: 'confirmed',
            confirmedAt: sql`now()`,
            confirmedBy: actor.id,
            offerExpiresAt: offerDeadline(regionToday()),
          })
          .where(eq(fundingContracts.id, contract.id))
          .returning();
        await audit(tx.db, {
          actorUserId: actor.id,
          action: 'contract.confirmed',
          subjectType: 'contract',
          subjectId: contract.id,
          context,
        });
        await tellParent(tx, confirmed!, 'offered');
        return confirmed!;
      }),

    /** The parent accepts the offer («Я ознакомлен с условиями договора-оферты»): time and address kept. */
    accept: (actor: Actor, contractId: string, context: AuditContext) =>
      transition(actor, contractId, 'accept', async (tx, contract) => {
        if (contract.status !== 'confirmed') return STALE;
        if (contract.offerExpiresAt && contract.offerExpiresAt <= new Date())
          return 'Срок акцепта оферты истёк: договор не может быть заключён.';
        const [active] = await tx.db
          .update(fundingContracts)
          .set({ status: 'active', acceptedAt: sql`now()`, acceptedIp: context.clientAddress })
          .where(eq(fundingContracts.id, contract.id))
          .returning();
        await audit(tx.db, {
          actorUserId: actor.id,
          action: 'contract.accepted',
          subjectType: 'contract',
          subjectId: contract.id,
          context,
        });
        await tellParent(tx, active!, 'active');
        return active!;
      }),

    /** The parent declines the offer: «Отклонён без заключения», the reserve returns. */
    decline: (actor: Actor, contractId: string, context: AuditContext) =>
      transition(actor, contractId, 'decline', async (tx, contract) => {
        if (contract.status !== 'created' && contract.status !== 'confirmed') return STALE;
        return close(tx, contract, 'declined', PARENT_DECLINED_REASON, { actorUserId: actor.id }, context);
      }),

    /** «Прекратил действие»: by the parent's notice, or by the provider on one of the statutory grounds. */
    terminate: (actor: Actor, contractId: string, reason: TerminationReason | null, context: AuditContext) =>
      transition(actor, contractId, 'terminate', async (tx, contract) => {
        if (contract.status !== 'active') return STALE;
        const byParent = actor.id === contract.parentUserId;
        if (!byParent && !reason) return 'Выберите основание расторжения.';
        const text = byParent ? PARENT_NOTICE_REASON : TERMINATION_REASONS[reason!];
        return close(tx, contract, 'terminated', text, { actorUserId: actor.id }, context);
      }),

    /**
     * The job: offers past their deadline are withdrawn, contracts past their end close. Each contract is decided
     * under its locks with its status asked again, so a second run, or two at once, change nothing more.
     */
    async expire(now = new Date()): Promise<{ expired: number; ended: number }> {
      const today = regionToday(now);
      // An active contract past its end is the month close's to end once its last month is invoiced (ADR 0035);
      // this job ends it only when that invoice exists or the close is ENDED_GRACE_DAYS late.
      const graceEnd = addDays(today, -ENDED_GRACE_DAYS);
      const due = await rowsOf<{ id: string; status: ContractStatus }>(
        db,
        sql`select c.id, c.status from funding_contracts c
             where (c.status = 'confirmed' and c.offer_expires_at <= ${now.toISOString()}::timestamptz)
                or (c.status in ('created', 'confirmed') and c.ends_on < ${today}::date)
                or (c.status = 'active' and c.ends_on < ${today}::date
                    and (c.ends_on < ${graceEnd}::date
                         or exists (select 1 from funding_accruals a
                                     where a.contract_id = c.id and a.kind = 'invoice'
                                       and a.month = date_trunc('month', c.ends_on)::date)))
             order by c.id limit 1000`,
      );
      let expired = 0;
      let ended = 0;
      for (const { id } of due) {
        await database.transaction(async (tx) => {
          const [first] = await tx.db.select().from(fundingContracts).where(eq(fundingContracts.id, id));
          if (!first) return;
          await lockCertificate(tx, first.certificateId, first.periodId);
          const contract = await lockContract(tx, id);
          if (!contract) return;
          const by = { job: EXPIRE_CONTRACTS_JOB };
          if (contract.endsOn < today && ['created', 'confirmed', 'active'].includes(contract.status)) {
            await close(
              tx,
              contract,
              contract.status === 'active' ? 'terminated' : 'declined',
              PERIOD_ENDED_REASON,
              by,
            );
            ended += 1;
          } else if (
            contract.status === 'confirmed' &&
            contract.offerExpiresAt &&
            contract.offerExpiresAt <= now
          ) {
            await close(tx, contract, 'declined', OFFER_EXPIRED_REASON, by);
            expired += 1;
          }
        });
      }
      return { expired, ended };
    },

    /**
     * The month close's last step: live contracts whose end is before `month` close («Прекратил действие» or, never
     * in force, «Отклонён без заключения») and what they still hold returns; a transaction per batch.
     */
    async endBefore(month: string, job: string, size = 500): Promise<number> {
      let ended = 0;
      for (;;) {
        const ids = await rowsOf<{ id: string }>(
          db,
          sql`select id from funding_contracts
               where status in ('created', 'confirmed', 'active') and ends_on < ${month}::date
               order by id limit ${size}`,
        );
        if (ids.length === 0) return ended;
        await database.transaction(async (tx) => {
          await lockContractsInOrder(
            tx,
            ids.map((row) => row.id),
          );
          for (const { id } of ids) {
            const [first] = await tx.db.select().from(fundingContracts).where(eq(fundingContracts.id, id));
            if (!first) continue;
            await lockCertificate(tx, first.certificateId, first.periodId);
            const contract = await lockContract(tx, id);
            if (!contract || !['created', 'confirmed', 'active'].includes(contract.status)) continue;
            const to = contract.status === 'active' ? 'terminated' : 'declined';
            await close(tx, contract, to, PERIOD_ENDED_REASON, { job });
            ended += 1;
          }
        });
      }
    },

    /** The parent's «Договоры»: contracts of their children, newest first. */
    async listForParent(actor: Actor) {
      const scope = contractPolicy.scope(actor, 'read_own');
      return listed(db, scope);
    },

    /** Staff lists: the organization's, the municipality's, or (the coordinator) all; children's names, audited. */
    async listForStaff(actor: Actor, context: AuditContext) {
      const scope = contractPolicy.scope(actor, 'read');
      const items = await listed(db, scope);
      await audit(db, {
        actorUserId: actor.id,
        action: 'staff.contracts_listed',
        details: { contractIds: items.map((item) => item.id) },
        context,
      });
      return items;
    },

    /**
     * The contract's months with their advance and invoice (issue 13, item 8), for whoever may read the contract:
     * the parent's page and the API (the caller opened the contract, audited for staff, first).
     */
    async accrualsOf(actor: Actor, contract: Contract): Promise<MonthAccrual[]> {
      authorizeRead(actor, contract);
      const rows = await db
        .select({
          month: fundingAccruals.month,
          kind: fundingAccruals.kind,
          dueKopecks: fundingAccruals.dueKopecks,
          completenessPercent: fundingAccruals.completenessPercent,
          releasedKopecks: fundingAccruals.releasedKopecks,
          refundedKopecks: fundingAccruals.refundedKopecks,
        })
        .from(fundingAccruals)
        .where(eq(fundingAccruals.contractId, contract.id));
      return monthAccruals(contract.months, rows);
    },

    /** One contract with everything its page and PDF print; staff views are audited. Null when out of reach. */
    async open(actor: Actor, contractId: string, context: AuditContext, format: 'page' | 'pdf' = 'page') {
      const [contract] = await db.select().from(fundingContracts).where(eq(fundingContracts.id, contractId));
      if (!contract) return null;
      authorizeRead(actor, contract);
      const document = await documentOf(db, contract);
      if (actor.id !== contract.parentUserId)
        await audit(db, {
          actorUserId: actor.id,
          action: format === 'pdf' ? 'staff.contract_downloaded' : 'staff.contract_viewed',
          subjectType: 'contract',
          subjectId: contract.id,
          details: { childId: contract.childId, organizationId: contract.organizationId },
          context,
        });
      return document;
    },
  };
}

function authorizeRead(actor: Actor, contract: ContractFacts) {
  authorize(contractPolicy, actor, 'read', contract);
}

export interface ContractListItem {
  id: string;
  number: string;
  status: ContractStatus;
  startsOn: string;
  endsOn: string;
  certificateKopecks: number;
  familyKopecks: number;
  offerExpiresAt: Date | null;
  childName: string;
  programName: string;
  organizationName: string;
}

async function listed(db: Database['db'], scope: SQL | undefined): Promise<ContractListItem[]> {
  const rows = await db
    .select({
      id: fundingContracts.id,
      number: fundingContracts.number,
      status: fundingContracts.status,
      startsOn: fundingContracts.startsOn,
      endsOn: fundingContracts.endsOn,
      certificateKopecks: fundingContracts.certificateKopecks,
      familyKopecks: fundingContracts.familyKopecks,
      offerExpiresAt: fundingContracts.offerExpiresAt,
      childName: sql<string>`(select concat_ws(' ', last_name, first_name, middle_name) from children where id = ${fundingContracts.childId})`,
      programName: sql<string>`(select name from programs where id = ${fundingContracts.programId})`,
      organizationName: sql<string>`(select short_name from organizations where id = ${fundingContracts.organizationId})`,
    })
    .from(fundingContracts)
    .where(scope)
    .orderBy(desc(fundingContracts.createdAt), desc(fundingContracts.number))
    .limit(500);
  return rows;
}

/** The letters of a contract: the offer waiting (with its deadline), in force, declined or expired, terminated. */
export function contractEmail(
  kind: 'offered' | 'active' | 'declined' | 'terminated',
  document: ContractDocument,
  baseUrl: string,
) {
  const { contract, program, organization, child } = document;
  const what = `Договор об образовании № ${contract.number} (программа «${program.name}», ${organization.name}, обучающийся ${officialName(child)})`;
  const action = { label: 'Открыть договор', url: `${baseUrl}/cabinet/contracts/${contract.id}` };
  const deadline = contract.offerExpiresAt
    ? formatDate(regionToday(new Date(contract.offerExpiresAt.getTime() - 1)))
    : '';
  const content = {
    offered: {
      subject: `Договор № ${contract.number} ждёт вашего подтверждения до ${deadline}`,
      paragraphs: [
        `${what} подтверждён организацией и направлен вам как оферта.`,
        `Ознакомьтесь с условиями и примите договор в личном кабинете до ${deadline} включительно. Если не принять договор в срок, оферта будет отозвана, а зарезервированные средства вернутся на сертификат.`,
        `За счёт сертификата: ${formatRoubles(contract.certificateKopecks)}, за счёт ваших средств: ${formatRoubles(contract.familyKopecks)} за весь срок.`,
      ],
    },
    active: {
      subject: `Договор № ${contract.number} заключён`,
      paragraphs: [
        `${what} заключён и действует с ${formatDate(regionToday(contract.acceptedAt ?? new Date()))} по ${formatDate(contract.endsOn)}.`,
      ],
    },
    declined: {
      subject: `Договор № ${contract.number} отклонён без заключения`,
      paragraphs: [
        `${what} отклонён без заключения. Причина: ${contract.closeReason ?? 'не указана'}.`,
        'Зарезервированные по договору средства вернулись на сертификат.',
      ],
    },
    terminated: {
      subject: `Договор № ${contract.number} прекратил действие`,
      paragraphs: [
        `${what} прекратил действие. Основание: ${contract.closeReason ?? 'не указано'}.`,
        'Неиспользованный остаток зарезервированных средств вернулся на сертификат.',
      ],
    },
  }[kind];
  return renderEmail(document.parent.email, { ...content, action }, baseUrl);
}

export type ContractsService = ReturnType<typeof createContractsService>;

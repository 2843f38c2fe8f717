import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import type { Database, Tx } from '../../platform/db/client.js';
import {
  isUniqueViolation,
  queryRows,
  runPrepared,
  type PreparedSql,
  type SqlExecutor,
} from '../../platform/db/client.js';
import type { CurrentUser, StaffRole } from '../../platform/http/request-context.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { organizationOf, type Actor } from '../../platform/access/policy.js';
import { waitInWords, type RateLimiter, type RateLimitRule } from '../../platform/security/rate-limit.js';
import { hashToken } from '../../platform/security/tokens.js';
import { regionToday } from '../../platform/views/format.js';
import { isValidCertificateNumber } from '../certificates/index.js';
import type { ConfirmationService } from '../children/index.js';
import {
  changeCapacity,
  changeStatus,
  expireOffer,
  holdsPlace,
  lockGroup,
  mayCloseGroup,
  openPlaces,
  releasePlace,
  type ApplicationStatus,
} from './places.js';
import { ACTIVE_STATUSES } from './schema.js';
import {
  applicationPolicy,
  groupEnrolmentPolicy,
  type ApplicationAction,
  type GroupFacts,
} from './policy.js';
import { createApplicationQueries, type OrganizationFilter, type OrganizationWorkload } from './queries.js';
import { limitRefusal, refusalsFor, refuse, type EligibilityFacts, type Refusal } from './eligibility.js';
import type { CertificateQuote, FundingPort } from './funding-port.js';

export type { ApplicationStatus } from './places.js';
export type { Refusal } from './eligibility.js';

export type Operator = CurrentUser & { staff: StaffRole };

export interface Filed {
  ok: true;
  id: string;
  status: ApplicationStatus;
  /** In the queue: 1 for the first. */
  queuePlace: number | null;
}

/** Who may change an application to what. The seat arithmetic itself is in places.ts. */
const PARENT_CANCEL: Partial<Record<ApplicationStatus, ApplicationStatus>> = {
  new: 'cancelled',
  queued: 'cancelled',
  offered: 'declined',
};

/** `refused`: the acceptance port (funding) said no; its message is for whoever acted. Nothing changed. */
export type ActionResult = 'done' | 'not_found' | 'conflict' | { refused: string };

/**
 * What the funding module does when an application becomes «Принята» or leaves it, in that same transaction
 * (ADR 0034): the contract and its reserve, or a refusal that rolls the acceptance back. The composition root
 * fills it; this module knows nothing of money.
 */
export interface AcceptancePort {
  accepted(
    tx: Tx,
    acceptance: { applicationId: string; actorUserId: string | null },
  ): Promise<{ ok: true } | { ok: false; message: string }>;
  left(
    tx: Tx,
    change: { applicationId: string; actorUserId: string | null; reason: string | null },
  ): Promise<void>;
}

const NO_FUNDING: AcceptancePort = {
  accepted: () => Promise.resolve({ ok: true }),
  left: () => Promise.resolve(),
};

/** Thrown inside a transaction to roll an acceptance back with the port's message. */
class AcceptanceRefused extends Error {
  constructor(readonly refusal: string) {
    super(refusal);
  }
}

export interface ApplyRequest {
  /** Who files it: the parent online, or an operator of the organization in person. */
  actorUserId: string;
  channel: 'online' | 'in_person';
  childId: string;
  groupId: string;
  /** Online: the child must belong to this account. In person: found by the certificate number instead. */
  ownerUserId?: string;
}

/** The two facts a parent brings to file in person; the number is 10 digits (its check digit not yet checked). */
export interface InPersonRequest {
  certificateNumber: string;
  birthDate: string;
  groupId: string;
}

/** One answer for every failed lookup, so that it tells nothing about whether a child exists. */
export const LOOKUP_FAILED = 'Сертификат не найден или дата рождения не совпадает';

export interface LookupRefusal {
  ok: false;
  code: 'lookup_failed' | 'too_many_lookups';
  message: string;
}

/**
 * Failed in-person lookups allowed per staff account and per organization: enough for typos at a busy desk,
 * far too few to guess a number and a birth date.
 */
export const LOOKUP_FAILURES = { limit: 10, windowSeconds: 60 };

/** Failed in-person lookups allowed per organization in a day: a desk's typos, never a guessing campaign. */
export const LOOKUP_FAILURES_PER_DAY = { limit: 100, windowSeconds: 24 * 3600 };

/**
 * Failed in-person lookups allowed at one certificate number in a day, whichever desks try it: with a known
 * number only the birth date is left to guess, so the 6th try is refused even if the date is right (a parent at
 * a desk mistypes the date once or twice, not five times).
 */
export const LOOKUP_FAILURES_PER_NUMBER = { limit: 5, windowSeconds: 24 * 3600 };

/** Everything the preconditions of an application need, in one round trip. */
const APPLY_CONTEXT: PreparedSql = {
  name: 'applications_apply_context',
  text: `select g.id as group_id, g.age_from, g.age_to, g.enrolment_from::text, g.enrolment_to::text,
                g.study_start::text, g.study_end::text, g.monthly_cost_certificate,
                p.id as program_id, p.financing, p.organization_id,
                case when exists(select 1 from organizations o where o.id = p.organization_id
                                    and o.archived_at is not null)
                     then 'archived' else p.status::text end as program_status,
                c.id as child_id, c.owner_user_id, c.data_status, c.birth_date::text, c.municipality_id,
                cert.status as certificate_status, cert.type as certificate_type,
                exists(select 1 from applications a where a.child_id = c.id and a.group_id = g.id
                         and a.status in ('new', 'accepted', 'queued', 'offered')) as has_active,
                (select g2.name from applications a join program_groups g2 on g2.id = a.group_id
                  where a.child_id = c.id and a.program_id = p.id and a.group_id <> g.id
                    and a.status in ('new', 'accepted', 'queued', 'offered')
                  order by a.created_at limit 1) as program_group_name
           from program_groups g
           join programs p on p.id = g.program_id
           join children c on c.id = $2
           left join certificates cert on cert.child_id = c.id
          where g.id = $1`,
};

/**
 * Locks the group's row (rule 1 of ADR 0011), decides, and files the application with its first event in one
 * statement: a place while `taken < capacity` (accepted at once in an auto-accept group), else the queue.
 * A statement that waited for the lock reads the row as the previous holder committed it, so the places and the
 * queue's length are exact, and the new application's place in the queue is that length + 1. A place taken is
 * counted in `taken` here; a queued application joins the length through the trigger of migration 0035. No row:
 * the group has no places (it was deleted meanwhile). The event is the outbox row of the notice and the letter
 * (ADR 0051), so the statement is the whole filing and needs no transaction around it — unless the application
 * is accepted at once, which makes a contract in the same transaction: with `$9` false such a filing writes
 * nothing and answers a null id, and the caller files it again in a transaction.
 */
const FILE_APPLICATION: PreparedSql = {
  name: 'applications_file',
  text: `with locked as (
           select capacity, taken, auto_accept, queued from group_places where group_id = $1 for update
         ), decided as (
           select case when taken >= capacity then 'queued'
                       when auto_accept then 'accepted' else 'new' end::application_status as status,
                  case when taken >= capacity then queued + 1 end as queue_place
             from locked
         ), application as (
           insert into applications
             (group_id, program_id, organization_id, child_id, applicant_user_id, filed_by_user_id, channel, status)
           select $1, $2, $3, $4, $5, $6, $7, status from decided where $9::boolean or status <> 'accepted'
           returning id, status
         ), event as (
           insert into application_events (id, application_id, to_status, actor_user_id, queue_place)
           select $8, application.id, application.status, $6, decided.queue_place from application, decided
         ), seat as (
           update group_places set taken = taken + 1
            where group_id = $1 and exists (select 1 from application where status <> 'queued')
         )
         select application.id, application.status, decided.queue_place from decided left join application on true`,
};

export function createApplicationsService({
  database,
  queue,
  rateLimiter,
  confirmation,
  acceptance = NO_FUNDING,
  funding,
}: {
  database: Database;
  queue: JobQueue;
  rateLimiter: RateLimiter;
  /** The funding module's contracts (ADR 0034); none in tests that do not need money. */
  acceptance?: AcceptancePort;
  /** Funded certificates, for groups of certified programs (filled by the composition root; absent: none). */
  funding?: FundingPort;
  /** The children module's in-person confirmation, which staff reach through an application to their group. */
  confirmation: Pick<ConfirmationService, 'confirm'>;
}) {
  const { db } = database;
  const queries = createApplicationQueries(db);

  /** Everything the preconditions need, in one query. */
  async function loadContext(groupId: string, childId: string) {
    const { rows } = await runPrepared(database.sql, APPLY_CONTEXT, [groupId, childId]);
    return rows[0];
  }

  /**
   * Free programs this child entered in the education year `[from, to]` (applications filed then, in the region's
   * time), in live or finished applications, and whether this program is one of them.
   */
  const FREE_PROGRAMS_THIS_YEAR = `
    select count(distinct a.program_id) filter (where p.financing = 'free')::int as used,
           coalesce(bool_or(a.program_id = $4), false) as same_program
      from applications a join programs p on p.id = a.program_id
     where a.child_id = $1
       and a.status in ('new', 'accepted', 'queued', 'offered', 'expelled', 'completed')
       and (a.created_at at time zone 'Europe/Moscow')::date between $2::date and $3::date`;

  async function freeUse(
    executor: SqlExecutor,
    childId: string,
    programId: string,
    year: { startsOn: string; endsOn: string },
  ) {
    const { rows } = await executor.executeSql(FREE_PROGRAMS_THIS_YEAR, [
      childId,
      year.startsOn,
      year.endsOn,
      programId,
    ]);
    return { freeUsed: Number(rows[0]?.used ?? 0), programUsedThisYear: rows[0]?.same_program === true };
  }

  /** The municipality's number of free programs per child this education year (the funding period's setting). */
  async function freeProgramsOf(context: Record<string, unknown>, today: string) {
    return funding
      ? funding.freePrograms(Number(context.municipality_id), today)
      : { limit: null, startsOn: today, endsOn: today };
  }

  /** What the child's certificate pays for a group of a certified program (the funding port); null: nothing to say. */
  async function quoteOf(context: Record<string, unknown>): Promise<CertificateQuote | null> {
    if (!funding || context.financing !== 'certificate') return null;
    return funding.quote({
      childId: String(context.child_id),
      programId: String(context.program_id),
      priceRoubles:
        context.monthly_cost_certificate == null ? null : Number(context.monthly_cost_certificate),
      studyStart: String(context.study_start),
      studyEnd: String(context.study_end),
    });
  }

  /** The facts of the eligibility rule for one child and one group, from the context row. */
  async function eligibilityFacts(
    context: Record<string, unknown>,
    today: string,
  ): Promise<EligibilityFacts & { freeYear: { startsOn: string; endsOn: string } }> {
    const free = await freeProgramsOf(context, today);
    const freeLimit = free.limit;
    return {
      freeYear: { startsOn: free.startsOn, endsOn: free.endsOn },
      programStatus: String(context.program_status),
      financing: context.financing as EligibilityFacts['financing'],
      enrolmentFrom: String(context.enrolment_from),
      enrolmentTo: String(context.enrolment_to),
      studyStart: String(context.study_start),
      ageFrom: Number(context.age_from),
      ageTo: Number(context.age_to),
      birthDate: String(context.birth_date),
      dataStatus: context.data_status as EligibilityFacts['dataStatus'],
      certificateStatus: (context.certificate_status ?? null) as EligibilityFacts['certificateStatus'],
      appliedToGroup: context.has_active === true,
      appliedToProgramGroup:
        typeof context.program_group_name === 'string' ? context.program_group_name : null,
      freeLimit,
      ...(freeLimit !== null && context.financing === 'free'
        ? await freeUse(database.sql, String(context.child_id), String(context.program_id), free)
        : { freeUsed: 0, programUsedThisYear: false }),
      funding: await quoteOf(context),
    };
  }

  async function apply(request: ApplyRequest): Promise<Filed | Refusal> {
    const context = await loadContext(request.groupId, request.childId);
    if (!context) {
      const [group] = await queryRows(db, sql`select 1 from program_groups where id = ${request.groupId}`);
      return group
        ? refuse('child_not_found', 'Ребёнок не найден')
        : refuse('group_not_found', 'Группа не найдена');
    }
    if (request.ownerUserId && context.owner_user_id !== request.ownerUserId)
      return refuse('child_not_found', 'Ребёнок не найден');
    const today = regionToday();
    const facts = await eligibilityFacts(context, today);
    const [refusal] = refusalsFor(facts, today);
    if (refusal) return refusal;
    if (facts.funding?.ok && !facts.funding.fundedNow) {
      // A certificate of учёт applying to a certified program: funded now if the municipality funds and the quota
      // has room (the parent's own request, with its letters), else queued — the second quote says which.
      const parentOnline =
        request.channel === 'online' && request.ownerUserId && context.certificate_type === 'accounting';
      if (parentOnline)
        await funding!.autoFund(
          { id: request.ownerUserId!, emailVerified: true, staff: null },
          request.childId,
        );
      const quote = parentOnline ? await quoteOf(context) : null;
      if (quote && !quote.ok) return refuse(quote.code, quote.message);
      if (!quote?.ok || !quote.fundedNow)
        return refuse(
          'not_funded',
          'Сертификат ребёнка — сертификат учёта. Программу по сертификату можно оплатить, когда он станет сертификатом персонифицированного финансирования: родитель подаёт заявку в личном кабинете.',
        );
    }
    const limited = facts.freeLimit !== null && facts.financing === 'free';

    const eventId = randomUUID();
    const file = (executor: SqlExecutor, mayAccept: boolean) =>
      runPrepared(executor, FILE_APPLICATION, [
        request.groupId,
        context.program_id,
        context.organization_id,
        request.childId,
        context.owner_user_id,
        request.actorUserId,
        request.channel,
        eventId,
        mayAccept,
      ]);
    const filedOf = (row: Record<string, unknown> | undefined) => {
      if (!row) throw new Error('group vanished');
      return {
        id: String(row.id),
        status: row.status as ApplicationStatus,
        queuePlace: row.queue_place === null ? null : Number(row.queue_place),
      };
    };
    try {
      if (!limited) {
        // The usual filing: one statement, one round trip, no job (see FILE_APPLICATION).
        const [row] = (await file(database.sql, false)).rows;
        // A null id: accepted at once, filed again below in a transaction with its contract.
        if (!row || row.id !== null) return { ok: true, ...filedOf(row) };
      }
      const filed = await database.transaction(async (tx): Promise<Omit<Filed, 'ok'> | Refusal> => {
        if (limited) {
          // Two applications of one child at once must not both pass the limit: the count is taken again here.
          await tx.sql.executeSql(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [request.childId]);
          const limit = limitRefusal({
            ...facts,
            ...(await freeUse(tx.sql, request.childId, String(context.program_id), facts.freeYear)),
          });
          if (limit) return limit;
        }
        const application = filedOf((await file(tx.sql, true)).rows[0]);
        if (application.status === 'accepted') {
          const answer = await acceptance.accepted(tx, {
            applicationId: application.id,
            actorUserId: request.actorUserId,
          });
          if (!answer.ok) throw new AcceptanceRefused(answer.message);
        }
        return application;
      });
      return 'ok' in filed ? filed : { ok: true, ...filed };
    } catch (error) {
      if (error instanceof AcceptanceRefused) return refuse('funding', error.refusal);
      if (isUniqueViolation(error)) return refuse('duplicate', 'У ребёнка уже есть заявка в эту группу.');
      throw error;
    }
  }

  /** What the application policy needs, read before anything else; null when there is no such application. */
  async function factsOf(applicationId: string) {
    const [stored] = await queryRows(
      db,
      sql`select group_id, child_id, status, applicant_user_id, organization_id from applications where id = ${applicationId}`,
    );
    if (!stored) return null;
    return {
      groupId: String(stored.group_id),
      childId: String(stored.child_id),
      status: String(stored.status),
      applicantUserId: String(stored.applicant_user_id),
      organizationId: String(stored.organization_id),
    };
  }

  /** The organization of a group's program (the group policy's fact); null when there is no such group. */
  async function groupFactsOf(groupId: string): Promise<GroupFacts | null> {
    const [row] = await queryRows(
      db,
      sql`select p.organization_id from program_groups g join programs p on p.id = g.program_id
           where g.id = ${groupId}`,
    );
    return row ? { organizationId: String(row.organization_id) } : null;
  }

  /**
   * One status change with its seat arithmetic. The policy decides first whether this actor may take `action` on
   * the application (not: 'not_found', so nobody learns of others' applications); `target` maps the current
   * status to the new one (undefined: this change is not possible now → 'conflict').
   */
  async function act(
    actor: Actor,
    applicationId: string,
    action: ApplicationAction,
    target: (status: ApplicationStatus) => ApplicationStatus | undefined,
    reason?: string,
  ): Promise<ActionResult> {
    const stored = await factsOf(applicationId);
    if (!stored || !applicationPolicy.can(actor, action, stored)) return 'not_found';
    const { groupId } = stored;
    try {
      return await decide(actor, applicationId, groupId, target, reason);
    } catch (error) {
      if (error instanceof AcceptanceRefused) return { refused: error.refusal };
      throw error;
    }
  }

  async function decide(
    actor: Actor,
    applicationId: string,
    groupId: string,
    target: (status: ApplicationStatus) => ApplicationStatus | undefined,
    reason?: string,
  ): Promise<ActionResult> {
    return database.transaction(async (tx) => {
      await lockGroup(tx, groupId);
      const { rows } = await tx.sql.executeSql(
        `select status, offer_expires_at from applications where id = $1 for update`,
        [applicationId],
      );
      const from = rows[0]?.status as ApplicationStatus;
      const to = target(from);
      if (!to) return 'conflict';
      if (
        from === 'offered' &&
        to === 'accepted' &&
        new Date(rows[0]!.offer_expires_at as string) <= new Date()
      )
        return 'conflict';
      await changeStatus(tx, {
        applicationId,
        from,
        to,
        actorUserId: actor.id,
        reason: reason ?? null,
      });
      if (to === 'accepted') {
        const answer = await acceptance.accepted(tx, { applicationId, actorUserId: actor?.id ?? null });
        if (!answer.ok) throw new AcceptanceRefused(answer.message);
      } else if (from === 'accepted') {
        await acceptance.left(tx, { applicationId, actorUserId: actor?.id ?? null, reason: reason ?? null });
      }
      if (holdsPlace(from) && !holdsPlace(to)) await releasePlace(tx, queue, groupId);
      return 'done';
    });
  }

  /**
   * The in-person lookup: the certificate of this number whose child has this birth date. Failures are counted
   * before the lookup runs, so parallel tries cannot pass the limit together (a race may refuse early, never
   * late), and a match gives its count back: a match needs both facts of a real child, so it teaches a guesser
   * nothing, and a desk filing dozens of applications at the start of enrolment must not be stopped by its own
   * successes.
   */
  async function lookUp(
    operator: Operator,
    request: InPersonRequest,
    context: AuditContext,
  ): Promise<{ ok: true; childId: string } | LookupRefusal> {
    const organizationId = operator.staff.organizationId!;
    const limits: [string, RateLimitRule][] = [
      [`in-person:user:${operator.id}`, LOOKUP_FAILURES],
      [`in-person:org:${organizationId}`, LOOKUP_FAILURES],
      [`in-person:org-day:${organizationId}`, LOOKUP_FAILURES_PER_DAY],
    ];
    // Counted at every number that could be a certificate's (check digit right), found or not, so a refusal
    // here says nothing about whether the number exists; the key holds the number's hash, not the number.
    const typed = request.certificateNumber.replace(/[\s-]/g, '');
    if (isValidCertificateNumber(typed))
      limits.push([`in-person:number:${hashToken(typed)}`, LOOKUP_FAILURES_PER_NUMBER]);
    const keys = limits.map(([key]) => key);
    const counted = await Promise.all(limits.map(([key, rule]) => rateLimiter.hit(key, rule)));
    const record = (outcome: string, certificateId?: string) =>
      audit(db, {
        actorUserId: operator.id,
        action: 'staff.in_person_lookup',
        ...(certificateId ? { subjectType: 'certificate', subjectId: certificateId } : {}),
        details: { organizationId, groupId: request.groupId, outcome },
        context,
      });
    if (counted.some((result) => !result.allowed)) {
      await record('rate_limited');
      // The wait of the limits that refused: another key's longer window has not been passed.
      const wait = Math.max(
        ...counted.filter((result) => !result.allowed).map((result) => result.retryAfterSeconds),
      );
      return {
        ok: false,
        code: 'too_many_lookups',
        message: `Слишком много неудачных попыток найти сертификат. Попробуйте снова ${waitInWords(wait)}.`,
      };
    }
    const [found] = isValidCertificateNumber(request.certificateNumber)
      ? await queryRows(
          db,
          sql`select cert.id, cert.child_id, cert.status, c.birth_date::text as birth_date
                from certificates cert join children c on c.id = cert.child_id
               where cert.number = ${request.certificateNumber}`,
        )
      : [];
    const outcome = !found
      ? 'not_found'
      : found.status === 'closed'
        ? 'closed'
        : found.birth_date !== request.birthDate
          ? 'birth_date_mismatch'
          : 'matched';
    // The certificate's id (never its number) lets an auditor see tries at one child's number.
    await record(outcome, found ? String(found.id) : undefined);
    if (outcome !== 'matched') return { ok: false, code: 'lookup_failed', message: LOOKUP_FAILED };
    await Promise.all(keys.map((key) => rateLimiter.refund(key)));
    return { ok: true, childId: String(found!.child_id) };
  }

  return {
    apply,

    /**
     * For the child chooser: why each of the actor's own children cannot apply to this group ([] = may apply),
     * by the same rule `apply` refuses by. Children of other accounts are left out.
     */
    /**
     * For the review step: what the child's certificate pays for this group of a certified program over the
     * contract period, and the balance left; null when the program is not certified or the child not the actor's.
     */
    async fundingQuote(
      actor: Actor | null,
      groupId: string,
      childId: string,
    ): Promise<CertificateQuote | null> {
      const context = await loadContext(groupId, childId);
      if (!context || !actor || context.owner_user_id !== actor.id) return null;
      return quoteOf(context);
    },

    async eligibility(actor: Actor, groupId: string, childIds: string[]): Promise<Map<string, Refusal[]>> {
      const today = regionToday();
      const answers = new Map<string, Refusal[]>();
      for (const childId of childIds) {
        const context = await loadContext(groupId, childId);
        if (!context || !actor || context.owner_user_id !== actor.id) continue;
        answers.set(childId, refusalsFor(await eligibilityFacts(context, today), today));
      }
      return answers;
    },

    /**
     * Staff file an application for a parent who came in person with the certificate number and the child's
     * birth date. Nothing about the child is answered before both match (then the usual refusals, e.g. age).
     */
    async fileInPerson(
      operator: Operator,
      request: InPersonRequest,
      context: AuditContext,
    ): Promise<Filed | Refusal | LookupRefusal> {
      const group = await groupFactsOf(request.groupId);
      if (!group || !groupEnrolmentPolicy.can(operator, 'file_in_person', group))
        return refuse('group_not_found', 'Выберите группу');
      const found = await lookUp(operator, request, context);
      if (!found.ok) return found;
      return apply({
        actorUserId: operator.id,
        channel: 'in_person',
        childId: found.childId,
        groupId: request.groupId,
      });
    },

    /** The parent's «Заявки»: their own applications, newest first. */
    listForApplicant: (actor: Actor) => queries.listForApplicant(applicationPolicy.scope(actor, 'read')),

    /** One of the parent's own applications with its history; null when out of reach or missing. */
    async openForApplicant(actor: Actor, applicationId: string) {
      const stored = await factsOf(applicationId);
      if (!stored || !applicationPolicy.can(actor, 'read', stored)) return null;
      const application = await queries.getOne(applicationId, applicationPolicy.scope(actor, 'read'));
      if (!application) return null;
      return { application, events: await queries.history(applicationId) };
    },

    /** The organization's groups (for the filters and the in-person form). */
    groupsForStaff: (operator: Actor) => queries.groupsOf(groupEnrolmentPolicy.scope(operator, 'roster')),

    /** The workspace's counters for organization staff (aggregates only: no one's data). */
    async workload(operator: Actor): Promise<OrganizationWorkload> {
      if (!organizationOf(operator)) return { newApplications: 0, expiringOffers: 0, groupsWithQueue: 0 };
      return queries.workload(applicationPolicy.scope(operator, 'review'));
    },

    /** The organization's applications (children's names, birth dates, certificates), a page at a time; audited. */
    async listForStaff(operator: Operator, filter: OrganizationFilter, context: AuditContext) {
      const organizationId = organizationOf(operator);
      if (!organizationId) return { items: [], total: 0 };
      const list = await queries.listForOrganization(applicationPolicy.scope(operator, 'review'), filter);
      await audit(db, {
        actorUserId: operator.id,
        action: 'staff.applications_listed',
        details: { organizationId, applicationIds: list.items.map((item) => item.id) },
        context,
      });
      return list;
    },

    /** The staff application page: an application to the operator's organization with the parent's contacts. */
    async openForStaff(operator: Operator, applicationId: string, context: AuditContext) {
      const stored = await factsOf(applicationId);
      if (!stored || !applicationPolicy.can(operator, 'review', stored)) return null;
      const scope = applicationPolicy.scope(operator, 'review');
      const application = await queries.getOne(applicationId, scope);
      if (!application) return null;
      const [contact, events] = await Promise.all([
        queries.contact(applicationId, scope),
        queries.history(applicationId),
        audit(db, {
          actorUserId: operator.id,
          action: 'staff.application_viewed',
          subjectType: 'application',
          subjectId: applicationId,
          details: { organizationId: stored.organizationId, childId: application.childId },
          context,
        }),
      ]);
      return { application, contact, events };
    },

    /** A group's roster with the children's and parents' data, as a page or an Excel export; audited. */
    async rosterForStaff(
      operator: Operator,
      groupId: string,
      format: 'page' | 'xlsx',
      context: AuditContext,
    ) {
      const group = await groupFactsOf(groupId);
      if (!group || !groupEnrolmentPolicy.can(operator, 'roster', group)) return null;
      const roster = await queries.roster(groupId, groupEnrolmentPolicy.scope(operator, 'roster'));
      if (!roster) return null;
      await audit(db, {
        actorUserId: operator.id,
        action: format === 'xlsx' ? 'staff.roster_exported' : 'staff.roster_viewed',
        subjectType: 'group',
        subjectId: groupId,
        details: {
          organizationId: group.organizationId,
          applicationIds: roster.members.map((member) => member.id),
        },
        context,
      });
      return roster;
    },

    /**
     * Staff of the group's organization confirm the data of a child who applied to it, with the documents the
     * parent brought in person. The policy is checked here; the children module confirms, audits and writes to
     * the parent as when an administrator confirms, on the fact that the child applied to this organization.
     */
    async confirmChild(
      operator: Operator,
      applicationId: string,
      document: string,
      context: AuditContext,
    ): Promise<
      'confirmed' | 'not_found' | 'closed' | 'already_confirmed' | 'identity_taken' | 'needs_administrator'
    > {
      const stored = await factsOf(applicationId);
      if (!stored || !applicationPolicy.can(operator, 'confirm_child', stored)) return 'not_found';
      // Only while the child applies: a closed application is history, not a reason to reach the child.
      if (!(ACTIVE_STATUSES as readonly string[]).includes(stored.status)) return 'closed';
      return confirmation.confirm(operator, stored.childId, document, context, {
        organizationId: stored.organizationId,
        applicationId,
      });
    },

    /** «Отменить заявку» (Новая, В очереди) or «Отказаться от места» (Предложено место). */
    cancel: (actor: Actor, applicationId: string) =>
      act(actor, applicationId, 'cancel', (status) => PARENT_CANCEL[status]),

    /** «Подтвердить место» before the offer's deadline. */
    takeOffer: (actor: Actor, applicationId: string) =>
      act(actor, applicationId, 'take_offer', (status) => (status === 'offered' ? 'accepted' : undefined)),

    /** «Заявление на отчисление»: the parent ends the enrolment; the place goes to the queue. */
    leave: (actor: Actor, applicationId: string) =>
      act(
        actor,
        applicationId,
        'leave',
        (status) => (status === 'accepted' ? 'expelled' : undefined),
        'Заявление на отчисление от родителя (законного представителя)',
      ),

    accept: (actor: Actor, applicationId: string) =>
      act(actor, applicationId, 'accept', (status) => (status === 'new' ? 'accepted' : undefined)),

    reject: (actor: Actor, applicationId: string, reason: string) =>
      act(
        actor,
        applicationId,
        'reject',
        (status) =>
          status === 'new' || status === 'queued' || status === 'offered' ? 'rejected' : undefined,
        reason,
      ),

    expel: (actor: Actor, applicationId: string, reason: string) =>
      act(
        actor,
        applicationId,
        'expel',
        (status) => (status === 'accepted' ? 'expelled' : undefined),
        reason,
      ),

    complete: (actor: Actor, applicationId: string) =>
      act(actor, applicationId, 'complete', (status) => (status === 'accepted' ? 'completed' : undefined)),

    /** Accepts every «Новая» among the ids: how many were accepted, and why the funding refused the others. */
    async acceptMany(
      operator: Actor,
      applicationIds: string[],
    ): Promise<{ accepted: number; refusals: string[] }> {
      let accepted = 0;
      const refusals: string[] = [];
      for (const id of applicationIds) {
        const result = await this.accept(operator, id);
        if (result === 'done') accepted++;
        else if (typeof result === 'object') refusals.push(result.refused);
      }
      return { accepted, refusals };
    },

    /** The offer's deadline passed (the job scheduled at the offer runs this): the place goes to the next. */
    expireOffer: (applicationId: string) => expireOffer(database, queue, applicationId),

    /** The provider's choice for a group of its organization; false when the group is not theirs. */
    async setAutoAccept(operator: Actor, groupId: string, autoAccept: boolean): Promise<boolean> {
      const group = await groupFactsOf(groupId);
      if (!group || !groupEnrolmentPolicy.can(operator, 'auto_accept', group)) return false;
      const rows = await queryRows(
        db,
        sql`update group_places set auto_accept = ${autoAccept} where group_id = ${groupId} returning group_id`,
      );
      return rows.length > 0;
    },

    /**
     * A group's places, changed by the programs module inside its own transaction (`tx`): creation, a change of
     * «план приёма» (a cut below the places held is refused; a raise offers the new places to the queue in that
     * transaction), and the check before a deletion. The caller has checked that the group is the actor's.
     */
    places: {
      open: (tx: Tx, places: { groupId: string; capacity: number }[]) => openPlaces(tx.db, places),
      changeCapacity: (tx: Tx, groupId: string, capacity: number) =>
        changeCapacity(tx, queue, groupId, capacity),
      mayClose: (tx: Tx, groupId: string) => mayCloseGroup(tx, groupId),
    },
  };
}

export type ApplicationsService = ReturnType<typeof createApplicationsService>;

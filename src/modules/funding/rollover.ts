import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Tx } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/client.js';
import type { JobKind } from '../../platform/jobs/queue.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { ageOn } from '../../platform/validation/fields.js';
import { regionToday } from '../../platform/views/format.js';
import type { CertificatesService } from '../certificates/index.js';
import { shiftMonth, type AccountingService } from './accounting.js';
import { fundingEmails } from './emails.js';
import { grantFunding, type GrantBy } from './grants.js';
import {
  expiryOf,
  hasRoom,
  nextPeriod,
  parsePeriod,
  periodEnded,
  periodName,
  periodOf,
  previousPeriod,
  renewedNominal,
  sumsOf,
  type Given,
  type Movement,
  type Period,
} from './money.js';
import { fundingCategories, fundingLedger, fundingPeriods, fundingRequests } from './schema.js';

/*
 * The period close and the rollover (ADR 0039). When an education year has ended: the month close after it ends
 * its contracts (their last month invoiced first); then, per municipality, every certificate funded in it loses
 * what is left unspent (`expire`), every request still queued is withdrawn, and — when the municipality's next
 * period exists and is open — the funded certificates are funded again there (then the queued ones, carried in
 * their order) while the quota and the cap allow, the rest queued. Batches of requests in request order, one
 * transaction each: the next period's categories locked in id order first (every change of who is funded in a
 * category locks its row), then the closed period's requests in id order (the lock every reserve of a
 * certificate takes, ADR 0034). A rerun or a second run at once finds nothing left to do: a balance expired is 0,
 * a request withdrawn is no longer queued, and a carried request is unique per request it carries.
 */

export const PERIOD_CLOSE_JOB = 'funding-period-close';
/** Requests per transaction: a batch of letters and ledger rows, locks held briefly. */
export const ROLLOVER_BATCH = 200;

const periodClosePayload = z.object({ startsOn: z.string().optional() }).passthrough();
/** The job's name and payload, for whoever enqueues it (opening the next period does, in its transaction). */
export const periodCloseJob: JobKind<typeof periodClosePayload> = {
  name: PERIOD_CLOSE_JOB,
  payload: periodClosePayload,
};

export type By = GrantBy;

/** What a close did; the same close run again reports zeros. */
export interface PeriodCloseReport {
  period: Period;
  /** False: the period has not ended yet (it closes from the day after its last day), nothing was done. */
  ended: boolean;
  /** Municipalities' periods closed by this run. */
  closed: number;
  contractsEnded: number;
  expired: { count: number; kopecks: number };
  withdrawn: number;
  carried: { funded: number; queued: number; grantedKopecks: number };
  /** Certificates funded in the closed period and not (yet) in the next: certificates of учёт again. */
  toAccounting: number;
}

type Executor = Database['db'];
const rowsOf = <Row>(executor: Executor, query: SQL) => queryRows(executor, query) as Promise<Row[]>;
const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

type FundingPeriod = typeof fundingPeriods.$inferSelect;
type FundingCategory = typeof fundingCategories.$inferSelect;

interface RequestFacts {
  id: string;
  status: string;
  certificate_id: string;
  requested_by: string;
  requested_at: string;
  certificate_status: string;
  certificate_type: string;
  birth_date: string;
  municipality_id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  carried: boolean;
  funded_next: boolean;
}

type Carried = { status: 'funded'; amount: number } | { status: 'queued'; position: number } | null;

export function createRolloverService({
  database,
  mailer,
  baseUrl,
  accounting,
  certificates,
}: {
  database: Database;
  mailer: Mailer;
  baseUrl: string;
  accounting: Pick<AccountingService, 'closeMonth'>;
  certificates: Pick<CertificatesService, 'setType'>;
}) {
  const { db } = database;

  /** The municipality's next period, if it exists, is open and not over: only then is anything carried into it. */
  async function usableNext(row: FundingPeriod, today: string): Promise<FundingPeriod | null> {
    const following = nextPeriod(row);
    const [next] = await db
      .select()
      .from(fundingPeriods)
      .where(
        and(
          eq(fundingPeriods.municipalityId, row.municipalityId),
          eq(fundingPeriods.startsOn, following.startsOn),
        ),
      );
    return next && next.open && !next.closedAt && !periodEnded(next, today) ? next : null;
  }

  /** The next period's categories locked in id order, and what each has given so far (read under the locks). */
  async function lockCategories(tx: Tx, periodId: string) {
    const categories = await tx.db
      .select()
      .from(fundingCategories)
      .where(eq(fundingCategories.periodId, periodId))
      .orderBy(asc(fundingCategories.id))
      .for('update');
    const figures = await rowsOf<{ id: string; funded: number; granted: number }>(
      tx.db,
      sql`select c.id,
                 (select count(*) from funding_requests r where r.category_id = c.id and r.status = 'funded')::int
                   as funded,
                 coalesce((select sum(l.amount_kopecks) from funding_ledger l
                            join funding_requests g on g.certificate_id = l.certificate_id and g.period_id = l.period_id
                           where g.category_id = c.id and l.kind = 'grant'), 0)::bigint as granted
            from funding_categories c where c.period_id = ${periodId}`,
    );
    const given = new Map<string, Given>(
      figures.map((row) => [row.id, { funded: Number(row.funded), grantedKopecks: Number(row.granted) }]),
    );
    // Youngest band first, as the parent's own request chooses (service.ts `categoryFor`).
    const ordered = [...categories].sort((a, b) => a.ageFrom - b.ageFrom || a.name.localeCompare(b.name));
    return { categories: ordered, given };
  }

  /** The next batch of the closed period's requests in `status`, in request order after `after`. */
  async function batchOf(
    periodId: string,
    status: 'funded' | 'queued',
    after: { at: string; id: string },
    size: number,
    onlyUncarried: boolean,
  ) {
    return rowsOf<{ id: string; at: string }>(
      db,
      sql`select r.id, r.requested_at::text as at from funding_requests r
           where r.period_id = ${periodId} and r.status = ${status}
             and (r.requested_at, r.id) > (${after.at}::timestamptz, ${after.id}::uuid)
             ${onlyUncarried ? sql`and not exists (select 1 from funding_requests n where n.carried_from_id = r.id)` : sql``}
           order by r.requested_at, r.id limit ${size}`,
    );
  }

  /** Queues, or funds when the category has room, the certificate of `row` in `next`; null when not carried. */
  async function carry(
    tx: Tx,
    row: RequestFacts,
    next: FundingPeriod,
    locked: { categories: FundingCategory[]; given: Map<string, Given> },
    today: string,
    by: By,
  ): Promise<Carried> {
    // A child who moved asks the new municipality; a closed or suspended certificate is funded by no one.
    if (row.certificate_status !== 'active' || Number(row.municipality_id) !== next.municipalityId)
      return null;
    const on = today > next.startsOn ? today : next.startsOn;
    const age = ageOn(row.birth_date, new Date(`${on}T12:00:00Z`));
    const category = locked.categories.find((c) => age >= c.ageFrom && age <= c.ageTo);
    if (!category) return null;
    // Unique on the request carried (and one live request per certificate and period): a rerun inserts nothing.
    const [inserted] = await rowsOf<{ id: string }>(
      tx.db,
      sql`insert into funding_requests (certificate_id, category_id, period_id, status, requested_by, requested_at,
                                        carried_from_id)
          values (${row.certificate_id}, ${category.id}, ${next.id}, 'queued', ${row.requested_by},
                  ${row.requested_at}::timestamptz, ${row.id})
          on conflict do nothing returning id`,
    );
    if (!inserted) return null;
    const amount = renewedNominal(category.nominalKopecks, next, today);
    const given = locked.given.get(category.id) ?? { funded: 0, grantedKopecks: 0 };
    if (
      hasRoom(category, given, amount) &&
      (await grantFunding(
        tx,
        certificates,
        {
          requestId: inserted.id,
          certificateId: row.certificate_id,
          category,
          period: next,
          amountKopecks: amount,
          by,
          carriedFromId: row.id,
        },
        given,
      ))
    ) {
      locked.given.set(category.id, given);
      return { status: 'funded', amount };
    }
    const [ahead] = await rowsOf<{ position: number }>(
      tx.db,
      sql`select count(*)::int + 1 as position from funding_requests
           where category_id = ${category.id} and status = 'queued'
             and (requested_at, id) < (${row.requested_at}::timestamptz, ${inserted.id}::uuid)`,
    );
    return { status: 'queued', position: Number(ahead?.position ?? 1) };
  }

  /** One batch: expire or withdraw each request of the closed period, carry it when it may be, tell the parent. */
  async function runBatch(
    closed: FundingPeriod,
    next: FundingPeriod | null,
    ids: string[],
    today: string,
    by: By,
    report: PeriodCloseReport,
  ) {
    await database.transaction(async (tx) => {
      const locked = next ? await lockCategories(tx, next.id) : null;
      // The requests locked first, then their facts read by a statement of its own: under READ COMMITTED it sees
      // what a concurrent run committed before the lock was granted (a locking join would not re-read the
      // certificate's type).
      await queryRows(
        tx.db,
        sql`select id from funding_requests where id = any(${uuidArray(ids)}) order by id for update`,
      );
      const facts = await rowsOf<RequestFacts>(
        tx.db,
        sql`select r.id, r.status::text as status, r.certificate_id, r.requested_by,
                   r.requested_at::text as requested_at, c.status::text as certificate_status,
                   c.type::text as certificate_type, ch.birth_date::text as birth_date, ch.municipality_id,
                   ch.first_name, ch.last_name, u.email,
                   exists(select 1 from funding_requests n where n.carried_from_id = r.id) as carried,
                   ${
                     next
                       ? sql`exists(select 1 from funding_requests n where n.certificate_id = r.certificate_id
                                      and n.period_id = ${next.id} and n.status = 'funded')`
                       : sql`false`
                   } as funded_next
              from funding_requests r
              join certificates c on c.id = r.certificate_id
              join children ch on ch.id = c.child_id
              left join users u on u.id = ch.owner_user_id
             where r.id = any(${uuidArray(ids)})`,
      );
      const ledger = await rowsOf<{ certificate_id: string; kind: Movement; amount: string }>(
        tx.db,
        sql`select certificate_id, kind, amount_kopecks as amount from funding_ledger
             where period_id = ${closed.id} and certificate_id = any(${uuidArray(facts.map((f) => f.certificate_id))})`,
      );
      const ledgerOf = (certificateId: string) =>
        ledger
          .filter((row) => row.certificate_id === certificateId)
          .map((row) => ({ kind: row.kind, amountKopecks: Number(row.amount) }));
      const order = new Map(ids.map((id, index) => [id, index]));
      facts.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      const letters = [];
      for (const row of facts) {
        const name = `${row.first_name} ${row.last_name}`;
        let expired = 0;
        if (row.status === 'funded') {
          expired = expiryOf(sumsOf(ledgerOf(row.certificate_id)));
          if (expired > 0) {
            await tx.db.insert(fundingLedger).values({
              certificateId: row.certificate_id,
              periodId: closed.id,
              kind: 'expire',
              amountKopecks: expired,
              reason: `Окончание периода: ${periodName(closed)}. Неизрасходованный остаток не переносится`,
              ...by,
            });
            report.expired.count += 1;
            report.expired.kopecks += expired;
          }
        } else if (row.status === 'queued') {
          await tx.db
            .update(fundingRequests)
            .set({ status: 'withdrawn', decidedAt: sql`clock_timestamp()` })
            .where(eq(fundingRequests.id, row.id));
          report.withdrawn += 1;
        } else continue; // withdrawn by a run before this one, which decided its carrying too
        const carried = next && !row.carried ? await carry(tx, row, next, locked!, today, by) : null;
        if (carried?.status === 'funded') {
          report.carried.funded += 1;
          report.carried.grantedKopecks += carried.amount;
          if (row.email)
            letters.push(
              fundingEmails.renewed(row.email, baseUrl, name, periodName(next!), carried.amount, expired),
            );
        } else if (carried?.status === 'queued') {
          report.carried.queued += 1;
          if (row.email)
            letters.push(
              fundingEmails.renewedQueued(row.email, baseUrl, name, periodName(next!), carried.position),
            );
        }
        if (carried?.status === 'funded' || row.carried) continue;
        if (row.status === 'funded' && row.certificate_type === 'funded' && !row.funded_next) {
          // Not funded in the new period (yet): a certificate of учёт again, until it is.
          await certificates.setType(tx, row.certificate_id, 'accounting');
          report.toAccounting += 1;
          if (!carried && row.email)
            letters.push(fundingEmails.periodEnded(row.email, baseUrl, name, periodName(closed), expired));
        } else if (row.status === 'queued' && !carried && row.email) {
          letters.push(fundingEmails.withdrawn(row.email, baseUrl, name, periodName(closed)));
        }
      }
      await mailer.sendMany(tx.sql, letters);
    });
  }

  /** Every request of `status` in the closed period (or only those not carried yet), batch by batch. */
  async function sweep(
    closed: FundingPeriod,
    next: FundingPeriod | null,
    status: 'funded' | 'queued',
    onlyUncarried: boolean,
    today: string,
    by: By,
    size: number,
    report: PeriodCloseReport,
  ) {
    for (let after = { at: '-infinity', id: ZERO_UUID }; ;) {
      const batch = await batchOf(closed.id, status, after, size, onlyUncarried);
      if (batch.length === 0) return;
      after = batch.at(-1)!;
      await runBatch(
        closed,
        next,
        batch.map((row) => row.id),
        today,
        by,
        report,
      );
    }
  }

  return {
    /**
     * Closes the education year `period` in every municipality (or one): its contracts end, what is left expires,
     * the queue is withdrawn or carried, and the funded certificates are funded again in the next period when it
     * is open. Run again once the next period opens, it funds there those not carried yet. Safe to rerun and to
     * run twice at once. Refused (nothing done) before the period's end.
     */
    async closePeriod(
      period: Period,
      by: By = { job: PERIOD_CLOSE_JOB },
      options: { today?: string; municipalityId?: number; size?: number } = {},
    ): Promise<PeriodCloseReport> {
      const today = options.today ?? regionToday();
      const size = options.size ?? ROLLOVER_BATCH;
      const report: PeriodCloseReport = {
        period,
        ended: periodEnded(period, today),
        closed: 0,
        contractsEnded: 0,
        expired: { count: 0, kopecks: 0 },
        withdrawn: 0,
        carried: { funded: 0, queued: 0, grantedKopecks: 0 },
        toAccounting: 0,
      };
      if (!report.ended) return report;
      const rows = await db
        .select()
        .from(fundingPeriods)
        .where(
          and(
            eq(fundingPeriods.startsOn, period.startsOn),
            options.municipalityId === undefined
              ? undefined
              : eq(fundingPeriods.municipalityId, options.municipalityId),
          ),
        )
        .orderBy(asc(fundingPeriods.municipalityId));
      if (rows.some((row) => !row.closedAt)) {
        // The month close after the period invoices its last month and then ends its contracts (ADR 0035), so
        // what a contract still held is back on the balance before the balance expires.
        const month = await accounting.closeMonth(shiftMonth(`${period.endsOn.slice(0, 7)}-01`, 1), by);
        report.contractsEnded = month.ended;
      }
      for (const row of rows) {
        const next = await usableNext(row, today);
        if (!row.closedAt) {
          await sweep(row, next, 'funded', false, today, by, size, report);
          await sweep(row, next, 'queued', false, today, by, size, report);
          const marked = await db
            .update(fundingPeriods)
            .set({
              closedAt: sql`now()`,
              closedBy: 'job' in by ? by.job : `user:${by.actorUserId}`,
            })
            .where(and(eq(fundingPeriods.id, row.id), isNull(fundingPeriods.closedAt)))
            .returning({ id: fundingPeriods.id });
          report.closed += marked.length;
        } else if (next) {
          await sweep(row, next, 'funded', true, today, by, size, report);
        }
      }
      return report;
    },
  };
}

export type RolloverService = ReturnType<typeof createRolloverService>;

/** The period a job run is about: its payload's, else the education year before today's. */
export function periodToClose(startsOn: string | undefined, today = regionToday()): Period {
  return (startsOn ? parsePeriod(startsOn) : null) ?? previousPeriod(periodOf(today));
}

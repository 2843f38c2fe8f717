import { sql, type SQL } from 'drizzle-orm';
import { authorize, type Actor } from '../../platform/access/policy.js';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import type { Database } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/client.js';
import { ageOn } from '../../platform/validation/fields.js';
import { formatDate, regionToday } from '../../platform/views/format.js';
import {
  contractSplit,
  formatRoubles,
  periodOf,
  proratedNominal,
  sumsOf,
  type MonthSplit,
  type Movement,
} from './money.js';
import { normativeCostPolicy } from './policy.js';
import { contractMonths, normativeCost } from './quote.js';
import type { FundingService } from './service.js';
import { FUNDING_TEXTS } from './views.js';

/** Rows of a hand-written query, typed by the caller (its columns are named in the SQL beside it). */
const rowsOf = <Row>(executor: Database['db'], query: SQL) => queryRows(executor, query) as Promise<Row[]>;

/** What the certificate would pay for a group of a certified program, for one child (the review step's facts). */
export interface QuoteInput {
  childId: string;
  programId: string;
  /** The group's monthly price by certificate, whole roubles; null: the group names none. */
  priceRoubles: number | null;
  studyStart: string;
  studyEnd: string;
}

export type QuoteRefusalCode =
  | 'funding_closed'
  | 'contracts_banned'
  | 'funding_balance'
  | 'funding_queued'
  | 'funding_age'
  | 'funding_unconfirmed';

/**
 * A certified program's split for one child: the first month's share, the contract period's totals, and the
 * balance before and after. `fundedNow` is false for a certificate of учёт that will be funded automatically when
 * the parent applies (`room` says whether the category has a place now; without one it joins the queue).
 */
export type FundingQuote =
  | { ok: false; code: QuoteRefusalCode; message: string }
  | {
      ok: true;
      fundedNow: boolean;
      room: boolean;
      months: number;
      priceKopecks: number;
      normativeKopecks: number | null;
      firstMonth: MonthSplit;
      certificateKopecks: number;
      familyKopecks: number;
      balanceKopecks: number;
      balanceAfterKopecks: number;
    };

/** «Сертификат покроет 3 200 ₽, доплата семьи 800 ₽ в месяц»: the program page's and the review step's line. */
export function splitLine(month: MonthSplit): string {
  if (month.familyKopecks === 0)
    return `Сертификат покроет ${formatRoubles(month.certificateKopecks)} в месяц, доплата семьи не нужна`;
  return `Сертификат покроет ${formatRoubles(month.certificateKopecks)}, доплата семьи ${formatRoubles(month.familyKopecks)} в месяц`;
}

/**
 * THE normative cost a month (kopecks) of a program in the period starting `periodStart` (by default the current
 * one): the coordinator's value for the program, else its hours per month × its municipality's hourly rate; null:
 * neither (then the price alone limits the certificate).
 */
export async function normativeCostIn(
  executor: Database['db'],
  programId: string,
  periodStart = periodOf(regionToday()).startsOn,
): Promise<number | null> {
  const [row] = await rowsOf<{
    explicit: string | null;
    hours_total: number;
    duration_months: number;
    rate: string | null;
  }>(
    executor,
    sql`select n.monthly_kopecks as explicit, p.hours_total, p.duration_months, fp.hourly_rate_kopecks as rate
            from programs p
            left join funding_normative_costs n on n.program_id = p.id
            left join funding_periods fp on fp.municipality_id = p.municipality_id and fp.starts_on = ${periodStart}
           where p.id = ${programId}`,
  );
  if (!row) return null;
  return normativeCost({
    explicitKopecks: row.explicit === null ? null : Number(row.explicit),
    hoursTotal: Number(row.hours_total),
    durationMonths: Number(row.duration_months),
    hourlyRateKopecks: row.rate === null ? null : Number(row.rate),
  });
}

/**
 * The normative cost of certified programs and the split a child's certificate gives (ADR 0033): one function,
 * `normativeCostOf`, answers the normative cost everywhere; `quote` is what the applications module asks through
 * its port before a child applies to a certified program.
 */
export function createFundingQuotes({ database, funding }: { database: Database; funding: FundingService }) {
  const { db } = database;

  const normativeCostOf = (programId: string, executor: Database['db'] = db, periodStart?: string) =>
    normativeCostIn(executor, programId, periodStart);

  /** The child's certificate, its municipality's current period and the child's request in it, in one query. */
  async function holderFacts(childId: string, periodStart: string) {
    const [row] = await rowsOf<{
      birth_date: string;
      certificate_id: string | null;
      certificate_status: string | null;
      certificate_type: string | null;
      period_id: string | null;
      open: boolean | null;
      closed: boolean | null;
      banned_from: string | null;
      request_id: string | null;
      request_status: string | null;
      requested_at: string | null;
      category_id: string | null;
    }>(
      db,
      sql`select ch.birth_date::text, c.id as certificate_id, c.status as certificate_status, c.type as certificate_type,
                 fp.id as period_id, fp.open, fp.closed_at is not null as closed, fp.contracts_banned_from::text as banned_from,
                 r.id as request_id, r.status as request_status, r.requested_at::text, r.category_id
            from children ch
            left join certificates c on c.child_id = ch.id
            left join funding_periods fp on fp.municipality_id = ch.municipality_id and fp.starts_on = ${periodStart}
            left join funding_requests r on r.certificate_id = c.id and r.period_id = fp.id
                                        and r.status in ('queued', 'funded')
           where ch.id = ${childId}`,
    );
    return row ?? null;
  }

  return {
    normativeCostOf,

    /**
     * The split for a child and a group of a certified program, or why the certificate cannot pay for it; null
     * when there is nothing to quote (no live certificate — the eligibility rule says so — or the group names no
     * price by certificate). The caller has checked that the child is within the actor's reach.
     */
    async quote(input: QuoteInput): Promise<FundingQuote | null> {
      const today = regionToday();
      const period = periodOf(today);
      const facts = await holderFacts(input.childId, period.startsOn);
      if (!facts?.certificate_id || input.priceRoubles === null) return null;
      if (facts.certificate_status === 'awaiting_confirmation')
        return {
          ok: false,
          code: 'funding_unconfirmed',
          message:
            'Оплатить программу сертификатом можно после подтверждения данных ребёнка: на вкладке «Дети» нажмите «подтвердить данные».',
        };
      if (facts.certificate_status !== 'active') return null;
      if (!facts.period_id || !facts.open || facts.closed)
        return {
          ok: false,
          code: 'funding_closed',
          message: `${FUNDING_TEXTS.noFunding}: записаться на программу по сертификату сейчас нельзя.`,
        };
      if (facts.banned_from !== null && facts.banned_from <= today)
        return {
          ok: false,
          code: 'contracts_banned',
          message: `С ${formatDate(facts.banned_from)} муниципалитет не заключает новые договоры по сертификатам: записаться на программу по сертификату нельзя.`,
        };
      let balanceKopecks: number;
      let fundedNow = false;
      let room = true;
      if (facts.request_status === 'funded') {
        const ledger = await rowsOf<{ kind: Movement; amount: string }>(
          db,
          sql`select kind, amount_kopecks as amount from funding_ledger
               where certificate_id = ${facts.certificate_id} and period_id = ${facts.period_id}`,
        );
        balanceKopecks = sumsOf(
          ledger.map((row) => ({ kind: row.kind, amountKopecks: Number(row.amount) })),
        ).balance;
        fundedNow = true;
      } else if (facts.request_status === 'queued') {
        const [ahead] = await rowsOf<{ position: number }>(
          db,
          sql`select count(*)::int + 1 as position from funding_requests
               where category_id = ${facts.category_id} and status = 'queued'
                 and (requested_at, id) < (${facts.requested_at}::timestamptz, ${facts.request_id}::uuid)`,
        );
        return {
          ok: false,
          code: 'funding_queued',
          message: `${FUNDING_TEXTS.queued(Number(ahead?.position ?? 1))} на финансирование сертификата. Когда сертификат профинансируют, мы пришлём письмо — тогда подайте заявку снова.`,
        };
      } else {
        // A certificate of учёт: funded when the parent applies, if a category fits and has room.
        const age = ageOn(facts.birth_date, new Date(`${today}T12:00:00Z`));
        const categories = await rowsOf<{
          nominal: string;
          quota: number;
          cap: string | null;
          funded: number;
          granted: string;
        }>(
          db,
          sql`select c.nominal_kopecks as nominal, c.quota, c.nominal_cap_kopecks as cap,
                     (select count(*) from funding_requests r where r.category_id = c.id and r.status = 'funded')::int as funded,
                     coalesce((select sum(l.amount_kopecks) from funding_ledger l
                                join funding_requests g on g.certificate_id = l.certificate_id and g.period_id = l.period_id
                               where g.category_id = c.id and l.kind = 'grant'), 0)::bigint as granted
                from funding_categories c
               where c.period_id = ${facts.period_id} and ${age} between c.age_from and c.age_to
               order by c.age_from, c.name limit 1`,
        );
        const category = categories[0];
        if (!category)
          return {
            ok: false,
            code: 'funding_age',
            message:
              'Сертификаты детей этого возраста муниципалитет сейчас не финансирует: записаться на программу по сертификату нельзя.',
          };
        balanceKopecks = proratedNominal(Number(category.nominal), period, today);
        room =
          category.funded < category.quota &&
          (category.cap === null || Number(category.granted) + balanceKopecks <= Number(category.cap));
      }
      const normativeKopecks = await normativeCostOf(input.programId, db, period.startsOn);
      const priceKopecks = input.priceRoubles * 100;
      const months = contractMonths(input, period, today);
      const split = contractSplit({ priceKopecks, normativeKopecks, months, balanceKopecks });
      if (fundedNow && !split.coversFirstMonth)
        return {
          ok: false,
          code: 'funding_balance',
          message: `Средств сертификата не хватает даже на первый месяц: осталось ${formatRoubles(balanceKopecks)}, а сертификат платит за эту группу ${formatRoubles(Math.min(priceKopecks, normativeKopecks ?? priceKopecks))} в месяц.`,
        };
      return {
        ok: true,
        fundedNow,
        room,
        months,
        priceKopecks,
        normativeKopecks,
        firstMonth: split.months[0] ?? { certificateKopecks: 0, familyKopecks: priceKopecks },
        certificateKopecks: split.certificateKopecks,
        familyKopecks: split.familyKopecks,
        balanceKopecks,
        balanceAfterKopecks: balanceKopecks - split.certificateKopecks,
      };
    },

    /**
     * A confirmed certificate of учёт applying to a certified program: the parent's «Подать заявление на
     * финансирование», made for them (the same transaction, queue and letters). Answers the state after.
     */
    autoFund: (parent: Actor, childId: string) => funding.request(parent, childId),

    /** Certified programs with their normative cost, for the coordinator's list (`q`: part of the name). */
    async certifiedPrograms(actor: Actor, q: string) {
      authorize(normativeCostPolicy, actor, 'set', { programId: '' });
      const period = periodOf(regionToday());
      const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = await rowsOf<{ id: string; name: string; organization: string; explicit: string | null }>(
        db,
        sql`select p.id, p.name, o.short_name as organization, n.monthly_kopecks as explicit
              from programs p join organizations o on o.id = p.organization_id
              left join funding_normative_costs n on n.program_id = p.id
             where p.financing = 'certificate' and p.status <> 'archived' and p.name ilike ${pattern}
             order by p.name, p.id limit 50`,
      );
      return Promise.all(
        rows.map(async (row) => ({
          id: row.id,
          name: row.name,
          organization: row.organization,
          explicitKopecks: row.explicit === null ? null : Number(row.explicit),
          normativeKopecks: await normativeCostOf(row.id, db, period.startsOn),
        })),
      );
    },

    /** One certified program's normative cost as the coordinator's form shows it; null: no such program. */
    async normativeOf(actor: Actor, programId: string) {
      authorize(normativeCostPolicy, actor, 'set', { programId });
      const [row] = await rowsOf<{
        id: string;
        name: string;
        hours_total: number;
        duration_months: number;
        explicit: string | null;
      }>(
        db,
        sql`select p.id, p.name, p.hours_total, p.duration_months, n.monthly_kopecks as explicit
              from programs p left join funding_normative_costs n on n.program_id = p.id
             where p.id = ${programId} and p.financing = 'certificate'`,
      );
      if (!row) return null;
      return {
        id: row.id,
        name: row.name,
        hoursTotal: Number(row.hours_total),
        durationMonths: Number(row.duration_months),
        explicitKopecks: row.explicit === null ? null : Number(row.explicit),
        normativeKopecks: await normativeCostOf(row.id),
      };
    },

    /**
     * Sets (or, with null, removes — the hourly rate then applies) a certified program's normative cost. Audited
     * with the values before and after.
     */
    async setNormativeCost(
      actor: Actor,
      programId: string,
      monthlyKopecks: number | null,
      context?: AuditContext,
    ) {
      authorize(normativeCostPolicy, actor, 'set', { programId });
      return database.transaction(async (tx) => {
        const [program] = await rowsOf<{ id: string; before: string | null }>(
          tx.db,
          sql`select p.id, n.monthly_kopecks as before from programs p
                left join funding_normative_costs n on n.program_id = p.id
               where p.id = ${programId} and p.financing = 'certificate' for update of p`,
        );
        if (!program) return false;
        if (monthlyKopecks === null)
          await tx.db.execute(sql`delete from funding_normative_costs where program_id = ${programId}`);
        else
          await tx.db.execute(
            sql`insert into funding_normative_costs (program_id, monthly_kopecks, set_by)
                values (${programId}, ${monthlyKopecks}, ${actor.id})
                on conflict (program_id) do update
                  set monthly_kopecks = excluded.monthly_kopecks, set_by = excluded.set_by, set_at = now()`,
          );
        await audit(tx.db, {
          actorUserId: actor.id,
          action: 'funding.normative_set',
          subjectType: 'program',
          subjectId: programId,
          details: { before: program.before === null ? null : Number(program.before), after: monthlyKopecks },
          context,
        });
        return true;
      });
    },
  };
}

export type FundingQuotes = ReturnType<typeof createFundingQuotes>;

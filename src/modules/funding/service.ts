import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { authorize, type Actor } from '../../platform/access/policy.js';
import { audit } from '../../platform/audit/audit.js';
import type { Database, Tx } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/client.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { ageOn } from '../../platform/validation/fields.js';
import { regionToday } from '../../platform/views/format.js';
import type { AccountsService } from '../accounts/index.js';
import type { Certificate, CertificatesService } from '../certificates/index.js';
import type { ChildrenService } from '../children/index.js';
import { fundingEmails } from './emails.js';
import { grantFunding, type GrantBy } from './grants.js';
import { normativeCostIn } from './quotes.js';
import {
  hasRoom,
  nextPeriod,
  periodEnded,
  periodOf,
  previousPeriod,
  proratedNominal,
  sumsOf,
  type Given,
  type Period,
  type Sums,
} from './money.js';
import { periodCloseJob } from './rollover.js';
import { fundingRequestPolicy, fundingSettingsPolicy, normativeCostPolicy } from './policy.js';
import { fundingCategories, fundingLedger, fundingPeriods, fundingRequests } from './schema.js';

export type FundingPeriod = typeof fundingPeriods.$inferSelect;
export type FundingCategory = typeof fundingCategories.$inferSelect;
export type FundingRequest = typeof fundingRequests.$inferSelect;

export interface CategoryInput {
  name: string;
  ageFrom: number;
  ageTo: number;
  nominalKopecks: number;
  quota: number;
  nominalCapKopecks: number | null;
}

/** A category with what it has given so far. */
export interface CategoryState extends FundingCategory {
  funded: number;
  queued: number;
  grantedKopecks: number;
}

/**
 * Where a child's certificate stands with funding, as the card and the funding page tell it:
 * - `no_certificate` / `not_confirmed`: funding comes after «Получить сертификат» and the in-person confirmation;
 * - `closed`: the municipality does not fund now — the seed's «В настоящее время финансирование сертификата не
 *   осуществляется»;
 * - `no_category`: it funds, but no category fits the child (its age);
 * - `can_request`: «Подать заявление на финансирование»;
 * - `queued`: «Лимит сертификатов исчерпан. Вы N-й в очереди»;
 * - `funded`: the nominal and the sums of the period.
 */
export type FundingState =
  | { status: 'no_certificate' | 'not_confirmed' | 'closed' | 'no_category'; period: Period }
  | { status: 'can_request'; period: Period; category: FundingCategory; nominalKopecks: number }
  | { status: 'queued'; period: Period; category: FundingCategory; position: number; requestedAt: Date }
  | { status: 'funded'; period: Period; category: FundingCategory; sums: Sums };

export type RequestResult = FundingState | { status: 'not_found' };

export type CategoryResult =
  { ok: true; category: FundingCategory } | { ok: false; errors: Partial<Record<string, string>> };

/** How long a municipality's free-programs limit is kept between reads (ADR 0047). */
export const FREE_LIMIT_LIFETIME_MS = 5_000;

/** Rows of a hand-written query, typed by the caller (its columns are named in the SQL beside it). */
const rowsOf = <Row>(executor: Database['db'], query: SQL) => queryRows(executor, query) as Promise<Row[]>;

type Child = NonNullable<Awaited<ReturnType<ChildrenService['getOwned']>>>;

/**
 * Funded certificates (ПФДО, ADR 0019): each municipality's periods and categories, the parents' requests served in
 * request order while quotas last, and the ledger every rouble moves through. A category's row is locked by every
 * change of who is funded in it, so a quota is never exceeded however many parents press the button at once.
 */
export function createFundingService({
  database,
  children,
  certificates,
  accounts,
  mailer,
  baseUrl,
  queue,
}: {
  database: Database;
  children: ChildrenService;
  certificates: CertificatesService;
  accounts: Pick<AccountsService, 'getProfile'>;
  mailer: Mailer;
  baseUrl: string;
  /** Where opening a period queues the rollover into it; none in tests that do not need it. */
  queue?: Pick<JobQueue, 'enqueue'>;
}) {
  const { db } = database;

  async function periodRow(executor: Database['db'], municipalityId: number, startsOn: string) {
    const [row] = await executor
      .select()
      .from(fundingPeriods)
      .where(and(eq(fundingPeriods.municipalityId, municipalityId), eq(fundingPeriods.startsOn, startsOn)));
    return row ?? null;
  }

  /**
   * The free-programs limit of each municipality's period, kept for a few seconds: every application asks it
   * (ADR 0047). A save in this process forgets them at once; another process's save is seen within the lifetime.
   */
  const freeLimits = new Map<string, { limit: number | null; until: number }>();
  let freeLimitsGeneration = 0;
  function forgetFreeLimits() {
    freeLimits.clear();
    freeLimitsGeneration++;
  }

  async function categoriesOf(executor: Database['db'], periodId: string): Promise<CategoryState[]> {
    const rows = await rowsOf<{ id: string; funded: number; queued: number; granted: number }>(
      executor,
      sql`select c.id,
                 count(r.id) filter (where r.status = 'funded')::int as funded,
                 count(r.id) filter (where r.status = 'queued')::int as queued,
                 coalesce((select sum(l.amount_kopecks) from funding_ledger l
                            join funding_requests g on g.certificate_id = l.certificate_id and g.period_id = l.period_id
                           where g.category_id = c.id and l.kind = 'grant'), 0)::bigint as granted
            from funding_categories c
            left join funding_requests r on r.category_id = c.id
           where c.period_id = ${periodId}
           group by c.id`,
    );
    const figures = new Map(rows.map((row) => [row.id, row]));
    const categories = await executor
      .select()
      .from(fundingCategories)
      .where(eq(fundingCategories.periodId, periodId))
      .orderBy(asc(fundingCategories.ageFrom), asc(fundingCategories.name));
    return categories.map((category) => {
      const row = figures.get(category.id);
      return {
        ...category,
        funded: Number(row?.funded ?? 0),
        queued: Number(row?.queued ?? 0),
        grantedKopecks: Number(row?.granted ?? 0),
      };
    });
  }

  /** The first category (youngest band first) the child's age on `today` fits. */
  function categoryFor(categories: FundingCategory[], birthDate: string, today: string) {
    const age = ageOn(birthDate, new Date(`${today}T12:00:00Z`));
    return categories.find((category) => age >= category.ageFrom && age <= category.ageTo) ?? null;
  }

  async function sumsFor(executor: Database['db'], certificateId: string, periodId: string): Promise<Sums> {
    const rows = await executor
      .select({ kind: fundingLedger.kind, amountKopecks: fundingLedger.amountKopecks })
      .from(fundingLedger)
      .where(and(eq(fundingLedger.certificateId, certificateId), eq(fundingLedger.periodId, periodId)));
    return sumsOf(rows);
  }

  async function queuePosition(executor: Database['db'], request: FundingRequest): Promise<number> {
    const [row] = await rowsOf<{ ahead: number }>(
      executor,
      sql`select count(*)::int as ahead from funding_requests
           where category_id = ${request.categoryId} and status = 'queued'
             and (requested_at, id) < (${request.requestedAt.toISOString()}::timestamptz, ${request.id}::uuid)`,
    );
    return Number(row?.ahead ?? 0) + 1;
  }

  /** Locks the category: every change of who is funded in it goes through this row, one at a time. */
  async function lockCategory(tx: Tx, categoryId: string): Promise<FundingCategory | undefined> {
    const [category] = await tx.db
      .select()
      .from(fundingCategories)
      .where(eq(fundingCategories.id, categoryId))
      .for('update');
    return category;
  }

  /** What the category has given so far, read once under its lock; the caller counts each grant it adds. */
  async function givenIn(tx: Tx, category: FundingCategory): Promise<Given | null> {
    const state = (await categoriesOf(tx.db, category.periodId)).find((c) => c.id === category.id);
    return state ? { funded: state.funded, grantedKopecks: state.grantedKopecks } : null;
  }

  /** Funds a request with `amount` (its category's prorated nominal), in the caller's transaction. */
  function grant(
    tx: Tx,
    request: FundingRequest,
    category: FundingCategory,
    period: FundingPeriod,
    amount: number,
    by: GrantBy,
    given: Given,
  ): Promise<boolean> {
    const grant = { requestId: request.id, certificateId: request.certificateId, category, period };
    return grantFunding(tx, certificates, { ...grant, amountKopecks: amount, by }, given);
  }

  /** Funds the oldest queued requests while the category has room; call with the category locked. */
  async function promote(tx: Tx, category: FundingCategory, period: FundingPeriod, by: GrantBy) {
    if (!period.open || period.closedAt) return;
    const given = await givenIn(tx, category);
    if (!given) return;
    const queued = await tx.db
      .select()
      .from(fundingRequests)
      .where(and(eq(fundingRequests.categoryId, category.id), eq(fundingRequests.status, 'queued')))
      .orderBy(asc(fundingRequests.requestedAt), asc(fundingRequests.id));
    const amount = proratedNominal(category.nominalKopecks, period, regionToday());
    for (const request of queued) {
      if (!hasRoom(category, given, amount)) return;
      if (await grant(tx, request, category, period, amount, by, given)) {
        await tellParent(tx, request, 'funded', amount);
      }
    }
  }

  async function tellParent(
    tx: Tx,
    request: FundingRequest,
    what: 'funded' | 'queued',
    amount: number,
    position = 0,
  ) {
    const childId = await certificates.childOf(tx.db, request.certificateId);
    const child = childId ? await children.recipientOf(tx.db, childId) : null;
    if (!child) return;
    const parent = await accounts.getProfile(child.ownerUserId, tx.db);
    if (!parent) return;
    const name = `${child.firstName} ${child.lastName}`;
    await mailer.send(
      tx.sql,
      what === 'funded'
        ? fundingEmails.funded(parent.email, baseUrl, name, amount)
        : fundingEmails.queued(parent.email, baseUrl, name, position),
    );
  }

  /** The child (if the actor may `action` its funding), its certificate, and its municipality's current period. */
  async function holderOf(actor: Actor, childId: string, action: 'request' | 'read') {
    const child: Child | null = await children.getOwned(actor, childId);
    if (!child || !fundingRequestPolicy.can(actor, action, child)) return null;
    const certificate = (await certificates.forChildren(actor, [child.id])).get(child.id) ?? null;
    const period = periodOf(regionToday());
    return { child, certificate, period };
  }

  async function stateIn(
    executor: Database['db'],
    child: Child,
    certificate: Certificate | null,
    period: Period,
  ): Promise<FundingState> {
    if (!certificate || certificate.status === 'closed') return { status: 'no_certificate', period };
    const row = await periodRow(executor, child.municipalityId, period.startsOn);
    const [request] = row
      ? await executor
          .select()
          .from(fundingRequests)
          .where(
            and(
              eq(fundingRequests.certificateId, certificate.id),
              eq(fundingRequests.periodId, row.id),
              sql`${fundingRequests.status} in ('queued', 'funded')`,
            ),
          )
      : [];
    if (row && request) {
      const [category] = await executor
        .select()
        .from(fundingCategories)
        .where(eq(fundingCategories.id, request.categoryId));
      if (request.status === 'funded')
        return {
          status: 'funded',
          period,
          category: category!,
          sums: await sumsFor(executor, certificate.id, row.id),
        };
      return {
        status: 'queued',
        period,
        category: category!,
        position: await queuePosition(executor, request),
        requestedAt: request.requestedAt,
      };
    }
    if (certificate.status !== 'active') return { status: 'not_confirmed', period };
    if (!row || !row.open || row.closedAt) return { status: 'closed', period };
    const category = categoryFor(await categoriesOf(executor, row.id), child.birthDate, regionToday());
    if (!category) return { status: 'no_category', period };
    return {
      status: 'can_request',
      period,
      category,
      nominalKopecks: proratedNominal(category.nominalKopecks, row, regionToday()),
    };
  }

  return {
    /**
     * A certified program's «нормативная стоимость» a month, in kopecks; null when none is set (the price alone
     * limits what the certificate pays). Public: the program page and the catalog show the split it gives.
     */
    async normativeCostOf(programId: string, executor: Database['db'] = db): Promise<number | null> {
      // The explicit value or hours × the municipality's hourly rate (quotes.ts, ADR 0033).
      return normativeCostIn(executor, programId);
    },

    /** The funding of a child's certificate, for its parent and the staff who oversee its municipality. */
    async stateOf(actor: Actor, childId: string): Promise<FundingState | null> {
      const holder = await holderOf(actor, childId, 'read');
      if (!holder) return null;
      return stateIn(db, holder.child, holder.certificate, holder.period);
    },

    /**
     * The certificate's state for the current period and, when known (funded or queued there already), the next:
     * the parent's balance per period (the card, the funding page, the API). Null for someone else's child.
     */
    async periodsOf(
      actor: Actor,
      childId: string,
    ): Promise<{ current: FundingState; next: FundingState | null } | null> {
      const holder = await holderOf(actor, childId, 'read');
      if (!holder) return null;
      const current = await stateIn(db, holder.child, holder.certificate, holder.period);
      const next = await stateIn(db, holder.child, holder.certificate, nextPeriod(holder.period));
      return { current, next: next.status === 'funded' || next.status === 'queued' ? next : null };
    },

    /**
     * «Подать заявление на финансирование»: funded at once when the category has room, else queued in request
     * order. Pressing twice, or in two tabs, gives the same one request.
     */
    async request(actor: Actor, childId: string): Promise<RequestResult> {
      const holder = await holderOf(actor, childId, 'request');
      if (!holder) return { status: 'not_found' };
      const { child, certificate, period } = holder;
      const before = await stateIn(db, child, certificate, period);
      if (before.status !== 'can_request') return before;
      const row = (await periodRow(db, child.municipalityId, period.startsOn))!;
      return database.transaction(async (tx) => {
        const category = await lockCategory(tx, before.category.id);
        // Settings or another tab may have changed since the first look: ask again under the lock.
        const now = await stateIn(tx.db, child, certificate, period);
        if (!category || now.status !== 'can_request' || now.category.id !== category.id) return now;
        const [request] = await tx.db
          .insert(fundingRequests)
          .values({
            certificateId: certificate!.id,
            categoryId: category.id,
            periodId: row.id,
            requestedBy: actor.id,
            requestedAt: sql`clock_timestamp()`,
          })
          .returning();
        await audit(tx.db, {
          actorUserId: actor.id,
          action: 'funding.requested',
          subjectType: 'certificate',
          subjectId: certificate!.id,
          details: { requestId: request!.id, categoryId: category.id },
        });
        const amount = proratedNominal(category.nominalKopecks, row, regionToday());
        const given = await givenIn(tx, category);
        if (
          given !== null &&
          hasRoom(category, given, amount) &&
          (await grant(tx, request!, category, row, amount, { actorUserId: actor.id }, given))
        ) {
          await tellParent(tx, request!, 'funded', amount);
        } else {
          await tellParent(tx, request!, 'queued', amount, await queuePosition(tx.db, request!));
        }
        return stateIn(tx.db, child, certificate, period);
      });
    },

    /**
     * The number of free budget-registry programs a child of the municipality may enter in the education year of
     * `today` (null: no limit), with that year's days: what the applications module's limit asks (its port).
     */
    async freeProgramsOf(
      municipalityId: number,
      today: string,
    ): Promise<{ limit: number | null; startsOn: string; endsOn: string }> {
      const period = periodOf(today);
      const key = `${municipalityId}:${period.startsOn}`;
      const kept = freeLimits.get(key);
      if (kept && kept.until > Date.now()) return { limit: kept.limit, ...period };
      const generation = freeLimitsGeneration;
      const row = await periodRow(db, municipalityId, period.startsOn);
      const limit = row?.freeProgramsPerChild ?? null;
      // Kept only if no save forgot the limits while this one was read: the read may predate that save.
      if (generation === freeLimitsGeneration)
        freeLimits.set(key, { limit, until: Date.now() + FREE_LIMIT_LIFETIME_MS });
      return { limit, ...period };
    },

    /** Every municipality the actor keeps funding for, with its period's state: the coordinator sees all 27. */
    async overview(actor: Actor, period: Period) {
      const rows = await rowsOf<{
        municipality_id: number;
        open: boolean | null;
        funded: number;
        queued: number;
        categories: number;
      }>(
        db,
        sql`select m.id as municipality_id, p.open,
                   (select count(*) from funding_requests r where r.period_id = p.id and r.status = 'funded')::int as funded,
                   (select count(*) from funding_requests r where r.period_id = p.id and r.status = 'queued')::int as queued,
                   (select count(*) from funding_categories c where c.period_id = p.id)::int as categories
              from municipalities m
              left join funding_periods p on p.municipality_id = m.id and p.starts_on = ${period.startsOn}
             order by m.sort_order`,
      );
      return rows
        .filter((row) =>
          fundingSettingsPolicy.can(actor, 'manage', { municipalityId: Number(row.municipality_id) }),
        )
        .map((row) => ({
          municipalityId: Number(row.municipality_id),
          open: row.open === true,
          funded: Number(row.funded ?? 0),
          queued: Number(row.queued ?? 0),
          categories: Number(row.categories ?? 0),
        }));
    },

    /** One municipality's settings for a period (nothing saved yet: a closed period with no categories). */
    async settings(actor: Actor, municipalityId: number, period: Period) {
      authorize(fundingSettingsPolicy, actor, 'manage', { municipalityId });
      const row = await periodRow(db, municipalityId, period.startsOn);
      return { period: row, categories: row ? await categoriesOf(db, row.id) : [] };
    },

    /** «Финансирование открыто / закрыто» and the ban on new contracts; opening funds the queue while room lasts. */
    async savePeriod(
      actor: Actor,
      municipalityId: number,
      period: Period,
      given: {
        open: boolean;
        contractsBannedFrom: string | null;
        hourlyRateKopecks?: number | null;
        freeProgramsPerChild?: number | null;
      },
    ): Promise<FundingPeriod> {
      authorize(fundingSettingsPolicy, actor, 'manage', { municipalityId });
      // The hourly rate of normative costs and the number of free programs per child are the coordinator's (the
      // region's decisions, normativeCostPolicy); others keep them as they are.
      const { hourlyRateKopecks, freeProgramsPerChild, ...rest } = given;
      const coordinator = normativeCostPolicy.can(actor, 'set', { programId: '' });
      const input = {
        ...rest,
        ...(coordinator && hourlyRateKopecks !== undefined ? { hourlyRateKopecks } : {}),
        ...(coordinator && freeProgramsPerChild !== undefined ? { freeProgramsPerChild } : {}),
      };
      const savedPeriod = await database.transaction(async (tx) => {
        const [saved] = await tx.db
          .insert(fundingPeriods)
          .values({ municipalityId, ...period, ...input })
          .onConflictDoUpdate({
            target: [fundingPeriods.municipalityId, fundingPeriods.startsOn],
            set: { ...input, updatedAt: new Date() },
          })
          .returning();
        await audit(tx.db, {
          actorUserId: actor.id,
          action: 'funding.period_saved',
          subjectType: 'municipality',
          subjectId: String(municipalityId),
          details: { startsOn: period.startsOn, ...input },
        });
        // Every category locked first, in id order (as the rollover takes them), then each promoted in turn.
        await tx.db
          .select({ id: fundingCategories.id })
          .from(fundingCategories)
          .where(eq(fundingCategories.periodId, saved!.id))
          .orderBy(asc(fundingCategories.id))
          .for('update');
        for (const { id } of await categoriesOf(tx.db, saved!.id)) {
          const category = await lockCategory(tx, id);
          if (category) await promote(tx, category, saved!, { actorUserId: actor.id });
        }
        // Opening a period after the one before has ended: the rollover funds here the certificates funded there
        // (rollover.ts, ADR 0039), as a job queued with this change.
        const previous = previousPeriod(period);
        if (saved!.open && queue && periodEnded(previous, regionToday()))
          await queue.enqueue(tx.sql, periodCloseJob, { startsOn: previous.startsOn });
        return saved!;
      });
      forgetFreeLimits();
      return savedPeriod;
    },

    /**
     * «Создать следующий период»: the education year after the current one, closed until someone opens it, with
     * the current period's categories copied (names, ages, nominals, quotas, caps). Copying sets nominals, so it
     * needs the password again and is audited like a nominal set. Refused when the next period has categories.
     */
    async createNextPeriod(
      actor: Actor,
      municipalityId: number,
      passwordConfirmed: boolean,
    ): Promise<
      | { ok: true; period: FundingPeriod; copied: number }
      | { ok: false; errors: Partial<Record<string, string>> }
    > {
      authorize(fundingSettingsPolicy, actor, 'manage', { municipalityId });
      const current = periodOf(regionToday());
      const next = nextPeriod(current);
      if (!passwordConfirmed)
        return {
          ok: false,
          errors: { password: 'Введите свой пароль: номиналы категорий копируются в новый период' },
        };
      return database.transaction(async (tx) => {
        const source = await periodRow(tx.db, municipalityId, current.startsOn);
        const [created] = await tx.db
          .insert(fundingPeriods)
          .values({ municipalityId, ...next, hourlyRateKopecks: source?.hourlyRateKopecks ?? null })
          .onConflictDoUpdate({
            target: [fundingPeriods.municipalityId, fundingPeriods.startsOn],
            set: { updatedAt: new Date() },
          })
          .returning();
        // The next period's row locked: two coordinators pressing at once copy once.
        await tx.db
          .select({ id: fundingPeriods.id })
          .from(fundingPeriods)
          .where(eq(fundingPeriods.id, created!.id))
          .for('update');
        const existing = await tx.db
          .select({ id: fundingCategories.id })
          .from(fundingCategories)
          .where(eq(fundingCategories.periodId, created!.id));
        if (existing.length > 0)
          return {
            ok: false,
            errors: { password: 'Следующий период уже создан: измените его категории ниже' },
          };
        const categories = source
          ? await tx.db
              .select()
              .from(fundingCategories)
              .where(eq(fundingCategories.periodId, source.id))
              .orderBy(asc(fundingCategories.ageFrom), asc(fundingCategories.name))
          : [];
        if (categories.length > 0)
          await tx.db.insert(fundingCategories).values(
            categories.map((category) => ({
              periodId: created!.id,
              name: category.name,
              ageFrom: category.ageFrom,
              ageTo: category.ageTo,
              nominalKopecks: category.nominalKopecks,
              quota: category.quota,
              nominalCapKopecks: category.nominalCapKopecks,
            })),
          );
        await audit(tx.db, {
          actorUserId: actor.id,
          action: 'funding.period_created',
          subjectType: 'municipality',
          subjectId: String(municipalityId),
          details: {
            startsOn: next.startsOn,
            copiedFrom: current.startsOn,
            categories: categories.map((c) => ({
              name: c.name,
              nominalKopecks: c.nominalKopecks,
              quota: c.quota,
              cap: c.nominalCapKopecks,
            })),
          },
        });
        return { ok: true, period: created!, copied: categories.length };
      });
    },

    /**
     * Adds or changes a category. A new nominal applies to certificates funded from now on; those funded keep
     * what they were given. The route asks for the password again before a nominal changes (`passwordConfirmed`).
     * A larger quota funds the queue at once.
     */
    async saveCategory(
      actor: Actor,
      municipalityId: number,
      period: Period,
      categoryId: string | null,
      input: CategoryInput,
      passwordConfirmed: boolean,
    ): Promise<CategoryResult> {
      authorize(fundingSettingsPolicy, actor, 'manage', { municipalityId });
      return database.transaction(async (tx) => {
        const [periodSaved] = await tx.db
          .insert(fundingPeriods)
          .values({ municipalityId, ...period })
          .onConflictDoUpdate({
            target: [fundingPeriods.municipalityId, fundingPeriods.startsOn],
            set: { updatedAt: new Date() },
          })
          .returning();
        const current = categoryId ? ((await lockCategory(tx, categoryId)) ?? null) : null;
        if (categoryId && (!current || current.periodId !== periodSaved!.id))
          return { ok: false, errors: { name: 'Категория не найдена: обновите страницу' } };
        const nominalChanges = !current || current.nominalKopecks !== input.nominalKopecks;
        if (nominalChanges && !passwordConfirmed)
          return { ok: false, errors: { password: 'Введите свой пароль, чтобы задать номинал' } };
        const clash = await tx.db
          .select({ id: fundingCategories.id })
          .from(fundingCategories)
          .where(
            and(eq(fundingCategories.periodId, periodSaved!.id), eq(fundingCategories.name, input.name)),
          );
        if (clash.some((row) => row.id !== categoryId))
          return { ok: false, errors: { name: 'Категория с таким названием уже есть' } };
        const [category] = current
          ? await tx.db
              .update(fundingCategories)
              .set(input)
              .where(eq(fundingCategories.id, current.id))
              .returning()
          : await tx.db
              .insert(fundingCategories)
              .values({ ...input, periodId: periodSaved!.id })
              .returning();
        await audit(tx.db, {
          actorUserId: actor.id,
          action: nominalChanges ? 'funding.nominal_set' : 'funding.category_saved',
          subjectType: 'municipality',
          subjectId: String(municipalityId),
          details: {
            startsOn: period.startsOn,
            categoryId: category!.id,
            before: current
              ? {
                  nominalKopecks: current.nominalKopecks,
                  quota: current.quota,
                  cap: current.nominalCapKopecks,
                }
              : null,
            after: { nominalKopecks: input.nominalKopecks, quota: input.quota, cap: input.nominalCapKopecks },
          },
        });
        await promote(tx, category!, periodSaved!, { actorUserId: actor.id });
        return { ok: true, category: category! };
      });
    },
  };
}

export type FundingService = ReturnType<typeof createFundingService>;

import { sql, type SQL } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/client.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { renderEmail } from '../../platform/mail/template.js';
import { lockContractsInOrder, monthName, type ContractsService } from './contracts.js';
import { formatRoubles } from './money.js';
import type { fundingAccruals, fundingLedger } from './schema.js';

/*
 * The month close (ADR 0035): on the 1st of month M an advance for M of every contract in force, the invoice of
 * M−1 by the provider's completeness, and the end of contracts whose last month was M−1. Pure arithmetic first,
 * then the engine: contracts in batches, one transaction per batch, each contract under the certificate's lock
 * then its own (the order contracts.ts takes them), every row written once by the accruals' unique index.
 */

/** The advance is 80 % of the month's certificate part. */
export const ADVANCE_PERCENT = 80;
/** Completeness the provider did not enter by the close: the contract's service counted as rendered in full. */
export const DEFAULT_COMPLETENESS = 100;
/** Contracts per transaction: locks held for a short while, memory flat whatever the month's size. */
export const CLOSE_BATCH = 500;
export const MONTH_CLOSE_JOB = 'funding-month-close';

/** The advance of a month: 80 % of the certificate's part, rounded down to the kopeck. */
export function advanceOf(partKopecks: number): number {
  return Math.floor((partKopecks * ADVANCE_PERCENT) / 100);
}

export interface InvoiceFigures {
  /** The part × completeness, rounded down to the kopeck: what the month costs the certificate. */
  dueKopecks: number;
  /** Charged now from the reserve: due − advance when positive (no more than the contract still holds). */
  chargeKopecks: number;
  /** Returned from the reserve to the balance: the month's part not charged. */
  releaseKopecks: number;
  /** Returned from the spent sum to the balance: the advance above what is due. */
  refundKopecks: number;
}

/**
 * The invoice of a month. The month's part P was reserved; the advance A was charged from it. With completeness c
 * the month costs D = ⌊P × c / 100⌋. D ≥ A: charge D − A, release P − D. D < A: refund A − D, release P − A. So the
 * month takes exactly P from the reserve, D stays spent, and the rest returns to the balance. A contract closed
 * early holds less than its months' parts (its reserve returned at the close): charge and release are capped by
 * what it still holds (`heldKopecks`).
 */
export function invoiceOf({
  partKopecks,
  advanceKopecks,
  percent,
  heldKopecks,
}: {
  partKopecks: number;
  advanceKopecks: number;
  percent: number;
  heldKopecks: number;
}): InvoiceFigures {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100)
    throw new RangeError('completeness is 0–100');
  const dueKopecks = Math.floor((partKopecks * percent) / 100);
  const held = Math.max(0, heldKopecks);
  const chargeKopecks = Math.min(Math.max(0, dueKopecks - advanceKopecks), held);
  const refundKopecks = Math.max(0, advanceKopecks - dueKopecks);
  const releaseKopecks = Math.min(
    Math.max(0, partKopecks - Math.max(advanceKopecks, dueKopecks)),
    held - chargeKopecks,
  );
  return { dueKopecks, chargeKopecks, releaseKopecks, refundKopecks };
}

/**
 * '2026-11' or '2026-11-01' → '2026-11-01'; null when it is not a month. Years outside 2000–2100 are refused
 * (as in the uploaded table): PostgreSQL has no year 0000, so '0000-01' in an address made every query a 500.
 */
export function parseMonth(text: string): string | null {
  const match = /^(\d{4})-(\d{2})(?:-01)?$/.exec(text.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (year < 2000 || year > 2100 || month < 1 || month > 12) return null;
  return `${match[1]}-${match[2]}-01`;
}

/** The first day of the month `delta` months from `month`'s. */
export function shiftMonth(month: string, delta: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (number - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** What a month close did; the same close run again reports zeros. */
export interface CloseReport {
  month: string;
  advances: { count: number; chargedKopecks: number };
  invoices: {
    month: string;
    count: number;
    chargedKopecks: number;
    releasedKopecks: number;
    refundedKopecks: number;
  };
  ended: number;
}

type Executor = Database['db'];
const rowsOf = <Row>(executor: Executor, query: SQL) => queryRows(executor, query) as Promise<Row[]>;
const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

interface LockedContract {
  id: string;
  number: string;
  status: string;
  certificate_id: string;
  period_id: string;
  organization_id: string;
  municipality_id: number;
  part: number | null;
  held: number;
}

type AccrualRow = typeof fundingAccruals.$inferInsert;
type LedgerRow = typeof fundingLedger.$inferInsert;

/**
 * Inserts a batch's accruals in one statement with one parameter (a JSON array read by jsonb_to_recordset: a
 * statement of hundreds of rows × 16 parameters is slow to send and plan); answers the rows made, not those a
 * run before made.
 */
async function insertAccruals(tx: Tx, rows: AccrualRow[]): Promise<{ id: number; contractId: string }[]> {
  if (rows.length === 0) return [];
  const made = await rowsOf<{ id: number; contract_id: string }>(
    tx.db,
    sql`insert into funding_accruals (contract_id, certificate_id, period_id, organization_id, municipality_id,
                                      month, kind, part_kopecks, completeness_percent, due_kopecks, charged_kopecks,
                                      released_kopecks, refunded_kopecks, job, actor_user_id)
        select r."contractId", r."certificateId", r."periodId", r."organizationId", r."municipalityId", r.month,
               r.kind, r."partKopecks", r."completenessPercent", r."dueKopecks", coalesce(r."chargedKopecks", 0),
               coalesce(r."releasedKopecks", 0), coalesce(r."refundedKopecks", 0), r.job, r."actorUserId"
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
                 "contractId" uuid, "certificateId" uuid, "periodId" uuid, "organizationId" uuid,
                 "municipalityId" smallint, month date, kind funding_accrual_kind, "partKopecks" bigint,
                 "completenessPercent" smallint, "dueKopecks" bigint, "chargedKopecks" bigint,
                 "releasedKopecks" bigint, "refundedKopecks" bigint, job text, "actorUserId" uuid)
        on conflict do nothing
        returning id, contract_id`,
  );
  return made.map((row) => ({ id: Number(row.id), contractId: row.contract_id }));
}

/** The batch's ledger rows in one statement, as `insertAccruals`. */
async function insertLedger(tx: Tx, rows: LedgerRow[]): Promise<void> {
  if (rows.length === 0) return;
  await rowsOf(
    tx.db,
    sql`insert into funding_ledger (certificate_id, period_id, contract_id, kind, amount_kopecks, actor_user_id,
                                    job, reason)
        select r."certificateId", r."periodId", r."contractId", r.kind, r."amountKopecks", r."actorUserId", r.job,
               r.reason
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
                 "certificateId" uuid, "periodId" uuid, "contractId" uuid, kind funding_movement,
                 "amountKopecks" bigint, "actorUserId" uuid, job text, reason text)`,
  );
}

export type By = { job: string } | { actorUserId: string };

/** The month close engine. */
export function createAccountingService({
  database,
  mailer,
  baseUrl,
  contracts,
}: {
  database: Database;
  mailer: Mailer;
  baseUrl: string;
  contracts: Pick<ContractsService, 'endBefore'>;
}) {
  const { db } = database;

  /**
   * Locks the batch's certificates (their funded request rows) and then the contracts, each set in a fixed order,
   * and reads each contract's part of `month` and what it still holds on the ledger.
   */
  async function lockBatch(tx: Tx, ids: string[], month: string): Promise<LockedContract[]> {
    await lockContractsInOrder(tx, ids);
    const rows = await rowsOf<LockedContract>(
      tx.db,
      sql`select c.id, c.number, c.status::text as status, c.certificate_id, c.period_id, c.organization_id,
                 c.municipality_id,
                 (select (m ->> 'certificateKopecks')::bigint from jsonb_array_elements(c.months) m
                   where m ->> 'month' = ${month} limit 1) as part,
                 coalesce((select sum(case l.kind when 'reserve' then l.amount_kopecks
                                                  when 'release' then -l.amount_kopecks
                                                  when 'charge' then -l.amount_kopecks else 0 end)
                             from funding_ledger l where l.contract_id = c.id), 0) as held
            from funding_contracts c where c.id = any(${uuidArray(ids)}) order by c.id`,
    );
    return rows.map((row) => ({
      ...row,
      part: row.part === null ? null : Number(row.part),
      held: Number(row.held),
      municipality_id: Number(row.municipality_id),
    }));
  }

  /** Each batch's accruals make their registers (one per organization, payer, month and kind) if not yet made. */
  async function ensureRegisters(tx: Tx, ids: number[]) {
    if (ids.length === 0) return;
    await rowsOf(
      tx.db,
      sql`insert into funding_registers (organization_id, municipality_id, month, kind)
          select distinct organization_id, municipality_id, month, kind from funding_accruals
           where id = any(${`{${ids.join(',')}}`}::bigint[])
          on conflict do nothing`,
    );
  }

  /**
   * The next `size` contracts after `after` in id order (keyset: a contract is met once), and of them the ids
   * matching `where`; `last` is null at the end. The keyset alone picks the rows, so the plan is always a walk of
   * the primary key that stops after `size` rows: with the filter in it, the planner (misled by the lateral
   * lookups' selectivity) sorted every remaining contract for each batch, and PostgreSQL's JIT compiled the plan
   * each time — 0.5–0.8 s a batch at 100,000 contracts. `adv` and `inv` are the contract's advance and invoice of
   * `month`, looked up through the unique index per contract.
   */
  async function nextBatch(
    month: string,
    where: SQL,
    after: string,
    size: number,
  ): Promise<{ ids: string[]; last: string | null }> {
    const rows = await rowsOf<{ id: string; wanted: boolean }>(
      db,
      sql`select c.id, coalesce(${where}, false) as wanted
            from (select * from funding_contracts where id > ${after}::uuid order by id limit ${size}) c
            left join lateral (select 1 as found from funding_accruals a
                                where a.contract_id = c.id and a.month = ${month}::date and a.kind = 'advance'
                                limit 1) adv on true
            left join lateral (select 1 as found from funding_accruals a
                                where a.contract_id = c.id and a.month = ${month}::date and a.kind = 'invoice'
                                limit 1) inv on true
           order by c.id`,
    );
    return { ids: rows.filter((row) => row.wanted).map((row) => row.id), last: rows.at(-1)?.id ?? null };
  }

  const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

  async function advances(month: string, by: By, size: number) {
    const next = shiftMonth(month, 1);
    const where = sql`c.status = 'active' and c.starts_on < ${next}::date and c.ends_on >= ${month}::date
      and adv.found is null`;
    const done = { count: 0, chargedKopecks: 0 };
    for (let after = ZERO_UUID; ;) {
      const { ids, last } = await nextBatch(month, where, after, size);
      if (last === null) return done;
      after = last;
      if (ids.length === 0) continue;
      await database.transaction(async (tx) => {
        const locked = await lockBatch(tx, ids, month);
        const rows = locked
          .filter((c) => c.status === 'active' && (c.part ?? 0) > 0)
          .map((c) => ({ contract: c, amount: Math.min(advanceOf(c.part!), c.held) }));
        if (rows.length === 0) return;
        const inserted = await insertAccruals(
          tx,
          rows.map(({ contract, amount }) => ({
            contractId: contract.id,
            certificateId: contract.certificate_id,
            periodId: contract.period_id,
            organizationId: contract.organization_id,
            municipalityId: contract.municipality_id,
            month,
            kind: 'advance' as const,
            partKopecks: contract.part!,
            dueKopecks: amount,
            chargedKopecks: amount,
            ...by,
          })),
        );
        const fresh = new Set(inserted.map((row) => row.contractId));
        const ledger = rows
          .filter(({ contract, amount }) => fresh.has(contract.id) && amount > 0)
          .map(({ contract, amount }) => ({
            certificateId: contract.certificate_id,
            periodId: contract.period_id,
            contractId: contract.id,
            kind: 'charge' as const,
            amountKopecks: amount,
            reason: `Аванс за ${monthName(month)} по договору № ${contract.number}`,
            ...by,
          }));
        await insertLedger(tx, ledger);
        await ensureRegisters(
          tx,
          inserted.map((row) => row.id),
        );
        done.count += inserted.length;
        done.chargedKopecks += ledger.reduce((sum, row) => sum + row.amountKopecks, 0);
      });
    }
  }

  async function invoices(month: string, by: By, size: number) {
    const next = shiftMonth(month, 1);
    const where = sql`c.starts_on < ${next}::date and c.ends_on >= ${month}::date
      and (c.status = 'active' or adv.found is not null) and inv.found is null`;
    const done = { month, count: 0, chargedKopecks: 0, releasedKopecks: 0, refundedKopecks: 0 };
    for (let after = ZERO_UUID; ;) {
      const { ids, last } = await nextBatch(month, where, after, size);
      if (last === null) return done;
      after = last;
      if (ids.length === 0) continue;
      await database.transaction(async (tx) => {
        const locked = await lockBatch(tx, ids, month);
        const facts = await rowsOf<{ contract_id: string; advance: number | null; percent: number | null }>(
          tx.db,
          sql`select c.id as contract_id,
                     (select a.due_kopecks from funding_accruals a
                       where a.contract_id = c.id and a.month = ${month}::date and a.kind = 'advance') as advance,
                     (select f.percent from funding_completeness f
                       where f.contract_id = c.id and f.month = ${month}::date) as percent
                from funding_contracts c where c.id = any(${uuidArray(ids)})`,
        );
        const factOf = new Map(facts.map((row) => [row.contract_id, row]));
        const rows = locked
          .filter((c) => (c.part ?? 0) > 0 && (c.status === 'active' || factOf.get(c.id)?.advance != null))
          .map((contract) => {
            const fact = factOf.get(contract.id);
            const advanceKopecks = Number(fact?.advance ?? 0);
            const percent = fact?.percent == null ? DEFAULT_COMPLETENESS : Number(fact.percent);
            const figures = invoiceOf({
              partKopecks: contract.part!,
              advanceKopecks,
              percent,
              heldKopecks: contract.held,
            });
            return { contract, advanceKopecks, percent, figures };
          });
        if (rows.length === 0) return;
        const inserted = await insertAccruals(
          tx,
          rows.map(({ contract, percent, figures }) => ({
            contractId: contract.id,
            certificateId: contract.certificate_id,
            periodId: contract.period_id,
            organizationId: contract.organization_id,
            municipalityId: contract.municipality_id,
            month,
            kind: 'invoice' as const,
            partKopecks: contract.part!,
            completenessPercent: percent,
            dueKopecks: figures.dueKopecks,
            chargedKopecks: figures.chargeKopecks,
            releasedKopecks: figures.releaseKopecks,
            refundedKopecks: figures.refundKopecks,
            ...by,
          })),
        );
        const fresh = new Set(inserted.map((row) => row.contractId));
        const made = rows.filter(({ contract }) => fresh.has(contract.id));
        const ledger = made.flatMap(({ contract, percent, figures }) => {
          const base = {
            certificateId: contract.certificate_id,
            periodId: contract.period_id,
            contractId: contract.id,
            ...by,
          };
          const about = `за ${monthName(month)} по договору № ${contract.number} (полнота ${percent} %)`;
          return [
            { kind: 'charge' as const, amountKopecks: figures.chargeKopecks, reason: `Счёт ${about}` },
            {
              kind: 'release' as const,
              amountKopecks: figures.releaseKopecks,
              reason: `Возврат резерва ${about}`,
            },
            {
              kind: 'refund' as const,
              amountKopecks: figures.refundKopecks,
              reason: `Возврат аванса ${about}`,
            },
          ]
            .filter((row) => row.amountKopecks > 0)
            .map((row) => ({ ...base, ...row }));
        });
        await insertLedger(tx, ledger);
        await ensureRegisters(
          tx,
          inserted.map((row) => row.id),
        );
        await tellParents(tx, month, made);
        done.count += inserted.length;
        for (const { figures } of made) {
          done.chargedKopecks += figures.chargeKopecks;
          done.releasedKopecks += figures.releaseKopecks;
          done.refundedKopecks += figures.refundKopecks;
        }
      });
    }
  }

  /** «Месяц оплачен»: one letter per invoice to the parent, queued in the invoice's transaction. */
  async function tellParents(
    tx: Tx,
    month: string,
    made: { contract: LockedContract; advanceKopecks: number; percent: number; figures: InvoiceFigures }[],
  ) {
    if (made.length === 0) return;
    const people = await rowsOf<{ id: string; email: string; program: string; organization: string }>(
      tx.db,
      sql`select c.id, u.email, p.name as program, o.short_name as organization
            from funding_contracts c join users u on u.id = c.parent_user_id
            join programs p on p.id = c.program_id join organizations o on o.id = c.organization_id
           where c.id = any(${uuidArray(made.map((row) => row.contract.id))})`,
    );
    const personOf = new Map(people.map((row) => [row.id, row]));
    const letters = made.flatMap((row) => {
      const person = personOf.get(row.contract.id);
      return person ? [monthPaidEmail(person.email, month, row, person, baseUrl)] : [];
    });
    await mailer.sendMany(tx.sql, letters);
  }

  return {
    /**
     * Closes month `month` (its first day): advances of `month`, invoices of the month before, the end of contracts
     * whose last month that was. Safe to rerun and to run twice at once: each contract is decided under its locks,
     * and an accrual already made is never made again.
     */
    async closeMonth(
      month: string,
      by: By = { job: MONTH_CLOSE_JOB },
      size = CLOSE_BATCH,
    ): Promise<CloseReport> {
      const previous = shiftMonth(month, -1);
      const invoiced = await invoices(previous, by, size);
      const advanced = await advances(month, by, size);
      const ended = await contracts.endBefore(month, 'job' in by ? by.job : MONTH_CLOSE_JOB, size);
      return { month, advances: advanced, invoices: invoiced, ended };
    },
  };
}

/** The letter of a paid month: the completeness, what the certificate paid, what returned to it. */
export function monthPaidEmail(
  to: string,
  month: string,
  row: {
    contract: { id: string; number: string };
    advanceKopecks: number;
    percent: number;
    figures: InvoiceFigures;
  },
  about: { program: string; organization: string },
  baseUrl: string,
) {
  const { figures } = row;
  const paid = row.advanceKopecks + figures.chargeKopecks - figures.refundKopecks;
  const returned = figures.releaseKopecks + figures.refundKopecks;
  return renderEmail(
    to,
    {
      subject: `${capitalized(monthName(month))} оплачен по договору № ${row.contract.number}`,
      paragraphs: [
        `Договор № ${row.contract.number}: программа «${about.program}», ${about.organization}. Организация отметила полноту оказания услуг за ${monthName(month)}: ${row.percent} %.`,
        `За месяц с сертификата оплачено ${formatRoubles(paid)} (аванс ${formatRoubles(row.advanceKopecks)}${figures.chargeKopecks ? `, доплата по счёту ${formatRoubles(figures.chargeKopecks)}` : ''}${figures.refundKopecks ? `, возврат аванса ${formatRoubles(figures.refundKopecks)}` : ''}).`,
        returned > 0
          ? `На остаток сертификата вернулось ${formatRoubles(returned)}.`
          : 'Зарезервированная на месяц сумма использована полностью.',
      ],
      action: { label: 'Открыть договор', url: `${baseUrl}/cabinet/contracts/${row.contract.id}` },
    },
    baseUrl,
  );
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export type AccountingService = ReturnType<typeof createAccountingService>;

import { sql, type SQL } from 'drizzle-orm';
import {
  administers,
  isCoordinator,
  municipalityOf,
  organizationOf,
  overseesMunicipality,
  worksFor,
  type Actor,
  type Policy,
} from '../../platform/access/policy.js';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import type { Database } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/client.js';
import { municipalityName } from '../reference/index.js';
import { DEFAULT_COMPLETENESS } from './accounting.js';
import { readWorkbookOffThread } from '../../platform/xlsx/reader.js';
import {
  COMPLETENESS_SHEET,
  INVOICED_MESSAGE,
  checkCompletenessSheet,
  type UploadRowError,
} from './completeness-upload.js';
import { lockContractsInOrder } from './contracts.js';

/*
 * What people do with the month close (ADR 0035): the provider enters «полнота оказания услуг» of its contracts;
 * the payer municipality works through the registers of advances and invoices; the provider reads its own.
 */

export type RegisterKind = 'advance' | 'invoice';
export type RegisterStatus = 'unviewed' | 'in_work' | 'paid';
export const REGISTER_STATUS_LABELS: Record<RegisterStatus, string> = {
  unviewed: 'Не просмотрен',
  in_work: 'В работе',
  paid: 'Оплачен',
};
export const REGISTER_KIND_LABELS: Record<RegisterKind, string> = {
  advance: 'Реестр авансов',
  invoice: 'Реестр счетов',
};

export interface RegisterKey {
  organizationId: string;
  municipalityId: number;
  month: string;
  kind: RegisterKind;
}

/**
 * A register: the provider's staff read their organization's; the payer's municipal administrator and the
 * coordinator read; only the payer's municipal administrator moves its status (the municipality pays).
 */
export const registerPolicy: Policy<RegisterKey, 'read' | 'set_status'> = {
  can(actor, action, register) {
    if (action === 'set_status') return administers(actor, register.municipalityId);
    return worksFor(actor, register.organizationId) || overseesMunicipality(actor, register.municipalityId);
  },
};

/** Completeness is entered by the contract's organization's staff only. */
export const completenessPolicy: Policy<{ organizationId: string }, 'enter'> = {
  can: (actor, _action, contract) => worksFor(actor, contract.organizationId),
};

export interface CompletenessRow {
  contractId: string;
  number: string;
  childName: string;
  programName: string;
  partKopecks: number;
  /** Entered by the provider; null: not yet (the close takes DEFAULT_COMPLETENESS). */
  percent: number | null;
  /** The month's invoice is made: the percent it used, and the row can no longer change. */
  invoicedPercent: number | null;
}

export interface RegisterLine {
  contractId: string;
  number: string;
  childName: string;
  partKopecks: number;
  completenessPercent: number | null;
  dueKopecks: number;
  chargedKopecks: number;
  releasedKopecks: number;
  refundedKopecks: number;
}

export interface Register extends RegisterKey {
  organizationName: string;
  municipality: string;
  status: RegisterStatus;
  lines: RegisterLine[];
  totals: { dueKopecks: number; chargedKopecks: number; releasedKopecks: number; refundedKopecks: number };
}

const rowsOf = <Row>(db: Database['db'], query: SQL) => queryRows(db, query) as Promise<Row[]>;

/** «0–100», a whole number; empty means «not entered». */
export function parsePercent(text: string | undefined): { ok: true; value: number | null } | { ok: false } {
  const value = (text ?? '').trim();
  if (value === '') return { ok: true, value: null };
  if (!/^\d{1,3}$/.test(value) || Number(value) > 100) return { ok: false };
  return { ok: true, value: Number(value) };
}

export const PERCENT_MESSAGE = 'Введите целое число от 0 до 100';

export function createRegistersService({ database }: { database: Database }) {
  const { db } = database;

  /** The organization's contracts with a certificate part in `month`, in force or with that month's advance. */
  async function completenessRows(organizationId: string, month: string): Promise<CompletenessRow[]> {
    const rows = await rowsOf<Record<string, unknown>>(
      db,
      sql`select c.id, c.number, concat_ws(' ', ch.last_name, ch.first_name, ch.middle_name) as child_name,
                 p.name as program_name, (m ->> 'certificateKopecks')::bigint as part,
                 f.percent, inv.completeness_percent as invoiced_percent
            from funding_contracts c
            join children ch on ch.id = c.child_id
            join programs p on p.id = c.program_id
            cross join lateral jsonb_array_elements(c.months) m
            left join funding_completeness f on f.contract_id = c.id and f.month = ${month}::date
            left join funding_accruals inv on inv.contract_id = c.id and inv.month = ${month}::date
                                          and inv.kind = 'invoice'
           where c.organization_id = ${organizationId} and m ->> 'month' = ${month}
             and (m ->> 'certificateKopecks')::bigint > 0
             and (c.status = 'active' or inv.id is not null
                  or exists (select 1 from funding_accruals a where a.contract_id = c.id and a.month = ${month}::date))
           order by child_name, c.number
           limit 2000`,
    );
    return rows.map((row) => ({
      contractId: String(row.id),
      number: String(row.number),
      childName: String(row.child_name),
      programName: String(row.program_name),
      partKopecks: Number(row.part),
      percent: row.percent === null ? null : Number(row.percent),
      invoicedPercent: row.invoiced_percent === null ? null : Number(row.invoiced_percent),
    }));
  }

  /**
   * Writes checked percents (null clears) under the contracts' locks. A contract whose month was invoiced since
   * the check (the close ran in between) makes the whole write refused: nothing is saved, as when a row is wrong.
   */
  async function write(
    actor: Actor,
    organizationId: string,
    month: string,
    values: Map<string, number | null>,
    context: AuditContext,
    source: 'form' | 'xlsx',
  ): Promise<
    { ok: true; saved: number } | { ok: false; invoiced: { contractId: string; percent: number }[] }
  > {
    const ids = [...values.keys()];
    if (ids.length === 0) return { ok: true, saved: 0 };
    return database.transaction(async (tx) => {
      await lockContractsInOrder(tx, ids);
      const invoiced = await rowsOf<{ contract_id: string; percent: number }>(
        tx.db,
        sql`select contract_id, completeness_percent as percent from funding_accruals
             where month = ${month}::date and kind = 'invoice'
               and contract_id = any(${`{${ids.join(',')}}`}::uuid[])`,
      );
      if (invoiced.length > 0)
        return {
          ok: false as const,
          invoiced: invoiced.map((row) => ({ contractId: row.contract_id, percent: Number(row.percent) })),
        };
      const entered = [...values].filter(([, value]) => value !== null);
      const cleared = [...values].filter(([, value]) => value === null).map(([id]) => id);
      if (entered.length > 0)
        await rowsOf(
          tx.db,
          sql`insert into funding_completeness (contract_id, month, percent, entered_by)
              select r.id, ${month}::date, r.percent, ${actor.id}
                from jsonb_to_recordset(${JSON.stringify(entered.map(([id, percent]) => ({ id, percent })))}::jsonb)
                     as r(id uuid, percent smallint)
              on conflict (contract_id, month) do update
                 set percent = excluded.percent, entered_by = excluded.entered_by, entered_at = now()`,
        );
      if (cleared.length > 0)
        await rowsOf(
          tx.db,
          sql`delete from funding_completeness where month = ${month}::date
               and contract_id = any(${`{${cleared.join(',')}}`}::uuid[])`,
        );
      await audit(tx.db, {
        actorUserId: actor.id,
        action: 'funding.completeness_entered',
        details: { month, organizationId, source, percents: Object.fromEntries(values) },
        context,
      });
      return { ok: true as const, saved: values.size };
    });
  }

  /** The registers of `month` in the actor's scope, with their lines; not audited (the callers audit what they show). */
  async function readRegisters(actor: Actor, month: string): Promise<Register[]> {
    const organizationId = organizationOf(actor);
    const municipalityId = municipalityOf(actor);
    const scope = isCoordinator(actor)
      ? sql`true`
      : organizationId
        ? sql`r.organization_id = ${organizationId}`
        : municipalityId !== null
          ? sql`r.municipality_id = ${municipalityId}`
          : sql`false`;
    const registers = await rowsOf<Record<string, unknown>>(
      db,
      sql`select r.organization_id, r.municipality_id, r.kind::text as kind, r.status::text as status,
                 o.short_name as organization_name
            from funding_registers r join organizations o on o.id = r.organization_id
           where r.month = ${month}::date and ${scope}
           order by o.short_name, r.municipality_id, r.kind`,
    );
    const lines = await rowsOf<Record<string, unknown>>(
      db,
      sql`select a.organization_id, a.municipality_id, a.kind::text as kind, a.contract_id, c.number,
                 concat_ws(' ', ch.last_name, ch.first_name, ch.middle_name) as child_name, a.part_kopecks,
                 a.completeness_percent, a.due_kopecks, a.charged_kopecks, a.released_kopecks, a.refunded_kopecks
            from funding_accruals a join funding_registers r
                   on r.organization_id = a.organization_id and r.municipality_id = a.municipality_id
                  and r.month = a.month and r.kind = a.kind
            join funding_contracts c on c.id = a.contract_id join children ch on ch.id = c.child_id
           where a.month = ${month}::date and ${scope}
           order by c.number
           limit 20000`,
    );
    const keyOf = (row: Record<string, unknown>) =>
      `${String(row.organization_id)}|${Number(row.municipality_id)}|${String(row.kind)}`;
    const byKey = new Map<string, RegisterLine[]>();
    for (const row of lines) {
      const list = byKey.get(keyOf(row)) ?? [];
      list.push({
        contractId: String(row.contract_id),
        number: String(row.number),
        childName: String(row.child_name),
        partKopecks: Number(row.part_kopecks),
        completenessPercent: row.completeness_percent === null ? null : Number(row.completeness_percent),
        dueKopecks: Number(row.due_kopecks),
        chargedKopecks: Number(row.charged_kopecks),
        releasedKopecks: Number(row.released_kopecks),
        refundedKopecks: Number(row.refunded_kopecks),
      });
      byKey.set(keyOf(row), list);
    }
    const result = registers.map((row) => {
      const registerLines = byKey.get(keyOf(row)) ?? [];
      const sum = (pick: (line: RegisterLine) => number) =>
        registerLines.reduce((s, line) => s + pick(line), 0);
      return {
        organizationId: String(row.organization_id),
        municipalityId: Number(row.municipality_id),
        month,
        kind: String(row.kind) as RegisterKind,
        organizationName: String(row.organization_name),
        municipality: municipalityName(Number(row.municipality_id)) ?? '',
        status: String(row.status) as RegisterStatus,
        lines: registerLines,
        totals: {
          dueKopecks: sum((line) => line.dueKopecks),
          chargedKopecks: sum((line) => line.chargedKopecks),
          releasedKopecks: sum((line) => line.releasedKopecks),
          refundedKopecks: sum((line) => line.refundedKopecks),
        },
      };
    });
    return result;
  }

  return {
    /** The provider's completeness page and its XLSX; children's names, so audited. */
    async completenessOf(
      actor: Actor,
      month: string,
      context: AuditContext,
      format: 'page' | 'xlsx' = 'page',
    ) {
      const organizationId = organizationOf(actor);
      if (!organizationId || !completenessPolicy.can(actor, 'enter', { organizationId })) return null;
      const rows = await completenessRows(organizationId, month);
      await audit(db, {
        actorUserId: actor.id,
        action: format === 'xlsx' ? 'staff.completeness_downloaded' : 'staff.completeness_viewed',
        details: { month, contractIds: rows.map((row) => row.contractId) },
        context,
      });
      return rows;
    },

    /**
     * Saves the percents typed for the organization's contracts of `month`: all checked first (nothing saved when
     * one is wrong), then written under the contracts' locks, so a close running now reads either the old or the
     * new value, never half. A month already invoiced is refused with its message (ADR 0040); contracts of another
     * organization are left alone.
     */
    async saveCompleteness(
      actor: Actor,
      month: string,
      input: Record<string, string | undefined>,
      context: AuditContext,
    ): Promise<{ ok: true; saved: number } | { ok: false; errors: Record<string, string> } | null> {
      const organizationId = organizationOf(actor);
      if (!organizationId || !completenessPolicy.can(actor, 'enter', { organizationId })) return null;
      const rows = await completenessRows(organizationId, month);
      const errors: Record<string, string> = {};
      const values = new Map<string, number | null>();
      for (const row of rows) {
        const key = `p_${row.contractId}`;
        if (!(key in input)) continue;
        const parsed = parsePercent(input[key]);
        if (!parsed.ok)
          errors[key] = `${row.childName}, договор № ${row.number}: ${PERCENT_MESSAGE.toLowerCase()}`;
        else if (row.invoicedPercent !== null) {
          // A page opened before the close and sent after it: the invoice stands.
          if (parsed.value !== row.invoicedPercent)
            errors[key] = INVOICED_MESSAGE(month, row.number, row.invoicedPercent);
        } else values.set(row.contractId, parsed.value);
      }
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const written = await write(actor, organizationId, month, values, context, 'form');
      if (written.ok) return written;
      const invoiced = new Map(written.invoiced.map((row) => [row.contractId, row]));
      return {
        ok: false,
        errors: Object.fromEntries(
          rows
            .filter((row) => invoiced.has(row.contractId))
            .map((row) => [
              `p_${row.contractId}`,
              INVOICED_MESSAGE(month, row.number, invoiced.get(row.contractId)!.percent),
            ]),
        ),
      };
    },

    /**
     * The completeness table uploaded back: read within the platform's bounds, every row checked against the
     * organization's contracts of `month` (all errors at once, with row numbers), saved as the form is, or not at
     * all.
     */
    async uploadCompleteness(
      actor: Actor,
      month: string,
      file: Buffer,
      context: AuditContext,
    ): Promise<
      | { ok: true; saved: number }
      | { ok: false; errors: UploadRowError[] }
      | { ok: false; fileError: string }
      | null
    > {
      const organizationId = organizationOf(actor);
      if (!organizationId || !completenessPolicy.can(actor, 'enter', { organizationId })) return null;
      const read = await readWorkbookOffThread(file, [COMPLETENESS_SHEET]);
      if (!read.ok) return { ok: false, fileError: read.message };
      const rows = await completenessRows(organizationId, month);
      const checked = checkCompletenessSheet(read.sheets[COMPLETENESS_SHEET], month, rows);
      if (!checked.ok) return checked;
      const written = await write(actor, organizationId, month, checked.values, context, 'xlsx');
      if (written.ok) return written;
      const numberOf = new Map(rows.map((row) => [row.contractId, row.number]));
      return {
        ok: false,
        fileError: written.invoiced
          .map((row) => INVOICED_MESSAGE(month, numberOf.get(row.contractId) ?? '', row.percent))
          .join(' '),
      };
    },

    /** The registers of `month` the actor may read (the payer's, the provider's own, all for the coordinator). */
    async registersOf(actor: Actor, month: string, context: AuditContext): Promise<Register[]> {
      const result = await readRegisters(actor, month);
      await audit(db, {
        actorUserId: actor.id,
        action: 'staff.registers_viewed',
        details: {
          month,
          contractIds: result.flatMap((register) => register.lines.map((line) => line.contractId)),
        },
        context,
      });
      return result;
    },

    /**
     * One register for its XLSX, if the actor may read it: audited as a download of its own lines only, and not
     * at all when it is out of reach (then null, as for one that does not exist).
     */
    async registerToDownload(
      actor: Actor,
      key: RegisterKey,
      context: AuditContext,
    ): Promise<Register | null> {
      if (!registerPolicy.can(actor, 'read', key)) return null;
      const register = (await readRegisters(actor, key.month)).find(
        (item) =>
          item.organizationId === key.organizationId &&
          item.municipalityId === key.municipalityId &&
          item.kind === key.kind,
      );
      if (!register) return null;
      await audit(db, {
        actorUserId: actor.id,
        action: 'staff.register_downloaded',
        subjectType: 'organization',
        subjectId: key.organizationId,
        details: { ...key, contractIds: register.lines.map((line) => line.contractId) },
        context,
      });
      return register;
    },

    /** «Не просмотрен / В работе / Оплачен», by the payer's municipal administrator; audited with before/after. */
    async setStatus(
      actor: Actor,
      key: RegisterKey,
      status: RegisterStatus,
      context: AuditContext,
    ): Promise<'done' | 'not_found'> {
      if (!registerPolicy.can(actor, 'set_status', key)) return 'not_found';
      return database.transaction(async (tx) => {
        const [before] = await rowsOf<{ status: string }>(
          tx.db,
          sql`select status::text as status from funding_registers
               where organization_id = ${key.organizationId} and municipality_id = ${key.municipalityId}
                 and month = ${key.month}::date and kind = ${key.kind}::funding_accrual_kind
               for update`,
        );
        if (!before) return 'not_found';
        await rowsOf(
          tx.db,
          sql`update funding_registers set status = ${status}::funding_register_status, changed_by = ${actor.id},
                     changed_at = now()
               where organization_id = ${key.organizationId} and municipality_id = ${key.municipalityId}
                 and month = ${key.month}::date and kind = ${key.kind}::funding_accrual_kind`,
        );
        await audit(tx.db, {
          actorUserId: actor.id,
          action: 'funding.register_status',
          subjectType: 'organization',
          subjectId: key.organizationId,
          details: { ...key, before: before.status, after: status },
          context,
        });
        return 'done';
      });
    },
  };
}

export { DEFAULT_COMPLETENESS };
export type RegistersService = ReturnType<typeof createRegistersService>;

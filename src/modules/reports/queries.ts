import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database } from '../../platform/db/client.js';
import { REGION } from '../../platform/region.js';

/**
 * The reports' aggregates, each one SQL statement grouped by municipality (ADR 0029). They read other modules'
 * tables and write none; every row is a count, never a person. Dates are the region's calendar days.
 */
export interface ReportFilter {
  /** One municipality, or the region (`null`). */
  municipalityId: number | null;
  /** ГГГГ-ММ-ДД, inclusive. */
  from: string;
  to: string;
}

export const AGE_BANDS = ['5–9', '10–14', '15–18'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** A timestamp column within the region's calendar days `from`–`to`: bounds computed once, the column compared as it is. */
const inPeriod = (column: SQL, filter: ReportFilter) =>
  sql`${column} >= (${filter.from}::date::timestamp at time zone ${REGION.timeZone})
      and ${column} < ((${filter.to}::date + 1)::timestamp at time zone ${REGION.timeZone})`;
/** A timestamp column on or before the region's calendar day `to`. */
const byEndOf = (column: SQL, to: string) =>
  sql`${column} < ((${to}::date + 1)::timestamp at time zone ${REGION.timeZone})`;
const within = (column: SQL, municipalityId: number | null) =>
  municipalityId === null ? sql`true` : sql`${column} = ${municipalityId}`;
/**
 * Age bands of full years on a day, as SQL: null outside 5–18. Born on or before `on` minus N years is «N or
 * older», so each band is a range of birth dates (no age computed per row).
 */
const bandOf = (birthDate: SQL, on: string) => {
  const yearsBefore = (years: number) => sql`(${on}::date - ${`${years} years`}::interval)::date`;
  return sql`
  case
    when ${birthDate} > ${yearsBefore(5)} or ${birthDate} <= ${yearsBefore(19)} then null
    when ${birthDate} > ${yearsBefore(10)} then '5–9'
    when ${birthDate} > ${yearsBefore(15)} then '10–14'
    else '15–18'
  end`;
};

const int = (value: unknown) => Number(value ?? 0);
/** A timestamp as the driver gives it (a Date from pg, a Date or a string elsewhere). */
const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

export interface CertificateRow {
  municipalityId: number;
  band: AgeBand;
  issued: number;
  confirmed: number;
  funded: number;
}

export interface CoverageRow {
  municipalityId: number;
  /** Children 5–18 enrolled in at least one program. */
  enrolled: number;
}

export interface ApplicationRow {
  municipalityId: number;
  /** Monday of the week, ГГГГ-ММ-ДД. */
  week: string;
  status: string;
  count: number;
}

export interface ProgramRow {
  municipalityId: number;
  /** `direction` rows carry the направленность's id, `registry` rows the registry's code. */
  kind: 'direction' | 'registry';
  key: string;
  programs: number;
  groups: number;
  freePlaces: number;
}

export interface OrganizationRow {
  municipalityId: number;
  organizationId: string;
  name: string;
  programs: number;
  groups: number;
  enrolled: number;
}

/**
 * The region-wide aggregates hash about 100,000 programs or applications at 100,000 programs: with PostgreSQL's
 * default 4 MB of `work_mem` they spill to disk. Each report runs in its own read-only transaction with more
 * memory for its sorts and hashes; reports are few and built by staff, so the sum stays small.
 */
const REPORT_WORK_MEM = '32MB';

export function createReportQueries(database: Database) {
  const aggregate = (query: SQL) =>
    database.transaction(async (tx) => {
      await tx.db.execute(sql.raw(`set local work_mem = '${REPORT_WORK_MEM}'`));
      return queryRows(tx.db, query);
    });
  /**
   * As refreshPrograms, unless the last refresh committed within `pauseMs` (then nothing is done and its time is
   * answered). One refresh at a time across every process (an advisory lock for the transaction): presses that
   * arrive together wait for the first and then find its figures fresh, instead of each reading every group again.
   * The database's clock decides, not the app's.
   */
  async function refreshProgramsUnlessRecent(
    pauseMs: number,
  ): Promise<{ gatheredAt: Date; refreshed: boolean }> {
    return database.transaction(async (tx) => {
      await tx.sql.executeSql(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        'report_refreshes:programs',
      ]);
      if (pauseMs > 0) {
        const recent = await queryRows(
          tx.db,
          sql`select refreshed_at from report_refreshes
               where report = 'programs' and refreshed_at > clock_timestamp() - make_interval(secs => ${pauseMs / 1000})`,
        );
        if (recent[0]) return { gatheredAt: asDate(recent[0].refreshed_at), refreshed: false };
      }
      await tx.db.execute(sql.raw(`set local work_mem = '${REPORT_WORK_MEM}'`));
      await tx.db.execute(sql`refresh materialized view concurrently report_program_facts`);
      const rows = await queryRows(
        tx.db,
        sql`insert into report_refreshes (report, refreshed_at) values ('programs', now())
            on conflict (report) do update set refreshed_at = excluded.refreshed_at
            returning refreshed_at`,
      );
      return { gatheredAt: asDate(rows[0]!.refreshed_at), refreshed: true };
    });
  }

  return {
    /**
     * Certificates issued in the period, by the child's age band on its last day: issued, of them with the child's
     * data confirmed in person, of them funded (a funding request in «funded»).
     */
    async certificates(filter: ReportFilter): Promise<CertificateRow[]> {
      const rows = await aggregate(
        sql`select municipality_id, band, count(*) as issued,
                   count(*) filter (where confirmed) as confirmed, count(*) filter (where funded) as funded
              from (select ch.municipality_id, ${bandOf(sql`ch.birth_date`, filter.to)} as band,
                           ch.data_status = 'confirmed' as confirmed,
                           exists (select 1 from funding_requests fr
                                    where fr.certificate_id = cert.id and fr.status = 'funded') as funded
                      from certificates cert join children ch on ch.id = cert.child_id
                     where ${inPeriod(sql`cert.issued_at`, filter)}
                       and ${within(sql`ch.municipality_id`, filter.municipalityId)}) as c
             where band is not null
             group by municipality_id, band`,
      );
      return rows.map((row) => ({
        municipalityId: int(row.municipality_id),
        band: row.band as AgeBand,
        issued: int(row.issued),
        confirmed: int(row.confirmed),
        funded: int(row.funded),
      }));
    },

    /**
     * Children aged 5–18 on the period's last day enrolled in at least one program: an application accepted
     * (studying now) made by that day, counted once per child, in the child's municipality.
     */
    async coverage(filter: ReportFilter): Promise<CoverageRow[]> {
      const rows = await aggregate(
        sql`select ch.municipality_id, count(*) as enrolled
              from children ch
             where ${within(sql`ch.municipality_id`, filter.municipalityId)}
               and ${bandOf(sql`ch.birth_date`, filter.to)} is not null
               and exists (select 1 from applications a
                            where a.child_id = ch.id and a.status = 'accepted'
                              and ${byEndOf(sql`a.created_at`, filter.to)})
             group by ch.municipality_id`,
      );
      return rows.map((row) => ({ municipalityId: int(row.municipality_id), enrolled: int(row.enrolled) }));
    },

    /** Applications made in the period to the municipality's organizations, by week of filing and status now. */
    async applications(filter: ReportFilter): Promise<ApplicationRow[]> {
      const rows = await aggregate(
        // Weeks counted from the Monday on or before the period's first day by epoch arithmetic (the region keeps
        // no daylight saving time): no time zone conversion per row, and double precision, not numeric. Joined to
        // the organizations first, so the one aggregate holds a few thousand groups, not one per organization.
        sql`with start as (select (date_trunc('week', ${filter.from}::date)::timestamp
                                   at time zone ${REGION.timeZone}) as monday)
            select municipality_id, (((select monday from start) at time zone ${REGION.timeZone})::date
                                     + 7 * week)::text as week, status, n
              from (select o.municipality_id, a.status, count(*) as n,
                           floor(date_part('epoch', a.created_at - (select monday from start)) / 604800)::int
                             as week
                      from applications a
                      join organizations o on o.id = a.organization_id
                     where ${inPeriod(sql`a.created_at`, filter)}
                       and ${within(sql`o.municipality_id`, filter.municipalityId)}
                     group by o.municipality_id, week, a.status) as weekly`,
      );
      return rows.map((row) => ({
        municipalityId: int(row.municipality_id),
        week: String(row.week),
        status: String(row.status),
        count: int(row.n),
      }));
    },

    /**
     * Published programs with a group not finished before the period began (studying in it, or to start later),
     * by направленность and by its registry (one per program, ADR 0036), with those groups and their free places:
     * from the figures gathered by the last refresh (ADR 0045), summed over the days from the period's start.
     */
    async programs(filter: ReportFilter): Promise<ProgramRow[]> {
      const rows = await queryRows(
        database.db,
        sql`with program as (
              select municipality_id, direction_id, registry, programs, groups, free_places
                from report_program_facts
               where day >= ${filter.from}::date and ${within(sql`municipality_id`, filter.municipalityId)})
            select municipality_id, 'direction' as kind, direction_id::text as key,
                   sum(programs) as programs, sum(groups) as groups, sum(free_places) as free
              from program group by municipality_id, direction_id
            union all
            select municipality_id, 'registry', registry, sum(programs), sum(groups), sum(free_places)
              from program group by municipality_id, registry`,
      );
      return rows.map((row) => ({
        municipalityId: int(row.municipality_id),
        kind: row.kind as ProgramRow['kind'],
        key: String(row.key),
        programs: int(row.programs),
        groups: int(row.groups),
        freePlaces: int(row.free),
      }));
    },

    /** When the programs report's figures were last gathered (null: never, e.g. before the migration's row). */
    async programsRefreshedAt(): Promise<Date | null> {
      const rows = await queryRows(
        database.db,
        sql`select refreshed_at from report_refreshes where report = 'programs'`,
      );
      return rows[0] ? asDate(rows[0].refreshed_at) : null;
    },

    /**
     * Gathers the programs report's figures anew (ADR 0045): readers keep the previous ones until it commits
     * (`concurrently`), and the time of the refresh commits with them. Returns that time.
     */
    async refreshPrograms(): Promise<Date> {
      return (await refreshProgramsUnlessRecent(0)).gatheredAt;
    },

    refreshProgramsUnlessRecent,

    /**
     * Every organization of the municipality: its published programs and their groups, and the children enrolled
     * (an accepted application made by the period's last day), counted once per organization.
     */
    async organizations(filter: ReportFilter): Promise<OrganizationRow[]> {
      const rows = await aggregate(
        sql`select o.municipality_id, o.id, o.short_name,
                   coalesce(p.programs, 0) as programs, coalesce(p.groups, 0) as groups,
                   coalesce(e.enrolled, 0) as enrolled
              from organizations o
              left join (select pr.organization_id, count(*) as programs, sum(g.groups) as groups
                           from programs pr
                           left join (select program_id, count(*) as groups from program_groups
                                       group by program_id) g on g.program_id = pr.id
                          where pr.status = 'published'
                            and ${within(sql`pr.municipality_id`, filter.municipalityId)}
                          group by pr.organization_id) p on p.organization_id = o.id
              left join (select a.organization_id, count(distinct a.child_id) as enrolled
                           from applications a
                          where a.status = 'accepted' and ${byEndOf(sql`a.created_at`, filter.to)}
                          group by a.organization_id) e on e.organization_id = o.id
             where ${within(sql`o.municipality_id`, filter.municipalityId)}
             order by o.short_name, o.id`,
      );
      return rows.map((row) => ({
        municipalityId: int(row.municipality_id),
        organizationId: String(row.id),
        name: String(row.short_name),
        programs: int(row.programs),
        groups: int(row.groups),
        enrolled: int(row.enrolled),
      }));
    },
  };
}

export type ReportQueries = ReturnType<typeof createReportQueries>;

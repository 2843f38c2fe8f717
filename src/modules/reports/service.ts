import { eq } from 'drizzle-orm';
import { authorize, type Actor } from '../../platform/access/policy.js';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import type { Database } from '../../platform/db/client.js';
import { formatDate } from '../../platform/views/format.js';
import { STATUS_LABELS } from '../applications/index.js';
import {
  DIRECTIONS,
  MUNICIPALITIES,
  REGISTRIES,
  REGISTRY_LABELS,
  municipalityName,
} from '../reference/index.js';
import { reportMunicipality, reportPolicy } from './policy.js';
import { AGE_BANDS, createReportQueries, type ReportFilter, type OrganizationRow } from './queries.js';
import { childPopulation } from './schema.js';

/** The reports, in the order of the menu; the slug is the address `/staff/reports/<slug>`. */
export const REPORTS = [
  { slug: 'certificates', title: 'Сертификаты по возрастам' },
  { slug: 'coverage', title: 'Охват детей 5–18 лет' },
  { slug: 'applications', title: 'Заявки по статусам и неделям' },
  { slug: 'programs', title: 'Программы по направленностям и реестрам' },
  { slug: 'organizations', title: 'Организации: программы и дети' },
] as const;
export type ReportSlug = (typeof REPORTS)[number]['slug'];

/** One series of numbers over a section's categories; `null`: not known (no population entered). */
export interface Series {
  title: string;
  values: (number | null)[];
  /** Percentages are shown with a comma and «%». */
  percent?: boolean;
}

/** A table of the report (and the chart drawn from its first series, if `chart`): what is shown is what is exported. */
export interface Section {
  id: string;
  title: string;
  categoryTitle: string;
  categories: string[];
  series: Series[];
  chart: boolean;
  /** How many of the first series the chart draws (default 1): only series counted in the same unit share an axis. */
  chartSeries?: number;
  /** How many rows the page shows; the exports hold every row. */
  pageRows?: number;
}

export interface Report {
  slug: ReportSlug;
  title: string;
  municipalityId: number | null;
  filter: ReportFilter;
  sections: Section[];
  /** For a report of gathered figures (the programs', ADR 0045): when they were gathered. */
  gatheredAt?: Date;
}

/** How often the job gathers the programs report's figures (ADR 0045), as the page tells its readers. */
export const PROGRAMS_REFRESH_MINUTES = 5;
/** A refresh asked for within this long of the last one is not run again (each reads every group). */
const PROGRAMS_REFRESH_PAUSE_MS = 30_000;

/** The largest list the page shows; the exports hold all of it. */
const PAGE_ROWS = 200;

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
/** Municipalities in the region's order, as far as the report reaches. */
const municipalitiesOf = (municipalityId: number | null) =>
  MUNICIPALITIES.filter((m) => municipalityId === null || m.id === municipalityId);
const percentOf = (part: number, whole: number | null | undefined) =>
  whole ? Math.round((part / whole) * 1000) / 10 : null;

/** Per municipality, the sums of `measures` over the rows: the coordinator's breakdown. */
function byMunicipality<Row extends { municipalityId: number }>(
  rows: Row[],
  measures: { title: string; of: (row: Row) => number }[],
): Section {
  const municipalities = municipalitiesOf(null);
  return {
    id: 'by-municipality',
    title: 'По муниципалитетам',
    categoryTitle: 'Муниципалитет',
    categories: municipalities.map((m) => m.name),
    series: measures.map((measure) => ({
      title: measure.title,
      values: municipalities.map((m) =>
        sum(rows.filter((row) => row.municipalityId === m.id).map(measure.of)),
      ),
    })),
    chart: false,
  };
}

export function createReportsService({ database }: { database: Database }) {
  const { db } = database;
  const queries = createReportQueries(database);

  async function populations(): Promise<Map<number, number>> {
    const rows = await db.select().from(childPopulation);
    return new Map(rows.map((row) => [row.municipalityId, row.children]));
  }

  const builders: Record<ReportSlug, (filter: ReportFilter) => Promise<Section[]>> = {
    async certificates(filter) {
      const rows = await queries.certificates(filter);
      const inBand = (band: string) => rows.filter((row) => row.band === band);
      const measures = [
        { title: 'Выдано сертификатов', of: (row: (typeof rows)[number]) => row.issued },
        { title: 'Данные подтверждены', of: (row: (typeof rows)[number]) => row.confirmed },
        { title: 'Финансируются', of: (row: (typeof rows)[number]) => row.funded },
      ];
      const sections: Section[] = [
        {
          id: 'bands',
          title: 'Дети с сертификатами по возрасту',
          categoryTitle: 'Возраст, лет',
          categories: [...AGE_BANDS],
          series: measures.map((measure) => ({
            title: measure.title,
            values: AGE_BANDS.map((band) => sum(inBand(band).map(measure.of))),
          })),
          chart: true,
          chartSeries: 3,
        },
      ];
      if (filter.municipalityId === null) sections.push(byMunicipality(rows, measures));
      return sections;
    },

    async coverage(filter) {
      const [rows, population] = await Promise.all([queries.coverage(filter), populations()]);
      const municipalities = municipalitiesOf(filter.municipalityId);
      const enrolled = municipalities.map(
        (m) => rows.find((row) => row.municipalityId === m.id)?.enrolled ?? 0,
      );
      const children = municipalities.map((m) => population.get(m.id) ?? null);
      const total = {
        enrolled: sum(enrolled),
        children: children.every((value) => value !== null) ? sum(children) : null,
      };
      const region = filter.municipalityId === null;
      return [
        {
          id: 'coverage',
          title: 'Охват: дети 5–18 лет, занимающиеся хотя бы в одной программе',
          categoryTitle: 'Муниципалитет',
          categories: [...municipalities.map((m) => m.name), ...(region ? ['Вся область'] : [])],
          series: [
            {
              title: 'Охват, %',
              percent: true,
              values: [
                ...enrolled.map((value, index) => percentOf(value, children[index])),
                ...(region ? [percentOf(total.enrolled, total.children)] : []),
              ],
            },
            { title: 'Занимаются', values: [...enrolled, ...(region ? [total.enrolled] : [])] },
            { title: 'Детей 5–18 лет', values: [...children, ...(region ? [total.children] : [])] },
          ],
          chart: true,
        },
      ];
    },

    async applications(filter) {
      const rows = await queries.applications(filter);
      const statuses = (Object.keys(STATUS_LABELS) as (keyof typeof STATUS_LABELS)[]).filter((status) =>
        rows.some((row) => row.status === status),
      );
      const weeks = [...new Set(rows.map((row) => row.week))].sort();
      const count = (rows: { count: number }[]) => sum(rows.map((row) => row.count));
      const sections: Section[] = [
        {
          id: 'statuses',
          title: 'Заявки по статусам',
          categoryTitle: 'Статус',
          categories: statuses.map((status) => STATUS_LABELS[status]),
          series: [
            { title: 'Заявок', values: statuses.map((s) => count(rows.filter((row) => row.status === s))) },
          ],
          chart: true,
        },
        {
          id: 'weeks',
          title: 'Заявки по неделям подачи',
          categoryTitle: 'Неделя (с понедельника)',
          categories: weeks.map(weekTitle),
          series: [
            { title: 'Подано', values: weeks.map((w) => count(rows.filter((row) => row.week === w))) },
            {
              title: 'Из них приняты',
              values: weeks.map((w) =>
                count(rows.filter((row) => row.week === w && row.status === 'accepted')),
              ),
            },
          ],
          chart: true,
          chartSeries: 2,
        },
      ];
      if (filter.municipalityId === null)
        sections.push(
          byMunicipality(rows, [
            { title: 'Подано', of: (row) => row.count },
            { title: 'Приняты', of: (row) => (row.status === 'accepted' ? row.count : 0) },
          ]),
        );
      return sections;
    },

    async programs(filter) {
      const rows = await queries.programs(filter);
      const part = (kind: 'direction' | 'registry', key: string) =>
        rows.filter((row) => row.kind === kind && row.key === key);
      const measures = (kind: 'direction' | 'registry', keys: string[]): Series[] => [
        { title: 'Программ', values: keys.map((key) => sum(part(kind, key).map((row) => row.programs))) },
        { title: 'Групп', values: keys.map((key) => sum(part(kind, key).map((row) => row.groups))) },
        {
          title: 'Свободных мест',
          values: keys.map((key) => sum(part(kind, key).map((row) => row.freePlaces))),
        },
      ];
      const registries = REGISTRIES;
      const sections: Section[] = [
        {
          id: 'directions',
          title: 'Программы по направленностям',
          categoryTitle: 'Направленность',
          categories: DIRECTIONS.map((d) => d.name),
          series: measures(
            'direction',
            DIRECTIONS.map((d) => String(d.id)),
          ),
          chart: true,
        },
        {
          id: 'registries',
          title: 'Программы по реестрам',
          categoryTitle: 'Реестр',
          categories: registries.map((r) => REGISTRY_LABELS[r]),
          series: measures('registry', registries),
          chart: true,
        },
      ];
      if (filter.municipalityId === null) {
        const directions = rows.filter((row) => row.kind === 'direction');
        sections.push(
          byMunicipality(directions, [
            { title: 'Программ', of: (row) => row.programs },
            { title: 'Групп', of: (row) => row.groups },
            { title: 'Свободных мест', of: (row) => row.freePlaces },
          ]),
        );
      }
      return sections;
    },

    async organizations(filter) {
      const rows = await queries.organizations(filter);
      const region = filter.municipalityId === null;
      const name = (row: OrganizationRow) =>
        region ? `${row.name} (${municipalityName(row.municipalityId)})` : row.name;
      const top = [...rows]
        .sort((a, b) => b.enrolled - a.enrolled || a.name.localeCompare(b.name, 'ru'))
        .slice(0, 10)
        .filter((row) => row.enrolled > 0);
      const columns = (list: OrganizationRow[]): Series[] => [
        { title: 'Детей занимается', values: list.map((row) => row.enrolled) },
        { title: 'Программ', values: list.map((row) => row.programs) },
        { title: 'Групп', values: list.map((row) => row.groups) },
      ];
      const sections: Section[] = [
        {
          id: 'top',
          title: 'Больше всего занимающихся детей',
          categoryTitle: 'Организация',
          categories: top.map(name),
          series: columns(top),
          chart: true,
        },
        {
          id: 'organizations',
          title: 'Все организации',
          categoryTitle: 'Организация',
          categories: rows.map(name),
          series: columns(rows),
          chart: false,
          pageRows: PAGE_ROWS,
        },
      ];
      if (region)
        sections.push(
          byMunicipality(rows, [
            { title: 'Организаций', of: () => 1 },
            { title: 'Детей занимается', of: (row) => row.enrolled },
            { title: 'Программ', of: (row) => row.programs },
          ]),
        );
      return sections;
    },
  };

  return {
    /**
     * One report for the operator, or null when the municipality asked for is out of their reach (a municipal
     * administrator asking for another municipality, or for the region; anyone but them and the coordinator).
     */
    async build(actor: Actor, slug: ReportSlug, filter: ReportFilter): Promise<Report | null> {
      const municipalityId = reportMunicipality(actor, filter.municipalityId);
      if (municipalityId === undefined) return null;
      const scoped = { ...filter, municipalityId };
      const title = REPORTS.find((report) => report.slug === slug)!.title;
      // Figures never gathered (a new database, before the job's first run) are gathered for the first reader.
      const gatheredAt =
        slug === 'programs'
          ? ((await queries.programsRefreshedAt()) ??
            (await queries.refreshProgramsUnlessRecent(PROGRAMS_REFRESH_PAUSE_MS)).gatheredAt)
          : undefined;
      const report: Report = {
        slug,
        title,
        municipalityId,
        filter: scoped,
        sections: await builders[slug](scoped),
      };
      if (gatheredAt) report.gatheredAt = gatheredAt;
      return report;
    },

    /**
     * Gathers the programs report's figures now, for an operator who may read a report (the «Обновить сейчас»
     * button); within PROGRAMS_REFRESH_PAUSE of the last refresh nothing is done again. Returns when they were
     * gathered and whether this call did it.
     */
    async refreshPrograms(actor: Actor): Promise<{ gatheredAt: Date; refreshed: boolean }> {
      authorize(reportPolicy, actor, 'read', { municipalityId: reportMunicipality(actor, null) ?? null });
      // Checked and refreshed under one lock: many presses at once gather the figures once (not once each).
      return queries.refreshProgramsUnlessRecent(PROGRAMS_REFRESH_PAUSE_MS);
    },

    /** Every municipality with the children 5–18 entered for it (the coordinator's form). */
    async populations(
      actor: Actor,
    ): Promise<{ municipalityId: number; name: string; children: number | null }[]> {
      authorize(reportPolicy, actor, 'update_population', { municipalityId: null });
      const entered = await populations();
      return MUNICIPALITIES.map((m) => ({
        municipalityId: m.id,
        name: m.name,
        children: entered.get(m.id) ?? null,
      }));
    },

    /** Enters (or clears, with null) a municipality's children 5–18; audited with the old and the new figure. */
    async setPopulations(
      actor: Actor,
      figures: Map<number, number | null>,
      context: AuditContext,
    ): Promise<number> {
      authorize(reportPolicy, actor, 'update_population', { municipalityId: null });
      return database.transaction(async (tx) => {
        const before = new Map(
          (await tx.db.select().from(childPopulation)).map((row) => [row.municipalityId, row.children]),
        );
        let changed = 0;
        for (const [municipalityId, children] of figures) {
          const old = before.get(municipalityId) ?? null;
          if (old === children) continue;
          if (children === null)
            await tx.db.delete(childPopulation).where(eq(childPopulation.municipalityId, municipalityId));
          else
            await tx.db
              .insert(childPopulation)
              .values({ municipalityId, children, updatedBy: actor.id })
              .onConflictDoUpdate({
                target: childPopulation.municipalityId,
                set: { children, updatedBy: actor.id, updatedAt: new Date() },
              });
          await audit(tx.db, {
            actorUserId: actor.id,
            action: 'reports.population_changed',
            subjectType: 'municipality',
            subjectId: String(municipalityId),
            details: { from: old, to: children },
            context,
          });
          changed++;
        }
        return changed;
      });
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;

/** «с 01.09.2026» for a week's Monday. */
const weekTitle = (monday: string) => `с ${formatDate(monday)}`;

import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { organizations } from '../organizations/schema.js';
import { directions, municipalities, specializations } from '../reference/schema.js';

const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});

/** Several date intervals as one value (PostgreSQL 14+): the enrolment windows of a program's groups. */
const dateMultirange = customType<{ data: string }>({
  dataType: () => 'datemultirange',
});

export const programLevel = pgEnum('program_level', ['start', 'basic', 'advanced']);
export const programFormat = pgEnum('program_format', ['in_person', 'remote', 'blended']);
export const programFinancing = pgEnum('program_financing', ['free', 'certificate', 'paid']);
/** The one registry a program is in (ADR 0036); how it is paid for follows from it (`financing`). */
export const programRegistry = pgEnum('program_registry', [
  'certified',
  'significant',
  'preprofessional',
  'other',
  'paid',
]);
export const programStatus = pgEnum('program_status', [
  'draft',
  'moderation',
  'published',
  'needs_changes',
  'archived',
]);

export const revisionStatus = pgEnum('program_revision_status', ['moderation', 'needs_changes']);

/** The fields a provider writes and a moderator checks: everything but the lifecycle columns. */
export interface ProgramContent {
  directionId: number;
  specializationId: number | null;
  name: string;
  description: string;
  goals: string;
  expectedResults: string;
  ageFrom: number;
  ageTo: number;
  level: 'start' | 'basic' | 'advanced';
  durationMonths: number;
  hoursTotal: number;
  format: 'in_person' | 'remote' | 'blended';
  ovzAdapted: boolean;
  ovzCategories: string[];
  /** The registry the provider proposes; the moderator sets the final one when publishing (ADR 0036). */
  registry: 'certified' | 'significant' | 'preprofessional' | 'other' | 'paid';
}

export const programs = pgTable(
  'programs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** The organization's municipality, kept here so that catalog filters and the moderation scope need no join. */
    municipalityId: smallint('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    directionId: smallint('direction_id')
      .notNull()
      .references(() => directions.id),
    specializationId: integer('specialization_id').references(() => specializations.id),
    name: text('name').notNull(),
    description: text('description').notNull(),
    goals: text('goals').notNull().default(''),
    expectedResults: text('expected_results').notNull().default(''),
    ageFrom: smallint('age_from').notNull(),
    ageTo: smallint('age_to').notNull(),
    level: programLevel('level').notNull(),
    durationMonths: smallint('duration_months').notNull(),
    hoursTotal: smallint('hours_total').notNull(),
    format: programFormat('format').notNull(),
    ovzAdapted: boolean('ovz_adapted').notNull().default(false),
    // No column default for arrays: drizzle-kit misreads introspected array defaults, which would
    // break the migrations-equal-schema test. Inserts always give the list (maybe empty).
    ovzCategories: text('ovz_categories').array().notNull(),
    registry: programRegistry('registry').notNull(),
    /**
     * Derived from the registry, never written (ADR 0036): сертифицированные are paid by certificate, платные by
     * the parents, the budget registries (значимые, предпрофессиональные, иные) are free.
     */
    financing: programFinancing('financing')
      .notNull()
      .generatedAlwaysAs(
        sql`case registry when 'certified' then 'certificate'::program_financing when 'paid' then 'paid'::program_financing else 'free'::program_financing end`,
      ),
    status: programStatus('status').notNull().default('draft'),
    moderatorComment: text('moderator_comment'),
    // Russian full-text search: the name weighs more than the description; search_fold (migration 0006)
    // makes «кружки» meet «кружок».
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`search_fold(setweight(to_tsvector('russian'::regconfig, name), 'A') || setweight(to_tsvector('russian'::regconfig, description), 'B'))`,
    ),
    /** The name alone, small enough to rank thousands of matches quickly (name matches come first). */
    nameVector: tsvector('name_vector').generatedAlwaysAs(
      sql`search_fold(to_tsvector('russian'::regconfig, name))`,
    ),
    // A summary of the program's groups for the catalog's filters, kept by refreshGroupSummary (search-index.ts)
    // whenever groups change: filtering 100,000 programs must not visit 300,000 groups.
    /** The lowest monthly cost over groups and ways of paying; null when none is charged. */
    minMonthlyCost: integer('min_monthly_cost'),
    /** Every group's enrolment window; «open today» is `enrolment_windows @> today`. */
    enrolmentWindows: dateMultirange('enrolment_windows'),
    /** The groups' first lesson dates, ascending; «nearest start» is the first one not in the past. */
    studyStarts: date('study_starts').array(),
    /**
     * Edits of a published program wait here for moderation while the published version stays public
     * (ADR 0008). Null when there are none.
     */
    pendingRevision: jsonb('pending_revision').$type<ProgramContent>(),
    /** Where the pending revision is: 'moderation' or 'needs_changes' (with moderatorComment). */
    revisionStatus: revisionStatus('revision_status'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('programs_organization_idx').on(table.organizationId),
    index('programs_specialization_idx').on(table.specializationId),
    index('programs_status_direction_idx').on(table.status, table.directionId),
    // The staff reports (reports/queries.ts) read only these columns of every published program: an index-only scan
    // instead of the wide rows with their descriptions and search vectors.
    index('programs_report_idx').on(
      table.status,
      table.municipalityId,
      table.id,
      table.organizationId,
      table.directionId,
      table.registry,
    ),
    index('programs_status_name_idx').on(table.status, table.name, table.id),
    index('programs_status_municipality_name_idx').on(
      table.status,
      table.municipalityId,
      table.name,
      table.id,
    ),
    index('programs_search_idx').using('gin', table.searchVector),
    // The catalog matches related words in names only (ADR 0022).
    index('programs_name_vector_idx').using('gin', table.nameVector),
    index('programs_name_trgm_idx').using('gin', table.name.op('gin_trgm_ops')),
    check('programs_age_range_ck', sql`${table.ageFrom} >= 0 and ${table.ageFrom} <= ${table.ageTo}`),
  ],
);

/** One lesson slot of a weekly schedule; weekday 1 = понедельник … 7 = воскресенье. */
export interface ScheduleSlot {
  weekday: number;
  start: string;
  end: string;
}

/** A cohort of a program: where, when, who teaches. Its places («план приёма») are the applications module's `group_places`. */
export const programGroups = pgTable(
  'program_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    teacher: text('teacher').notNull(),
    address: text('address').notNull(),
    schedule: jsonb('schedule').$type<ScheduleSlot[]>().notNull(),
    lessonMinutes: smallint('lesson_minutes').notNull(),
    ageFrom: smallint('age_from').notNull(),
    ageTo: smallint('age_to').notNull(),
    enrolmentFrom: date('enrolment_from').notNull(),
    enrolmentTo: date('enrolment_to').notNull(),
    studyStart: date('study_start').notNull(),
    studyEnd: date('study_end').notNull(),
    /** Whole roubles per month; null where that way of paying is not offered. */
    monthlyCostCertificate: integer('monthly_cost_certificate'),
    monthlyCostOwn: integer('monthly_cost_own'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // A program's groups; with the end of study and the id the reports count groups from the index alone.
    index('program_groups_program_idx').on(table.programId, table.studyEnd, table.id),
    check('program_groups_age_range_ck', sql`${table.ageFrom} <= ${table.ageTo}`),
    check('program_groups_enrolment_ck', sql`${table.enrolmentFrom} <= ${table.enrolmentTo}`),
    check('program_groups_study_ck', sql`${table.studyStart} <= ${table.studyEnd}`),
  ],
);

/**
 * The words of published programs with their folded lexemes, added by indexSearchTerms (search-index.ts) when a
 * program is published; the catalog's search reads them: a query word that matches no lexeme is
 * replaced by the most similar word here (pg_trgm), so «роботехника» searches for «робототехника».
 */
export const searchTerms = pgTable(
  'search_terms',
  {
    lexeme: text('lexeme').primaryKey(),
    word: text('word').notNull(),
  },
  (table) => [index('search_terms_word_trgm_idx').using('gin', table.word.op('gin_trgm_ops'))],
);

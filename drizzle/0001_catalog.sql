CREATE TYPE "public"."program_financing" AS ENUM('free', 'certificate', 'paid');--> statement-breakpoint
CREATE TYPE "public"."program_format" AS ENUM('in_person', 'remote', 'blended');--> statement-breakpoint
CREATE TYPE "public"."program_level" AS ENUM('start', 'basic', 'advanced');--> statement-breakpoint
CREATE TYPE "public"."program_status" AS ENUM('draft', 'moderation', 'published', 'needs_changes', 'archived');--> statement-breakpoint
CREATE TABLE "directions" (
	"id" smallint PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	CONSTRAINT "directions_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "municipalities" (
	"id" smallint PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"sort_order" smallint NOT NULL,
	CONSTRAINT "municipalities_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "specializations" (
	"id" integer PRIMARY KEY NOT NULL,
	"direction_id" smallint NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" smallint NOT NULL,
	"name" text NOT NULL,
	"short_name" text NOT NULL,
	"kind" text NOT NULL,
	"inn" text,
	"ogrn" text,
	"address" text NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"phone" text,
	"email" text,
	"website" text,
	"working_hours" text,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "program_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"program_id" uuid NOT NULL,
	"name" text NOT NULL,
	"teacher" text NOT NULL,
	"address" text NOT NULL,
	"schedule" jsonb NOT NULL,
	"lesson_minutes" smallint NOT NULL,
	"age_from" smallint NOT NULL,
	"age_to" smallint NOT NULL,
	"capacity" integer NOT NULL,
	"enrolment_from" date NOT NULL,
	"enrolment_to" date NOT NULL,
	"study_start" date NOT NULL,
	"study_end" date NOT NULL,
	"monthly_cost_certificate" integer,
	"monthly_cost_own" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "program_groups_capacity_ck" CHECK ("program_groups"."capacity" > 0),
	CONSTRAINT "program_groups_age_range_ck" CHECK ("program_groups"."age_from" <= "program_groups"."age_to"),
	CONSTRAINT "program_groups_enrolment_ck" CHECK ("program_groups"."enrolment_from" <= "program_groups"."enrolment_to"),
	CONSTRAINT "program_groups_study_ck" CHECK ("program_groups"."study_start" <= "program_groups"."study_end")
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"direction_id" smallint NOT NULL,
	"specialization_id" integer,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"goals" text DEFAULT '' NOT NULL,
	"expected_results" text DEFAULT '' NOT NULL,
	"age_from" smallint NOT NULL,
	"age_to" smallint NOT NULL,
	"level" "program_level" NOT NULL,
	"duration_months" smallint NOT NULL,
	"hours_total" smallint NOT NULL,
	"format" "program_format" NOT NULL,
	"ovz_adapted" boolean DEFAULT false NOT NULL,
	"ovz_categories" text[] NOT NULL,
	"financing" "program_financing" NOT NULL,
	"registries" text[] NOT NULL,
	"status" "program_status" DEFAULT 'draft' NOT NULL,
	"moderator_comment" text,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('russian'::regconfig, name), 'A') || setweight(to_tsvector('russian'::regconfig, description), 'B')) STORED,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programs_age_range_ck" CHECK ("programs"."age_from" >= 0 and "programs"."age_from" <= "programs"."age_to")
);
--> statement-breakpoint
ALTER TABLE "specializations" ADD CONSTRAINT "specializations_direction_id_directions_id_fk" FOREIGN KEY ("direction_id") REFERENCES "public"."directions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_groups" ADD CONSTRAINT "program_groups_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_direction_id_directions_id_fk" FOREIGN KEY ("direction_id") REFERENCES "public"."directions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_specialization_id_specializations_id_fk" FOREIGN KEY ("specialization_id") REFERENCES "public"."specializations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "specializations_direction_name_uq" ON "specializations" USING btree ("direction_id","name");--> statement-breakpoint
CREATE INDEX "organizations_municipality_idx" ON "organizations" USING btree ("municipality_id");--> statement-breakpoint
CREATE INDEX "program_groups_program_idx" ON "program_groups" USING btree ("program_id");--> statement-breakpoint
CREATE INDEX "programs_organization_idx" ON "programs" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "programs_status_direction_idx" ON "programs" USING btree ("status","direction_id");--> statement-breakpoint
CREATE INDEX "programs_search_idx" ON "programs" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "programs_name_trgm_idx" ON "programs" USING gin ("name" gin_trgm_ops);
CREATE TYPE "public"."funding_movement" AS ENUM('grant', 'reserve', 'release', 'charge', 'refund', 'expire');--> statement-breakpoint
CREATE TYPE "public"."funding_request_status" AS ENUM('queued', 'funded', 'withdrawn');--> statement-breakpoint
CREATE TABLE "funding_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period_id" uuid NOT NULL,
	"name" text NOT NULL,
	"age_from" smallint NOT NULL,
	"age_to" smallint NOT NULL,
	"nominal_kopecks" bigint NOT NULL,
	"quota" integer NOT NULL,
	"nominal_cap_kopecks" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funding_categories_ages_ck" CHECK ("funding_categories"."age_from" between 0 and 18 and "funding_categories"."age_to" between "funding_categories"."age_from" and 18),
	CONSTRAINT "funding_categories_nominal_ck" CHECK ("funding_categories"."nominal_kopecks" > 0),
	CONSTRAINT "funding_categories_quota_ck" CHECK ("funding_categories"."quota" >= 0),
	CONSTRAINT "funding_categories_cap_ck" CHECK ("funding_categories"."nominal_cap_kopecks" is null or "funding_categories"."nominal_cap_kopecks" >= 0)
);
--> statement-breakpoint
CREATE TABLE "funding_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"certificate_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"contract_id" uuid,
	"kind" "funding_movement" NOT NULL,
	"amount_kopecks" bigint NOT NULL,
	"actor_user_id" uuid,
	"job" text,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funding_ledger_amount_ck" CHECK ("funding_ledger"."amount_kopecks" > 0),
	CONSTRAINT "funding_ledger_author_ck" CHECK ("funding_ledger"."actor_user_id" is not null or "funding_ledger"."job" is not null)
);
--> statement-breakpoint
CREATE TABLE "funding_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" smallint NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"open" boolean DEFAULT false NOT NULL,
	"contracts_banned_from" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funding_periods_dates_ck" CHECK ("funding_periods"."ends_on" > "funding_periods"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "funding_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"certificate_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"status" "funding_request_status" DEFAULT 'queued' NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "funding_categories" ADD CONSTRAINT "funding_categories_period_id_funding_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."funding_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_ledger" ADD CONSTRAINT "funding_ledger_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_ledger" ADD CONSTRAINT "funding_ledger_period_id_funding_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."funding_periods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_periods" ADD CONSTRAINT "funding_periods_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_requests" ADD CONSTRAINT "funding_requests_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_requests" ADD CONSTRAINT "funding_requests_category_id_funding_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."funding_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_requests" ADD CONSTRAINT "funding_requests_period_id_funding_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."funding_periods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "funding_categories_period_name_uq" ON "funding_categories" USING btree ("period_id","name");--> statement-breakpoint
CREATE INDEX "funding_ledger_certificate_idx" ON "funding_ledger" USING btree ("certificate_id","period_id");--> statement-breakpoint
CREATE UNIQUE INDEX "funding_periods_municipality_start_uq" ON "funding_periods" USING btree ("municipality_id","starts_on");--> statement-breakpoint
CREATE UNIQUE INDEX "funding_requests_live_uq" ON "funding_requests" USING btree ("certificate_id","period_id") WHERE "funding_requests"."status" in ('queued', 'funded');--> statement-breakpoint
CREATE INDEX "funding_requests_queue_idx" ON "funding_requests" USING btree ("category_id","status","requested_at");--> statement-breakpoint
-- The ledger is append-only: a correction is a new movement, never an edit of an old one.
CREATE FUNCTION "funding_ledger_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'funding_ledger is append-only';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "funding_ledger_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "funding_ledger"
  FOR EACH STATEMENT EXECUTE FUNCTION "funding_ledger_append_only"();

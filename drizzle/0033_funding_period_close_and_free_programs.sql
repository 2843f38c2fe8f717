ALTER TABLE "funding_periods" ADD COLUMN "free_programs_per_child" smallint;--> statement-breakpoint
ALTER TABLE "funding_periods" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "funding_periods" ADD COLUMN "closed_by" text;--> statement-breakpoint
ALTER TABLE "funding_requests" ADD COLUMN "carried_from_id" uuid;--> statement-breakpoint
ALTER TABLE "funding_requests" ADD CONSTRAINT "funding_requests_carried_from_id_funding_requests_id_fk" FOREIGN KEY ("carried_from_id") REFERENCES "public"."funding_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "funding_requests_carried_from_uq" ON "funding_requests" USING btree ("carried_from_id");--> statement-breakpoint
ALTER TABLE "funding_periods" ADD CONSTRAINT "funding_periods_free_programs_ck" CHECK ("funding_periods"."free_programs_per_child" is null or "funding_periods"."free_programs_per_child" between 0 and 50);--> statement-breakpoint
-- Hand-written data step (ADR 0039): the number of free budget-registry programs per child moves from the municipalities' reference table
-- (per calendar year) to the funding period (per education year). Today's values go to the current education year
-- (1 September – 31 August, in the region's time), whose row is created — funding closed — when a municipality has
-- none yet.
INSERT INTO "funding_periods" ("municipality_id", "starts_on", "ends_on", "free_programs_per_child")
SELECT m."id", p."starts_on", (p."starts_on" + interval '1 year' - interval '1 day')::date, m."free_programs_per_year"
  FROM "municipalities" m,
       (SELECT make_date(
                 (extract(year FROM (now() AT TIME ZONE 'Europe/Moscow'))
                  - CASE WHEN extract(month FROM (now() AT TIME ZONE 'Europe/Moscow')) >= 9 THEN 0 ELSE 1 END)::int,
                 9, 1) AS "starts_on") p
 WHERE m."free_programs_per_year" IS NOT NULL
ON CONFLICT ("municipality_id", "starts_on")
DO UPDATE SET "free_programs_per_child" = EXCLUDED."free_programs_per_child";--> statement-breakpoint
ALTER TABLE "municipalities" DROP COLUMN "free_programs_per_year";

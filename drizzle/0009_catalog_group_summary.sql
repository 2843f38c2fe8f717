ALTER TABLE "programs" ADD COLUMN "name_vector" "tsvector" GENERATED ALWAYS AS (search_fold(to_tsvector('russian'::regconfig, name))) STORED;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "min_monthly_cost" integer;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "enrolment_windows" datemultirange;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "study_starts" date[];--> statement-breakpoint
CREATE INDEX "programs_specialization_idx" ON "programs" USING btree ("specialization_id");--> statement-breakpoint
-- The groups' summary on their program (min cost, enrolment windows, first lesson dates), recomputed by the app
-- for the programs whose groups changed.
CREATE FUNCTION refresh_group_summary(ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE programs p SET (min_monthly_cost, enrolment_windows, study_starts) = (
    SELECT min(least(g.monthly_cost_certificate, g.monthly_cost_own)),
      range_agg(daterange(g.enrolment_from, g.enrolment_to, '[]')),
      array_agg(DISTINCT g.study_start ORDER BY g.study_start)
    FROM program_groups g WHERE g.program_id = p.id)
  WHERE p.id = ANY(ids)
$$;--> statement-breakpoint
SELECT refresh_group_summary(coalesce((SELECT array_agg(id) FROM programs), '{}'));

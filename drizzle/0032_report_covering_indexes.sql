DROP INDEX "program_groups_program_idx";--> statement-breakpoint
CREATE INDEX "programs_report_idx" ON "programs" USING btree ("status","municipality_id","id","organization_id","direction_id","registry");--> statement-breakpoint
CREATE INDEX "program_groups_program_idx" ON "program_groups" USING btree ("program_id","study_end","id");
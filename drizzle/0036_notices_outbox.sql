-- Events filed before this migration were notified by their own jobs: they are not due (hand-edited, ADR 0051).
ALTER TABLE "application_events" ADD COLUMN "notice_due" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "application_events" ALTER COLUMN "notice_due" SET DEFAULT true;--> statement-breakpoint
ALTER TABLE "application_events" ADD COLUMN "notice_failures" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "application_events" ADD COLUMN "notice_retry_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "application_events_notice_due_idx" ON "application_events" USING btree ("created_at") WHERE "application_events"."notice_due";

ALTER TABLE "funding_periods" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "funding_periods" ADD COLUMN "closed_by" text;--> statement-breakpoint
ALTER TABLE "funding_requests" ADD COLUMN "carried_from_id" uuid;--> statement-breakpoint
ALTER TABLE "funding_requests" ADD CONSTRAINT "funding_requests_carried_from_id_funding_requests_id_fk" FOREIGN KEY ("carried_from_id") REFERENCES "public"."funding_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "funding_requests_carried_from_uq" ON "funding_requests" USING btree ("carried_from_id");
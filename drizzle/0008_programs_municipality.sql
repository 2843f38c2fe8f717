DROP INDEX "programs_status_name_idx";--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "municipality_id" smallint;--> statement-breakpoint
UPDATE "programs" SET "municipality_id" = o."municipality_id" FROM "organizations" o WHERE o."id" = "programs"."organization_id";--> statement-breakpoint
ALTER TABLE "programs" ALTER COLUMN "municipality_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "programs_status_municipality_name_idx" ON "programs" USING btree ("status","municipality_id","name","id");--> statement-breakpoint
CREATE INDEX "programs_status_name_idx" ON "programs" USING btree ("status","name","id");
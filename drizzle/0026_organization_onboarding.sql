ALTER TABLE "organizations" ADD COLUMN "kpp" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "legal_address" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "head" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "organizations_archived_idx" ON "organizations" USING btree ("id") WHERE "organizations"."archived_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_inn_kpp_uq" ON "organizations" USING btree ("inn","kpp") WHERE "organizations"."inn" is not null and "organizations"."kpp" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_inn_without_kpp_uq" ON "organizations" USING btree ("inn") WHERE "organizations"."inn" is not null and "organizations"."kpp" is null;
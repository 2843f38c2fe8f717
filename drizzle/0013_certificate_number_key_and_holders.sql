CREATE TABLE "certificate_number_key" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_number_key_one_row" CHECK ("certificate_number_key"."id" = 1)
);

--> statement-breakpoint
ALTER TABLE "certificates" ADD COLUMN "holder_key" text;--> statement-breakpoint
ALTER TABLE "certificates" ADD COLUMN "holder_snils" text;--> statement-breakpoint
-- Written by hand: existing certificates take their child's identity; where one identity already holds two live
-- certificates, the active (else the earliest issued) one stays live and the others are suspended.
UPDATE "certificates" SET "holder_key" = "children"."identity_key", "holder_snils" = "children"."snils" FROM "children" WHERE "children"."id" = "certificates"."child_id";--> statement-breakpoint
UPDATE "certificates" SET "status" = 'suspended' WHERE "status" in ('awaiting_confirmation', 'active') AND EXISTS (SELECT 1 FROM "certificates" "first" WHERE "first"."status" in ('awaiting_confirmation', 'active') AND ("first"."holder_key" = "certificates"."holder_key" OR "first"."holder_snils" = "certificates"."holder_snils") AND ("first"."status" <> 'active', "first"."issued_at", "first"."id") < ("certificates"."status" <> 'active', "certificates"."issued_at", "certificates"."id"));--> statement-breakpoint
ALTER TABLE "certificates" ALTER COLUMN "holder_key" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_live_holder_uq" ON "certificates" USING btree ("holder_key") WHERE "certificates"."status" in ('awaiting_confirmation', 'active');--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_live_snils_uq" ON "certificates" USING btree ("holder_snils") WHERE "certificates"."holder_snils" is not null and "certificates"."status" in ('awaiting_confirmation', 'active');

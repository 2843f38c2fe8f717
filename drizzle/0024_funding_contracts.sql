CREATE TYPE "public"."funding_contract_status" AS ENUM('created', 'confirmed', 'active', 'declined', 'terminated');--> statement-breakpoint
CREATE SEQUENCE "public"."funding_contract_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "funding_contracts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"application_id" uuid NOT NULL,
	"certificate_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"municipality_id" smallint NOT NULL,
	"organization_id" uuid NOT NULL,
	"program_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"parent_user_id" uuid NOT NULL,
	"status" "funding_contract_status" DEFAULT 'created' NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"price_kopecks" bigint NOT NULL,
	"normative_kopecks" bigint,
	"certificate_kopecks" bigint NOT NULL,
	"family_kopecks" bigint NOT NULL,
	"months" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_by" uuid,
	"confirmed_at" timestamp with time zone,
	"offer_expires_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"accepted_ip" text,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"close_reason" text,
	CONSTRAINT "funding_contracts_dates_ck" CHECK ("funding_contracts"."ends_on" >= "funding_contracts"."starts_on"),
	CONSTRAINT "funding_contracts_amounts_ck" CHECK ("funding_contracts"."price_kopecks" > 0 and "funding_contracts"."certificate_kopecks" >= 0 and "funding_contracts"."family_kopecks" >= 0)
);
--> statement-breakpoint
ALTER TABLE "funding_contracts" ADD CONSTRAINT "funding_contracts_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_contracts" ADD CONSTRAINT "funding_contracts_period_id_funding_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."funding_periods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_contracts" ADD CONSTRAINT "funding_contracts_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "funding_contracts_number_uq" ON "funding_contracts" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "funding_contracts_application_live_uq" ON "funding_contracts" USING btree ("application_id") WHERE "funding_contracts"."status" in ('created', 'confirmed', 'active');--> statement-breakpoint
CREATE INDEX "funding_contracts_parent_idx" ON "funding_contracts" USING btree ("parent_user_id");--> statement-breakpoint
CREATE INDEX "funding_contracts_organization_idx" ON "funding_contracts" USING btree ("organization_id","status");--> statement-breakpoint
CREATE INDEX "funding_contracts_municipality_idx" ON "funding_contracts" USING btree ("municipality_id","status");--> statement-breakpoint
CREATE INDEX "funding_contracts_offer_idx" ON "funding_contracts" USING btree ("offer_expires_at") WHERE "funding_contracts"."status" = 'confirmed';--> statement-breakpoint
ALTER TABLE "funding_ledger" ADD CONSTRAINT "funding_ledger_contract_id_funding_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."funding_contracts"("id") ON DELETE no action ON UPDATE no action;
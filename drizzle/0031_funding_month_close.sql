CREATE TYPE "public"."funding_accrual_kind" AS ENUM('advance', 'invoice');--> statement-breakpoint
CREATE TYPE "public"."funding_register_status" AS ENUM('unviewed', 'in_work', 'paid');--> statement-breakpoint
CREATE TABLE "funding_accruals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"contract_id" uuid NOT NULL,
	"certificate_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"municipality_id" smallint NOT NULL,
	"month" date NOT NULL,
	"kind" "funding_accrual_kind" NOT NULL,
	"part_kopecks" bigint NOT NULL,
	"completeness_percent" smallint,
	"due_kopecks" bigint NOT NULL,
	"charged_kopecks" bigint DEFAULT 0 NOT NULL,
	"released_kopecks" bigint DEFAULT 0 NOT NULL,
	"refunded_kopecks" bigint DEFAULT 0 NOT NULL,
	"job" text,
	"actor_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funding_accruals_amounts_ck" CHECK ("funding_accruals"."part_kopecks" >= 0 and "funding_accruals"."due_kopecks" >= 0 and "funding_accruals"."charged_kopecks" >= 0
          and "funding_accruals"."released_kopecks" >= 0 and "funding_accruals"."refunded_kopecks" >= 0),
	CONSTRAINT "funding_accruals_completeness_ck" CHECK ("funding_accruals"."completeness_percent" is null or "funding_accruals"."completeness_percent" between 0 and 100),
	CONSTRAINT "funding_accruals_author_ck" CHECK ("funding_accruals"."actor_user_id" is not null or "funding_accruals"."job" is not null)
);
--> statement-breakpoint
CREATE TABLE "funding_completeness" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"contract_id" uuid NOT NULL,
	"month" date NOT NULL,
	"percent" smallint NOT NULL,
	"entered_by" uuid NOT NULL,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funding_completeness_percent_ck" CHECK ("funding_completeness"."percent" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "funding_registers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"municipality_id" smallint NOT NULL,
	"month" date NOT NULL,
	"kind" "funding_accrual_kind" NOT NULL,
	"status" "funding_register_status" DEFAULT 'unviewed' NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "funding_accruals" ADD CONSTRAINT "funding_accruals_contract_id_funding_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."funding_contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_completeness" ADD CONSTRAINT "funding_completeness_contract_id_funding_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."funding_contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_registers" ADD CONSTRAINT "funding_registers_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "funding_accruals_contract_month_kind_uq" ON "funding_accruals" USING btree ("contract_id","month","kind");--> statement-breakpoint
CREATE INDEX "funding_accruals_register_idx" ON "funding_accruals" USING btree ("organization_id","month","kind");--> statement-breakpoint
CREATE INDEX "funding_accruals_municipality_idx" ON "funding_accruals" USING btree ("municipality_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "funding_completeness_contract_month_uq" ON "funding_completeness" USING btree ("contract_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "funding_registers_natural_uq" ON "funding_registers" USING btree ("organization_id","municipality_id","month","kind");--> statement-breakpoint
CREATE INDEX "funding_registers_municipality_idx" ON "funding_registers" USING btree ("municipality_id","month");--> statement-breakpoint
CREATE INDEX "funding_ledger_contract_idx" ON "funding_ledger" USING btree ("contract_id");
CREATE TYPE "public"."child_data_status" AS ENUM('unconfirmed', 'confirmed', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."identity_document_type" AS ENUM('birth_certificate', 'passport');--> statement-breakpoint
CREATE TYPE "public"."sex" AS ENUM('male', 'female');--> statement-breakpoint
CREATE TYPE "public"."certificate_status" AS ENUM('awaiting_confirmation', 'active', 'suspended', 'closed');--> statement-breakpoint
CREATE TYPE "public"."certificate_type" AS ENUM('accounting', 'funded');--> statement-breakpoint
CREATE SEQUENCE "public"."certificate_serial_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9999999 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "children" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_user_id" uuid NOT NULL,
	"is_self" boolean DEFAULT false NOT NULL,
	"last_name" text NOT NULL,
	"first_name" text NOT NULL,
	"middle_name" text,
	"birth_date" date NOT NULL,
	"sex" "sex" NOT NULL,
	"snils" text,
	"document_type" "identity_document_type" NOT NULL,
	"document_series" text NOT NULL,
	"document_number" text NOT NULL,
	"document_issued_at" date NOT NULL,
	"document_issued_by" text NOT NULL,
	"municipality_id" smallint NOT NULL,
	"registration_address" text NOT NULL,
	"identity_key" text NOT NULL,
	"possible_duplicate" boolean DEFAULT false NOT NULL,
	"data_status" "child_data_status" DEFAULT 'unconfirmed' NOT NULL,
	"rejection_reason" text,
	"confirmed_at" timestamp with time zone,
	"confirmed_by_user_id" uuid,
	"confirmed_document" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"number" char(10) NOT NULL,
	"status" "certificate_status" DEFAULT 'awaiting_confirmation' NOT NULL,
	"type" "certificate_type" DEFAULT 'accounting' NOT NULL,
	"nominal" integer,
	"balance" integer,
	"period_start" date,
	"period_end" date,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"valid_until" date NOT NULL
);
--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "children_owner_idx" ON "children" USING btree ("owner_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "children_owner_identity_uq" ON "children" USING btree ("owner_user_id","identity_key");--> statement-breakpoint
CREATE UNIQUE INDEX "children_owner_snils_uq" ON "children" USING btree ("owner_user_id","snils") WHERE "children"."snils" is not null;--> statement-breakpoint
CREATE INDEX "children_identity_idx" ON "children" USING btree ("identity_key");--> statement-breakpoint
CREATE INDEX "children_snils_idx" ON "children" USING btree ("snils");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_child_uq" ON "certificates" USING btree ("child_id");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_number_uq" ON "certificates" USING btree ("number");--> statement-breakpoint
CREATE INDEX "certificates_status_idx" ON "certificates" USING btree ("status");
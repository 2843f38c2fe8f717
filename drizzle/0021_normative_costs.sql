CREATE TABLE "funding_normative_costs" (
	"program_id" uuid PRIMARY KEY NOT NULL,
	"monthly_kopecks" bigint NOT NULL,
	"set_by" uuid NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funding_normative_costs_amount_ck" CHECK ("funding_normative_costs"."monthly_kopecks" > 0)
);
--> statement-breakpoint
ALTER TABLE "funding_normative_costs" ADD CONSTRAINT "funding_normative_costs_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;
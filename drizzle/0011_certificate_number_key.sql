CREATE TABLE "certificate_number_key" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_number_key_one_row" CHECK ("certificate_number_key"."id" = 1)
);

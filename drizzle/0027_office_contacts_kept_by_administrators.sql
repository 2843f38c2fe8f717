CREATE TABLE "regional_office" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"people" text,
	"address" text,
	"phone" text,
	"email" text,
	"hours" text,
	CONSTRAINT "regional_office_one_row_ck" CHECK ("regional_office"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "municipalities" ADD COLUMN "office_people" text;--> statement-breakpoint
ALTER TABLE "municipalities" ADD COLUMN "office_email" text;
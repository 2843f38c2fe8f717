CREATE TABLE "group_places" (
	"group_id" uuid PRIMARY KEY NOT NULL,
	"capacity" integer NOT NULL,
	"taken" integer DEFAULT 0 NOT NULL,
	"auto_accept" boolean DEFAULT false NOT NULL,
	CONSTRAINT "group_places_capacity_ck" CHECK ("group_places"."capacity" > 0),
	CONSTRAINT "group_places_taken_ck" CHECK ("group_places"."taken" >= 0 and "group_places"."taken" <= "group_places"."capacity")
);
--> statement-breakpoint
ALTER TABLE "program_groups" DROP CONSTRAINT "program_groups_capacity_ck";--> statement-breakpoint
ALTER TABLE "program_groups" DROP CONSTRAINT "program_groups_seats_ck";--> statement-breakpoint
ALTER TABLE "group_places" ADD CONSTRAINT "group_places_group_id_program_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."program_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hand-written backfill: every group's places move to group_places before the columns go.
INSERT INTO "group_places" ("group_id", "capacity", "taken", "auto_accept")
SELECT "id", "capacity", "seats_taken", "auto_accept" FROM "program_groups";--> statement-breakpoint
ALTER TABLE "program_groups" DROP COLUMN "capacity";--> statement-breakpoint
ALTER TABLE "program_groups" DROP COLUMN "seats_taken";--> statement-breakpoint
ALTER TABLE "program_groups" DROP COLUMN "auto_accept";
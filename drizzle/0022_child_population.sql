CREATE TABLE "child_population" (
	"municipality_id" smallint PRIMARY KEY NOT NULL,
	"children" integer NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "child_population_children_ck" CHECK ("child_population"."children" > 0)
);
--> statement-breakpoint
ALTER TABLE "child_population" ADD CONSTRAINT "child_population_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;
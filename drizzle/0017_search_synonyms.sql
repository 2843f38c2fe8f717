CREATE TABLE "search_synonyms" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "search_synonyms_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"term" text NOT NULL,
	"related" text[] NOT NULL,
	"term_lexemes" text[] GENERATED ALWAYS AS (tsvector_to_array(search_fold(to_tsvector('russian'::regconfig, term)))) STORED NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "search_synonyms_related_ck" CHECK (cardinality("search_synonyms"."related") between 1 and 20)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "search_synonyms_term_lexemes_key" ON "search_synonyms" USING btree ("term_lexemes");--> statement-breakpoint
CREATE INDEX "programs_name_vector_idx" ON "programs" USING gin ("name_vector");
CREATE TYPE "public"."program_revision_status" AS ENUM('moderation', 'needs_changes');--> statement-breakpoint
CREATE TABLE "search_terms" (
	"lexeme" text PRIMARY KEY NOT NULL,
	"word" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "programs" drop column "search_vector";--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (search_fold(setweight(to_tsvector('russian'::regconfig, name), 'A') || setweight(to_tsvector('russian'::regconfig, description), 'B'))) STORED;--> statement-breakpoint
CREATE INDEX "programs_search_idx" ON "programs" USING gin ("search_vector");--> statement-breakpoint
ALTER TABLE "program_groups" ADD COLUMN "seats_taken" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "pending_revision" jsonb;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "revision_status" "program_revision_status";--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "search_terms_word_trgm_idx" ON "search_terms" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "programs_status_name_idx" ON "programs" USING btree ("status","name");--> statement-breakpoint
ALTER TABLE "program_groups" ADD CONSTRAINT "program_groups_seats_ck" CHECK ("program_groups"."seats_taken" >= 0 and "program_groups"."seats_taken" <= "program_groups"."capacity");;--> statement-breakpoint
-- The words of a text with their folded lexemes, for search_terms (typo correction).
CREATE FUNCTION search_terms_of(body text) RETURNS TABLE(lexeme text, word text)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT t.lexeme, w.word
  FROM regexp_split_to_table(lower(body), '[^а-яёa-z0-9]+') AS w(word),
    LATERAL unnest(search_fold(to_tsvector('russian', w.word))) AS t
  WHERE length(w.word) > 2
$$;--> statement-breakpoint
INSERT INTO search_terms (lexeme, word)
SELECT DISTINCT ON (t.lexeme) t.lexeme, t.word
FROM programs p, LATERAL search_terms_of(p.name || ' ' || p.description) AS t
WHERE p.status = 'published'
ORDER BY t.lexeme, length(t.word), t.word
ON CONFLICT (lexeme) DO NOTHING;

CREATE TABLE "report_refreshes" (
	"report" text PRIMARY KEY NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- Hand-written (ADR 0045): the programs report's figures, gathered by `refresh materialized view concurrently`
-- (the reports module's job every five minutes, or the «Обновить сейчас» button) instead of on each request.
-- Per municipality, направленность, registry and day: the groups ending that day with their free places, and the
-- programs whose last group ends that day. Not managed by drizzle-kit (`.existing()` in reports/schema.ts).
CREATE MATERIALIZED VIEW "report_program_facts" AS
SELECT "municipality_id", "direction_id", "registry", "day",
       sum("programs")::int AS "programs", sum("groups")::int AS "groups", sum("free_places")::int AS "free_places"
  FROM (SELECT p."municipality_id", p."direction_id", p."registry"::text AS "registry", g."study_end" AS "day",
               0 AS "programs", count(*) AS "groups", sum(gp."capacity" - gp."taken") AS "free_places"
          FROM "programs" p
          JOIN "program_groups" g ON g."program_id" = p."id"
          JOIN "group_places" gp ON gp."group_id" = g."id"
         WHERE p."status" = 'published'
         GROUP BY 1, 2, 3, 4
        UNION ALL
        SELECT p."municipality_id", p."direction_id", p."registry"::text, e."last_end", count(*), 0, 0
          FROM "programs" p
          JOIN (SELECT "program_id", max("study_end") AS "last_end" FROM "program_groups" GROUP BY "program_id") e
            ON e."program_id" = p."id"
         WHERE p."status" = 'published'
         GROUP BY 1, 2, 3, 4) AS "facts"
 GROUP BY 1, 2, 3, 4;--> statement-breakpoint
CREATE UNIQUE INDEX "report_program_facts_key"
    ON "report_program_facts" ("municipality_id", "direction_id", "registry", "day");

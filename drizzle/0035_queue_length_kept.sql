ALTER TABLE "group_places" ADD COLUMN "queued" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "group_places" ADD CONSTRAINT "group_places_queued_ck" CHECK ("group_places"."queued" >= 0);--> statement-breakpoint
-- Hand-written (ADR 0050): `group_places.queued` follows every application that enters or leaves a queue, by
-- any path (filing, an offer, a cancellation, a deleted child), in the same transaction. A change of status
-- first locks the group's row (ADR 0011), so the count read under that lock is exact.
CREATE FUNCTION "applications_keep_queue_length"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD."status" = 'queued' THEN
    UPDATE "group_places" SET "queued" = "queued" - 1 WHERE "group_id" = OLD."group_id";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW."status" = 'queued' THEN
    UPDATE "group_places" SET "queued" = "queued" + 1 WHERE "group_id" = NEW."group_id";
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "applications_keep_queue_length" AFTER INSERT OR DELETE OR UPDATE OF "status", "group_id"
  ON "applications" FOR EACH ROW EXECUTE FUNCTION "applications_keep_queue_length"();--> statement-breakpoint
UPDATE "group_places" gp SET "queued" = q."n"
  FROM (SELECT "group_id", count(*)::int AS "n" FROM "applications" WHERE "status" = 'queued' GROUP BY 1) q
 WHERE q."group_id" = gp."group_id";

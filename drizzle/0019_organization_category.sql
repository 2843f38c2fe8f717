CREATE TYPE "public"."organization_category" AS ENUM('school', 'creativity_centre', 'arts_school', 'sports_school', 'kindergarten', 'private', 'other');--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "category" "organization_category" DEFAULT 'other' NOT NULL;--> statement-breakpoint
CREATE INDEX "organizations_category_idx" ON "organizations" USING btree ("category");--> statement-breakpoint
-- Hand-written backfill: the category of organizations already there, guessed from their names («иное» when unsure).
UPDATE "organizations" SET "category" = CASE
  WHEN "name" ~* '(спортивн|олимпийск|дюсш|сдюсшор)' THEN 'sports_school'
  WHEN "name" ~* '(школа искусств|музыкальная школа|художественная школа|дши|дмш|дхш)' THEN 'arts_school'
  WHEN "name" ~* '(дом детского творчества|центр детского творчества|дворец творчества|ддт|цдт|центр .*творчеств|станция юных|кванториум|центр дополнительного образования)' THEN 'creativity_centre'
  WHEN "name" ~* '(детский сад|доу)' THEN 'kindergarten'
  WHEN "name" ~* '(школа|гимназия|лицей)' THEN 'school'
  WHEN "kind" ~* '(^ип|индивидуальный предприниматель|автономная некоммерческая|^ооо|частн)' THEN 'private'
  ELSE 'other'
END::"organization_category";

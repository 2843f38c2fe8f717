-- ADR 0036: one registry per program. Certificate → сертифицированные, paid → платные; a free program goes to the
-- budget registry its old list named (предпрофессиональные before значимые), else to «иные».
UPDATE "programs" SET "registry" = (CASE
  WHEN "financing" = 'certificate' THEN 'certified'
  WHEN "financing" = 'paid' THEN 'paid'
  WHEN 'preprofessional' = ANY("registries") THEN 'preprofessional'
  WHEN 'significant' = ANY("registries") THEN 'significant'
  ELSE 'other'
END)::"program_registry";--> statement-breakpoint
-- A revision waiting for moderation carries the same choice in its JSON.
UPDATE "programs" SET "pending_revision" = ("pending_revision" - 'financing' - 'registries') || jsonb_build_object('registry', CASE
  WHEN "pending_revision"->>'financing' = 'certificate' THEN 'certified'
  WHEN "pending_revision"->>'financing' = 'paid' THEN 'paid'
  WHEN "pending_revision"->'registries' ? 'preprofessional' THEN 'preprofessional'
  WHEN "pending_revision"->'registries' ? 'significant' THEN 'significant'
  ELSE 'other'
END) WHERE "pending_revision" IS NOT NULL;

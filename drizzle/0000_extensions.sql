-- Trigram similarity for typo-tolerant catalog search («роботехника» → «робототехника»).
-- The `russian` text search configuration is built into PostgreSQL and PGlite and needs no extension.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

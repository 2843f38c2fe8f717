import { defineConfig } from 'drizzle-kit';

// Only `generate` is used: migrations are applied by the app itself (src/platform/db/migrate.ts)
// the same way on PGlite and on a PostgreSQL server.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
  strict: true,
  verbose: true,
});

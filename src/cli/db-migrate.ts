import { databaseTarget } from '../app.js';
import { loadConfigOrExit } from '../platform/config.js';
import { openDatabaseOrExit } from '../platform/db/client.js';
import { runMigrations } from '../platform/db/migrate.js';

// Applies the committed migrations; the app also does this at every start.
const config = loadConfigOrExit();
const database = await openDatabaseOrExit(databaseTarget(config));
await runMigrations(database);
await database.close();
console.log(`Migrations applied (${database.kind}).`);

import { parseArgs } from 'node:util';
import { databaseTarget } from '../app.js';
import { createStaffAccount } from '../modules/accounts/index.js';
import { MUNICIPALITIES } from '../modules/reference/index.js';
import { loadConfigOrExit } from '../platform/config.js';
import { openDatabaseOrExit } from '../platform/db/client.js';
import { runMigrations } from '../platform/db/migrate.js';
import { ensureReferenceData } from '../modules/reference/index.js';

// npm run admin -- user:create --role <org-staff|municipal-admin|coordinator> --email E --password P
//   --last-name L --first-name F [--municipality "город Смоленск"] [--organization ID]
const USAGE =
  'Usage: npm run admin -- user:create --role <org-staff|municipal-admin|coordinator> --email E --password P --last-name L --first-name F [--municipality "город Смоленск"] [--organization ID]';
const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: {
    role: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    'last-name': { type: 'string' },
    'first-name': { type: 'string' },
    municipality: { type: 'string' },
    organization: { type: 'string' },
  },
});

const roles = {
  'org-staff': 'org_staff',
  'municipal-admin': 'municipal_admin',
  coordinator: 'coordinator',
} as const;
const role = roles[values.role as keyof typeof roles];
const problems: string[] = [];
if (command !== 'user:create') problems.push(USAGE);
if (!role) problems.push('--role must be org-staff, municipal-admin or coordinator');
if (!values.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email))
  problems.push('--email must be an e-mail address');
if (!values.password || values.password.length < 8) problems.push('--password must be at least 8 characters');
if (!values['last-name'] || !values['first-name']) problems.push('--last-name and --first-name are required');
const municipality = values.municipality
  ? MUNICIPALITIES.find(
      (m) => m.name.toLowerCase() === values.municipality!.toLowerCase() || m.code === values.municipality,
    )
  : undefined;
if (values.municipality && !municipality)
  problems.push(`--municipality: no municipality named "${values.municipality}"`);
if (role === 'municipal_admin' && !municipality)
  problems.push('--municipality is required for a municipal administrator');
if (role === 'org_staff' && !values.organization)
  problems.push('--organization (its id) is required for organization staff');
if (problems.length > 0) {
  for (const line of problems) console.error(line);
  process.exit(1);
}

const config = loadConfigOrExit();
const database = await openDatabaseOrExit(databaseTarget(config));
await runMigrations(database);
// The command may run before the app ever started: the municipalities must exist for the new account.
await ensureReferenceData(database.db);
let municipalityId = municipality?.id;
if (role === 'org_staff') {
  const { rows } = await database.sql.executeSql(
    'select municipality_id from organizations where id::text = $1',
    [values.organization],
  );
  if (!rows[0]) {
    console.error(`--organization: no organization with id ${values.organization}`);
    process.exit(1);
  }
  municipalityId = Number(rows[0].municipality_id);
}
const id = await createStaffAccount(database, {
  role,
  email: values.email!,
  password: values.password!,
  lastName: values['last-name']!,
  firstName: values['first-name']!,
  municipalityId,
  organizationId: values.organization,
});
await database.close();
if (!id) {
  console.error(`An account with ${values.email} already exists`);
  process.exit(1);
}
console.log(id);

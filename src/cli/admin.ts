import { parseArgs } from 'node:util';
import { databaseTarget } from '../app.js';
import { createStaffAccount } from '../modules/accounts/index.js';
import { MUNICIPALITIES } from '../modules/reference/index.js';
import { loadConfigOrExit } from '../platform/config.js';
import { openDatabaseOrExit } from '../platform/db/client.js';
import { runMigrations } from '../platform/db/migrate.js';
import { ensureReferenceData } from '../modules/reference/index.js';
import {
  createOrganizationsService,
  newOrganizationSchema,
  parseOrganizationForm,
} from '../modules/organizations/index.js';
import { REGION } from '../platform/region.js';

/** org:create's flags and the form fields they fill. */
const ORG_OPTIONS = [
  ['municipality', 'municipalityId'],
  ['inn', 'inn'],
  ['kpp', 'kpp'],
  ['ogrn', 'ogrn'],
  ['name', 'name'],
  ['short-name', 'shortName'],
  ['kind', 'kind'],
  ['category', 'category'],
  ['address', 'address'],
  ['legal-address', 'legalAddress'],
  ['phone', 'phone'],
  ['email', 'email'],
  ['website', 'website'],
  ['hours', 'workingHours'],
  ['head', 'head'],
  ['latitude', 'latitude'],
  ['longitude', 'longitude'],
  ['description', 'description'],
] as const;
const flagOf = (field: string) => ORG_OPTIONS.find(([, name]) => name === field)?.[0] ?? field;

// npm run admin -- user:create --role <org-staff|municipal-admin|coordinator> --email E --password P
//   --last-name L --first-name F [--municipality "город Смоленск"] [--organization ID]
// npm run admin -- org:create --municipality 67-01 --inn I [--kpp K] --ogrn O --name N --short-name S
//   --kind K --category C --address A [--legal-address …] [--phone …] [--email …] [--website …] [--hours …]
//   [--head …] [--latitude …] [--longitude …] [--description …]
const USAGE =
  'Usage: npm run admin -- user:create --role <org-staff|municipal-admin|coordinator> --email E --password P --last-name L --first-name F [--municipality "город Смоленск"] [--organization ID]\n' +
  '   or: npm run admin -- org:create --municipality <67-01|smolensk|"город Смоленск"> --inn I [--kpp K] --ogrn O --name N --short-name S --kind K --category C --address A [--legal-address A] [--phone P] [--email E] [--website W] [--hours H] [--head H] [--latitude L --longitude L] [--description D]';
const [command, ...rest] = process.argv.slice(2);
if (command === 'org:create') {
  await createOrganizationCommand(rest);
  process.exit(0);
}
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
const municipality = values.municipality ? findMunicipality(values.municipality) : undefined;
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

/** A municipality by its code in the region («67-01»: the region's code and the id), its slug or its name. */
function findMunicipality(text: string) {
  const numbered = /^(\d{2})-(\d{1,3})$/.exec(text.trim());
  if (numbered)
    return numbered[1] === REGION.code ? MUNICIPALITIES.find((m) => m.id === Number(numbered[2])) : undefined;
  return MUNICIPALITIES.find(
    (m) => m.name.toLowerCase() === text.trim().toLowerCase() || m.code === text.trim(),
  );
}

/**
 * org:create — onboards an organization from a script, with the checks of the administrators' form (the same zod
 * schema and messages) and the unique ИНН+КПП; prints the new id. Acts as nobody (audited with no actor).
 */
async function createOrganizationCommand(args: string[]) {
  const { values: options } = parseArgs({
    args,
    options: Object.fromEntries(ORG_OPTIONS.map(([flag]) => [flag, { type: 'string' as const }])),
  });
  const found = options.municipality ? findMunicipality(String(options.municipality)) : undefined;
  const form: Record<string, string> = {};
  for (const [flag, field] of ORG_OPTIONS)
    if (options[flag] !== undefined) form[field] = String(options[flag]);
  form.municipalityId = found ? String(found.id) : '';
  const parsed = parseOrganizationForm(newOrganizationSchema, form, true);
  if (!found || !parsed.ok) {
    if (!found)
      console.error(
        `--municipality: no municipality "${options.municipality ?? ''}" (e.g. ${REGION.code}-01, smolensk)`,
      );
    if (!parsed.ok)
      for (const [field, message] of Object.entries(parsed.errors))
        if (field !== 'municipalityId') console.error(`--${flagOf(field)}: ${message}`);
    console.error(USAGE);
    process.exit(1);
  }
  const config = loadConfigOrExit();
  // An embedded database the app holds is refused here with the holder's pid (the one-process lock).
  const database = await openDatabaseOrExit(databaseTarget(config));
  await runMigrations(database);
  await ensureReferenceData(database.db);
  const organizations = createOrganizationsService({
    database,
    programs: {
      organizationPrograms: () => Promise.resolve([]),
      publishedCountByOrganization: () => Promise.resolve(new Map()),
    },
  });
  const created = await organizations.createByCommand(parsed.data);
  await database.close();
  if (!created.ok) {
    for (const [field, message] of Object.entries(created.errors))
      console.error(`--${flagOf(field)}: ${message}`);
    process.exit(1);
  }
  console.log(created.id);
}

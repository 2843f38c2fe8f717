/** Names derived from TEST_DATABASE_URL: `<db>_tpl` is the migrated template, `<db>_<n>` one per test file. */
export function templateNameFor(baseUrl: string): string {
  return `${databaseName(baseUrl)}_tpl`;
}

export function databaseName(url: string): string {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('TEST_DATABASE_URL must name a database of [a-z0-9_]');
  return name;
}

export function databaseUrlFor(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The server's maintenance database, to create and drop the test databases from. */
export function adminUrl(baseUrl: string): string {
  return databaseUrlFor(baseUrl, 'postgres');
}

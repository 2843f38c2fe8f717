import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/app.js';
import type { Db } from '../../src/platform/db/client.js';
import { users } from '../../src/modules/accounts/schema.js';
import { hashPassword } from '../../src/modules/accounts/password.js';

const PASSWORD = 'Родитель-через-API-67';
let passwordHash: Promise<string> | null = null;
let parents = 0;

export type ApiCall = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: object,
) => Promise<LightMyRequestResponse>;

/** A parent with a confirmed address, signed in through POST /api/v1/session; calls the JSON API as them. */
export async function apiParent(app: App, db: Db): Promise<{ userId: string; call: ApiCall }> {
  passwordHash ??= hashPassword(PASSWORD);
  const n = ++parents;
  const email = `api-parent-${n}-${Date.now()}@example.ru`;
  const [user] = await db
    .insert(users)
    .values({
      email,
      emailVerifiedAt: new Date(),
      passwordHash: await passwordHash,
      lastName: 'Родителева',
      firstName: 'Ольга',
      phone: '+79001234567',
      municipalityId: 1,
      applicantKind: 'parent',
    })
    .returning({ id: users.id });
  const remoteAddress = `198.18.${Math.floor(n / 200)}.${(n % 200) + 1}`;
  const signIn = await app.http.inject({
    method: 'POST',
    url: '/api/v1/session',
    remoteAddress,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email, password: PASSWORD }),
  });
  if (signIn.statusCode !== 200) throw new Error(`sign-in failed: ${signIn.statusCode} ${signIn.body}`);
  const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const call: ApiCall = (method, url, given) => {
    // A POST without a body still says JSON, as the API's mutating calls do.
    const body = given ?? (method === 'POST' ? {} : undefined);
    return app.http.inject({
      method,
      url,
      remoteAddress,
      headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
  };
  return { userId: user!.id, call };
}

import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { setFlash, takeFlash } from './security.js';

/** A bare app that sets a flash on POST and shows the one it takes on GET. */
async function flashApp(secure: boolean) {
  const app = Fastify();
  await app.register(cookie);
  app.post('/', (_request, reply) => {
    setFlash(reply, 'Заявление подано', { secure });
    return reply.send('ok');
  });
  app.get('/', (request, reply) => reply.send({ flash: takeFlash(request, reply, { secure }) }));
  return app;
}

describe('flash messages over HTTPS', () => {
  it('live in a __Host- cookie, so a sibling subdomain cannot plant a message of its own', async () => {
    const app = await flashApp(true);
    const set = await app.inject({ method: 'POST', url: '/' });
    const [flash] = set.cookies;
    expect(flash).toMatchObject({ name: '__Host-flash', path: '/', secure: true, httpOnly: true });
    expect(flash!.domain).toBeUndefined();

    const shown = await app.inject({ method: 'GET', url: '/', cookies: { [flash!.name]: flash!.value } });
    expect(shown.json()).toEqual({ flash: 'Заявление подано' });
    // A plain `flash` cookie, which any subdomain of the parent domain may set, is not shown.
    const planted = await app.inject({
      method: 'GET',
      url: '/',
      cookies: { flash: encodeURIComponent('Срочно позвоните по номеру +7 900 000-00-00') },
    });
    expect(planted.json()).toEqual({ flash: null });
    await app.close();
  });

  it('keep the plain name over HTTP (development), where a __Host- cookie would not be kept', async () => {
    const app = await flashApp(false);
    const set = await app.inject({ method: 'POST', url: '/' });
    expect(set.cookies[0]).toMatchObject({ name: 'flash' });
    const shown = await app.inject({ method: 'GET', url: '/', cookies: { flash: set.cookies[0]!.value } });
    expect(shown.json()).toEqual({ flash: 'Заявление подано' });
    await app.close();
  });
});

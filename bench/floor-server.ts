/**
 * The floor of `npm run bench:rush`: Fastify and pg with none of the app, on pgbench's tables. Each request reads
 * twice and inserts once (as an application reads its session and its preconditions, then files), with the
 * server's durable commit. No design of the app can be cheaper per request than this on the same machine.
 */
import Fastify from 'fastify';
import pg from 'pg';

// pgbench -i -s 10: 1,000,000 accounts, 100 tellers, 10 branches.
const ACCOUNTS = 1_000_000;
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 20),
});
// The bench drops the database as this server stops (npx may exit before it): its idle connections then end.
pool.on('error', () => {});
let turn = 0;
const app = Fastify();
app.get('/readyz', (_request, reply) => reply.send({ ok: true }));
app.post('/apply', async (_request, reply) => {
  const aid = ((turn++ * 7919) % ACCOUNTS) + 1;
  const read = { name: 'read', text: 'select abalance from pgbench_accounts where aid = $1' };
  await pool.query({ ...read, values: [aid] });
  await pool.query({ ...read, values: [ACCOUNTS + 1 - aid] });
  const { rows } = await pool.query<{ mtime: Date }>({
    name: 'file',
    text: `insert into pgbench_history (tid, bid, aid, delta, mtime) values ($1, $2, $3, 1, now()) returning mtime`,
    values: [(aid % 100) + 1, (aid % 10) + 1, aid],
  });
  return reply.code(201).send({ at: rows[0]!.mtime });
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => {
  void app.close().then(() => pool.end());
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { createTestApp, testConfig } from '../../../tests/support/app.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { addressesOf, eventually, freePort, SmtpSink } from '../../../tests/support/smtp.js';
import type { Database } from '../db/client.js';
import { renderEmail } from './template.js';
import { smtpTransport } from './transport.js';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../logger.js';
import { createMailJob } from './mailer.js';

const BASE_URL = 'http://navigator.test';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('mail through a job and a real SMTP server', () => {
  let app: App | undefined;
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await app?.close();
    await sink?.stop();
  });

  it('delivers a letter queued in a transaction, with Russian text and HTML', async () => {
    sink = await SmtpSink.start();
    const config = testConfig({
      SMTP_URL: sink.url,
      BASE_URL,
      MAIL_FROM: 'Навигатор <noreply@navigator.test>',
    });
    app = await createTestApp(database, { config, runWorker: true, mailTransport: smtpTransport(sink.url) });
    const letter = renderEmail(
      'ivanova@example.ru',
      {
        subject: 'Вы зарегистрированы в навигаторе дополнительного образования',
        paragraphs: ['Пожалуйста, подтвердите получение этого письма по следующей ссылке:'],
        action: { label: 'Подтвердить адрес', url: `${BASE_URL}/verify/email?code=abc` },
      },
      BASE_URL,
    );
    await database.transaction((tx) => app!.mailer.send(tx.sql, letter));

    const received = await sink.waitFor('ivanova@example.ru');
    expect(received.subject).toBe('Вы зарегистрированы в навигаторе дополнительного образования');
    expect(received.from?.text).toContain('noreply@navigator.test');
    expect(received.text).toContain('Здравствуйте!');
    expect(received.text).toContain(`Подтвердить адрес: ${BASE_URL}/verify/email?code=abc`);
    expect(received.text).toContain(
      'С наилучшими пожеланиями, команда Навигатора дополнительного образования',
    );
    expect(received.html).toContain(`href="${BASE_URL}/verify/email?code=abc"`);
    expect(received.messageId).toMatch(/@navigator\.mail>$/);
    // Composed whole and handed over raw: the envelope still names the bare addresses, and the headers the job.
    expect(sink.envelopes[sink.received.indexOf(received)]).toEqual({
      from: 'noreply@navigator.test',
      to: ['ivanova@example.ru'],
    });
    expect(received.messageId).toBe(`<${received.headers.get('x-job-id') as string}@navigator.mail>`);
  });

  it('keeps a letter while the SMTP server is down and delivers it once the server is back', async () => {
    const port = await freePort();
    const url = `smtp://127.0.0.1:${port}`;
    app = await createTestApp(database, {
      config: testConfig({ SMTP_URL: url, BASE_URL }),
      runWorker: true,
      mailTransport: smtpTransport(url),
      mailRetryDelaySeconds: 1,
    });
    const jobId = await database.transaction((tx) =>
      app!.mailer.send(
        tx.sql,
        renderEmail('petrov@example.ru', { subject: 'Проверка', paragraphs: ['Текст'] }, BASE_URL),
      ),
    );

    // The first attempt finds no server: the job waits for a retry instead of being lost.
    await eventually(async () => (await app!.queue.getJob('mail.send', jobId))?.state === 'retry');

    sink = new SmtpSink(port);
    await sink.listen();
    const received = await sink.waitFor('petrov@example.ru', 20_000);
    expect(received.subject).toBe('Проверка');
    const job = await eventually(async () => {
      const info = await app!.queue.getJob('mail.send', jobId);
      return info?.state === 'completed' ? info : null;
    });
    expect(job.retryCount).toBeGreaterThanOrEqual(1);
    expect(sink.received).toHaveLength(1);
  });
});

describe('a letter handed over once', () => {
  it('is not sent again by a retry of its job (the process died before the job was completed)', async () => {
    const sink = await SmtpSink.start();
    const transport = smtpTransport(sink.url);
    try {
      const job = createMailJob(transport, database.sql, { from: 'Навигатор <noreply@navigator.test>' });
      const letter = renderEmail('once@example.ru', { subject: 'Один раз', paragraphs: ['Текст'] }, BASE_URL);
      const context = { jobId: randomUUID(), logger: createLogger(testConfig()), queue: undefined as never };
      await job.handle(letter, context);
      await job.handle(letter, context);
      await sink.waitFor('once@example.ru');
      const { rows } = await database.sql.executeSql('select job_id from mail_deliveries where job_id = $1', [
        context.jobId,
      ]);
      expect(rows).toHaveLength(1);
      // A letter of another job to the same address is a letter of its own.
      await job.handle(letter, { ...context, jobId: randomUUID() });
      await eventually(() => sink.received.length === 2);
      expect(sink.received.map((mail) => mail.messageId)).toEqual([
        `<${context.jobId}@navigator.mail>`,
        expect.not.stringContaining(context.jobId),
      ]);
    } finally {
      transport.close();
      await sink.stop();
    }
  });
});

describe('a batch of letters', () => {
  it('hands over what the server accepted by its deadline; a letter it never answers fails alone, to be retried', async () => {
    const sink = await SmtpSink.start();
    sink.stalled.add('hung@example.ru');
    const transport = smtpTransport(sink.url);
    try {
      const job = createMailJob(transport, database.sql, {
        from: 'Навигатор <noreply@navigator.test>',
        deliveryDeadlineMs: 1_000,
      });
      const letters = ['first@example.ru', 'hung@example.ru', 'third@example.ru'].map((to) => ({
        jobId: randomUUID(),
        payload: renderEmail(to, { subject: 'Пакет', paragraphs: ['Текст'] }, BASE_URL),
      }));
      const started = Date.now();
      const outcome = await job.handleBatch!(letters, {
        logger: createLogger(testConfig()),
        queue: undefined as never,
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(outcome?.failed.map((failure) => failure.jobId)).toEqual([letters[1]!.jobId]);
      expect(String(outcome?.failed[0]?.error)).toContain('did not answer in time');
      const { rows } = await database.sql.executeSql(
        'select job_id from mail_deliveries where job_id = any($1::uuid[]) order by job_id',
        [letters.map((letter) => letter.jobId)],
      );
      expect(rows.map((row) => String(row.job_id))).toEqual([letters[0]!.jobId, letters[2]!.jobId].sort());
      expect(
        sink.received
          .map((mail) => addressesOf(mail))
          .flat()
          .sort(),
      ).toEqual(['first@example.ru', 'third@example.ru']);
    } finally {
      transport.close();
      await sink.stop();
    }
  });
});

describe('development mailbox', () => {
  it('stores letters as .eml files that /dev/mail lists and shows', async () => {
    const app = await createTestApp(database, { runWorker: true });
    try {
      await database.transaction((tx) =>
        app.mailer.send(
          tx.sql,
          renderEmail(
            'sidorova@example.ru',
            { subject: 'Письмо в ящик разработчика', paragraphs: ['Привет'] },
            BASE_URL,
          ),
        ),
      );
      const list = await eventually(async () => {
        const response = await app.http.inject('/dev/mail');
        return response.body.includes('Письмо в ящик разработчика') ? response : null;
      });
      const link = /href="(\/dev\/mail\/[a-z0-9-]+)"/.exec(list.body)?.[1];
      expect(link).toBeDefined();
      const letter = await app.http.inject(link!);
      expect(letter.statusCode).toBe(200);
      expect(letter.body).toContain('sidorova@example.ru');
      expect(letter.body).toContain('Привет');
      const html = await app.http.inject(`${link!}/html`);
      expect(html.headers['content-security-policy']).toContain('sandbox');
    } finally {
      await app.close();
    }
  });

  it('is not mounted in production', async () => {
    const config = testConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      SMTP_URL: 'smtp://127.0.0.1:1',
      BASE_URL,
      DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    });
    const app = await createTestApp(database, { config });
    try {
      expect((await app.http.inject('/dev/mail')).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});

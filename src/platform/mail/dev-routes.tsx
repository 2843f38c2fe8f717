import type { FastifyInstance } from 'fastify';
import { Layout } from '../views/layout.js';
import { NotFoundPage } from '../views/error-pages.js';
import { sendPage } from '../views/render.js';
import type { DevMail, DevMailbox } from './dev-mailbox.js';
import { access } from '../http/access.js';
import { REGION } from '../region.js';

function MailListPage({ letters }: { letters: DevMail[] }) {
  return (
    <Layout title="Почтовый ящик разработчика">
      <h1>Почтовый ящик разработчика</h1>
      <p class="lead">
        Письма, которые навигатор отправил бы по почте. Эта страница есть только в режиме разработки: когда
        задан SMTP_URL, письма уходят на почтовый сервер.
      </p>
      {letters.length === 0 ? (
        <p>Писем пока нет.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Отправленные письма, новые сверху</caption>
          <thead>
            <tr>
              <th scope="col">Время</th>
              <th scope="col">Кому</th>
              <th scope="col">Тема</th>
            </tr>
          </thead>
          <tbody>
            {letters.map((letter) => (
              <tr key={letter.id}>
                <td>{letter.date.toLocaleString('ru-RU', { timeZone: REGION.timeZone })}</td>
                <td>{letter.to}</td>
                <td>
                  <a href={`/dev/mail/${letter.id}`}>{letter.subject}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

function MailPage({ letter }: { letter: DevMail }) {
  return (
    <Layout title={letter.subject}>
      <p>
        <a href="/dev/mail">← Все письма</a>
      </p>
      <h1>{letter.subject}</h1>
      <dl class="facts">
        <dt>От кого</dt>
        <dd>{letter.from}</dd>
        <dt>Кому</dt>
        <dd>{letter.to}</dd>
        <dt>Время</dt>
        <dd>{letter.date.toLocaleString('ru-RU', { timeZone: REGION.timeZone })}</dd>
      </dl>
      <pre class="mail-text">{letter.text}</pre>
      {letter.html && (
        <p>
          <a href={`/dev/mail/${letter.id}/html`}>Открыть HTML-версию письма</a>
        </p>
      )}
    </Layout>
  );
}

/** Development only: never registered in production (see app composition). */
export function devMailRoutes(mailbox: DevMailbox) {
  return (app: FastifyInstance) => {
    app.get('/dev/mail', access('public'), async (_request, reply) =>
      sendPage(reply, <MailListPage letters={await mailbox.list()} />),
    );
    app.get<{ Params: { id: string } }>('/dev/mail/:id', access('public'), async (request, reply) => {
      const letter = await mailbox.read(request.params.id);
      if (!letter) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, <MailPage letter={letter} />);
    });
    app.get<{ Params: { id: string } }>('/dev/mail/:id/html', access('public'), async (request, reply) => {
      const letter = await mailbox.read(request.params.id);
      if (!letter?.html) return sendPage(reply, <NotFoundPage />, 404);
      // The letter's own HTML, shown as a mail client would: no scripts, no same-origin rights.
      return reply
        .header(
          'content-security-policy',
          "sandbox; default-src 'none'; img-src data: https:; style-src 'unsafe-inline'",
        )
        .type('text/html; charset=utf-8')
        .send(letter.html);
    });
  };
}

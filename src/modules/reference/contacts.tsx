import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { access } from '../../platform/http/access.js';
import { inputFields } from '../../platform/validation/input.js';
import { ContactFacts } from '../../platform/views/contact.js';
import { Layout } from '../../platform/views/layout.js';
import { sendPage } from '../../platform/views/render.js';
import type { Municipality, ReferenceService, RegionalOffice } from './service.js';

const contactsQuery = z.object({ municipality: z.string().max(100).optional() });

/** «Контакты»: the regional coordinator and every municipal administrator's office, one municipality or all. */
export function contactsRoutes({ reference }: { reference: ReferenceService }) {
  return (app: FastifyInstance) => {
    app.get('/contacts', access('public'), async (request, reply) => {
      const { municipality: code } = contactsQuery.parse(inputFields(request.query));
      const [municipalities, coordinator] = await Promise.all([
        reference.listMunicipalities(),
        reference.regionalOffice(),
      ]);
      // An unknown code (an old link, a typo) shows every municipality rather than an error.
      const chosen = municipalities.find((m) => m.code === code) ?? null;
      return sendPage(
        reply,
        <ContactsPage municipalities={municipalities} chosen={chosen} coordinator={coordinator} />,
      );
    });
  };
}

export function ContactsPage({
  municipalities,
  chosen,
  coordinator,
}: {
  municipalities: Municipality[];
  chosen: Municipality | null;
  coordinator: RegionalOffice;
}) {
  const shown = chosen ? [chosen] : municipalities;
  return (
    <Layout
      title="Контакты"
      description="Муниципальные администраторы и региональный координатор навигатора: адреса, телефоны, часы приёма."
    >
      <h1>Контакты</h1>
      <p class="lead">
        Если не пришло письмо, не получается войти или нужно подтвердить данные ребёнка, обратитесь к
        муниципальному администратору вашего муниципалитета. Ответы на частые вопросы — в разделе{' '}
        <a href="/help">«Помощь»</a>.
      </p>
      <section aria-labelledby="coordinator-title">
        <h2 id="coordinator-title">Региональный координатор</h2>
        <div class="result">
          <h3 class="result__title">{coordinator.name}</h3>
          {(coordinator.people || coordinator.address || coordinator.phone || coordinator.email) && (
            <dl class="facts">
              {coordinator.people && (
                <>
                  <dt>Ответственные</dt>
                  <dd>{coordinator.people}</dd>
                </>
              )}
              <ContactFacts
                address={coordinator.address}
                phone={coordinator.phone}
                hours={coordinator.hours}
                email={coordinator.email}
              />
            </dl>
          )}
          <p>
            Региональный координатор ведёт навигатор в области. С вопросами о личном кабинете, сертификате и
            подтверждении данных сначала обратитесь к муниципальному администратору — он поможет быстрее.
          </p>
        </div>
      </section>
      <section aria-labelledby="administrators-title">
        <h2 id="administrators-title">Муниципальные администраторы</h2>
        <form method="get" action="/contacts" class="filters" role="search" aria-label="Выбор муниципалитета">
          <label class="label" for="municipality">
            Муниципалитет
          </label>
          <select class="select" id="municipality" name="municipality">
            <option value="">Все муниципалитеты</option>
            {municipalities.map((m) => (
              <option key={m.id} value={m.code} selected={m.id === chosen?.id}>
                {m.name} {m.kind}
              </option>
            ))}
          </select>{' '}
          <button type="submit" class="button button--secondary">
            Показать
          </button>
        </form>
        <ul class="contacts-list">
          {shown.map((m) => (
            <li key={m.id} class="result">
              <h3 class="result__title">
                {m.name} {m.kind}
              </h3>
              {m.officeName || m.officeAddress || m.officePhone || m.officeEmail ? (
                <dl class="facts">
                  {m.officeName && (
                    <>
                      <dt>Приёмная</dt>
                      <dd>{m.officeName}</dd>
                    </>
                  )}
                  {m.officePeople && (
                    <>
                      <dt>Муниципальные администраторы</dt>
                      <dd>{m.officePeople}</dd>
                    </>
                  )}
                  <ContactFacts
                    address={m.officeAddress}
                    phone={m.officePhone}
                    hours={m.officeHours}
                    email={m.officeEmail}
                    hoursLabel="Часы приёма"
                  />
                </dl>
              ) : (
                <p class="muted">Контакты уточняются: обратитесь к региональному координатору.</p>
              )}
            </li>
          ))}
        </ul>
        {chosen && (
          <p>
            <a href="/contacts">Показать все муниципалитеты</a>
          </p>
        )}
      </section>
    </Layout>
  );
}

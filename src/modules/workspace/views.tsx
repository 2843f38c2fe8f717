import type { ComponentChildren } from 'preact';
import { countOf } from '../../platform/views/format.js';
import { Layout } from '../../platform/views/layout.js';
import { waitingFor } from '../children/index.js';
import { MUNICIPALITIES, municipalityName } from '../reference/index.js';
import type { Desk, MunicipalityLoad } from './service.js';

const ROLE_TITLES = {
  org_staff: 'Сотрудник организации',
  municipal_admin: 'Муниципальный администратор',
  coordinator: 'Региональный координатор',
} as const;

/** One counter: the number, what it counts, and the list it opens. */
function Counter({
  count,
  label,
  href,
  detail,
}: {
  count: number;
  label: string;
  href: string;
  detail?: string | undefined;
}) {
  return (
    <li class={`counter${count > 0 ? ' counter--attention' : ''}`}>
      <a class="counter__link" href={href}>
        <span class="counter__count">{count.toLocaleString('ru-RU')}</span>
        <span class="counter__label">{label}</span>
      </a>
      {detail && <p class="counter__detail">{detail}</p>}
    </li>
  );
}

function Links({ children }: { children: ComponentChildren }) {
  return (
    <nav aria-label="Разделы для сотрудников">
      <ul class="actions">{children}</ul>
    </nav>
  );
}

const waitingHref = (municipalityId?: number) =>
  `/staff/children?status=waiting${municipalityId === undefined ? '' : `&municipality=${municipalityId}`}`;

/** `/staff`: what waits for the operator, by role; every counter opens the list it counts. */
export function WorkspacePage({ desk }: { desk: Desk }) {
  return (
    <Layout title="Рабочий стол">
      <h1>Рабочий стол</h1>
      <p class="lead">
        {ROLE_TITLES[desk.role]}
        {' · '}
        {desk.role === 'org_staff'
          ? desk.organizationName
          : desk.role === 'municipal_admin'
            ? municipalityName(desk.municipalityId)
            : 'вся область'}
      </p>
      {desk.role === 'org_staff' ? <OrganizationDesk desk={desk} /> : <MunicipalDesk desk={desk} />}
    </Layout>
  );
}

function OrganizationDesk({ desk }: { desk: Extract<Desk, { role: 'org_staff' }> }) {
  const { workload } = desk;
  return (
    <>
      <h2>Требует внимания</h2>
      <ul class="counters">
        <Counter
          count={workload.newApplications}
          label="Новые заявки"
          href="/staff/org/applications?status=new"
        />
        <Counter
          count={workload.expiringOffers}
          label="Предложенные места: срок ответа истекает в ближайшие 24 часа"
          href="/staff/org/applications?expiring=1"
        />
        <Counter
          count={workload.groupsWithQueue}
          label="Группы с очередью"
          href="/staff/org/applications?status=queued"
        />
        <Counter
          count={desk.returnedPrograms}
          label="Программы, возвращённые модератором на доработку"
          href="/staff/org#programs"
        />
      </ul>
      <h2>Разделы</h2>
      <Links>
        <li>
          <a href="/staff/org">Кабинет организации: программы и группы</a>
        </li>
        <li>
          <a href="/staff/org/applications">Заявки</a>
        </li>
        <li>
          <a href="/staff/org/applications/new">Подать заявление за родителя</a>
        </li>
        <li>
          <a href="/staff/org/profile">Профиль организации</a>
        </li>
        <li>
          <a href="/staff/contracts">Договоры об образовании</a>
        </li>
        <li>
          <a href="/staff/org/completeness">Полнота оказания услуг</a>
        </li>
        <li>
          <a href="/staff/funding/registers">Реестры авансов и счетов</a>
        </li>
      </Links>
    </>
  );
}

function MunicipalDesk({ desk }: { desk: Extract<Desk, { role: 'municipal_admin' | 'coordinator' }> }) {
  const { total } = desk;
  const coordinator = desk.role === 'coordinator';
  return (
    <>
      <h2>Требует внимания</h2>
      <ul class="counters">
        <Counter
          count={total.waitingChildren}
          label="Дети ожидают подтверждения данных"
          href={waitingHref()}
          detail={total.oldestWaiting ? `Дольше всех ждут: ${waitingFor(total.oldestWaiting)}` : undefined}
        />
        <Counter
          count={total.awaitingModeration}
          label="Программы ожидают модерации"
          href="/staff/moderation"
        />
        <Counter
          count={total.organizationsWithoutStaff}
          label="Организации без сотрудников"
          href="/staff/organizations?staff=none"
        />
        <Counter
          count={total.openRequests}
          label="Обращения: ждут ответа"
          href="/staff/support/requests?status=open"
        />
      </ul>
      {coordinator && <MunicipalityTable rows={desk.municipalities} />}
      <h2>Разделы</h2>
      <Links>
        <li>
          <a href="/staff/search">Поиск ребёнка</a>
        </li>
        <li>
          <a href="/staff/support">Поддержка: письмо не пришло, не получается войти</a>
        </li>
        <li>
          <a href={waitingHref()}>Ожидают подтверждения данных</a>
        </li>
        <li>
          <a href="/staff/matches">Совпадения данных детей</a>
        </li>
        <li>
          <a href="/staff/moderation">Модерация программ</a>
        </li>
        <li>
          <a href="/staff/organizations">Организации</a>
        </li>
        <li>
          <a href="/staff/reports">Отчёты</a>
        </li>
        <li>
          <a href="/staff/contracts">Договоры об образовании</a>
        </li>
        <li>
          <a href="/staff/funding/registers">Реестры авансов и счетов</a>
        </li>
        <li>
          <a href="/staff/people">
            {coordinator ? 'Муниципальные администраторы' : 'Сотрудники организаций'}
          </a>
        </li>
        <li>
          <a href="/staff/municipalities">
            {coordinator ? 'Приёмные муниципальных администраторов' : 'Контакты приёмной'}
          </a>
        </li>
        {coordinator && (
          <>
            <li>
              <a href="/staff/search-synonyms">Поиск: связанные слова</a>
            </li>
          </>
        )}
      </Links>
    </>
  );
}

/** The coordinator's view of the region: every municipality's counters. */
function MunicipalityTable({ rows }: { rows: MunicipalityLoad[] }) {
  const byId = new Map(rows.map((row) => [row.municipalityId, row]));
  return (
    <table class="table table--cards">
      <caption id="by-municipality">По муниципалитетам</caption>
      <thead>
        <tr>
          <th scope="col">Муниципалитет</th>
          <th scope="col">Ожидают подтверждения</th>
          <th scope="col">Программы на модерации</th>
          <th scope="col">Организации без сотрудников</th>
          <th scope="col">Обращения</th>
        </tr>
      </thead>
      <tbody>
        {MUNICIPALITIES.map((municipality) => {
          const row = byId.get(municipality.id);
          const waiting = row?.waitingChildren ?? 0;
          return (
            <tr key={municipality.id}>
              <th scope="row" data-label="Муниципалитет">
                {municipality.name}
              </th>
              <td data-label="Ожидают подтверждения">
                {waiting > 0 ? (
                  <a href={waitingHref(municipality.id)}>
                    {countOf(waiting, ['ребёнок', 'ребёнка', 'детей'])}
                  </a>
                ) : (
                  '0'
                )}
                {row?.oldestWaiting && <span class="hint">дольше всех: {waitingFor(row.oldestWaiting)}</span>}
              </td>
              <td data-label="Программы на модерации">{row?.awaitingModeration ?? 0}</td>
              <td data-label="Организации без сотрудников">
                {row?.organizationsWithoutStaff ? (
                  <a href={`/staff/organizations?municipality=${municipality.code}&staff=none`}>
                    {row.organizationsWithoutStaff}
                  </a>
                ) : (
                  '0'
                )}
              </td>
              <td data-label="Обращения">
                {row?.openRequests ? (
                  <a href={`/staff/support/requests?status=open&municipality=${municipality.id}`}>
                    {row.openRequests}
                  </a>
                ) : (
                  '0'
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

import { ContactFacts } from '../../platform/views/contact.js';
import { ages } from '../../platform/views/format.js';
import { Layout } from '../../platform/views/layout.js';
import { FINANCING_LABELS } from '../reference/index.js';
import type { OrganizationProfile } from './service.js';

/** An organization's public page: what it says about itself, and its published programs. */
export function OrganizationPage({ details }: { details: OrganizationProfile }) {
  const { organization, programs } = details;
  return (
    <Layout
      title={organization.shortName}
      description={organization.description.slice(0, 160) || organization.name}
    >
      <p class="muted">
        <a href="/programs">Программы</a> / Организация
      </p>
      <h1>{organization.shortName}</h1>
      <p class="lead">{organization.name}</p>
      {organization.description && <p class="prose">{organization.description}</p>}
      <dl class="facts">
        <dt>Тип</dt>
        <dd>{organization.kind}</dd>
        <dt>Муниципалитет</dt>
        <dd>{details.municipality}</dd>
        <ContactFacts
          address={organization.address}
          phone={organization.phone}
          hours={organization.workingHours}
          email={organization.email}
        />
        {organization.website && (
          <>
            <dt>Сайт</dt>
            <dd>
              <a href={organization.website} rel="nofollow noopener">
                {organization.website}
              </a>
            </dd>
          </>
        )}
        {organization.inn && (
          <>
            <dt>ИНН</dt>
            <dd>{organization.inn}</dd>
          </>
        )}
        {organization.ogrn && (
          <>
            <dt>ОГРН</dt>
            <dd>{organization.ogrn}</dd>
          </>
        )}
      </dl>
      <h2>Программы ({programs.length})</h2>
      {programs.length > 0 && (
        <p>
          <a href={`/programs?municipality=all&organization=${organization.id}`}>
            Искать среди программ организации с фильтрами
          </a>
        </p>
      )}
      {programs.length === 0 ? (
        <p>Опубликованных программ пока нет.</p>
      ) : (
        <ul class="results">
          {programs.map((program) => (
            <li class="result" key={program.id}>
              <h3 class="result__title">
                <a href={`/programs/${program.id}`}>{program.name}</a>
              </h3>
              <p class="result__tags">
                <span class="tag">{program.direction}</span>
                <span class="tag">{ages(program.ageFrom, program.ageTo)}</span>
                <span class="tag">{FINANCING_LABELS[program.financing]}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

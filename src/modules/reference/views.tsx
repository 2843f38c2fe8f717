import { ContactFacts } from '../../platform/views/contact.js';
import type { Municipality } from './service.js';

/** The municipal administrator's office: where parents get help and confirm children's data. */
export function MunicipalOffice({ municipality }: { municipality: Municipality }) {
  if (
    !municipality.officeName &&
    !municipality.officeAddress &&
    !municipality.officePhone &&
    !municipality.officeEmail
  ) {
    return <p>Обратитесь к муниципальному администратору: {municipality.name}.</p>;
  }
  return (
    <div class="result">
      <h3 class="result__title">
        Муниципальный администратор: {municipality.officeName ?? municipality.name}
      </h3>
      <dl class="facts">
        {municipality.officePeople && (
          <>
            <dt>Муниципальные администраторы</dt>
            <dd>{municipality.officePeople}</dd>
          </>
        )}
        <ContactFacts
          address={municipality.officeAddress}
          phone={municipality.officePhone}
          hours={municipality.officeHours}
          email={municipality.officeEmail}
          hoursLabel="Часы приёма"
        />
      </dl>
    </div>
  );
}

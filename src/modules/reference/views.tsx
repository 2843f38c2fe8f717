import type { Municipality } from './service.js';

/** The municipal administrator's office: where parents get help and confirm children's data. */
export function MunicipalOffice({ municipality }: { municipality: Municipality }) {
  if (!municipality.officeName && !municipality.officeAddress && !municipality.officePhone) {
    return (
      <p>
        Обратитесь к муниципальному администратору: {municipality.name} {municipality.kind}.
      </p>
    );
  }
  return (
    <div class="result">
      <h3 class="result__title">
        Муниципальный администратор: {municipality.officeName ?? municipality.name}
      </h3>
      <dl class="facts">
        {municipality.officeAddress && (
          <>
            <dt>Адрес</dt>
            <dd>{municipality.officeAddress}</dd>
          </>
        )}
        {municipality.officePhone && (
          <>
            <dt>Телефон</dt>
            <dd>
              <a href={`tel:${municipality.officePhone.replace(/[^+\d]/g, '')}`}>
                {municipality.officePhone}
              </a>
            </dd>
          </>
        )}
        {municipality.officeHours && (
          <>
            <dt>Часы приёма</dt>
            <dd>{municipality.officeHours}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

import { Fragment } from 'preact';

/** Address, telephones (tap-to-call links), hours and e-mail of a place parents go to. */
export function ContactFacts({
  address,
  phone,
  hours,
  email = null,
  hoursLabel = 'Часы работы',
}: {
  address: string | null;
  phone: string | null;
  hours: string | null;
  email?: string | null;
  hoursLabel?: string;
}) {
  return (
    <>
      {address && (
        <>
          <dt>Адрес</dt>
          <dd>{address}</dd>
        </>
      )}
      {phone && (
        <>
          <dt>{/[,;]/.test(phone) ? 'Телефоны' : 'Телефон'}</dt>
          <dd>
            {/* Several numbers («…38-00-00, +7 (4812) 38-00-01») are one link each. */}
            {phone.split(/\s*[,;]\s*/).map((number, index) => (
              <Fragment key={index}>
                {index > 0 && ', '}
                <a href={`tel:${number.replace(/[^+\d]/g, '')}`}>{number}</a>
              </Fragment>
            ))}
          </dd>
        </>
      )}
      {hours && (
        <>
          <dt>{hoursLabel}</dt>
          <dd>{hours}</dd>
        </>
      )}
      {email && (
        <>
          <dt>Электронная почта</dt>
          <dd>
            <a href={`mailto:${email}`}>{email}</a>
          </dd>
        </>
      )}
    </>
  );
}

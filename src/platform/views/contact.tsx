/** Address, telephone (a tap-to-call link), hours and e-mail of a place parents go to. */
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
          <dt>Телефон</dt>
          <dd>
            <a href={`tel:${phone.replace(/[^+\d]/g, '')}`}>{phone}</a>
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

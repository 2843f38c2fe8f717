/** Address, telephone (a tap-to-call link) and hours of a place parents go to. */
export function ContactFacts({
  address,
  phone,
  hours,
  hoursLabel = 'Часы работы',
}: {
  address: string | null;
  phone: string | null;
  hours: string | null;
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
    </>
  );
}

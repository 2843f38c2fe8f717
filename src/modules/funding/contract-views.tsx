import { CabinetLayout } from '../../platform/views/cabinet.js';
import {
  CheckboxField,
  CsrfField,
  ErrorSummary,
  SelectField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { formatDate, regionToday } from '../../platform/views/format.js';
import { Layout } from '../../platform/views/layout.js';
import {
  CONTRACT_STATUS_LABELS,
  contractSections,
  contractStatusLine,
  monthName,
  TERMINATION_REASONS,
  type ContractDocument,
  type ContractListItem,
} from './contracts.js';
import { formatRoubles } from './money.js';
import type { MonthAccrual } from './month-accruals.js';

/** The contract's text, the same for the parent and the staff (and the PDF prints the same sections). */
export function ContractText({ document }: { document: ContractDocument }) {
  const { contract } = document;
  return (
    <article class="contract">
      <h2>Договор об образовании № {contract.number}</h2>
      <p>
        на обучение по дополнительной общеобразовательной программе (договор-оферта) ·{' '}
        {formatDate(regionToday(contract.createdAt))}
      </p>
      <p class={`status${contract.status === 'active' ? ' status--success' : ''}`}>
        {contractStatusLine(contract)}
      </p>
      {contractSections(document).map((section) => (
        <section key={section.heading}>
          <h3>{section.heading}</h3>
          {section.paragraphs.map((paragraph) => (
            <p key={paragraph}>{paragraph}</p>
          ))}
          {section.heading.startsWith('3.') && (
            <div class="table-scroll">
              <table class="table">
                <caption>Оплата по месяцам</caption>
                <thead>
                  <tr>
                    <th scope="col">Месяц</th>
                    <th scope="col">Стоимость</th>
                    <th scope="col">Сертификат</th>
                    <th scope="col">Заказчик</th>
                  </tr>
                </thead>
                <tbody>
                  {contract.months.map((month) => (
                    <tr key={month.month}>
                      <td>{monthName(month.month)}</td>
                      <td>{formatRoubles(month.certificateKopecks + month.familyKopecks)}</td>
                      <td>{formatRoubles(month.certificateKopecks)}</td>
                      <td>{formatRoubles(month.familyKopecks)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </article>
  );
}

function ContractRows({ items, base, staff }: { items: ContractListItem[]; base: string; staff: boolean }) {
  if (items.length === 0) return <p>Договоров пока нет.</p>;
  return (
    <div class="table-scroll">
      <table class="table">
        <caption class="visually-hidden">Договоры</caption>
        <thead>
          <tr>
            <th scope="col">Договор</th>
            <th scope="col">Обучающийся</th>
            <th scope="col">Программа</th>
            {staff && <th scope="col">Организация</th>}
            <th scope="col">Срок</th>
            <th scope="col">Сертификат / заказчик</th>
            <th scope="col">Статус</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td>
                <a href={`${base}/${item.id}`}>№ {item.number}</a>
              </td>
              <td>{item.childName}</td>
              <td>{item.programName}</td>
              {staff && <td>{item.organizationName}</td>}
              <td>
                {formatDate(item.startsOn)}–{formatDate(item.endsOn)}
              </td>
              <td>
                {formatRoubles(item.certificateKopecks)} / {formatRoubles(item.familyKopecks)}
              </td>
              <td>{CONTRACT_STATUS_LABELS[item.status]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ParentContractsPage({ items }: { items: ContractListItem[] }) {
  return (
    <CabinetLayout tab="contracts" title="Договоры">
      <h2>Договоры</h2>
      <p>
        Договор об образовании создаётся, когда организация принимает заявку на программу, которую оплачивает
        сертификат. Организация подтверждает договор, и он приходит вам как оферта: примите её здесь в течение
        5 рабочих дней.
      </p>
      <ContractRows items={items} base="/cabinet/contracts" staff={false} />
    </CabinetLayout>
  );
}

/** What the certificate paid month by month: the advance, the invoice, what returned, the family's part. */
export function AccrualsTable({ accruals }: { accruals: MonthAccrual[] }) {
  return (
    <section aria-labelledby="accruals-title">
      <h2 id="accruals-title">Начисления по сертификату</h2>
      {accruals.length === 0 ? (
        <p>
          Начислений пока нет. Аванс за месяц начисляется 1-го числа, пока договор действует, а счёт — 1-го
          числа следующего месяца по полноте оказания услуг, которую укажет организация.
        </p>
      ) : (
        <div class="table-scroll">
          <table class="table">
            <caption class="visually-hidden">Начисления по месяцам</caption>
            <thead>
              <tr>
                <th scope="col">Месяц</th>
                <th scope="col">Аванс</th>
                <th scope="col">Начислено по счёту</th>
                <th scope="col">Возвращено на сертификат</th>
                <th scope="col">Доплата семьи</th>
              </tr>
            </thead>
            <tbody>
              {accruals.map((row) => (
                <tr key={row.month}>
                  <th scope="row">{monthName(row.month)}</th>
                  <td>{formatRoubles(row.advanceKopecks)}</td>
                  <td>
                    {row.invoicedKopecks === null ? (
                      'счёт ещё не сформирован'
                    ) : (
                      <>
                        {formatRoubles(row.invoicedKopecks)} (полнота {row.completenessPercent} %)
                      </>
                    )}
                  </td>
                  <td>{row.returnedKopecks === null ? '—' : formatRoubles(row.returnedKopecks)}</td>
                  <td>{formatRoubles(row.familyKopecks)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ParentContractPage({
  document,
  accruals,
  errors = {},
}: {
  document: ContractDocument;
  accruals: MonthAccrual[];
  errors?: FieldErrors;
}) {
  const { contract } = document;
  const base = `/cabinet/contracts/${contract.id}`;
  return (
    <CabinetLayout tab="contracts" title={`Договор № ${contract.number}`}>
      <p>
        <a href="/cabinet/contracts">← Договоры</a>
      </p>
      <ErrorSummary errors={errors} />
      <ContractText document={document} />
      <p>
        <a href={`${base}/pdf`}>Скачать договор (PDF)</a>
      </p>
      <AccrualsTable accruals={accruals} />
      {contract.status === 'confirmed' && (
        <>
          <form method="post" action={`${base}/accept`} novalidate>
            <CsrfField />
            <CheckboxField
              name="agree"
              label="Я ознакомлен с условиями договора-оферты"
              error={errors.agree}
            />
            <button type="submit" class="button">
              Заключить договор
            </button>
          </form>
          <form method="post" action={`${base}/decline`}>
            <CsrfField />
            <button type="submit" class="button button--secondary">
              Отказаться от договора
            </button>
          </form>
        </>
      )}
      {contract.status === 'created' && (
        <>
          <p>Организация ещё не подтвердила договор. Когда подтвердит, мы пришлём письмо.</p>
          <form method="post" action={`${base}/decline`}>
            <CsrfField />
            <button type="submit" class="button button--secondary">
              Отказаться от договора
            </button>
          </form>
        </>
      )}
      {contract.status === 'active' && (
        <form method="post" action={`${base}/terminate`}>
          <CsrfField />
          <p>
            Чтобы расторгнуть договор, направьте уведомление: договор прекратит действие сегодня,
            неиспользованный остаток вернётся на сертификат.
          </p>
          <button type="submit" class="button button--warning">
            Направить уведомление о расторжении
          </button>
        </form>
      )}
    </CabinetLayout>
  );
}

export function StaffContractsPage({ items }: { items: ContractListItem[] }) {
  return (
    <Layout title="Договоры">
      <p>
        <a href="/staff">← Рабочий стол</a>
      </p>
      <h1>Договоры об образовании</h1>
      <ContractRows items={items} base="/staff/contracts" staff />
    </Layout>
  );
}

export function StaffContractPage({
  document,
  mayDecide,
  errors = {},
  values = {},
}: {
  document: ContractDocument;
  /** Staff of the contract's organization: confirm and terminate. */
  mayDecide: boolean;
  errors?: FieldErrors;
  values?: Partial<Record<string, string>>;
}) {
  const { contract } = document;
  const base = `/staff/contracts/${contract.id}`;
  return (
    <Layout title={`Договор № ${contract.number}`}>
      <p>
        <a href="/staff/contracts">← Договоры</a>
      </p>
      <ErrorSummary errors={errors} />
      <ContractText document={document} />
      <p>
        <a href={`${base}/pdf`}>Скачать договор (PDF)</a>
      </p>
      {mayDecide && contract.status === 'created' && (
        <form method="post" action={`${base}/confirm`}>
          <CsrfField />
          <p>После подтверждения договор уйдёт родителю как оферта: на акцепт у него 5 рабочих дней.</p>
          <button type="submit" class="button">
            Подтвердить договор
          </button>
        </form>
      )}
      {mayDecide && contract.status === 'active' && (
        <form method="post" action={`${base}/terminate`} novalidate>
          <CsrfField />
          <SelectField
            name="reason"
            label="Основание расторжения"
            placeholder="Выберите основание"
            value={values.reason}
            error={errors.reason}
            options={Object.entries(TERMINATION_REASONS).map(([value, label]) => ({ value, label }))}
          />
          <button type="submit" class="button button--warning">
            Расторгнуть договор
          </button>
        </form>
      )}
    </Layout>
  );
}

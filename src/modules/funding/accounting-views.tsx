import {
  CsrfField,
  ErrorSummary,
  SelectField,
  TextField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { countOf } from '../../platform/grammar/index.js';
import { ADVANCE_PERCENT, DEFAULT_COMPLETENESS, shiftMonth } from './accounting.js';
import { monthName } from './contracts.js';
import { formatRoubles } from './money.js';
import {
  REGISTER_KIND_LABELS,
  REGISTER_STATUS_LABELS,
  type CompletenessRow,
  type Register,
  type RegisterStatus,
} from './registers.js';
import type { UploadRowError } from './completeness-upload.js';

/** ‹ октябрь 2026 · ноябрь 2026 › links around a month. */
function MonthNav({ base, month }: { base: string; month: string }) {
  return (
    <p>
      <a href={`${base}?month=${shiftMonth(month, -1).slice(0, 7)}`}>← {monthName(shiftMonth(month, -1))}</a>
      {' · '}
      <strong>{monthName(month)}</strong>
      {' · '}
      <a href={`${base}?month=${shiftMonth(month, 1).slice(0, 7)}`}>{monthName(shiftMonth(month, 1))} →</a>
    </p>
  );
}

/** The provider's «Полнота оказания услуг» of a month: one 0–100 field per contract, saved at once. */
export function CompletenessPage({
  month,
  rows,
  values = {},
  errors = {},
  fileError,
  uploadErrors,
}: {
  month: string;
  rows: CompletenessRow[];
  values?: Partial<Record<string, string>>;
  errors?: FieldErrors;
  /** The uploaded file as a whole was refused (not a workbook, no sheet, too big). */
  fileError?: string;
  /** The uploaded table's rows that are wrong: nothing was saved. */
  uploadErrors?: UploadRowError[];
}) {
  const open = rows.filter((row) => row.invoicedPercent === null);
  const query = `?month=${month.slice(0, 7)}`;
  return (
    <Layout title={`Полнота оказания услуг: ${monthName(month)}`}>
      <p>
        <a href="/staff">← Рабочий стол</a>
      </p>
      <h1>Полнота оказания услуг</h1>
      <MonthNav base="/staff/org/completeness" month={month} />
      <p>
        Укажите для каждого договора, какая доля услуг месяца оказана (0–100 %). Счёт за месяц формируется
        1-го числа следующего месяца: сертификат оплачивает стоимость месяца × полноту за вычетом аванса (
        {ADVANCE_PERCENT} %), остаток возвращается на сертификат. Если полнота не указана, счёт формируется на{' '}
        {DEFAULT_COMPLETENESS} %. После формирования счёта полноту за месяц изменить нельзя.
      </p>
      <ErrorSummary errors={fileError ? { ...errors, file: fileError } : errors} />
      {uploadErrors && uploadErrors.length > 0 && (
        <section class="error-summary" role="alert" aria-labelledby="upload-errors-title" tabIndex={-1}>
          <h2 class="error-summary__title" id="upload-errors-title">
            Файл не загружен: исправьте {countOf(uploadErrors.length, ['строку', 'строки', 'строк'])}
          </h2>
          <p>Ничего не сохранено. Исправьте строки из списка и загрузите файл снова.</p>
          <table class="table">
            <caption class="visually-hidden">Ошибки по строкам</caption>
            <thead>
              <tr>
                <th scope="col">Строка</th>
                <th scope="col">Что исправить</th>
              </tr>
            </thead>
            <tbody>
              {uploadErrors.map((error) => (
                <tr key={error.row}>
                  <td>{error.row}</td>
                  <td>{error.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {rows.length === 0 ? (
        <p>В этом месяце нет действующих договоров с оплатой по сертификату.</p>
      ) : (
        <>
          <p>
            <a href={`/staff/org/completeness.xlsx${query}`}>Скачать таблицу (XLSX)</a>: заполните в ней
            столбец «Полнота, %» и загрузите её внизу страницы — или введите полноту здесь.
          </p>
          <form method="post" action={`/staff/org/completeness${query}`} novalidate>
            <CsrfField />
            <div class="table-scroll">
              <table class="table">
                <caption class="visually-hidden">Договоры месяца</caption>
                <thead>
                  <tr>
                    <th scope="col">Договор, обучающийся, программа</th>
                    <th scope="col">Сертификат за месяц</th>
                    <th scope="col">Полнота, %</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => {
                    const name = `p_${row.contractId}`;
                    return (
                      <tr key={row.contractId}>
                        <td>
                          <a href={`/staff/contracts/${row.contractId}`}>№ {row.number}</a>
                          <br />
                          {row.childName}
                          <br />
                          {row.programName}
                        </td>
                        <td>{formatRoubles(row.partKopecks)}</td>
                        <td id={row.invoicedPercent === null ? undefined : name}>
                          {row.invoicedPercent === null ? (
                            <TextField
                              name={name}
                              label={`№ ${row.number}`}
                              inputMode="numeric"
                              maxLength={3}
                              width="short"
                              value={values[name] ?? (row.percent === null ? '' : String(row.percent))}
                              error={errors[name]}
                            />
                          ) : (
                            <>{row.invoicedPercent} % (счёт сформирован)</>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {open.length > 0 && (
              <button type="submit" class="button">
                Сохранить полноту
              </button>
            )}
          </form>
          {open.length > 0 && (
            <section aria-labelledby="upload-title">
              <h2 id="upload-title">Загрузить полноту из таблицы</h2>
              <form
                method="post"
                action={`/staff/org/completeness/upload${query}`}
                enctype="multipart/form-data"
                class="narrow"
              >
                <CsrfField />
                <div class={`field${fileError ? ' field--error' : ''}`}>
                  <label class="label" for="file">
                    Заполненная таблица (.xlsx), до 5 МБ
                  </label>
                  {fileError && (
                    <p class="field-error" id="file-error">
                      <span class="visually-hidden">Ошибка: </span>
                      {fileError}
                    </p>
                  )}
                  <input
                    class="input"
                    id="file"
                    name="file"
                    type="file"
                    accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    aria-describedby={fileError ? 'file-error' : undefined}
                  />
                </div>
                <button type="submit" class="button button--secondary">
                  Загрузить таблицу
                </button>
              </form>
            </section>
          )}
        </>
      )}
    </Layout>
  );
}

/** The registers of a month: the payer changes their status; everyone who may read sees the lines and totals. */
export function RegistersPage({
  month,
  registers,
  maySetStatus,
}: {
  month: string;
  registers: Register[];
  maySetStatus: (register: Register) => boolean;
}) {
  return (
    <Layout title={`Реестры: ${monthName(month)}`}>
      <p>
        <a href="/staff">← Рабочий стол</a>
      </p>
      <h1>Реестры авансов и счетов</h1>
      <MonthNav base="/staff/funding/registers" month={month} />
      {registers.length === 0 && (
        <p>За этот месяц реестров нет: месяц ещё не закрыт или договоров не было.</p>
      )}
      {registers.map((register) => {
        const query = new URLSearchParams({
          month: month.slice(0, 7),
          organization: register.organizationId,
          municipality: String(register.municipalityId),
          kind: register.kind,
        }).toString();
        return (
          <section
            key={`${register.organizationId}-${register.municipalityId}-${register.kind}`}
            class="card"
          >
            <h2>
              {REGISTER_KIND_LABELS[register.kind]} · {register.organizationName}
            </h2>
            <p>
              Плательщик: {register.municipality}. Статус:{' '}
              <strong>{REGISTER_STATUS_LABELS[register.status]}</strong>.
            </p>
            <p>
              Договоров: {register.lines.length}. К оплате: {formatRoubles(register.totals.dueKopecks)}
              {register.kind === 'invoice' && (
                <>
                  ; доплата {formatRoubles(register.totals.chargedKopecks)}, возврат аванса{' '}
                  {formatRoubles(register.totals.refundedKopecks)}, возвращено в резерв сертификатов{' '}
                  {formatRoubles(register.totals.releasedKopecks)}
                </>
              )}
              .
            </p>
            <details>
              <summary>Строки реестра</summary>
              <div class="table-scroll">
                <table class="table">
                  <caption class="visually-hidden">Строки реестра</caption>
                  <thead>
                    <tr>
                      <th scope="col">Договор</th>
                      <th scope="col">Обучающийся</th>
                      <th scope="col">Сертификат за месяц</th>
                      {register.kind === 'invoice' && <th scope="col">Полнота</th>}
                      <th scope="col">К оплате</th>
                    </tr>
                  </thead>
                  <tbody>
                    {register.lines.map((line) => (
                      <tr key={line.contractId}>
                        <td>№ {line.number}</td>
                        <td>{line.childName}</td>
                        <td>{formatRoubles(line.partKopecks)}</td>
                        {register.kind === 'invoice' && <td>{line.completenessPercent} %</td>}
                        <td>{formatRoubles(line.dueKopecks)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
            <p>
              <a href={`/staff/funding/registers/export.xlsx?${query}`}>Скачать реестр (XLSX)</a>
            </p>
            {maySetStatus(register) && (
              <form method="post" action={`/staff/funding/registers/status?${query}`} novalidate>
                <CsrfField />
                <SelectField
                  name="status"
                  label="Статус реестра"
                  value={register.status}
                  options={(Object.keys(REGISTER_STATUS_LABELS) as RegisterStatus[]).map((value) => ({
                    value,
                    label: REGISTER_STATUS_LABELS[value],
                  }))}
                />
                <button type="submit" class="button button--secondary">
                  Изменить статус
                </button>
              </form>
            )}
          </section>
        );
      })}
    </Layout>
  );
}

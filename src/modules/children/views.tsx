import { CabinetLayout } from '../../platform/views/cabinet.js';
import {
  CsrfField,
  ErrorSummary,
  RadioGroup,
  SelectField,
  TextField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import type { Certificate } from '../certificates/index.js';
import { formatCertificateNumber } from '../certificates/index.js';
import { MUNICIPALITIES } from '../reference/index.js';
import { municipalityName } from '../reference/index.js';
import type { Municipality } from '../reference/index.js';
import { MunicipalOffice } from '../reference/index.js';
import { ChildFacts, fullName } from './format.js';
import type { Child } from './service.js';

type FormValues = Partial<Record<string, string>>;

/** The words the seed promises parents, kept in one place. */
export const TEXTS = {
  addChild: '+Добавить ребенка',
  getCertificate: 'Получить сертификат',
  activate: 'Активировать сертификат',
  confirmData: 'подтвердить данные',
  noFunding: 'В настоящее время финансирование сертификата не осуществляется',
  // The same words for every certificate awaiting confirmation, whatever the checks will find.
  checkedInPerson:
    'Данные ребёнка проверит муниципальный администратор при личном подтверждении: после этого сертификат начнёт действовать.',
} as const;

export interface ChildCard {
  child: Child;
  certificate: Certificate | undefined;
  /** The funding module's line for a confirmed certificate (routes.tsx FundingSummary). */
  funding?: { line: string; action?: string } | null;
}

export function ChildrenTab({ cards, suggestSelf }: { cards: ChildCard[]; suggestSelf: boolean }) {
  return (
    <CabinetLayout tab="children" title="Дети">
      <h2>Дети</h2>
      {suggestSelf && (
        <div class="notice">
          <p>
            Вы зарегистрировались как обучающийся, достигший 14 лет. Добавьте свои данные, чтобы получить
            сертификат.
          </p>
          <p>
            <a class="button" href="/cabinet/children/new?self=1">
              Добавить свои данные
            </a>
          </p>
        </div>
      )}
      {cards.length === 0 ? (
        <p>
          Добавьте ребёнка, чтобы получить сертификат дополнительного образования и записываться на программы.
        </p>
      ) : (
        <ul class="results">
          {cards.map((card) => (
            <li class="result child-card" key={card.child.id}>
              <ChildCardView {...card} />
            </li>
          ))}
        </ul>
      )}
      <p>
        <a class="button" href="/cabinet/children/new">
          {TEXTS.addChild}
        </a>
      </p>
    </CabinetLayout>
  );
}

function ChildCardView({ child, certificate, funding }: ChildCard) {
  const confirmed = child.dataStatus === 'confirmed';
  return (
    <>
      <h3 class="result__title">{fullName(child)}</h3>
      <dl class="facts">
        <ChildFacts child={child} />
      </dl>
      {child.dataStatus === 'rejected' && (
        <div class="panel" role="note">
          <p>
            <strong>Данные не подтверждены.</strong> Причина: {child.rejectionReason}
          </p>
          <p>Исправьте данные и снова обратитесь для подтверждения.</p>
        </div>
      )}
      {confirmed ? (
        <p class="status status--success">Данные ребёнка подтверждены</p>
      ) : (
        certificate && (
          <p>
            <a href={`/cabinet/children/${child.id}/confirm`}>{TEXTS.confirmData}</a>
          </p>
        )
      )}
      <div class="certificate">
        {certificate ? (
          <>
            <p class="certificate__number">
              Сертификат № <strong>{formatCertificateNumber(certificate.number)}</strong>
            </p>
            {confirmed ? (
              funding ? (
                <>
                  <p>{funding.line}</p>
                  {funding.action && (
                    <p>
                      <a href={`/cabinet/children/${child.id}/funding`}>{funding.action}</a>
                    </p>
                  )}
                </>
              ) : (
                <p>{TEXTS.noFunding}</p>
              )
            ) : (
              <>
                <p>{TEXTS.checkedInPerson}</p>
                <p>
                  <a href={`/cabinet/children/${child.id}/confirm`}>{TEXTS.activate}</a>
                </p>
              </>
            )}
          </>
        ) : (
          <form method="post" action={`/cabinet/children/${child.id}/certificate`}>
            <CsrfField />
            <button type="submit" class="button">
              {TEXTS.getCertificate}
            </button>
          </form>
        )}
      </div>
      {!confirmed && (
        <p class="card-actions">
          <a href={`/cabinet/children/${child.id}/edit`}>Изменить данные</a>
          <a href={`/cabinet/children/${child.id}/delete`}>Удалить</a>
        </p>
      )}
    </>
  );
}

export function ChildFormPage({
  action,
  title,
  values = {},
  errors = {},
}: {
  action: string;
  title: string;
  values?: FormValues;
  errors?: FieldErrors;
}) {
  return (
    <CabinetLayout tab="children" title={title}>
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h2>{title}</h2>
        <p>Заполните данные так, как они записаны в документе ребёнка. Их нужно будет подтвердить лично.</p>
        <form method="post" action={action} novalidate>
          <CsrfField />
          {values.self === 'yes' && <input type="hidden" name="self" value="yes" />}
          <TextField name="lastName" label="Фамилия" value={values.lastName} error={errors.lastName} />
          <TextField name="firstName" label="Имя" value={values.firstName} error={errors.firstName} />
          <TextField
            name="middleName"
            label="Отчество (если есть)"
            value={values.middleName}
            error={errors.middleName}
          />
          <TextField
            name="birthDate"
            label="Дата рождения"
            hint="Например, 15.03.2015"
            inputMode="numeric"
            width="medium"
            value={values.birthDate}
            error={errors.birthDate}
          />
          <RadioGroup
            name="sex"
            label="Пол"
            value={values.sex}
            error={errors.sex}
            options={[
              { value: 'male', label: 'Мужской' },
              { value: 'female', label: 'Женский' },
            ]}
          />
          <TextField
            name="snils"
            label="СНИЛС (если есть)"
            hint="11 цифр, например 123-456-789 64"
            inputMode="numeric"
            width="medium"
            value={values.snils}
            error={errors.snils}
          />
          <RadioGroup
            name="documentType"
            label="Документ, удостоверяющий личность"
            value={values.documentType ?? 'birth_certificate'}
            error={errors.documentType}
            options={[
              { value: 'birth_certificate', label: 'Свидетельство о рождении' },
              { value: 'passport', label: 'Паспорт (с 14 лет)' },
            ]}
          />
          <TextField
            name="documentSeries"
            label="Серия"
            hint="Свидетельство — например, II-МП; паспорт — 4 цифры"
            width="medium"
            value={values.documentSeries}
            error={errors.documentSeries}
          />
          <TextField
            name="documentNumber"
            label="Номер"
            hint="6 цифр"
            inputMode="numeric"
            width="medium"
            value={values.documentNumber}
            error={errors.documentNumber}
          />
          <TextField
            name="documentIssuedAt"
            label="Дата выдачи"
            hint="Например, 20.04.2015"
            inputMode="numeric"
            width="medium"
            value={values.documentIssuedAt}
            error={errors.documentIssuedAt}
          />
          <TextField
            name="documentIssuedBy"
            label="Кем выдан"
            hint="Например, Отдел ЗАГС Администрации города Смоленска"
            value={values.documentIssuedBy}
            error={errors.documentIssuedBy}
          />
          <SelectField
            name="municipalityId"
            label="Муниципалитет регистрации"
            placeholder="Выберите муниципалитет"
            options={MUNICIPALITIES.map((m) => ({ value: String(m.id), label: m.name }))}
            value={values.municipalityId}
            error={errors.municipalityId}
          />
          <TextField
            name="registrationAddress"
            label="Адрес регистрации"
            hint="Населённый пункт, улица, дом, квартира"
            value={values.registrationAddress}
            error={errors.registrationAddress}
          />
          <button type="submit" class="button">
            Сохранить
          </button>{' '}
          <a href="/cabinet/children">Отмена</a>
        </form>
      </div>
    </CabinetLayout>
  );
}

export function DeleteChildPage({ child }: { child: Child }) {
  return (
    <CabinetLayout tab="children" title="Удалить данные ребёнка">
      <div class="narrow">
        <h2>Удалить данные ребёнка {fullName(child)}?</h2>
        <p>Данные и сертификат, если он выдан, будут удалены. Это действие нельзя отменить.</p>
        <form method="post" action={`/cabinet/children/${child.id}/delete`}>
          <CsrfField />
          <button type="submit" class="button button--warning">
            Удалить
          </button>{' '}
          <a href="/cabinet/children">Отмена</a>
        </form>
      </div>
    </CabinetLayout>
  );
}

/** «подтвердить данные» / «Активировать сертификат»: the in-person procedure and where to go. */
export function ConfirmProcedurePage({
  child,
  certificate,
  municipality,
}: {
  child: Child;
  certificate: Certificate | undefined;
  municipality: Municipality | null;
}) {
  return (
    <Layout title="Подтверждение данных ребёнка">
      <p>
        <a href="/cabinet/children">← Дети</a>
      </p>
      <h1>Подтверждение данных ребёнка</h1>
      <p class="lead">
        Чтобы активировать сертификат, данные ребёнка ({fullName(child)}) нужно подтвердить лично у
        муниципального администратора вашего муниципалитета.
      </p>
      {certificate && (
        <p>
          Назовите номер сертификата: <strong>{formatCertificateNumber(certificate.number)}</strong>
        </p>
      )}
      <h2>Какие документы взять с собой</h2>
      <ul>
        <li>
          {child.documentType === 'passport' ? 'паспорт ребёнка' : 'свидетельство о рождении ребёнка'}{' '}
          (оригинал) — {child.documentSeries} № {child.documentNumber};
        </li>
        <li>
          паспорт родителя (законного представителя)
          {child.documentType === 'passport' ? ', если ребёнок приходит с ним' : ''};
        </li>
        {child.snils && <li>СНИЛС ребёнка;</li>}
        <li>
          заключение ПМПК — если у ребёнка ограниченные возможности здоровья и вы хотите, чтобы это
          учитывалось.
        </li>
      </ul>
      <p>
        Подтверждение занимает несколько минут. После него на странице «Дети» исчезнет ссылка «подтвердить
        данные».
      </p>
      <h2>Куда обратиться: {municipalityName(child.municipalityId)}</h2>
      {municipality && <MunicipalOffice municipality={municipality} />}
    </Layout>
  );
}

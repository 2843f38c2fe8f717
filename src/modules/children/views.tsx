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

/** The one state the card tells first: where the child's data and certificate stand, and what to do next. */
export type CardState =
  | { kind: 'no_certificate' }
  | { kind: 'unconfirmed' }
  | { kind: 'rejected'; reason: string }
  | { kind: 'active'; funded: boolean }
  | { kind: 'inactive'; closed: boolean }
  | { kind: 'confirmed_no_certificate' };

export function cardState({ child, certificate }: ChildCard): CardState {
  if (child.dataStatus === 'rejected')
    return { kind: 'rejected', reason: child.rejectionReason ?? 'причина не указана' };
  if (child.dataStatus !== 'confirmed')
    return certificate ? { kind: 'unconfirmed' } : { kind: 'no_certificate' };
  if (!certificate) return { kind: 'confirmed_no_certificate' };
  if (certificate.status === 'suspended' || certificate.status === 'closed')
    return { kind: 'inactive', closed: certificate.status === 'closed' };
  return { kind: 'active', funded: certificate.type === 'funded' };
}

/** The state line's words; simple sentences, without the child's name. */
export function stateText(state: CardState): string {
  switch (state.kind) {
    case 'no_certificate':
      return 'Сертификат не получен — нажмите «Получить сертификат»';
    case 'unconfirmed':
      return 'Данные не подтверждены — подтвердите их лично';
    case 'rejected':
      return `Данные отклонены: ${state.reason} — исправьте и подтвердите снова`;
    case 'active':
      return state.funded ? 'Сертификат финансирования действует' : 'Сертификат учёта действует';
    case 'inactive':
      return state.closed
        ? 'Сертификат закрыт — обратитесь к муниципальному администратору'
        : 'Сертификат приостановлен — обратитесь к муниципальному администратору';
    case 'confirmed_no_certificate':
      return 'Данные подтверждены — нажмите «Получить сертификат»';
  }
}

const STATE_TONE: Record<CardState['kind'], string> = {
  no_certificate: 'pending',
  unconfirmed: 'pending',
  rejected: 'error',
  active: 'success',
  inactive: 'error',
  confirmed_no_certificate: 'pending',
};

function ChildCardView(card: ChildCard) {
  const { child, certificate, funding } = card;
  const state = cardState(card);
  const confirmed = child.dataStatus === 'confirmed';
  // The one way to the in-person procedure: «подтвердить данные» under the child's data.
  const needsConfirmation = !confirmed && certificate !== undefined;
  const stateId = `child-${child.id}-state`;
  return (
    <>
      <h3 class="result__title">{fullName(child)}</h3>
      <dl class="facts">
        <ChildFacts child={child} />
      </dl>
      <div class={`child-state child-state--${STATE_TONE[state.kind]}`} id={stateId} tabindex={-1}>
        <p class="child-state__line">
          <strong>{stateText(state)}</strong>
        </p>
        {needsConfirmation && (
          <p>
            <a href={`/cabinet/children/${child.id}/confirm`}>{TEXTS.confirmData}</a>
          </p>
        )}
      </div>
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
                  {/* Leads to the state above, whose «подтвердить данные» opens the procedure. */}
                  <a href={`#${stateId}`}>{TEXTS.activate}</a>
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
      {confirmed ? (
        <p class="muted">
          Подтверждённые данные нельзя изменить или удалить в личном кабинете. Их исправляет муниципальный
          администратор. <a href={`/cabinet/children/${child.id}/edit`}>Как исправить данные</a>
        </p>
      ) : (
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
        <h2>Удалить данные ребёнка {fullName(child, 'genitive')}?</h2>
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

/** Why the parent cannot change or delete the child's data here, and who can: instead of a silent redirect. */
export function ClosedActionPage({
  child,
  reason,
  municipality,
}: {
  child: Child;
  /** confirmed_edit / confirmed_delete: the data are confirmed; has_applications: applications keep the record. */
  reason: 'confirmed_edit' | 'confirmed_delete' | 'has_applications';
  municipality: Municipality | null;
}) {
  const title =
    reason === 'confirmed_edit' ? 'Подтверждённые данные изменить нельзя' : 'Данные ребёнка удалить нельзя';
  return (
    <CabinetLayout tab="children" title={title}>
      <div class="narrow">
        <p>
          <a href="/cabinet/children">← Дети</a>
        </p>
        <h2>{title}</h2>
        <p class="lead">Ребёнок: {fullName(child)}.</p>
        {reason === 'has_applications' ? (
          <>
            <p>
              У ребёнка есть заявки в группы. Организации и очереди опираются на эти данные, поэтому их нельзя
              удалить.
            </p>
            <p>
              Если в данных ошибка, исправьте её:{' '}
              <a href={`/cabinet/children/${child.id}/edit`}>Изменить данные</a>. Заявки ребёнка — на вкладке{' '}
              <a href="/cabinet/applications">«Заявки»</a>.
            </p>
          </>
        ) : (
          <>
            <p>
              Данные ребёнка подтверждены лично, и по ним действует сертификат. Поэтому в личном кабинете их
              нельзя {reason === 'confirmed_edit' ? 'изменить' : 'удалить'}.
            </p>
            <p>
              {reason === 'confirmed_edit'
                ? 'Если в данных ошибка, обратитесь к муниципальному администратору: он исправит подтверждённые данные. Возьмите с собой документ ребёнка и свой паспорт.'
                : 'Если данные внесены дважды или ребёнок уехал из области, обратитесь к муниципальному администратору.'}
            </p>
          </>
        )}
        {reason !== 'has_applications' && (
          <>
            <h3>Куда обратиться: {municipalityName(child.municipalityId)}</h3>
            {municipality && <MunicipalOffice municipality={municipality} />}
          </>
        )}
      </div>
    </CabinetLayout>
  );
}

/** «подтвердить данные»: the in-person procedure and where to go. */
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
        Чтобы активировать сертификат, данные ребёнка {fullName(child, 'genitive')} нужно подтвердить лично у
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
      <p>
        <a href="/contacts">Контакты всех муниципальных администраторов и регионального координатора</a>
      </p>
    </Layout>
  );
}

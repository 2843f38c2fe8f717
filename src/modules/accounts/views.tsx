import type { ComponentChildren } from 'preact';
import { officialName } from '../../platform/grammar/index.js';
import { usePage } from '../../platform/views/context.js';
import {
  CheckboxField,
  CsrfField,
  ErrorSummary,
  RadioGroup,
  SelectField,
  TextField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { formatDate, formatPhone } from '../../platform/views/format.js';
import { CabinetLayout } from '../../platform/views/cabinet.js';
import { Layout } from '../../platform/views/layout.js';
import { MUNICIPALITIES } from '../reference/index.js';
import type { Municipality } from '../reference/index.js';
import { MunicipalOffice } from '../reference/index.js';
import type { FormValues } from './schemas.js';
import type { Profile } from './service.js';

const municipalityOptions = MUNICIPALITIES.map((m) => ({ value: String(m.id), label: m.name }));

interface FormPageProps {
  values?: FormValues;
  errors?: FieldErrors;
}

/** The applicant's own data: the same fields at registration and in «Изменить данные профиля». */
function ProfileFields({ values, errors }: { values: FormValues; errors: FieldErrors }) {
  return (
    <>
      <SelectField
        name="municipalityId"
        label="Муниципалитет"
        hint="Для рекомендации программ рядом с вами"
        placeholder="Выберите муниципалитет"
        options={municipalityOptions}
        value={values.municipalityId}
        error={errors.municipalityId}
      />
      <TextField
        name="lastName"
        label="Фамилия"
        autocomplete="family-name"
        value={values.lastName}
        error={errors.lastName}
      />
      <TextField
        name="firstName"
        label="Имя"
        autocomplete="given-name"
        value={values.firstName}
        error={errors.firstName}
      />
      <TextField
        name="middleName"
        label="Отчество (если есть)"
        autocomplete="additional-name"
        value={values.middleName}
        error={errors.middleName}
      />
      <TextField
        name="phone"
        label="Номер мобильного телефона"
        hint="Например, +7 900 123-45-67"
        type="tel"
        autocomplete="tel"
        inputMode="tel"
        width="medium"
        value={values.phone}
        error={errors.phone}
      />
    </>
  );
}

/** A new password and its repetition: in «Новый пароль» (reset) and «Изменить пароль». */
function NewPasswordFields({ errors }: { errors: FieldErrors }) {
  return (
    <>
      <TextField
        name="password"
        label="Новый пароль"
        hint="Не короче 8 символов"
        type="password"
        autocomplete="new-password"
        width="medium"
        error={errors.password}
      />
      <TextField
        name="passwordRepeat"
        label="Новый пароль ещё раз"
        type="password"
        autocomplete="new-password"
        width="medium"
        error={errors.passwordRepeat}
      />
    </>
  );
}

function SupportAdvice() {
  return (
    <p>
      Если письмо так и не пришло или возникли другие трудности с личным кабинетом, обратитесь к
      муниципальному администратору вашего муниципалитета или к региональному оператору навигатора —
      Смоленскому областному институту развития образования: <a href="/contacts">контакты</a>. Или{' '}
      <a href="/support/ask">задайте вопрос</a> на сайте.
    </p>
  );
}

export function RegisterPage({ values = {}, errors = {} }: FormPageProps) {
  return (
    <Layout title="Регистрация">
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h1>Регистрация</h1>
        <p>
          Заполните все обязательные поля. На адрес электронной почты придут уведомления и ссылка для
          восстановления пароля, поэтому проверьте его особенно внимательно.
        </p>
        <form method="post" action="/register" novalidate>
          <CsrfField />
          <ProfileFields values={values} errors={errors} />
          <TextField
            name="email"
            label="Адрес электронной почты"
            hint="На него придёт письмо для подтверждения"
            type="email"
            autocomplete="email"
            inputMode="email"
            value={values.email}
            error={errors.email}
          />
          <TextField
            name="password"
            label="Пароль"
            hint="Не короче 8 символов. Придумайте его сами и запомните или запишите"
            type="password"
            autocomplete="new-password"
            width="medium"
            error={errors.password}
          />
          <TextField
            name="passwordRepeat"
            label="Пароль ещё раз"
            type="password"
            autocomplete="new-password"
            width="medium"
            error={errors.passwordRepeat}
          />
          <RadioGroup
            name="applicantKind"
            label="Кто регистрируется"
            value={values.applicantKind ?? 'parent'}
            error={errors.applicantKind}
            options={[
              { value: 'parent', label: 'Родитель (законный представитель)' },
              {
                value: 'teen',
                label: 'Обучающийся, достигший 14 лет',
                conditional: (
                  <TextField
                    name="birthDate"
                    label="Дата рождения обучающегося"
                    hint="Например, 15.03.2011"
                    width="medium"
                    inputMode="numeric"
                    autocomplete="bday"
                    value={values.birthDate}
                    error={errors.birthDate}
                  />
                ),
              },
            ]}
          />
          <CheckboxField
            name="consent"
            checked={values.consent === 'yes'}
            error={errors.consent}
            label={
              <>
                Я ознакомлен и выражаю согласие с{' '}
                <a href="/privacy" target="_blank">
                  Политикой конфиденциальности
                </a>{' '}
                и{' '}
                <a href="/terms" target="_blank">
                  Пользовательским соглашением
                </a>
              </>
            }
          />
          <button type="submit" class="button">
            Зарегистрироваться
          </button>
        </form>
        <p>
          Уже зарегистрированы? <a href="/login">Войдите</a>.
        </p>
      </div>
    </Layout>
  );
}

export function CheckEmailPage({
  email,
  municipality,
}: {
  email: string | null;
  municipality?: Municipality | null;
}) {
  return (
    <Layout title="Проверьте почту">
      <div class="narrow">
        <h1>Проверьте почту</h1>
        <p class="lead">
          {email ? (
            <>
              Мы отправили письмо на адрес <strong>{email}</strong>.
            </>
          ) : (
            'Мы отправили письмо на указанный вами адрес.'
          )}{' '}
          Перейдите по ссылке из письма, чтобы подтвердить адрес и получить полные права в навигаторе.
        </p>
        <p>Письмо приходит в течение минуты. Ссылка действует 72 часа. Регистрироваться повторно не нужно.</p>
        <h2>Письмо не пришло?</h2>
        <ul>
          <li>Проверьте папку «Спам» или «Нежелательная почта».</li>
          <li>
            Проверьте, правильно ли указан адрес. Если в адресе ошибка, зарегистрируйтесь заново с правильным
            адресом.
          </li>
          <li>Отправьте письмо ещё раз:</li>
        </ul>
        <form method="post" action="/register/resend">
          <CsrfField />
          {email ? (
            <input type="hidden" name="email" value={email} />
          ) : (
            <TextField name="email" label="Адрес электронной почты" type="email" autocomplete="email" />
          )}
          <button type="submit" class="button button--secondary">
            Отправить письмо повторно
          </button>
        </form>
        {municipality ? (
          <>
            <p>
              Если письмо так и не пришло или возникли другие трудности с личным кабинетом, обратитесь к
              муниципальному администратору:
            </p>
            <MunicipalOffice municipality={municipality} />
            <p>
              <a href="/contacts">Контакты всех муниципальных администраторов и регионального координатора</a>
            </p>
            <p>
              Или напишите администратору: <a href="/support/ask">задать вопрос</a>.
            </p>
          </>
        ) : (
          <SupportAdvice />
        )}
      </div>
    </Layout>
  );
}

export function VerifyResultPage({
  title,
  children,
  success,
}: {
  title: string;
  children: ComponentChildren;
  success: boolean;
}) {
  return (
    <Layout title={title}>
      <div class="narrow">
        <div class={success ? 'panel panel--success' : 'panel'}>
          <h1>{title}</h1>
        </div>
        {children}
      </div>
    </Layout>
  );
}

/** The link from the «адрес изменён» letter: a button, so that a mail scanner opening the link changes nothing. */
export function UndoEmailChangePage({ code }: { code: string }) {
  return (
    <Layout title="Вернуть прежний адрес электронной почты">
      <div class="narrow">
        <h1>Вернуть прежний адрес электронной почты</h1>
        <p class="lead">
          Учётная запись снова будет связана с адресом, на который пришло письмо. Все входы в неё будут
          завершены; затем задайте новый пароль.
        </p>
        <form method="post" action="/email/undo">
          <CsrfField />
          <input type="hidden" name="code" value={code} />
          <button type="submit" class="button">
            Вернуть прежний адрес
          </button>
        </form>
      </div>
    </Layout>
  );
}

export function UndoLinkProblemPage({ expired }: { expired: boolean }) {
  return (
    <VerifyResultPage
      title={expired ? 'Срок действия ссылки истёк' : 'Ссылка недействительна'}
      success={false}
    >
      <p>
        {expired
          ? 'Вернуть прежний адрес по ссылке можно в течение 7 дней.'
          : 'Ссылка уже использована или скопирована не полностью.'}{' '}
        Если в вашу учётную запись вошёл кто-то другой, обратитесь к муниципальному администратору.
      </p>
    </VerifyResultPage>
  );
}

export function ConfirmEmailFirstPage({ email }: { email: string }) {
  return (
    <Layout title="Подтвердите адрес электронной почты">
      <div class="narrow">
        <h1>Подтвердите адрес электронной почты</h1>
        <p class="lead">
          Это действие доступно после подтверждения адреса <strong>{email}</strong>. Перейдите по ссылке из
          письма, которое мы отправили при регистрации.
        </p>
        <form method="post" action="/verify/email/resend">
          <CsrfField />
          <button type="submit" class="button">
            Отправить письмо повторно
          </button>
        </form>
        <p>Не видите письма? Проверьте папку «Спам».</p>
      </div>
    </Layout>
  );
}

export function ResendForm({ email }: { email?: string }) {
  return (
    <form method="post" action="/register/resend">
      <CsrfField />
      <TextField
        name="email"
        label="Адрес электронной почты"
        type="email"
        autocomplete="email"
        value={email}
      />
      <button type="submit" class="button">
        Отправить письмо повторно
      </button>
    </form>
  );
}

export function SignInPage({
  values = {},
  errors = {},
  next,
}: FormPageProps & { next?: string | undefined }) {
  return (
    <Layout title="Вход">
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h1>Вход в личный кабинет</h1>
        <form method="post" action="/login" novalidate>
          <CsrfField />
          {next && <input type="hidden" name="next" value={next} />}
          <TextField
            name="email"
            label="Адрес электронной почты"
            type="email"
            autocomplete="email"
            inputMode="email"
            value={values.email}
            error={errors.email}
          />
          <TextField
            name="password"
            label="Пароль"
            type="password"
            autocomplete="current-password"
            error={errors.password}
          />
          <button type="submit" class="button">
            Войти
          </button>
        </form>
        <p>
          <a href="/password/forgot">Забыли пароль?</a>
        </p>
        <p>
          Ещё нет личного кабинета? <a href="/register">Зарегистрируйтесь</a>.
        </p>
      </div>
    </Layout>
  );
}

export function ForgotPasswordPage({ values = {}, errors = {} }: FormPageProps) {
  return (
    <Layout title="Восстановление пароля">
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h1>Восстановление пароля</h1>
        <p>
          Укажите адрес электронной почты, с которым вы регистрировались. Мы пришлём ссылку для нового пароля.
        </p>
        <form method="post" action="/password/forgot" novalidate>
          <CsrfField />
          <TextField
            name="email"
            label="Адрес электронной почты"
            type="email"
            autocomplete="email"
            inputMode="email"
            value={values.email}
            error={errors.email}
          />
          <button type="submit" class="button">
            Отправить ссылку
          </button>
        </form>
      </div>
    </Layout>
  );
}

export function ForgotPasswordSentPage() {
  return (
    <Layout title="Проверьте почту">
      <div class="narrow">
        <h1>Проверьте почту</h1>
        <p class="lead">
          Если этот адрес зарегистрирован в навигаторе, на него отправлено письмо со ссылкой для нового
          пароля. Ссылка действует 1 час.
        </p>
        <p>Не видите письма? Проверьте папку «Спам».</p>
        <SupportAdvice />
      </div>
    </Layout>
  );
}

export function ResetPasswordPage({ code, errors = {} }: { code: string; errors?: FieldErrors }) {
  return (
    <Layout title="Новый пароль">
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h1>Новый пароль</h1>
        <form method="post" action="/password/reset" novalidate>
          <CsrfField />
          <input type="hidden" name="code" value={code} />
          <NewPasswordFields errors={errors} />
          <button type="submit" class="button">
            Сохранить пароль
          </button>
        </form>
      </div>
    </Layout>
  );
}

export function ResetLinkProblemPage({ expired }: { expired: boolean }) {
  return (
    <Layout title={expired ? 'Срок действия ссылки истёк' : 'Ссылка недействительна'}>
      <div class="narrow">
        <h1>{expired ? 'Срок действия ссылки истёк' : 'Ссылка недействительна'}</h1>
        <p>
          {expired
            ? 'Ссылка для восстановления пароля действует 1 час.'
            : 'Ссылка уже использована, заменена более новой или скопирована не полностью.'}{' '}
          Запросите новую ссылку.
        </p>
        <p>
          <a class="button" href="/password/forgot">
            Запросить новую ссылку
          </a>
        </p>
      </div>
    </Layout>
  );
}

const STAFF_ROLES = {
  org_staff: 'Сотрудник организации',
  municipal_admin: 'Муниципальный администратор',
  coordinator: 'Региональный координатор',
} as const;

export function ProfileTab({
  profile,
  family = true,
  organizationName = null,
}: {
  profile: Profile;
  family?: boolean;
  organizationName?: string | null;
}) {
  const { user } = usePage();
  const staff = user?.staff ?? null;
  const municipality = MUNICIPALITIES.find((m) => m.id === profile.municipalityId)?.name ?? '';
  const phone = formatPhone(profile.phone);
  return (
    <CabinetLayout tab="profile" title="Профиль" family={family}>
      <h2>Профиль</h2>
      {staff && (
        <p>
          <a class="button" href="/staff">
            Перейти на рабочий стол
          </a>
        </p>
      )}
      <dl class="facts">
        <dt>Фамилия, имя, отчество</dt>
        <dd>{officialName(profile)}</dd>
        {staff ? (
          <>
            <dt>Роль</dt>
            <dd>{STAFF_ROLES[staff.role]}</dd>
            {staff.role === 'org_staff' && (
              <>
                <dt>Организация</dt>
                <dd>{organizationName ?? '—'}</dd>
              </>
            )}
            <dt>Муниципалитет</dt>
            <dd>
              {staff.role === 'coordinator'
                ? 'Вся область'
                : (MUNICIPALITIES.find((m) => m.id === staff.municipalityId)?.name ?? municipality)}
            </dd>
          </>
        ) : (
          <>
            <dt>Кто зарегистрирован</dt>
            <dd>
              {profile.applicantKind === 'teen'
                ? `Обучающийся, дата рождения ${formatDate(profile.birthDate ?? '')}`
                : 'Родитель (законный представитель)'}
            </dd>
            <dt>Муниципалитет</dt>
            <dd>{municipality}</dd>
          </>
        )}
        {/* Staff accounts are created without a phone (a placeholder): nothing to show then. */}
        {!(staff && /^\+70{10}$/.test(profile.phone)) && (
          <>
            <dt>Телефон</dt>
            <dd>{phone}</dd>
          </>
        )}
        <dt>Электронная почта</dt>
        <dd>
          {profile.email}{' '}
          {user?.emailVerified ? (
            <span class="tag tag--success">подтверждена</span>
          ) : (
            <span class="tag">не подтверждена</span>
          )}
        </dd>
      </dl>
      <ul class="actions">
        <li>
          <a href="/cabinet/profile">Изменить данные профиля</a>
        </li>
        <li>
          <a href="/cabinet/email">Изменить адрес электронной почты</a>
        </li>
        <li>
          <a href="/cabinet/password">Изменить пароль</a>
        </li>
      </ul>
    </CabinetLayout>
  );
}

export function ProfileEditPage({ values = {}, errors = {} }: FormPageProps) {
  return (
    <CabinetLayout tab="profile" title="Изменить профиль">
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h2>Изменить данные профиля</h2>
        <form method="post" action="/cabinet/profile" novalidate>
          <CsrfField />
          <ProfileFields values={values} errors={errors} />
          <button type="submit" class="button">
            Сохранить
          </button>{' '}
          <a href="/cabinet">Отмена</a>
        </form>
      </div>
    </CabinetLayout>
  );
}

export function ChangePasswordPage({ errors = {} }: { errors?: FieldErrors }) {
  return (
    <CabinetLayout tab="profile" title="Изменить пароль">
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h2>Изменить пароль</h2>
        <form method="post" action="/cabinet/password" novalidate>
          <CsrfField />
          <TextField
            name="currentPassword"
            label="Текущий пароль"
            type="password"
            autocomplete="current-password"
            width="medium"
            error={errors.currentPassword}
          />
          <NewPasswordFields errors={errors} />
          <button type="submit" class="button">
            Сохранить пароль
          </button>{' '}
          <a href="/cabinet">Отмена</a>
        </form>
      </div>
    </CabinetLayout>
  );
}

export function ChangeEmailPage({ values = {}, errors = {} }: FormPageProps) {
  return (
    <CabinetLayout tab="profile" title="Изменить адрес электронной почты">
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h2>Изменить адрес электронной почты</h2>
        <p>На новый адрес придёт письмо со ссылкой. Адрес сменится, когда вы перейдёте по ней.</p>
        <form method="post" action="/cabinet/email" novalidate>
          <CsrfField />
          <TextField
            name="email"
            label="Новый адрес электронной почты"
            type="email"
            autocomplete="email"
            inputMode="email"
            value={values.email}
            error={errors.email}
          />
          <TextField
            name="currentPassword"
            label="Текущий пароль"
            type="password"
            autocomplete="current-password"
            width="medium"
            error={errors.currentPassword}
          />
          <button type="submit" class="button">
            Отправить ссылку
          </button>{' '}
          <a href="/cabinet">Отмена</a>
        </form>
      </div>
    </CabinetLayout>
  );
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendPage } from '../../platform/views/render.js';
import { fieldErrors, type FieldErrors } from '../../platform/views/forms.js';
import type { CurrentUser } from '../../platform/http/request-context.js';
import { cookieOptions, logSecurityEvent, rotateCsrfCookie, setFlash } from '../../platform/http/security.js';
import { waitInWords } from '../../platform/security/rate-limit.js';
import { inputFields, smallIdSchema } from '../../platform/validation/input.js';
import type { ReferenceService } from '../reference/index.js';
import { PrivacyPolicyPage, UserAgreementPage } from './legal.js';
import {
  changeEmailSchema,
  changePasswordSchema,
  emailOnlySchema,
  profileSchema,
  registerSchema,
  resetPasswordSchema,
  signInSchema,
  type FormValues,
} from './schemas.js';
import { RateLimitedError, SESSION_ABSOLUTE_MS, type AccountsService } from './service.js';
import {
  ChangeEmailPage,
  ChangePasswordPage,
  CheckEmailPage,
  ConfirmEmailFirstPage,
  ForgotPasswordPage,
  ForgotPasswordSentPage,
  ProfileEditPage,
  ProfileTab,
  RegisterPage,
  ResendForm,
  ResetLinkProblemPage,
  ResetPasswordPage,
  SignInPage,
  UndoEmailChangePage,
  UndoLinkProblemPage,
  VerifyResultPage,
} from './views.js';
import { access, userOf } from '../../platform/http/access.js';

/**
 * The session cookie. Over HTTPS it is `__Host-sid`, like the CSRF and flash cookies: the browser keeps it only
 * when Secure, Path=/ and without Domain, so a sibling subdomain or a plain-HTTP page cannot plant a session
 * (session fixation) for this site. Over plain HTTP (tests, development) the prefix would be refused: `sid`.
 */
export function sessionCookieName(settings: { secure: boolean }): string {
  return settings.secure ? '__Host-sid' : 'sid';
}
const CHECK_EMAIL_COOKIE = 'check_email';
const CHECK_MUNICIPALITY_COOKIE = 'check_municipality';

/** Only local paths are followed after sign-in, never another site. */
function safeNext(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?!\/)[\w\-/?=&.%]*$/.test(value) ? value : undefined;
}

/** Where a signed-in person starts: operators on their workspace, everyone else in the personal cabinet. */
function homeOf(user: Pick<CurrentUser, 'staff'>): string {
  return user.staff ? '/staff' : '/cabinet';
}

/** The message beside the field, and the event in the security log. */
function rateLimitedErrors(request: FastifyRequest, error: RateLimitedError, field: string): FieldErrors {
  logRateLimited(request, error);
  return { [field]: `Слишком много попыток. Попробуйте ${waitInWords(error.retryAfterSeconds)}` };
}

function logRateLimited(request: FastifyRequest, error: RateLimitedError): void {
  logSecurityEvent(request, 'rate_limited', {
    limit: error.limit,
    retryAfterSeconds: error.retryAfterSeconds,
  });
}

/**
 * For actions that need full rights (the seed: «для получения полных прав»): the page a user with an unconfirmed
 * address gets from a `confirmed` route — it explains why and offers the letter again.
 */
export function emailNotConfirmedPage(user: CurrentUser) {
  return <ConfirmEmailFirstPage email={user.email} />;
}

export interface AccountsRoutesOptions {
  accounts: AccountsService;
  secureCookies: boolean;
  reference: ReferenceService;
  /** Whether the person added any child (the children module's answer, wired by the composition root). */
  hasChildren: (actor: CurrentUser) => Promise<boolean>;
}

/** Finds the signed-in user from the session cookie (used by the HTTP layer for every request). */
export function sessionResolver(accounts: AccountsService, settings: { secure: boolean }) {
  const name = sessionCookieName(settings);
  return async (request: FastifyRequest) => {
    const token = request.cookies[name];
    return token && token.length <= 100 ? accounts.resolveSession(token) : null;
  };
}

export function accountsRoutes({ accounts, reference, secureCookies, hasChildren }: AccountsRoutesOptions) {
  const settings = { secure: secureCookies };

  return (app: FastifyInstance) => {
    app.get('/privacy', access('public'), (_request, reply) => sendPage(reply, <PrivacyPolicyPage />));
    app.get('/terms', access('public'), (_request, reply) => sendPage(reply, <UserAgreementPage />));

    // Шаг 2–3: «Регистрация» → the form → «Зарегистрироваться».
    app.get('/register', access('public'), (request, reply) => {
      if (request.user) return reply.redirect('/cabinet', 303);
      return sendPage(reply, <RegisterPage />);
    });

    app.post('/register', access('public'), async (request, reply) => {
      const values = inputFields(request.body);
      const parsed = registerSchema.safeParse(values);
      if (!parsed.success)
        return sendPage(reply, <RegisterPage values={values} errors={fieldErrors(parsed.error)} />, 400);
      try {
        await accounts.register(parsed.data, request.ip);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        return sendPage(
          reply,
          <RegisterPage values={values} errors={rateLimitedErrors(request, error, 'email')} />,
          429,
        );
      }
      reply.setCookie(
        CHECK_EMAIL_COOKIE,
        encodeURIComponent(parsed.data.email),
        cookieOptions(settings, 3600),
      );
      // Whom to turn to if the letter does not come: the administrator of the municipality just chosen.
      reply.setCookie(
        CHECK_MUNICIPALITY_COOKIE,
        String(parsed.data.municipalityId),
        cookieOptions(settings, 3600),
      );
      return reply.redirect('/register/check-email', 303);
    });

    // Шаг 4: where the letter went and what to do if it does not come.
    app.get('/register/check-email', access('public'), async (request, reply) => {
      const raw = request.cookies[CHECK_EMAIL_COOKIE];
      const email = raw ? emailOnlySchema.safeParse({ email: safeDecode(raw) }) : null;
      const municipalityId = smallIdSchema.safeParse(request.cookies[CHECK_MUNICIPALITY_COOKIE]);
      const municipality = municipalityId.success
        ? await reference.getMunicipality(municipalityId.data)
        : null;
      return sendPage(
        reply,
        <CheckEmailPage email={email?.success ? email.data.email : null} municipality={municipality} />,
      );
    });

    app.post('/register/resend', access('public'), async (request, reply) => {
      const parsed = emailOnlySchema.safeParse(inputFields(request.body));
      if (!parsed.success) return sendPage(reply, <CheckEmailPage email={null} />, 400);
      try {
        await accounts.resendConfirmation(parsed.data.email, request.ip);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        logRateLimited(request, error);
        setFlash(
          reply,
          `Слишком много попыток. Попробуйте ${waitInWords(error.retryAfterSeconds)}`,
          settings,
        );
        return reply.redirect('/register/check-email', 303);
      }
      reply.setCookie(
        CHECK_EMAIL_COOKIE,
        encodeURIComponent(parsed.data.email),
        cookieOptions(settings, 3600),
      );
      setFlash(reply, 'Письмо отправлено повторно. Проверьте почту, в том числе папку «Спам».', settings);
      return reply.redirect('/register/check-email', 303);
    });

    // The link from the letter.
    app.get<{ Querystring: { code?: string } }>('/verify/email', access('public'), async (request, reply) => {
      const code = typeof request.query.code === 'string' ? request.query.code.slice(0, 200) : '';
      const result = code
        ? await accounts.verifyEmail(code, request.user?.id ?? null)
        : ({ status: 'invalid' } as const);
      // The user was read before the link did its work: let this very page (its banner) see the new state.
      // Addresses are unique, so the same address means the signed-in account is the one just confirmed.
      if (request.user && result.status === 'confirmed' && result.email === request.user.email)
        request.user = { ...request.user, emailVerified: true };
      if (request.user && result.status === 'email_changed')
        request.user = { ...request.user, email: result.email, emailVerified: true };
      switch (result.status) {
        case 'sign_in_required':
          // The change is applied only in the account's own session: sign in, then the link works.
          if (!request.user) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
          return sendPage(
            reply,
            <VerifyResultPage title="Войдите в свою учётную запись" success={false}>
              <p>
                Ссылка меняет адрес другой учётной записи. Выйдите и войдите в ту учётную запись, адрес
                которой меняется, затем снова перейдите по ссылке из письма.
              </p>
            </VerifyResultPage>,
            403,
          );
        case 'confirmed':
        case 'already_confirmed':
          return sendPage(
            reply,
            <VerifyResultPage title="Адрес электронной почты подтверждён" success>
              <p class="lead">Теперь вам доступны все возможности навигатора.</p>
              <p>
                {request.user ? (
                  <a class="button" href="/cabinet">
                    Перейти в личный кабинет
                  </a>
                ) : (
                  <a class="button" href="/login">
                    Войти
                  </a>
                )}
              </p>
            </VerifyResultPage>,
          );
        case 'email_changed':
          return sendPage(
            reply,
            <VerifyResultPage title="Адрес электронной почты изменён" success>
              <p class="lead">Новый адрес: {result.email}. Входите в навигатор с ним.</p>
              <p>
                <a class="button" href="/cabinet">
                  Перейти в личный кабинет
                </a>
              </p>
            </VerifyResultPage>,
          );
        case 'expired':
          return sendPage(
            reply,
            <VerifyResultPage title="Срок действия ссылки истёк" success={false}>
              <p>Ссылка из письма действует 72 часа. Отправьте письмо ещё раз — новая ссылка придёт сразу.</p>
              <ResendForm email={result.email} />
            </VerifyResultPage>,
            410,
          );
        case 'address_taken':
          return sendPage(
            reply,
            <VerifyResultPage title="Адрес уже используется" success={false}>
              <p>Этот адрес электронной почты уже привязан к другой учётной записи. Ваш адрес не изменён.</p>
            </VerifyResultPage>,
            409,
          );
        default:
          return sendPage(
            reply,
            <VerifyResultPage title="Ссылка недействительна" success={false}>
              <p>
                Ссылка уже использована или скопирована не полностью. Если адрес ещё не подтверждён, отправьте
                письмо ещё раз.
              </p>
              <ResendForm />
            </VerifyResultPage>,
            400,
          );
      }
    });

    app.post('/verify/email/resend', access('user'), async (request, reply) => {
      const user = userOf(request);
      try {
        const result = await accounts.resendConfirmationTo(user.id);
        setFlash(
          reply,
          result === 'sent'
            ? `Письмо отправлено на адрес ${user.email}. Проверьте почту, в том числе папку «Спам».`
            : 'Адрес электронной почты уже подтверждён.',
          settings,
        );
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        logRateLimited(request, error);
        setFlash(
          reply,
          `Письмо уже отправлено. Повторно отправить можно ${waitInWords(error.retryAfterSeconds)}.`,
          settings,
        );
      }
      return reply.redirect('/cabinet', 303);
    });

    app.get<{ Querystring: { next?: string } }>('/login', access('public'), (request, reply) => {
      if (request.user) return reply.redirect(safeNext(request.query.next) ?? homeOf(request.user), 303);
      return sendPage(reply, <SignInPage next={safeNext(request.query.next)} />);
    });

    app.post('/login', access('public'), async (request, reply) => {
      const values = inputFields(request.body);
      const next = safeNext(values.next);
      const parsed = signInSchema.safeParse(values);
      if (!parsed.success) {
        return sendPage(
          reply,
          <SignInPage values={values} errors={fieldErrors(parsed.error)} next={next} />,
          400,
        );
      }
      let token: string | null;
      try {
        token = await accounts.signIn(parsed.data.email, parsed.data.password, request.ip);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        return sendPage(
          reply,
          <SignInPage values={values} errors={rateLimitedErrors(request, error, 'email')} next={next} />,
          429,
        );
      }
      if (!token) {
        logSecurityEvent(request, 'sign_in_failed');
        const errors = { email: 'Неверный адрес электронной почты или пароль' };
        return sendPage(reply, <SignInPage values={values} errors={errors} next={next} />, 401);
      }
      reply.setCookie(
        sessionCookieName(settings),
        token,
        cookieOptions(settings, SESSION_ABSOLUTE_MS / 1000),
      );
      rotateCsrfCookie(reply, settings);
      if (next) return reply.redirect(next, 303);
      // Operators land on their workspace, everyone else in the personal cabinet.
      const signedIn = await accounts.resolveSession(token);
      return reply.redirect(signedIn ? homeOf(signedIn) : '/cabinet', 303);
    });

    app.post('/logout', access('public'), async (request, reply) => {
      if (request.user) await accounts.signOut(request.user.sessionTokenHash);
      reply.clearCookie(sessionCookieName(settings), cookieOptions(settings));
      rotateCsrfCookie(reply, settings);
      return reply.redirect('/', 303);
    });

    app.get('/password/forgot', access('public'), (_request, reply) =>
      sendPage(reply, <ForgotPasswordPage />),
    );
    app.post('/password/forgot', access('public'), async (request, reply) => {
      const values = inputFields(request.body);
      const parsed = emailOnlySchema.safeParse(values);
      if (!parsed.success)
        return sendPage(
          reply,
          <ForgotPasswordPage values={values} errors={fieldErrors(parsed.error)} />,
          400,
        );
      try {
        await accounts.requestPasswordReset(parsed.data.email, request.ip);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        return sendPage(
          reply,
          <ForgotPasswordPage values={values} errors={rateLimitedErrors(request, error, 'email')} />,
          429,
        );
      }
      return reply.redirect('/password/forgot/sent', 303);
    });
    app.get('/password/forgot/sent', access('public'), (_request, reply) =>
      sendPage(reply, <ForgotPasswordSentPage />),
    );

    app.get<{ Querystring: { code?: string } }>(
      '/password/reset',
      access('public'),
      async (request, reply) => {
        const code = typeof request.query.code === 'string' ? request.query.code.slice(0, 200) : '';
        const state = code ? await accounts.checkResetCode(code) : 'invalid';
        if (state !== 'valid')
          return sendPage(reply, <ResetLinkProblemPage expired={state === 'expired'} />, 400);
        return sendPage(reply, <ResetPasswordPage code={code} />);
      },
    );

    app.post('/password/reset', access('public'), async (request, reply) => {
      const values = inputFields(request.body);
      const parsed = resetPasswordSchema.safeParse(values);
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error);
        if (errors.code) return sendPage(reply, <ResetLinkProblemPage expired={false} />, 400);
        return sendPage(reply, <ResetPasswordPage code={values.code ?? ''} errors={errors} />, 400);
      }
      let result: Awaited<ReturnType<AccountsService['resetPassword']>>;
      try {
        result = await accounts.resetPassword(parsed.data.code, parsed.data.password, request.ip);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        const errors = rateLimitedErrors(request, error, 'password');
        return sendPage(reply, <ResetPasswordPage code={parsed.data.code} errors={errors} />, 429);
      }
      if (result !== 'done')
        return sendPage(reply, <ResetLinkProblemPage expired={result === 'expired'} />, 400);
      reply.clearCookie(sessionCookieName(settings), cookieOptions(settings));
      rotateCsrfCookie(reply, settings);
      setFlash(reply, 'Пароль изменён. Войдите с новым паролем.', settings);
      return reply.redirect('/login', 303);
    });

    // The link from the «адрес изменён» letter to the old address.
    app.get<{ Querystring: { code?: string } }>('/email/undo', access('public'), async (request, reply) => {
      const code = typeof request.query.code === 'string' ? request.query.code.slice(0, 200) : '';
      const state = code ? await accounts.checkUndoCode(code) : 'invalid';
      if (state !== 'valid')
        return sendPage(reply, <UndoLinkProblemPage expired={state === 'expired'} />, 400);
      return sendPage(reply, <UndoEmailChangePage code={code} />);
    });

    app.post('/email/undo', access('public'), async (request, reply) => {
      const code = inputFields(request.body).code?.slice(0, 200) ?? '';
      const result = code ? await accounts.undoEmailChange(code) : ({ status: 'invalid' } as const);
      if (result.status === 'address_taken') {
        return sendPage(
          reply,
          <VerifyResultPage title="Адрес уже используется" success={false}>
            <p>
              Прежний адрес уже привязан к другой учётной записи, поэтому вернуть его нельзя. Обратитесь к
              муниципальному администратору.
            </p>
          </VerifyResultPage>,
          409,
        );
      }
      if (result.status !== 'done')
        return sendPage(reply, <UndoLinkProblemPage expired={result.status === 'expired'} />, 400);
      reply.clearCookie(sessionCookieName(settings), cookieOptions(settings));
      rotateCsrfCookie(reply, settings);
      return sendPage(
        reply,
        <VerifyResultPage title="Прежний адрес возвращён" success>
          <p class="lead">
            Учётная запись снова связана с адресом {result.email}. Все входы в неё завершены. Задайте новый
            пароль: ссылка придёт на этот адрес.
          </p>
          <p>
            <a class="button" href="/password/forgot">
              Задать новый пароль
            </a>
          </p>
        </VerifyResultPage>,
      );
    });

    // Шаг 5: the personal cabinet.
    app.get('/cabinet', access('user'), async (request, reply) => {
      const user = userOf(request);
      const profile = await accounts.ownProfile(user);
      if (!profile) return reply.redirect('/login', 303);
      // An operator's account is a work account: «Дети» and «Заявки» only if they added a child of their own.
      const [family, organizationName] = await Promise.all([
        user.staff ? hasChildren(user) : true,
        accounts.organizationNameOf(user),
      ]);
      return sendPage(
        reply,
        <ProfileTab profile={profile} family={family} organizationName={organizationName} />,
      );
    });
    app.get('/cabinet/profile', access('user'), async (request, reply) => {
      const user = userOf(request);
      const profile = await accounts.ownProfile(user);
      if (!profile) return reply.redirect('/login', 303);
      const values: FormValues = {
        municipalityId: String(profile.municipalityId),
        lastName: profile.lastName,
        firstName: profile.firstName,
        middleName: profile.middleName ?? '',
        phone: profile.phone,
      };
      return sendPage(reply, <ProfileEditPage values={values} />);
    });
    app.post('/cabinet/profile', access('user'), async (request, reply) => {
      const user = userOf(request);
      const values = inputFields(request.body);
      const parsed = profileSchema.safeParse(values);
      if (!parsed.success)
        return sendPage(reply, <ProfileEditPage values={values} errors={fieldErrors(parsed.error)} />, 400);
      await accounts.updateProfile(user, parsed.data);
      setFlash(reply, 'Данные профиля сохранены.', settings);
      return reply.redirect('/cabinet', 303);
    });

    app.get('/cabinet/password', access('user'), (request, reply) => {
      return sendPage(reply, <ChangePasswordPage />);
    });
    app.post('/cabinet/password', access('user'), async (request, reply) => {
      const user = userOf(request);
      const parsed = changePasswordSchema.safeParse(inputFields(request.body));
      if (!parsed.success)
        return sendPage(reply, <ChangePasswordPage errors={fieldErrors(parsed.error)} />, 400);
      try {
        const result = await accounts.changePassword(user, parsed.data.currentPassword, parsed.data.password);
        if (result === 'wrong_password') {
          return sendPage(
            reply,
            <ChangePasswordPage errors={{ currentPassword: 'Неверный текущий пароль' }} />,
            400,
          );
        }
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        return sendPage(
          reply,
          <ChangePasswordPage errors={rateLimitedErrors(request, error, 'currentPassword')} />,
          429,
        );
      }
      setFlash(reply, 'Пароль изменён. На других устройствах нужно войти заново.', settings);
      return reply.redirect('/cabinet', 303);
    });

    app.get('/cabinet/email', access('user'), (request, reply) => {
      return sendPage(reply, <ChangeEmailPage />);
    });
    app.post('/cabinet/email', access('user'), async (request, reply) => {
      const user = userOf(request);
      const values = inputFields(request.body);
      const parsed = changeEmailSchema.safeParse(values);
      if (!parsed.success)
        return sendPage(reply, <ChangeEmailPage values={values} errors={fieldErrors(parsed.error)} />, 400);
      try {
        const result = await accounts.requestEmailChange(
          user,
          parsed.data.email,
          parsed.data.currentPassword,
        );
        if (result === 'wrong_password') {
          return sendPage(
            reply,
            <ChangeEmailPage values={values} errors={{ currentPassword: 'Неверный текущий пароль' }} />,
            400,
          );
        }
        if (result === 'same_address') {
          return sendPage(
            reply,
            <ChangeEmailPage values={values} errors={{ email: 'Это ваш текущий адрес' }} />,
            400,
          );
        }
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        return sendPage(
          reply,
          <ChangeEmailPage values={values} errors={rateLimitedErrors(request, error, 'email')} />,
          429,
        );
      }
      setFlash(
        reply,
        `Мы отправили ссылку на адрес ${parsed.data.email}. Адрес сменится, когда вы перейдёте по ней.`,
        settings,
      );
      return reply.redirect('/cabinet', 303);
    });
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return '';
  }
}

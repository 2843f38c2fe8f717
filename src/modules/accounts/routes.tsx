import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendPage } from '../../platform/views/render.js';
import { fieldErrors, type FieldErrors } from '../../platform/views/forms.js';
import type { CurrentUser } from '../../platform/http/request-context.js';
import { cookieOptions, setFlash } from '../../platform/http/security.js';
import { waitInWords } from '../../platform/security/rate-limit.js';
import { inputFields, smallIdSchema } from '../../platform/validation/input.js';
import type { ReferenceService } from '../reference/service.js';
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
  VerifyResultPage,
} from './views.js';

export const SESSION_COOKIE = 'sid';
const CHECK_EMAIL_COOKIE = 'check_email';
const CHECK_MUNICIPALITY_COOKIE = 'check_municipality';

/** Only local paths are followed after sign-in, never another site. */
function safeNext(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?!\/)[\w\-/?=&.%]*$/.test(value) ? value : undefined;
}

function rateLimitedErrors(error: RateLimitedError, field: string): FieldErrors {
  return { [field]: `Слишком много попыток. Попробуйте ${waitInWords(error.retryAfterSeconds)}` };
}

/** Redirects a guest to sign in and back; returns the user otherwise. */
export function requireUser(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  if (request.user) return request.user;
  void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  return null;
}

/**
 * For actions that need full rights (the seed: «для получения полных прав»): a guest is sent to sign in,
 * a user with an unconfirmed address gets a page that explains why and offers the letter again.
 */
export function requireConfirmedEmail(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireUser(request, reply);
  if (!user) return null;
  if (user.emailVerified) return user;
  void sendPage(reply, <ConfirmEmailFirstPage email={user.email} />, 403);
  return null;
}

export interface AccountsRoutesOptions {
  accounts: AccountsService;
  secureCookies: boolean;
  reference: ReferenceService;
}

/** Finds the signed-in user from the session cookie (used by the HTTP layer for every request). */
export function sessionResolver(accounts: AccountsService) {
  return async (request: FastifyRequest) => {
    const token = request.cookies[SESSION_COOKIE];
    return token && token.length <= 100 ? accounts.resolveSession(token) : null;
  };
}

export function accountsRoutes({ accounts, reference, secureCookies }: AccountsRoutesOptions) {
  const settings = { secure: secureCookies };

  return (app: FastifyInstance) => {
    app.get('/privacy', (_request, reply) => sendPage(reply, <PrivacyPolicyPage />));
    app.get('/terms', (_request, reply) => sendPage(reply, <UserAgreementPage />));

    // Шаг 2–3: «Регистрация» → the form → «Зарегистрироваться».
    app.get('/register', (request, reply) => {
      if (request.user) return reply.redirect('/cabinet', 303);
      return sendPage(reply, <RegisterPage />);
    });

    app.post('/register', async (request, reply) => {
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
          <RegisterPage values={values} errors={rateLimitedErrors(error, 'email')} />,
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
    app.get('/register/check-email', async (request, reply) => {
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

    app.post('/register/resend', async (request, reply) => {
      const parsed = emailOnlySchema.safeParse(inputFields(request.body));
      if (!parsed.success) return sendPage(reply, <CheckEmailPage email={null} />, 400);
      try {
        await accounts.resendConfirmation(parsed.data.email, request.ip);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
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
    app.get<{ Querystring: { code?: string } }>('/verify/email', async (request, reply) => {
      const code = typeof request.query.code === 'string' ? request.query.code.slice(0, 200) : '';
      const result = code ? await accounts.verifyEmail(code) : ({ status: 'invalid' } as const);
      switch (result.status) {
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

    app.post('/verify/email/resend', async (request, reply) => {
      const user = requireUser(request, reply);
      if (!user) return reply;
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
        setFlash(
          reply,
          `Письмо уже отправлено. Повторно отправить можно ${waitInWords(error.retryAfterSeconds)}.`,
          settings,
        );
      }
      return reply.redirect('/cabinet', 303);
    });

    app.get<{ Querystring: { next?: string } }>('/login', (request, reply) => {
      if (request.user) return reply.redirect(safeNext(request.query.next) ?? '/cabinet', 303);
      return sendPage(reply, <SignInPage next={safeNext(request.query.next)} />);
    });

    app.post('/login', async (request, reply) => {
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
          <SignInPage values={values} errors={rateLimitedErrors(error, 'email')} next={next} />,
          429,
        );
      }
      if (!token) {
        const errors = { email: 'Неверный адрес электронной почты или пароль' };
        return sendPage(reply, <SignInPage values={values} errors={errors} next={next} />, 401);
      }
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(settings, SESSION_ABSOLUTE_MS / 1000));
      return reply.redirect(next ?? '/cabinet', 303);
    });

    app.post('/logout', async (request, reply) => {
      if (request.user) await accounts.signOut(request.user.sessionTokenHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/', 303);
    });

    app.get('/password/forgot', (_request, reply) => sendPage(reply, <ForgotPasswordPage />));
    app.post('/password/forgot', async (request, reply) => {
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
          <ForgotPasswordPage values={values} errors={rateLimitedErrors(error, 'email')} />,
          429,
        );
      }
      return reply.redirect('/password/forgot/sent', 303);
    });
    app.get('/password/forgot/sent', (_request, reply) => sendPage(reply, <ForgotPasswordSentPage />));

    app.get<{ Querystring: { code?: string } }>('/password/reset', async (request, reply) => {
      const code = typeof request.query.code === 'string' ? request.query.code.slice(0, 200) : '';
      const state = code ? await accounts.checkResetCode(code) : 'invalid';
      if (state !== 'valid')
        return sendPage(reply, <ResetLinkProblemPage expired={state === 'expired'} />, 400);
      return sendPage(reply, <ResetPasswordPage code={code} />);
    });

    app.post('/password/reset', async (request, reply) => {
      const values = inputFields(request.body);
      const parsed = resetPasswordSchema.safeParse(values);
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error);
        if (errors.code) return sendPage(reply, <ResetLinkProblemPage expired={false} />, 400);
        return sendPage(reply, <ResetPasswordPage code={values.code ?? ''} errors={errors} />, 400);
      }
      const result = await accounts.resetPassword(parsed.data.code, parsed.data.password);
      if (result !== 'done')
        return sendPage(reply, <ResetLinkProblemPage expired={result === 'expired'} />, 400);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      setFlash(reply, 'Пароль изменён. Войдите с новым паролем.', settings);
      return reply.redirect('/login', 303);
    });

    // Шаг 5: the personal cabinet.
    app.get('/cabinet', async (request, reply) => {
      const user = requireUser(request, reply);
      if (!user) return reply;
      const profile = await accounts.getProfile(user.id);
      if (!profile) return reply.redirect('/login', 303);
      return sendPage(reply, <ProfileTab profile={profile} />);
    });
    app.get('/cabinet/profile', async (request, reply) => {
      const user = requireUser(request, reply);
      if (!user) return reply;
      const profile = await accounts.getProfile(user.id);
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
    app.post('/cabinet/profile', async (request, reply) => {
      const user = requireUser(request, reply);
      if (!user) return reply;
      const values = inputFields(request.body);
      const parsed = profileSchema.safeParse(values);
      if (!parsed.success)
        return sendPage(reply, <ProfileEditPage values={values} errors={fieldErrors(parsed.error)} />, 400);
      await accounts.updateProfile(user.id, parsed.data);
      setFlash(reply, 'Данные профиля сохранены.', settings);
      return reply.redirect('/cabinet', 303);
    });

    app.get('/cabinet/password', (request, reply) => {
      if (!requireUser(request, reply)) return reply;
      return sendPage(reply, <ChangePasswordPage />);
    });
    app.post('/cabinet/password', async (request, reply) => {
      const user = requireUser(request, reply);
      if (!user) return reply;
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
          <ChangePasswordPage errors={rateLimitedErrors(error, 'currentPassword')} />,
          429,
        );
      }
      setFlash(reply, 'Пароль изменён. На других устройствах нужно войти заново.', settings);
      return reply.redirect('/cabinet', 303);
    });

    app.get('/cabinet/email', (request, reply) => {
      if (!requireUser(request, reply)) return reply;
      return sendPage(reply, <ChangeEmailPage />);
    });
    app.post('/cabinet/email', async (request, reply) => {
      const user = requireUser(request, reply);
      if (!user) return reply;
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
          <ChangeEmailPage values={values} errors={rateLimitedErrors(error, 'email')} />,
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

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from '../../platform/http/errors.js';
import { isoDate, isoDateTime, present, type ApiRegistry } from '../../platform/http/openapi.js';
import { cookieOptions, logSecurityEvent, rotateCsrfCookie } from '../../platform/http/security.js';
import { waitInWords } from '../../platform/security/rate-limit.js';
import { parseBody, unauthorized } from '../../platform/http/api.js';
import { sessionCookieName } from './routes.js';
import {
  changeEmailSchema,
  changePasswordSchema,
  emailOnlySchema,
  profileSchema,
  registerSchema,
  resetPasswordSchema,
  linkCode,
  signInSchema,
} from './schemas.js';
import { RateLimitedError, SESSION_ABSOLUTE_MS, type AccountsService } from './service.js';
import { z } from 'zod';
import { access, userOf } from '../../platform/http/access.js';

const verifySchema = z.object({ code: linkCode(200) });

const messageSchema = z.object({ message: z.string() });
const verifiedSchema = z.object({
  status: z.enum(['confirmed', 'email_changed', 'already_confirmed']),
  email: z.string().optional(),
});
const sessionSchema = z.object({
  user: z
    .object({ id: z.uuid(), email: z.string(), shortName: z.string(), emailVerified: z.boolean() })
    .nullable(),
});
const meSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  emailVerified: z.boolean(),
  emailVerifiedAt: isoDateTime.nullable(),
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  phone: z.string(),
  municipalityId: z.number().int(),
  applicantKind: z.enum(['parent', 'teen']),
  birthDate: isoDate.nullable(),
  createdAt: isoDateTime,
});

async function handleLimits<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  work: () => Promise<T>,
): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    logSecurityEvent(request, 'rate_limited', {
      limit: error.limit,
      retryAfterSeconds: error.retryAfterSeconds,
    });
    return reply
      .status(429)
      .header('retry-after', String(error.retryAfterSeconds))
      .send({
        error: 'rate_limited',
        message: `Слишком много попыток. Попробуйте ${waitInWords(error.retryAfterSeconds)}`,
        retryAfterSeconds: error.retryAfterSeconds,
      });
  }
}

/** The accounts part of /api/v1: the same services and schemas as the pages. */
export function accountsApi({
  accounts,
  secureCookies,
  registry,
}: {
  accounts: AccountsService;
  secureCookies: boolean;
  registry: ApiRegistry;
}) {
  const tag = 'Учётная запись';
  const ops: Parameters<ApiRegistry['add']>[0][] = [
    {
      method: 'post',
      path: '/api/v1/accounts',
      summary: 'Регистрация',
      tag,
      body: registerSchema,
      responses: {
        202: 'Письмо для подтверждения отправлено (тот же ответ, если адрес уже зарегистрирован)',
        400: 'Ошибки в полях',
        429: 'Слишком много попыток',
      },
      result: messageSchema,
    },
    {
      method: 'post',
      path: '/api/v1/accounts/confirmation',
      summary: 'Отправить письмо для подтверждения повторно',
      tag,
      body: emailOnlySchema,
      responses: {
        202: 'Письмо отправлено, если адрес зарегистрирован и не подтверждён',
        429: 'Слишком много попыток',
      },
      result: messageSchema,
    },
    {
      method: 'post',
      path: '/api/v1/accounts/verify-email',
      summary: 'Подтвердить адрес по коду из письма',
      tag,
      body: verifySchema,
      responses: {
        200: 'Адрес подтверждён или изменён',
        400: 'Код недействителен',
        409: 'Новый адрес уже занят другой учётной записью',
        403: 'Смена адреса: нужен вход в ту учётную запись, адрес которой меняется',
        410: 'Срок действия кода истёк',
      },
      result: verifiedSchema,
    },
    {
      method: 'post',
      path: '/api/v1/session',
      summary: 'Вход',
      tag,
      body: signInSchema,
      responses: {
        200: 'Вход выполнен, cookie сессии установлена',
        401: 'Неверный адрес или пароль',
        429: 'Слишком много попыток',
      },
      result: sessionSchema,
    },
    {
      method: 'delete',
      path: '/api/v1/session',
      summary: 'Выход',
      tag,
      responses: { 204: 'Сессия завершена' },
    },
    {
      method: 'get',
      path: '/api/v1/me',
      summary: 'Профиль текущего пользователя',
      tag,
      responses: { 200: 'Профиль', 401: 'Не выполнен вход' },
      result: meSchema,
    },
    {
      method: 'patch',
      path: '/api/v1/me',
      summary: 'Изменить профиль',
      tag,
      body: profileSchema,
      responses: { 200: 'Сохранено', 400: 'Ошибки в полях', 401: 'Не выполнен вход' },
      result: messageSchema,
    },
    {
      method: 'post',
      path: '/api/v1/me/password',
      summary: 'Изменить пароль',
      tag,
      body: changePasswordSchema,
      responses: {
        204: 'Пароль изменён',
        400: 'Ошибки в полях или неверный текущий пароль',
        401: 'Не выполнен вход',
      },
    },
    {
      method: 'post',
      path: '/api/v1/me/email',
      summary: 'Изменить адрес электронной почты (после подтверждения)',
      tag,
      body: changeEmailSchema,
      responses: { 202: 'Ссылка отправлена на новый адрес', 400: 'Ошибки в полях', 401: 'Не выполнен вход' },
      result: messageSchema,
    },
    {
      method: 'post',
      path: '/api/v1/password/forgot',
      summary: 'Восстановить пароль',
      tag,
      body: emailOnlySchema,
      responses: { 202: 'Письмо отправлено, если адрес зарегистрирован' },
      result: messageSchema,
    },
    {
      method: 'post',
      path: '/api/v1/password/reset',
      summary: 'Задать новый пароль по коду из письма',
      tag,
      body: resetPasswordSchema,
      responses: {
        204: 'Пароль изменён',
        400: 'Ошибки в полях или код недействителен',
        429: 'Слишком много попыток',
      },
    },
  ];
  for (const op of ops) registry.add(op);

  return (app: FastifyInstance) => {
    app.post('/api/v1/accounts', access('public'), async (request, reply) => {
      const input = parseBody(registerSchema, request, reply);
      if (!input) return reply;
      return handleLimits(request, reply, async () => {
        await accounts.register(input, request.ip);
        return reply
          .status(202)
          .send({ message: `Мы отправили письмо на адрес ${input.email}. Перейдите по ссылке из письма.` });
      });
    });

    app.post('/api/v1/accounts/confirmation', access('public'), async (request, reply) => {
      const input = parseBody(emailOnlySchema, request, reply);
      if (!input) return reply;
      return handleLimits(request, reply, async () => {
        await accounts.resendConfirmation(input.email, request.ip);
        return reply
          .status(202)
          .send({ message: 'Если адрес зарегистрирован и не подтверждён, письмо отправлено повторно' });
      });
    });

    app.post('/api/v1/accounts/verify-email', access('public'), async (request, reply) => {
      const input = parseBody(verifySchema, request, reply);
      if (!input) return reply;
      const result = await accounts.verifyEmail(input.code, request.user?.id ?? null);
      if (result.status === 'expired') return apiError(reply, 'expired');
      if (result.status === 'address_taken') return apiError(reply, 'address_taken');
      if (result.status === 'invalid') return apiError(reply, 'invalid_code');
      if (result.status === 'sign_in_required') return apiError(reply, 'sign_in_required');
      return present(verifiedSchema, result);
    });

    app.post('/api/v1/session', access('public'), async (request, reply) => {
      const input = parseBody(signInSchema, request, reply);
      if (!input) return reply;
      return handleLimits(request, reply, async () => {
        const token = await accounts.signIn(input.email, input.password, request.ip);
        if (!token) {
          logSecurityEvent(request, 'sign_in_failed');
          return reply
            .status(401)
            .send({ error: 'invalid_credentials', message: 'Неверный адрес электронной почты или пароль' });
        }
        rotateCsrfCookie(reply, { secure: secureCookies });
        reply.setCookie(
          sessionCookieName({ secure: secureCookies }),
          token,
          cookieOptions({ secure: secureCookies }, SESSION_ABSOLUTE_MS / 1000),
        );
        const user = await accounts.resolveSession(token);
        return present(sessionSchema, { user });
      });
    });

    app.delete('/api/v1/session', access('public'), async (request, reply) => {
      if (request.user) await accounts.signOut(request.user.sessionTokenHash);
      reply.clearCookie(
        sessionCookieName({ secure: secureCookies }),
        cookieOptions({ secure: secureCookies }),
      );
      rotateCsrfCookie(reply, { secure: secureCookies });
      return reply.status(204).send();
    });

    app.get('/api/v1/me', access('user'), async (request, reply) => {
      const user = userOf(request);
      const profile = await accounts.ownProfile(user);
      if (!profile) return unauthorized(reply);
      return present(meSchema, { ...profile, emailVerified: profile.emailVerifiedAt !== null });
    });

    app.patch('/api/v1/me', access('user'), async (request, reply) => {
      const user = userOf(request);
      const input = parseBody(profileSchema, request, reply);
      if (!input) return reply;
      await accounts.updateProfile(user, input);
      return { message: 'Данные профиля сохранены' };
    });

    app.post('/api/v1/me/password', access('user'), async (request, reply) => {
      const user = userOf(request);
      const input = parseBody(changePasswordSchema, request, reply);
      if (!input) return reply;
      return handleLimits(request, reply, async () => {
        const result = await accounts.changePassword(user, input.currentPassword, input.password);
        if (result === 'wrong_password') {
          return reply.status(400).send({
            error: 'validation',
            message: 'Исправьте ошибки',
            errors: { currentPassword: 'Неверный текущий пароль' },
          });
        }
        return reply.status(204).send();
      });
    });

    app.post('/api/v1/me/email', access('user'), async (request, reply) => {
      const user = userOf(request);
      const input = parseBody(changeEmailSchema, request, reply);
      if (!input) return reply;
      return handleLimits(request, reply, async () => {
        const result = await accounts.requestEmailChange(user, input.email, input.currentPassword);
        if (result === 'wrong_password') {
          return reply.status(400).send({
            error: 'validation',
            message: 'Исправьте ошибки',
            errors: { currentPassword: 'Неверный текущий пароль' },
          });
        }
        if (result === 'same_address') {
          return reply.status(400).send({
            error: 'validation',
            message: 'Исправьте ошибки',
            errors: { email: 'Это ваш текущий адрес' },
          });
        }
        return reply.status(202).send({ message: `Мы отправили ссылку на адрес ${input.email}` });
      });
    });

    app.post('/api/v1/password/forgot', access('public'), async (request, reply) => {
      const input = parseBody(emailOnlySchema, request, reply);
      if (!input) return reply;
      return handleLimits(request, reply, async () => {
        await accounts.requestPasswordReset(input.email, request.ip);
        return reply.status(202).send({ message: 'Если адрес зарегистрирован, на него отправлено письмо' });
      });
    });

    app.post('/api/v1/password/reset', access('public'), async (request, reply) => {
      const input = parseBody(resetPasswordSchema, request, reply);
      if (!input) return reply;
      return handleLimits(request, reply, async () => {
        const result = await accounts.resetPassword(input.code, input.password, request.ip);
        if (result !== 'done') return apiError(reply, result === 'expired' ? 'expired' : 'invalid_code');
        return reply.status(204).send();
      });
    });
  };
}

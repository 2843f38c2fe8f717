import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiRegistry } from '../../platform/http/openapi.js';
import { cookieOptions, logSecurityEvent, rotateCsrfCookie } from '../../platform/http/security.js';
import { waitInWords } from '../../platform/security/rate-limit.js';
import { parseBody, unauthorized } from '../../platform/http/api.js';
import { SESSION_COOKIE } from './routes.js';
import {
  changeEmailSchema,
  changePasswordSchema,
  emailOnlySchema,
  profileSchema,
  registerSchema,
  resetPasswordSchema,
  signInSchema,
} from './schemas.js';
import { RateLimitedError, SESSION_ABSOLUTE_MS, type AccountsService } from './service.js';
import { z } from 'zod';

const verifySchema = z.object({ code: z.string().min(10).max(200) });

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
        403: 'Смена адреса: нужен вход в ту учётную запись, адрес которой меняется',
        410: 'Срок действия кода истёк',
      },
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
    },
    {
      method: 'patch',
      path: '/api/v1/me',
      summary: 'Изменить профиль',
      tag,
      body: profileSchema,
      responses: { 200: 'Сохранено', 400: 'Ошибки в полях', 401: 'Не выполнен вход' },
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
    },
    {
      method: 'post',
      path: '/api/v1/password/forgot',
      summary: 'Восстановить пароль',
      tag,
      body: emailOnlySchema,
      responses: { 202: 'Письмо отправлено, если адрес зарегистрирован' },
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
    app.post('/api/v1/accounts', async (request, reply) => {
      const input = parseBody(registerSchema, request, reply);
      if (!input) return reply;
      return handleLimits(request, reply, async () => {
        await accounts.register(input, request.ip);
        return reply
          .status(202)
          .send({ message: `Мы отправили письмо на адрес ${input.email}. Перейдите по ссылке из письма.` });
      });
    });

    app.post('/api/v1/accounts/confirmation', async (request, reply) => {
      const input = parseBody(emailOnlySchema, request, reply);
      if (!input) return reply;
      return handleLimits(request, reply, async () => {
        await accounts.resendConfirmation(input.email, request.ip);
        return reply
          .status(202)
          .send({ message: 'Если адрес зарегистрирован и не подтверждён, письмо отправлено повторно' });
      });
    });

    app.post('/api/v1/accounts/verify-email', async (request, reply) => {
      const input = parseBody(verifySchema, request, reply);
      if (!input) return reply;
      const result = await accounts.verifyEmail(input.code, request.user?.id ?? null);
      const status = {
        sign_in_required: 403,
        confirmed: 200,
        already_confirmed: 200,
        email_changed: 200,
        expired: 410,
        address_taken: 409,
        invalid: 400,
      }[result.status];
      return reply.status(status).send(result);
    });

    app.post('/api/v1/session', async (request, reply) => {
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
          SESSION_COOKIE,
          token,
          cookieOptions({ secure: secureCookies }, SESSION_ABSOLUTE_MS / 1000),
        );
        const user = await accounts.resolveSession(token);
        return reply.send({
          user: user && {
            id: user.id,
            email: user.email,
            shortName: user.shortName,
            emailVerified: user.emailVerified,
          },
        });
      });
    });

    app.delete('/api/v1/session', async (request, reply) => {
      if (request.user) await accounts.signOut(request.user.sessionTokenHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      rotateCsrfCookie(reply, { secure: secureCookies });
      return reply.status(204).send();
    });

    app.get('/api/v1/me', async (request, reply) => {
      if (!request.user) return unauthorized(reply);
      const profile = await accounts.getProfile(request.user.id);
      if (!profile) return unauthorized(reply);
      const { passwordHash: _hidden, ...visible } = profile;
      return { ...visible, emailVerified: profile.emailVerifiedAt !== null };
    });

    app.patch('/api/v1/me', async (request, reply) => {
      if (!request.user) return unauthorized(reply);
      const input = parseBody(profileSchema, request, reply);
      if (!input) return reply;
      await accounts.updateProfile(request.user.id, input);
      return { message: 'Данные профиля сохранены' };
    });

    app.post('/api/v1/me/password', async (request, reply) => {
      const user = request.user;
      if (!user) return unauthorized(reply);
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

    app.post('/api/v1/me/email', async (request, reply) => {
      const user = request.user;
      if (!user) return unauthorized(reply);
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

    app.post('/api/v1/password/forgot', async (request, reply) => {
      const input = parseBody(emailOnlySchema, request, reply);
      if (!input) return reply;
      return handleLimits(request, reply, async () => {
        await accounts.requestPasswordReset(input.email, request.ip);
        return reply.status(202).send({ message: 'Если адрес зарегистрирован, на него отправлено письмо' });
      });
    });

    app.post('/api/v1/password/reset', async (request, reply) => {
      const input = parseBody(resetPasswordSchema, request, reply);
      if (!input) return reply;
      return handleLimits(request, reply, async () => {
        const result = await accounts.resetPassword(input.code, input.password, request.ip);
        if (result !== 'done') {
          return reply.status(400).send({
            error: result === 'expired' ? 'expired' : 'invalid',
            message: 'Ссылка недействительна или устарела',
          });
        }
        return reply.status(204).send();
      });
    });
  };
}

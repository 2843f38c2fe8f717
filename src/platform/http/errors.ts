import type { FastifyReply } from 'fastify';

/**
 * The one catalogue of API error codes. Every `/api/v1` error answer is `{ error, message, errors? }` with a code
 * from here; `message` is Russian for people, `errors` maps a field to its message (400 only).
 */
export const API_ERRORS = {
  validation: { status: 400, message: 'Исправьте ошибки' },
  bad_request: { status: 400, message: 'Неверный запрос' },
  unauthenticated: { status: 401, message: 'Войдите в личный кабинет' },
  invalid_credentials: { status: 401, message: 'Неверный адрес электронной почты или пароль' },
  csrf: { status: 403, message: 'Обновите страницу и повторите действие' },
  forbidden: { status: 403, message: 'Недостаточно прав' },
  sign_in_required: { status: 403, message: 'Войдите в ту учётную запись, адрес которой меняется' },
  email_not_confirmed: { status: 403, message: 'Подтвердите адрес электронной почты' },
  not_found: { status: 404, message: 'Не найдено' },
  conflict: { status: 409, message: 'Состояние уже изменилось: обновите данные' },
  confirmed: { status: 409, message: 'Подтверждённые данные изменить нельзя' },
  has_applications: { status: 409, message: 'У ребёнка есть заявки в группы: удалить нельзя' },
  identity_taken: {
    status: 409,
    message: 'На этого ребёнка уже действует подтверждённый сертификат в другом личном кабинете',
  },
  refused: { status: 409, message: 'Действие невозможно' },
  // Why an application cannot be filed (the applications module); `message` says it in the person's terms.
  group_not_found: { status: 404, message: 'Группа не найдена' },
  child_not_found: { status: 404, message: 'Ребёнок не найден' },
  duplicate: { status: 409, message: 'У ребёнка уже есть заявка в эту группу' },
  not_published: { status: 422, message: 'Программа не опубликована' },
  enrolment_not_open: { status: 422, message: 'Приём заявок ещё не начался' },
  enrolment_closed: { status: 422, message: 'Приём заявок закончился' },
  age: { status: 422, message: 'Возраст ребёнка не подходит для группы' },
  no_certificate: { status: 422, message: 'Сначала получите сертификат' },
  certificate_inactive: { status: 422, message: 'Сертификат приостановлен или закрыт' },
  confirmation_required: { status: 422, message: 'Сначала подтвердите данные ребёнка лично' },
  limit: { status: 422, message: 'Исчерпан лимит бесплатных программ на учебный год' },
  funding: { status: 422, message: 'Сертификат не может оплатить эту программу' },
  // Why a certificate cannot pay for a certified program (funding through the applications module's port).
  funding_closed: { status: 422, message: 'Муниципалитет сейчас не финансирует сертификаты' },
  contracts_banned: { status: 422, message: 'Новые договоры по сертификатам не заключаются' },
  funding_balance: { status: 422, message: 'Средств сертификата не хватает на первый месяц' },
  funding_queued: { status: 422, message: 'Сертификат в очереди на финансирование' },
  funding_age: { status: 422, message: 'Сертификаты детей этого возраста не финансируются' },
  funding_unconfirmed: { status: 422, message: 'Сначала подтвердите данные ребёнка лично' },
  not_funded: {
    status: 422,
    message: 'Сертификат не переведён в сертификат персонифицированного финансирования',
  },
  invalid_code: { status: 400, message: 'Ссылка недействительна. Запросите новую' },
  address_taken: { status: 409, message: 'Этот адрес уже занят другой учётной записью' },
  expired: { status: 410, message: 'Срок действия ссылки истёк. Запросите новую' },
  payload_too_large: { status: 413, message: 'Слишком большой запрос' },
  rate_limited: { status: 429, message: 'Слишком много попыток. Попробуйте позже' },
  internal: { status: 500, message: 'Внутренняя ошибка сервера' },
  unavailable: { status: 503, message: 'Сервис временно недоступен. Попробуйте через минуту' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export interface ApiErrorBody {
  error: ApiErrorCode;
  message: string;
  errors?: Partial<Record<string, string>>;
  requestId?: string;
}

/** Answers with a catalogued error; `message` overrides the default text when the situation says more. */
export function apiError(
  reply: FastifyReply,
  code: ApiErrorCode,
  message?: string,
  extra: Pick<ApiErrorBody, 'errors' | 'requestId'> = {},
) {
  const body: ApiErrorBody = { error: code, message: message ?? API_ERRORS[code].message, ...extra };
  return reply.status(API_ERRORS[code].status).send(body);
}

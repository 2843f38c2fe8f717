import { z } from 'zod';
import { email, mobilePhone, requiredText } from '../../platform/validation/fields.js';
import type { AccountQuery } from '../accounts/index.js';
import { foldName } from '../accounts/index.js';
import { municipalityField } from '../reference/index.js';
import { TOPICS, type Topic } from './service.js';

/** The desk's one search field: an e-mail address (or a part of it), a phone, or ФИО starting with the surname. */
export const searchSchema = z.object({
  q: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : ''),
    z.string(),
  ),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

const NAME_PART = /^[A-Za-zА-Яа-яЁё]+(?:['’-][A-Za-zА-Яа-яЁё]+)*$/;

/** What the operator typed, read as one kind of query; a message for the field when it is none of them. */
export function parseQuery(text: string): { ok: true; query: AccountQuery } | { ok: false; message: string } {
  const value = text.trim();
  if (value.length > 200) return { ok: false, message: 'Введите не больше 200 символов' };
  if (value.includes('@')) {
    const part = value.toLowerCase().replace(/\s+/g, '');
    return part.length >= 3
      ? { ok: true, query: { by: 'email', email: part } }
      : { ok: false, message: 'Введите не меньше трёх символов адреса электронной почты' };
  }
  if (/^[\d\s()+-]+$/.test(value)) {
    const phone = mobilePhone.safeParse(value);
    return phone.success
      ? { ok: true, query: { by: 'phone', phone: phone.data } }
      : { ok: false, message: 'Введите номер мобильного телефона полностью, например +7 900 123-45-67' };
  }
  const words = value.split(/\s+/);
  if (words.length > 3 || !words.every((word) => NAME_PART.test(word) && word.length <= 60)) {
    return {
      ok: false,
      message: 'Введите адрес электронной почты, телефон или ФИО: фамилию, затем имя и отчество',
    };
  }
  const [lastName, firstName, middleName] = words.map(foldName);
  return { ok: true, query: { by: 'name', lastName: lastName!, firstName, middleName } };
}

/** Every helping action says why: the reason goes to the audit log. */
const reason = requiredText(
  'Укажите причину: она сохранится в журнале действий',
  500,
  'Не больше 500 символов',
);

/** The actions of the account page: the address part, and the name of each form's reason field (unique ids). */
export const ACTIONS = {
  'resend-confirmation': 'resendReason',
  email: 'emailReason',
  'confirm-email': 'confirmReason',
  unlock: 'unlockReason',
  'password-reset': 'resetReason',
} as const;

export type SupportAction = keyof typeof ACTIONS;

export function reasonSchema(action: SupportAction) {
  return z.object({ [ACTIONS[action]]: reason }).transform((values) => ({
    reason: values[ACTIONS[action]] as string,
  }));
}

export const correctEmailSchema = z
  .object({ newEmail: email, emailReason: reason })
  .transform((values) => ({ email: values.newEmail, reason: values.emailReason }));

const topicField = z.enum(Object.keys(TOPICS) as [Topic, ...Topic[]], { message: 'Выберите тему вопроса' });
/** A text with its paragraphs kept (requiredText folds every line into one). */
function longText(message: string, max: number, tooLong: string) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : ''),
    z.string().min(1, { message }).max(max, { message: tooLong }),
  );
}

const questionText = longText('Опишите, что случилось', 5000, 'Не больше 5000 символов');

/** «Задать вопрос» of a signed-in person: the municipality is their profile's. */
export const askSchema = z.object({ topic: topicField, text: questionText, email });

/** …and of a guest, who says which municipality the question is for. */
export const guestAskSchema = askSchema.extend({ municipalityId: municipalityField });

export const requestFilterSchema = z.object({
  status: z.enum(['open', 'all', 'new', 'in_progress', 'answered', 'closed']).catch('open'),
  municipality: z.coerce.number().int().min(1).max(999).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export const answerSchema = z.object({
  answer: longText('Напишите ответ', 10_000, 'Не больше 10 000 символов'),
});

export const statusSchema = z.object({
  status: z.enum(['new', 'in_progress', 'answered', 'closed'], { message: 'Выберите состояние' }),
});

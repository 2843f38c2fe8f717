import { z } from 'zod';
import {
  ageOn,
  dateField,
  email,
  mobilePhone,
  optionalPersonNameField,
  personName,
  tickedCheckbox,
} from '../../platform/validation/fields.js';
import { municipalityField } from '../reference/index.js';
import { isCommonPassword } from './password.js';

/** Raw form values as they come: every field a string (or absent). */
export type FormValues = Partial<Record<string, string>>;

const newPassword = z
  .string({ message: 'Введите пароль' })
  .min(1, { message: 'Введите пароль' })
  .min(8, { message: 'Пароль должен быть не короче 8 символов' })
  .max(128, { message: 'Пароль должен быть не длиннее 128 символов' })
  .refine((value) => !isCommonPassword(value), {
    message:
      'Этот пароль слишком простой и часто встречается. Придумайте другой, например из трёх-четырёх слов через дефис',
  });

const passwordRepeat = z.string({ message: 'Повторите пароль' }).min(1, { message: 'Повторите пароль' });

/** Password rules that need other fields: the repetition must match, and the password must not be the e-mail. */
function checkPasswordPair(
  values: { password?: string; passwordRepeat?: string; email?: string },
  ctx: z.RefinementCtx,
  field = 'password',
) {
  if (values.password && values.email && values.password.toLowerCase() === values.email.toLowerCase()) {
    ctx.addIssue({
      code: 'custom',
      path: [field],
      message: 'Пароль не должен совпадать с адресом электронной почты',
    });
  }
  if (values.password && values.passwordRepeat && values.password !== values.passwordRepeat) {
    ctx.addIssue({ code: 'custom', path: ['passwordRepeat'], message: 'Пароли не совпадают' });
  }
}

export const registerSchema = z
  .object({
    municipalityId: municipalityField,
    lastName: personName('Введите фамилию', 'Фамилия'),
    firstName: personName('Введите имя', 'Имя'),
    middleName: optionalPersonNameField('Отчество'),
    phone: mobilePhone,
    email,
    password: newPassword,
    passwordRepeat,
    applicantKind: z.enum(['parent', 'teen'], { message: 'Выберите, кто регистрируется' }),
    birthDate: z.string().optional(),
    consent: tickedCheckbox('Чтобы зарегистрироваться, подтвердите согласие с документами'),
  })
  // `when` makes these checks run even when other fields failed: every error is shown at once.
  .superRefine(
    (values, ctx) => {
      checkPasswordPair(values, ctx);
      if (values.applicantKind === 'teen') checkTeenBirthDate(values.birthDate, ctx);
    },
    { when: () => true },
  )
  .transform((values) => ({
    ...values,
    birthDate: values.applicantKind === 'teen' ? dateField('').parse(values.birthDate) : undefined,
  }));

function checkTeenBirthDate(value: unknown, ctx: z.RefinementCtx) {
  const birthDate = dateField('Введите дату рождения').safeParse(value);
  if (!birthDate.success) {
    ctx.addIssue({ code: 'custom', path: ['birthDate'], message: birthDate.error.issues[0]!.message });
    return;
  }
  const age = ageOn(birthDate.data);
  if (age < 14) {
    ctx.addIssue({
      code: 'custom',
      path: ['birthDate'],
      message:
        'Самостоятельно зарегистрироваться можно с 14 лет. Попросите родителя зарегистрироваться и добавить вас',
    });
  } else if (age > 17) {
    ctx.addIssue({
      code: 'custom',
      path: ['birthDate'],
      message: 'С 18 лет регистрируйтесь как родитель (законный представитель)',
    });
  }
}

export type RegisterInput = z.infer<typeof registerSchema>;

export const signInSchema = z.object({
  email,
  password: z
    .string({ message: 'Введите пароль' })
    .min(1, { message: 'Введите пароль' })
    .max(1024, { message: 'Пароль должен быть не длиннее 1024 символов' }),
});

export const emailOnlySchema = z.object({ email });

/** The code of an e-mailed link; a wrong one means the link was cut or copied wrongly. */
export const linkCode = (max: number) =>
  z
    .string({ message: 'Ссылка неполная: откройте её из письма целиком или запросите новую' })
    .min(10, { message: 'Ссылка неполная: откройте её из письма целиком или запросите новую' })
    .max(max, { message: 'Ссылка неверная: откройте её из письма целиком или запросите новую' });

export const resetPasswordSchema = z
  .object({ code: linkCode(100), password: newPassword, passwordRepeat })
  .superRefine((values, ctx) => checkPasswordPair(values, ctx), { when: () => true });

export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ message: 'Введите текущий пароль' })
      .min(1, { message: 'Введите текущий пароль' }),
    password: newPassword,
    passwordRepeat,
  })
  .superRefine((values, ctx) => checkPasswordPair(values, ctx), { when: () => true });

export const profileSchema = z.object({
  municipalityId: municipalityField,
  lastName: personName('Введите фамилию', 'Фамилия'),
  firstName: personName('Введите имя', 'Имя'),
  middleName: optionalPersonNameField('Отчество'),
  phone: mobilePhone,
});

export const changeEmailSchema = z.object({
  email,
  currentPassword: z
    .string({ message: 'Введите текущий пароль' })
    .min(1, { message: 'Введите текущий пароль' }),
});

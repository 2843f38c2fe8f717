import { z } from 'zod';
import {
  ageOn,
  dateField,
  optionalPersonNameField,
  optionalSnils,
  personName,
  requiredText,
} from '../../platform/validation/fields.js';
import { municipalityField } from '../reference/index.js';

const romanLookalikes: Record<string, string> = { І: 'I', Х: 'X', С: 'C', Л: 'L', У: 'V' };

/** Birth certificate series: Roman numerals, a hyphen, two Cyrillic letters — «II-МП». */
function normaliseBirthSeries(value: string): string {
  const [roman = '', letters = ''] = value.toUpperCase().replace(/\s+/g, '').split('-');
  return `${[...roman].map((c) => romanLookalikes[c] ?? c).join('')}-${letters}`;
}

const today = () => new Date().toISOString().slice(0, 10);

export const childSchema = z
  .object({
    lastName: personName('Введите фамилию ребёнка', 'Фамилия ребёнка'),
    firstName: personName('Введите имя ребёнка', 'Имя ребёнка'),
    middleName: optionalPersonNameField('Отчество ребёнка'),
    birthDate: dateField('Введите дату рождения ребёнка'),
    sex: z.enum(['male', 'female'], { message: 'Выберите пол ребёнка' }),
    snils: optionalSnils,
    documentType: z.enum(['birth_certificate', 'passport'], {
      message: 'Выберите документ, удостоверяющий личность',
    }),
    documentSeries: requiredText('Введите серию документа', 20),
    documentNumber: requiredText('Введите номер документа', 20),
    documentIssuedAt: dateField('Введите дату выдачи документа'),
    documentIssuedBy: requiredText('Введите, кем выдан документ', 300),
    municipalityId: municipalityField,
    registrationAddress: requiredText('Введите адрес регистрации ребёнка', 300),
  })
  // Checks that need several fields run even when others failed, so every error is shown at once.
  .superRefine(
    (values, ctx) => {
      const birth =
        typeof values.birthDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(values.birthDate)
          ? values.birthDate
          : null;
      if (birth) {
        const age = ageOn(birth);
        if (birth > today())
          ctx.addIssue({
            code: 'custom',
            path: ['birthDate'],
            message: 'Дата рождения не может быть в будущем',
          });
        else if (age >= 18) {
          ctx.addIssue({
            code: 'custom',
            path: ['birthDate'],
            message: 'Сертификат выдаётся детям до 18 лет',
          });
        }
      }
      const issued = typeof values.documentIssuedAt === 'string' ? values.documentIssuedAt : null;
      if (issued && /^\d{4}-\d{2}-\d{2}$/.test(issued)) {
        if (issued > today()) {
          ctx.addIssue({
            code: 'custom',
            path: ['documentIssuedAt'],
            message: 'Дата выдачи не может быть в будущем',
          });
        } else if (birth && issued < birth) {
          ctx.addIssue({
            code: 'custom',
            path: ['documentIssuedAt'],
            message: 'Документ не может быть выдан раньше рождения',
          });
        }
      }
      const series = typeof values.documentSeries === 'string' ? values.documentSeries : '';
      const number =
        typeof values.documentNumber === 'string' ? values.documentNumber.replace(/\s/g, '') : '';
      if (values.documentType === 'birth_certificate') {
        if (series && !/^[IVXLC]{1,6}-[А-ЯЁ]{2}$/.test(normaliseBirthSeries(series))) {
          ctx.addIssue({
            code: 'custom',
            path: ['documentSeries'],
            message: 'Серия свидетельства — например, II-МП',
          });
        }
        if (number && !/^\d{6}$/.test(number)) {
          ctx.addIssue({ code: 'custom', path: ['documentNumber'], message: 'Номер свидетельства — 6 цифр' });
        }
      }
      if (values.documentType === 'passport') {
        if (series && !/^\d{4}$/.test(series.replace(/\s/g, ''))) {
          ctx.addIssue({ code: 'custom', path: ['documentSeries'], message: 'Серия паспорта — 4 цифры' });
        }
        if (number && !/^\d{6}$/.test(number)) {
          ctx.addIssue({ code: 'custom', path: ['documentNumber'], message: 'Номер паспорта — 6 цифр' });
        }
        if (birth && ageOn(birth) < 14) {
          ctx.addIssue({
            code: 'custom',
            path: ['documentType'],
            message: 'Паспорт выдаётся с 14 лет: укажите свидетельство о рождении',
          });
        }
      }
    },
    { when: () => true },
  )
  .transform((values) => ({
    ...values,
    documentSeries:
      values.documentType === 'birth_certificate'
        ? normaliseBirthSeries(values.documentSeries)
        : values.documentSeries.replace(/\s/g, ''),
    documentNumber: values.documentNumber.replace(/\s/g, ''),
  }));

export type ChildInput = z.infer<typeof childSchema>;

/** The same child whatever the letter case: lower(ФИО) and the birth date. */
export function identityKeyOf(
  child: Pick<ChildInput, 'lastName' | 'firstName' | 'middleName' | 'birthDate'>,
): string {
  return [child.lastName, child.firstName, child.middleName ?? '', child.birthDate]
    .map((part) => part.toLowerCase().replace(/ё/g, 'е'))
    .join('|');
}

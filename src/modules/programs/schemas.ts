import { z } from 'zod';
import { formatDate } from '../../platform/views/format.js';
import { dateField, optionalText, requiredText } from '../../platform/validation/fields.js';
import { DIRECTIONS, OVZ_CATEGORIES, REGISTRIES, specializationId } from '../reference/index.js';
import type { ProgramContent, ScheduleSlot } from './schema.js';

// ---- The provider's forms: one flat field per input, so a form post, a JSON body and an XLSX row
// ---- validate the same way.

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const ticked = (value: unknown) => value === 'yes' || value === 'on' || value === true || value === '1';

function wholeNumber(emptyMessage: string, min: number, max: number, rangeMessage: string) {
  return z.preprocess(
    (value) => text(value).replace(/\s/g, ''),
    z
      .string()
      .min(1, { message: emptyMessage })
      .regex(/^\d+$/, { message: 'Введите целое число цифрами' })
      .transform(Number)
      .pipe(z.number().min(min, { message: rangeMessage }).max(max, { message: rangeMessage })),
  );
}

function optionalRoubles() {
  return z.preprocess(
    (value) =>
      text(value)
        .replace(/\s/g, '')
        .replace(/[₽р.]+$/i, '') || undefined,
    z
      .string()
      .regex(/^\d+$/, { message: 'Введите сумму в рублях целым числом, например 1200' })
      .transform(Number)
      .pipe(z.number().max(100_000, { message: 'Не больше 100 000 ₽ в месяц' }))
      .optional(),
  );
}

const levelField = z.enum(['start', 'basic', 'advanced'], { message: 'Выберите уровень программы' });
const formatField = z.enum(['in_person', 'remote', 'blended'], { message: 'Выберите форму обучения' });
/** The one registry (ADR 0036): the provider proposes it, the moderator sets it when publishing. */
export const registryField = z.enum(REGISTRIES, { message: 'Выберите реестр программы' });

/** Create or edit a program. The ОВЗ checkbox list arrives as `ovz_<code>` fields. */
export const programSchema = z
  .object({
    name: requiredText('Введите название программы', 200),
    directionId: z.preprocess(
      (value) => Number(text(value)) || undefined,
      z
        .number({ message: 'Выберите направленность' })
        .refine((id) => DIRECTIONS.some((d) => d.id === id), { message: 'Выберите направленность' }),
    ),
    specializationId: z.preprocess((value) => Number(text(value)) || undefined, z.number().optional()),
    description: z.preprocess(
      text,
      z
        .string()
        .min(30, { message: 'Опишите программу: не меньше 30 символов' })
        .max(5000, { message: 'Не больше 5000 символов' }),
    ),
    goals: z.preprocess(text, z.string().max(3000, { message: 'Не больше 3000 символов' })),
    expectedResults: z.preprocess(text, z.string().max(3000, { message: 'Не больше 3000 символов' })),
    ageFrom: wholeNumber('Укажите возраст «от»', 0, 18, 'Возраст — от 0 до 18 лет'),
    ageTo: wholeNumber('Укажите возраст «до»', 0, 18, 'Возраст — от 0 до 18 лет'),
    level: levelField,
    durationMonths: wholeNumber('Укажите продолжительность в месяцах', 1, 120, 'От 1 до 120 месяцев'),
    hoursTotal: wholeNumber('Укажите объём программы в часах', 1, 5000, 'От 1 до 5000 часов'),
    format: formatField,
    registry: registryField,
    ovzAdapted: z.preprocess(ticked, z.boolean()),
    ...Object.fromEntries(OVZ_CATEGORIES.map((c) => [`ovz_${c}`, z.preprocess(ticked, z.boolean())])),
  })
  // Checks across fields run even when some field failed, so every error is shown at once.
  .superRefine(
    (value, context) => {
      const number = (field: unknown) => (typeof field === 'number' ? field : null);
      const [ageFrom, ageTo] = [number(value.ageFrom), number(value.ageTo)];
      if (ageFrom !== null && ageTo !== null && ageFrom > ageTo) {
        context.addIssue({
          code: 'custom',
          path: ['ageTo'],
          message: 'Возраст «до» не меньше возраста «от»',
        });
      }
      if (typeof value.specializationId === 'number' && typeof value.directionId === 'number') {
        const direction = DIRECTIONS.find((d) => d.id === value.directionId);
        const valid = direction?.specializations.some(
          (_, index) => specializationId(direction.id, index) === value.specializationId,
        );
        if (!valid) {
          context.addIssue({
            code: 'custom',
            path: ['specializationId'],
            message: 'Выберите специализацию выбранной направленности',
          });
        }
      }
      const ticks = value as unknown as Record<string, boolean>;
      if (value.ovzAdapted === true && !OVZ_CATEGORIES.some((c) => ticks[`ovz_${c}`] === true)) {
        context.addIssue({
          code: 'custom',
          path: ['ovzAdapted'],
          message: 'Отметьте категории детей с ОВЗ, для которых адаптирована программа',
        });
      }
    },
    { when: () => true },
  )
  .transform((value): ProgramContent => {
    const ticks = value as unknown as Record<string, boolean>;
    return {
      name: value.name,
      directionId: value.directionId,
      specializationId: value.specializationId ?? null,
      description: value.description,
      goals: value.goals,
      expectedResults: value.expectedResults,
      ageFrom: value.ageFrom,
      ageTo: value.ageTo,
      level: value.level,
      durationMonths: value.durationMonths,
      hoursTotal: value.hoursTotal,
      format: value.format,
      ovzAdapted: value.ovzAdapted,
      ovzCategories: value.ovzAdapted ? OVZ_CATEGORIES.filter((c) => ticks[`ovz_${c}`]) : [],
      registry: value.registry,
    };
  });

/** The form's flat fields for a stored program (to fill the edit form). */
export function programFormValues(content: ProgramContent): Record<string, string> {
  const values: Record<string, string> = {
    name: content.name,
    directionId: String(content.directionId),
    specializationId: content.specializationId ? String(content.specializationId) : '',
    description: content.description,
    goals: content.goals,
    expectedResults: content.expectedResults,
    ageFrom: String(content.ageFrom),
    ageTo: String(content.ageTo),
    level: content.level,
    durationMonths: String(content.durationMonths),
    hoursTotal: String(content.hoursTotal),
    format: content.format,
    registry: content.registry,
  };
  if (content.ovzAdapted) values.ovzAdapted = 'yes';
  for (const c of content.ovzCategories) values[`ovz_${c}`] = 'yes';
  return values;
}

const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const normalTime = (value: string) => {
  const match = TIME.exec(value)!;
  return `${match[1]!.padStart(2, '0')}:${match[2]}`;
};

/** Create or edit a group. The weekly schedule arrives as `day<N>Start` / `day<N>End`, N = 1 (пн) … 7 (вс). */
export const groupSchema = z
  .object({
    name: requiredText('Введите название группы', 200),
    teacher: requiredText('Укажите педагога', 200),
    address: requiredText('Укажите адрес занятий', 300),
    lessonMinutes: wholeNumber('Укажите продолжительность занятия', 10, 240, 'От 10 до 240 минут'),
    ageFrom: wholeNumber('Укажите возраст «от»', 0, 18, 'Возраст — от 0 до 18 лет'),
    ageTo: wholeNumber('Укажите возраст «до»', 0, 18, 'Возраст — от 0 до 18 лет'),
    capacity: wholeNumber('Укажите план приёма', 1, 500, 'От 1 до 500 мест'),
    enrolmentFrom: dateField('Укажите дату начала приёма заявок'),
    enrolmentTo: dateField('Укажите дату окончания приёма заявок'),
    studyStart: dateField('Укажите дату начала занятий'),
    studyEnd: dateField('Укажите дату окончания занятий'),
    monthlyCostCertificate: optionalRoubles(),
    monthlyCostOwn: optionalRoubles(),
    ...Object.fromEntries(
      [1, 2, 3, 4, 5, 6, 7].flatMap((day) => [
        [`day${day}Start`, optionalText(5)],
        [`day${day}End`, optionalText(5)],
      ]),
    ),
  })
  .superRefine(
    (value, context) => {
      const fields = value as unknown as Record<string, unknown>;
      const issue = (path: string, message: string) =>
        context.addIssue({ code: 'custom', path: [path], message });
      // Compared only when both parsed (numbers, or ГГГГ-ММ-ДД dates); otherwise their own errors show.
      const comparable = (v: unknown): v is number | string =>
        typeof v === 'number' || (typeof v === 'string' && ISO_DATE.test(v));
      const ordered = (a: unknown, b: unknown) => !comparable(a) || !comparable(b) || a <= b;
      if (!ordered(value.ageFrom, value.ageTo)) issue('ageTo', 'Возраст «до» не меньше возраста «от»');
      if (!ordered(value.enrolmentFrom, value.enrolmentTo))
        issue('enrolmentTo', 'Приём заявок не может закончиться раньше начала');
      if (!ordered(value.studyStart, value.studyEnd))
        issue('studyEnd', 'Занятия не могут закончиться раньше начала');
      let slots = 0;
      for (let day = 1; day <= 7; day++) {
        const start = fields[`day${day}Start`];
        const end = fields[`day${day}End`];
        if (!start && !end) continue;
        slots++;
        if (typeof start !== 'string' || !TIME.test(start))
          issue(`day${day}Start`, 'Время начала — ЧЧ:ММ, например 15:30');
        else if (typeof end !== 'string' || !TIME.test(end))
          issue(`day${day}End`, 'Время окончания — ЧЧ:ММ, например 16:15');
        else if (normalTime(start) >= normalTime(end))
          issue(`day${day}End`, 'Занятие должно заканчиваться позже начала');
      }
      if (slots === 0) issue('day1Start', 'Укажите расписание: время занятий хотя бы в один день недели');
    },
    { when: () => true },
  )
  .transform((value) => {
    const fields = value as unknown as Record<string, string | undefined>;
    const schedule: ScheduleSlot[] = [];
    for (let day = 1; day <= 7; day++) {
      const start = fields[`day${day}Start`];
      const end = fields[`day${day}End`];
      if (start && end) schedule.push({ weekday: day, start: normalTime(start), end: normalTime(end) });
    }
    return {
      name: value.name,
      teacher: value.teacher,
      address: value.address,
      schedule,
      lessonMinutes: value.lessonMinutes,
      ageFrom: value.ageFrom,
      ageTo: value.ageTo,
      capacity: value.capacity,
      enrolmentFrom: value.enrolmentFrom,
      enrolmentTo: value.enrolmentTo,
      studyStart: value.studyStart,
      studyEnd: value.studyEnd,
      monthlyCostCertificate: value.monthlyCostCertificate ?? null,
      monthlyCostOwn: value.monthlyCostOwn ?? null,
    };
  });
export type GroupInput = z.infer<typeof groupSchema>;

/** The form's flat fields for a stored group. */
export function groupFormValues(group: GroupInput): Record<string, string> {
  const values: Record<string, string> = {
    name: group.name,
    teacher: group.teacher,
    address: group.address,
    lessonMinutes: String(group.lessonMinutes),
    ageFrom: String(group.ageFrom),
    ageTo: String(group.ageTo),
    capacity: String(group.capacity),
    enrolmentFrom: formatDate(group.enrolmentFrom),
    enrolmentTo: formatDate(group.enrolmentTo),
    studyStart: formatDate(group.studyStart),
    studyEnd: formatDate(group.studyEnd),
    monthlyCostCertificate: group.monthlyCostCertificate === null ? '' : String(group.monthlyCostCertificate),
    monthlyCostOwn: group.monthlyCostOwn === null ? '' : String(group.monthlyCostOwn),
  };
  for (const slot of group.schedule) {
    values[`day${slot.weekday}Start`] = slot.start;
    values[`day${slot.weekday}End`] = slot.end;
  }
  return values;
}

/** Returning a program for changes needs a comment the provider will read. */
/**
 * The moderator's «Опубликовать»: the registry the program goes into (ADR 0036). The form always sends one (the
 * provider's proposal is preselected); a post without it keeps the proposal, a wrong value is refused.
 */
export const publishSchema = z.object({
  registry: z.preprocess((value) => (value === '' ? undefined : value), registryField.optional()),
});

export const returnSchema = z.object({
  comment: requiredText('Напишите, что нужно исправить', 2000, 'Не больше 2000 символов'),
});

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isCoordinator, municipalityOf } from '../../platform/access/policy.js';
import { access, operatorOf, userOf } from '../../platform/http/access.js';
import { setFlash } from '../../platform/http/security.js';
import { dateField, parseRoubles, roublesField, wholeNumber } from '../../platform/validation/fields.js';
import { inputFields } from '../../platform/validation/input.js';
import { fieldErrors, type FieldErrors } from '../../platform/views/forms.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { regionToday } from '../../platform/views/format.js';
import { sendPage } from '../../platform/views/render.js';
import type { AccountsService } from '../accounts/index.js';
import type { ChildrenService } from '../children/index.js';
import { MUNICIPALITIES } from '../reference/index.js';
import { nextPeriod, periodOf, type Period } from './money.js';
import type { CategoryInput, FundingService } from './service.js';
import { CategoryFormPage, FundingOverviewPage, FundingPage, FundingSettingsPage } from './views.js';

const childParams = z.object({ id: z.uuid() });
const municipalityParams = z.object({
  id: z.coerce
    .number()
    .int()
    .refine((id) => MUNICIPALITIES.some((m) => m.id === id))
    .transform((id) => ({ municipalityId: id })),
});
const categoryParams = municipalityParams.extend({ categoryId: z.union([z.literal('new'), z.uuid()]) });

/** The period a settings page is about: the current education year, or the next one (`?period=2027-09-01`). */
function periodFrom(query: unknown): Period {
  const current = periodOf(regionToday());
  const asked = (query as { period?: unknown } | undefined)?.period;
  const next = nextPeriod(current);
  return asked === next.startsOn ? next : current;
}

/** «Бесплатных программ на ребёнка за учебный год»: empty — no limit (the coordinator's, ADR 0039). */
const FREE_PROGRAMS_MESSAGE = 'Введите число от 0 до 50 или оставьте поле пустым';
const freeProgramsField = z.preprocess(
  (value) => {
    const text = typeof value === 'string' ? value.trim() : '';
    return text === '' ? null : text;
  },
  z.coerce
    .number({ message: FREE_PROGRAMS_MESSAGE })
    .int({ message: 'Введите целое число' })
    .min(0, { message: FREE_PROGRAMS_MESSAGE })
    .max(50, { message: FREE_PROGRAMS_MESSAGE })
    .nullable(),
);

const periodSchema = z.object({
  open: z.preprocess((value) => value === 'yes', z.boolean()),
  contractsBannedFrom: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    dateField('').optional(),
  ),
  hourlyRate: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z
      .string()
      .transform((text, ctx) => {
        const kopecks = parseRoubles(text);
        if (kopecks === null || kopecks === 0) {
          ctx.addIssue({
            code: 'custom',
            message: 'Введите стоимость часа в рублях, например 250 или 250,50',
          });
          return z.NEVER;
        }
        return kopecks;
      })
      .optional(),
  ),
  freeProgramsPerChild: freeProgramsField.optional(),
});

const categorySchema = z
  .object({
    name: z.preprocess(
      (value) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : ''),
      z
        .string()
        .min(1, { message: 'Введите название категории' })
        .max(100, { message: 'Название — не длиннее 100 символов' }),
    ),
    ageFrom: wholeNumber('Введите возраст от', 18, 'Возраст — не больше 18 лет'),
    ageTo: wholeNumber('Введите возраст до', 18, 'Возраст — не больше 18 лет'),
    nominal: roublesField('Введите номинал'),
    quota: wholeNumber('Введите лимит', 1_000_000, 'Лимит — не больше 1 000 000'),
    nominalCap: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      roublesField('').optional(),
    ),
    password: z.string().optional(),
  })
  .superRefine(
    (values, ctx) => {
      if (
        typeof values.ageFrom === 'number' &&
        typeof values.ageTo === 'number' &&
        values.ageTo < values.ageFrom
      )
        ctx.addIssue({
          code: 'custom',
          path: ['ageTo'],
          message: 'Возраст до не может быть меньше возраста от',
        });
      if (values.nominal === 0)
        ctx.addIssue({ code: 'custom', path: ['nominal'], message: 'Номинал должен быть больше нуля' });
    },
    { when: () => true },
  );

/**
 * Pages of funded certificates: the parent's «Подать заявление на финансирование» on the child's funding page, and
 * the settings the municipal administrator (their municipality) and the coordinator (any) keep per period.
 */
export function fundingRoutes({
  funding,
  children,
  accounts,
  secureCookies,
}: {
  funding: FundingService;
  children: Pick<ChildrenService, 'getOwned'>;
  accounts: Pick<AccountsService, 'confirmPassword'>;
  secureCookies: boolean;
}) {
  const settings = { secure: secureCookies };
  return (app: FastifyInstance) => {
    app.get('/cabinet/children/:id/funding', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = childParams.safeParse(request.params);
      const child = params.success ? await children.getOwned(user, params.data.id) : null;
      const periods = child ? await funding.periodsOf(user, child.id) : null;
      if (!child || !periods) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(
        reply,
        <FundingPage
          childId={child.id}
          childName={`${child.lastName} ${child.firstName}`}
          state={periods.current}
          next={periods.next}
        />,
      );
    });

    app.post('/cabinet/children/:id/funding', access('confirmed'), async (request, reply) => {
      const user = userOf(request);
      const params = childParams.safeParse(request.params);
      const result = params.success
        ? await funding.request(user, params.data.id)
        : ({ status: 'not_found' } as const);
      if (result.status === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      const flash =
        result.status === 'funded'
          ? 'Сертификат переведён в сертификат персонифицированного финансирования.'
          : result.status === 'queued'
            ? `Заявление принято. Лимит сертификатов исчерпан. Вы ${result.position}-й в очереди.`
            : null;
      if (flash) setFlash(reply, flash, settings);
      return reply.redirect(`/cabinet/children/${params.data!.id}/funding`, 303);
    });

    app.get('/staff/funding', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const period = periodFrom(request.query);
      const rows = await funding.overview(operator, period);
      // A municipal administrator keeps one municipality: straight to it.
      if (rows.length === 1 && municipalityOf(operator) !== null)
        return reply.redirect(`/staff/funding/${rows[0]!.municipalityId}`, 303);
      return sendPage(reply, <FundingOverviewPage period={period} rows={rows} />);
    });

    app.get('/staff/funding/:id', access('municipal_admin'), async (request, reply) => {
      const params = municipalityParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const period = periodFrom(request.query);
      const { municipalityId } = params.data.id;
      const current = await funding.settings(operatorOf(request), municipalityId, period);
      return sendPage(
        reply,
        <FundingSettingsPage
          municipalityId={municipalityId}
          period={period}
          saved={current.period}
          categories={current.categories}
          rateEditable={isCoordinator(operatorOf(request))}
        />,
      );
    });

    app.post('/staff/funding/:id/period', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = municipalityParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const period = periodFrom(request.query);
      const { municipalityId } = params.data.id;
      // Asked first: who may not keep this municipality's funding learns nothing from the form's answers.
      const current = await funding.settings(operator, municipalityId, period);
      const values = inputFields(request.body);
      const parsed = periodSchema.safeParse(values);
      if (!parsed.success) {
        return sendPage(
          reply,
          <FundingSettingsPage
            municipalityId={municipalityId}
            period={period}
            saved={current.period}
            categories={current.categories}
            values={{ ...values, open: values.open ?? '' }}
            errors={fieldErrors(parsed.error)}
            rateEditable={isCoordinator(operator)}
          />,
          400,
        );
      }
      const saved = await funding.savePeriod(operator, municipalityId, period, {
        open: parsed.data.open,
        contractsBannedFrom: parsed.data.contractsBannedFrom ?? null,
        ...('hourlyRate' in values ? { hourlyRateKopecks: parsed.data.hourlyRate ?? null } : {}),
        ...('freeProgramsPerChild' in values
          ? { freeProgramsPerChild: parsed.data.freeProgramsPerChild ?? null }
          : {}),
      });
      setFlash(reply, saved.open ? 'Финансирование открыто.' : 'Финансирование закрыто.', settings);
      return reply.redirect(`/staff/funding/${municipalityId}?period=${period.startsOn}`, 303);
    });

    // «Создать следующий период»: the next education year with the current one's categories (password again).
    app.post('/staff/funding/:id/next-period', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = municipalityParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const { municipalityId } = params.data.id;
      const next = nextPeriod(periodOf(regionToday()));
      // Asked first: who may not keep this municipality's funding learns nothing from the form's answers.
      const current = await funding.settings(operator, municipalityId, next);
      const show = (errors: FieldErrors) =>
        sendPage(
          reply,
          <FundingSettingsPage
            municipalityId={municipalityId}
            period={next}
            saved={current.period}
            categories={current.categories}
            errors={errors}
            rateEditable={isCoordinator(operator)}
          />,
          400,
        );
      const { password } = inputFields(request.body);
      let passwordConfirmed = false;
      if (password) {
        const check = await accounts.confirmPassword(operator, password);
        if (check === 'limited')
          return show({ password: 'Слишком много попыток ввести пароль. Попробуйте через несколько минут' });
        if (check === 'wrong') return show({ password: 'Пароль неверный' });
        passwordConfirmed = true;
      }
      const created = await funding.createNextPeriod(operator, municipalityId, passwordConfirmed);
      if (!created.ok) return show(created.errors);
      setFlash(
        reply,
        `Период создан, категорий скопировано: ${created.copied}. Финансирование в нём закрыто, пока вы его не откроете.`,
        settings,
      );
      return reply.redirect(`/staff/funding/${municipalityId}?period=${next.startsOn}`, 303);
    });

    app.get(
      '/staff/funding/:id/categories/:categoryId',
      access('municipal_admin'),
      async (request, reply) => {
        const params = categoryParams.safeParse(request.params);
        if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
        const period = periodFrom(request.query);
        const { municipalityId } = params.data.id;
        const { categoryId } = params.data;
        const current = await funding.settings(operatorOf(request), municipalityId, period);
        const category = current.categories.find((c) => c.id === categoryId);
        if (categoryId !== 'new' && !category) return sendPage(reply, <NotFoundPage />, 404);
        const values = category
          ? {
              name: category.name,
              ageFrom: String(category.ageFrom),
              ageTo: String(category.ageTo),
              nominal: String(category.nominalKopecks / 100).replace('.', ','),
              quota: String(category.quota),
              nominalCap:
                category.nominalCapKopecks === null
                  ? ''
                  : String(category.nominalCapKopecks / 100).replace('.', ','),
            }
          : { ageFrom: '5', ageTo: '18' };
        return sendPage(
          reply,
          <CategoryFormPage
            municipalityId={municipalityId}
            period={period}
            categoryId={category?.id ?? null}
            values={values}
          />,
        );
      },
    );

    app.post(
      '/staff/funding/:id/categories/:categoryId',
      access('municipal_admin'),
      async (request, reply) => {
        const operator = operatorOf(request);
        const params = categoryParams.safeParse(request.params);
        if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
        const period = periodFrom(request.query);
        const { municipalityId } = params.data.id;
        const categoryId = params.data.categoryId === 'new' ? null : params.data.categoryId;
        // Asked first: who may not keep this municipality's funding learns nothing from the form's answers.
        await funding.settings(operator, municipalityId, period);
        const values = inputFields(request.body);
        const show = (errors: FieldErrors) =>
          sendPage(
            reply,
            <CategoryFormPage
              municipalityId={municipalityId}
              period={period}
              categoryId={categoryId}
              values={values}
              errors={errors}
            />,
            400,
          );
        const parsed = categorySchema.safeParse(values);
        if (!parsed.success) return show(fieldErrors(parsed.error));
        const { name, ageFrom, ageTo, nominal, quota, nominalCap, password } = parsed.data;
        const input: CategoryInput = {
          name,
          ageFrom,
          ageTo,
          nominalKopecks: nominal,
          quota,
          nominalCapKopecks: nominalCap ?? null,
        };
        let passwordConfirmed = false;
        if (password) {
          const check = await accounts.confirmPassword(operator, password);
          if (check === 'limited')
            return show({
              password: 'Слишком много попыток ввести пароль. Попробуйте через несколько минут',
            });
          if (check === 'wrong') return show({ password: 'Пароль неверный' });
          passwordConfirmed = true;
        }
        const saved = await funding.saveCategory(
          operator,
          municipalityId,
          period,
          categoryId,
          input,
          passwordConfirmed,
        );
        if (!saved.ok) return show(saved.errors);
        setFlash(reply, `Категория «${saved.category.name}» сохранена.`, settings);
        return reply.redirect(`/staff/funding/${municipalityId}?period=${period.startsOn}`, 303);
      },
    );
  };
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { access, operatorOf } from '../../platform/http/access.js';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { setFlash } from '../../platform/http/security.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import {
  CsrfField,
  ErrorSummary,
  fieldErrors,
  TextField,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { sendPage } from '../../platform/views/render.js';
import { parseRoubles } from '../../platform/validation/fields.js';
import { formatRoubles } from './money.js';
import type { FundingQuotes } from './quotes.js';

const programParams = z.object({ programId: z.uuid() });
const listQuery = z.object({ q: z.string().max(200).optional().catch(undefined) });

const normativeSchema = z.object({
  monthly: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : ''),
    z.string().transform((text, ctx) => {
      if (text === '') return null;
      const kopecks = parseRoubles(text);
      if (kopecks === null || kopecks === 0) {
        ctx.addIssue({
          code: 'custom',
          message: 'Введите нормативную стоимость месяца в рублях, например 3 200, или оставьте поле пустым',
        });
        return z.NEVER;
      }
      return kopecks;
    }),
  ),
});

type Program = NonNullable<Awaited<ReturnType<FundingQuotes['normativeOf']>>>;
type Listed = Awaited<ReturnType<FundingQuotes['certifiedPrograms']>>[number];

const amount = (kopecks: number | null) =>
  kopecks === null ? 'не задана: сертификат ограничен ценой группы' : `${formatRoubles(kopecks)} в месяц`;

function NormativeListPage({ q, programs }: { q: string; programs: Listed[] }) {
  return (
    <Layout title="Нормативная стоимость программ">
      <p>
        <a href="/staff/funding">← Финансирование</a>
      </p>
      <h1>Нормативная стоимость программ</h1>
      <p>
        Сертификат платит за месяц не больше нормативной стоимости программы. Программа без своего значения
        получает часы в месяц × стоимость часа её муниципалитета (задаётся в настройках периода).
      </p>
      <form method="get" action="/staff/funding/normative" role="search">
        <TextField name="q" label="Название программы" value={q} />
        <button type="submit" class="button button--secondary">
          Найти
        </button>
      </form>
      {programs.length === 0 ? (
        <p>Сертифицированных программ не найдено.</p>
      ) : (
        <ul class="results">
          {programs.map((program) => (
            <li class="result" key={program.id}>
              <h2 class="result__title">
                <a href={`/staff/funding/normative/${program.id}`}>{program.name}</a>
              </h2>
              <p class="muted">
                {program.organization} · {amount(program.normativeKopecks)}
                {program.explicitKopecks === null &&
                  program.normativeKopecks !== null &&
                  ' (по стоимости часа)'}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

function NormativeFormPage({
  program,
  values,
  errors = {},
}: {
  program: Program;
  values: Partial<Record<string, string>>;
  errors?: FieldErrors;
}) {
  const title = 'Нормативная стоимость';
  return (
    <Layout title={`${title}: ${program.name}`}>
      <p>
        <a href="/staff/funding/normative">← Все программы</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>{title}</h1>
      <div class="narrow">
        <dl class="facts">
          <dt>Программа</dt>
          <dd>
            <a href={`/programs/${program.id}`}>{program.name}</a>
          </dd>
          <dt>Часы</dt>
          <dd>
            {program.hoursTotal} ч за {program.durationMonths} мес.
          </dd>
          <dt>Сейчас</dt>
          <dd>
            {amount(program.normativeKopecks)}
            {program.explicitKopecks === null && program.normativeKopecks !== null && ' (по стоимости часа)'}
          </dd>
        </dl>
        <form method="post" action={`/staff/funding/normative/${program.id}`} novalidate>
          <CsrfField />
          <TextField
            name="monthly"
            label="Нормативная стоимость месяца, ₽"
            hint="Пусто — по стоимости часа муниципалитета"
            width="medium"
            inputMode="numeric"
            value={values.monthly ?? ''}
            error={errors.monthly}
          />
          <button type="submit" class="button">
            Сохранить
          </button>
        </form>
      </div>
    </Layout>
  );
}

/** The coordinator's normative costs of certified programs (ADR 0033). */
export function normativeRoutes({
  quotes,
  secureCookies,
}: {
  quotes: FundingQuotes;
  secureCookies: boolean;
}) {
  return (app: FastifyInstance) => {
    app.get('/staff/funding/normative', access('coordinator'), async (request, reply) => {
      const q = listQuery.parse(inputFields(request.query)).q?.trim() ?? '';
      const programs = await quotes.certifiedPrograms(operatorOf(request), q);
      return sendPage(reply, <NormativeListPage q={q} programs={programs} />);
    });

    app.get('/staff/funding/normative/:programId', access('coordinator'), async (request, reply) => {
      const params = programParams.safeParse(request.params);
      const program = params.success
        ? await quotes.normativeOf(operatorOf(request), params.data.programId)
        : null;
      if (!program) return sendPage(reply, <NotFoundPage />, 404);
      const monthly =
        program.explicitKopecks === null ? '' : String(program.explicitKopecks / 100).replace('.', ',');
      return sendPage(reply, <NormativeFormPage program={program} values={{ monthly }} />);
    });

    app.post('/staff/funding/normative/:programId', access('coordinator'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = programParams.safeParse(request.params);
      const program = params.success ? await quotes.normativeOf(operator, params.data.programId) : null;
      if (!program) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = normativeSchema.safeParse(values);
      if (!parsed.success) {
        return sendPage(
          reply,
          <NormativeFormPage program={program} values={values} errors={fieldErrors(parsed.error)} />,
          400,
        );
      }
      await quotes.setNormativeCost(operator, program.id, parsed.data.monthly, auditContextOf(request));
      setFlash(reply, 'Нормативная стоимость сохранена.', { secure: secureCookies });
      return reply.redirect(`/staff/funding/normative/${program.id}`, 303);
    });
  };
}

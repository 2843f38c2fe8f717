import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { setFlash } from '../../platform/http/security.js';
import { optionalText } from '../../platform/validation/fields.js';
import { inputFields, smallIdSchema } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import {
  CsrfField,
  ErrorSummary,
  TextField,
  fieldErrors,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { sendPage } from '../../platform/views/render.js';
import type { Municipality, ReferenceService } from '../reference/index.js';
import { access, operatorOf } from '../../platform/http/access.js';
import type { Operator } from '../../platform/http/request-context.js';

const officeSchema = z.object({
  officeName: optionalText(300),
  officeAddress: optionalText(300),
  officePhone: optionalText(60),
  officeHours: optionalText(200),
  freeProgramsPerYear: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : (value ?? '')),
    z.union([
      z.literal('').transform(() => null),
      z.coerce
        .number({ message: 'Введите число от 0 до 50 или оставьте поле пустым' })
        .int({ message: 'Введите целое число' })
        .min(0, { message: 'Введите число от 0 до 50 или оставьте поле пустым' })
        .max(50, { message: 'Введите число от 0 до 50 или оставьте поле пустым' }),
    ]),
  ),
});

function MunicipalitiesPage({ municipalities }: { municipalities: Municipality[] }) {
  return (
    <Layout title="Муниципальные администраторы: приёмные">
      <p>
        <a href="/staff">← Рабочий стол</a>
      </p>
      <h1>Муниципалитеты: приёмные и бесплатные программы</h1>
      <p>Эти адреса и телефоны видят родители: на странице подтверждения данных и после регистрации.</p>
      <table class="table">
        <caption class="visually-hidden">Муниципалитеты и их приёмные</caption>
        <thead>
          <tr>
            <th scope="col">Муниципалитет</th>
            <th scope="col">Приёмная</th>
          </tr>
        </thead>
        <tbody>
          {municipalities.map((m) => (
            <tr key={m.id}>
              <td>
                <a href={`/staff/municipalities/${m.id}`}>{m.name}</a>
              </td>
              <td>{m.officeAddress ? `${m.officeAddress}, ${m.officePhone ?? ''}` : 'не указана'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

function OfficePage({
  municipality,
  values,
  errors = {},
}: {
  municipality: Municipality;
  values: Partial<Record<string, string>>;
  errors?: FieldErrors;
}) {
  return (
    <Layout title={`Приёмная: ${municipality.name}`}>
      <p>
        <a href="/staff/municipalities">← Все муниципалитеты</a>
      </p>
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h1>Приёмная муниципального администратора: {municipality.name}</h1>
        <form method="post" action={`/staff/municipalities/${municipality.id}`} novalidate>
          <CsrfField />
          <TextField name="officeName" label="Название" value={values.officeName} error={errors.officeName} />
          <TextField
            name="officeAddress"
            label="Адрес"
            value={values.officeAddress}
            error={errors.officeAddress}
          />
          <TextField
            name="officePhone"
            label="Телефон"
            type="tel"
            width="medium"
            value={values.officePhone}
            error={errors.officePhone}
          />
          <TextField
            name="officeHours"
            label="Часы приёма"
            value={values.officeHours}
            error={errors.officeHours}
          />
          <TextField
            name="freeProgramsPerYear"
            label="Бесплатных программ на ребёнка в год"
            hint="Сколько бесплатных программ ребёнок из этого муниципалитета может начать за календарный год. Пусто — без ограничения."
            inputMode="numeric"
            width="short"
            value={values.freeProgramsPerYear}
            error={errors.freeProgramsPerYear}
          />
          <button type="submit" class="button">
            Сохранить
          </button>
        </form>
      </div>
    </Layout>
  );
}

/** The regional coordinator keeps the municipal administrators' offices that parents are sent to (reference policy). */
export function municipalitiesRoutes({
  reference,
  secureCookies,
}: {
  reference: ReferenceService;
  secureCookies: boolean;
}) {
  /** The municipality named in the path if the operator keeps it; null for anything else (then 404). */
  const municipalityToKeep = async (operator: Operator, id: string) => {
    const parsed = smallIdSchema.safeParse(id);
    return parsed.success ? reference.officeToKeep(operator, parsed.data) : null;
  };

  return (app: FastifyInstance) => {
    app.get('/staff/municipalities', access('coordinator'), async (request, reply) => {
      const municipalities = await reference.officesToKeep(operatorOf(request));
      return sendPage(reply, <MunicipalitiesPage municipalities={municipalities} />);
    });

    app.get<{ Params: { id: string } }>(
      '/staff/municipalities/:id',
      access('coordinator'),
      async (request, reply) => {
        const municipality = await municipalityToKeep(operatorOf(request), request.params.id);
        if (!municipality) return sendPage(reply, <NotFoundPage />, 404);
        const values = {
          officeName: municipality.officeName ?? '',
          officeAddress: municipality.officeAddress ?? '',
          officePhone: municipality.officePhone ?? '',
          officeHours: municipality.officeHours ?? '',
          freeProgramsPerYear:
            municipality.freeProgramsPerYear === null ? '' : String(municipality.freeProgramsPerYear),
        };
        return sendPage(reply, <OfficePage municipality={municipality} values={values} />);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/staff/municipalities/:id',
      access('coordinator'),
      async (request, reply) => {
        const municipality = await municipalityToKeep(operatorOf(request), request.params.id);
        if (!municipality) return sendPage(reply, <NotFoundPage />, 404);
        const values = inputFields(request.body);
        const parsed = officeSchema.safeParse(values);
        if (!parsed.success) {
          return sendPage(
            reply,
            <OfficePage municipality={municipality} values={values} errors={fieldErrors(parsed.error)} />,
            400,
          );
        }
        await reference.updateOffice(
          operatorOf(request),
          municipality.id,
          {
            officeName: parsed.data.officeName ?? null,
            officeAddress: parsed.data.officeAddress ?? null,
            officePhone: parsed.data.officePhone ?? null,
            officeHours: parsed.data.officeHours ?? null,
            freeProgramsPerYear: parsed.data.freeProgramsPerYear ?? null,
          },
          auditContextOf(request),
        );
        setFlash(reply, `Приёмная: ${municipality.name} — сохранено.`, { secure: secureCookies });
        return reply.redirect('/staff/municipalities', 303);
      },
    );
  };
}

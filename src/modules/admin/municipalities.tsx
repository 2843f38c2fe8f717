import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { setFlash } from '../../platform/http/security.js';
import { optionalText, requiredText } from '../../platform/validation/fields.js';
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
import { isCoordinator } from '../../platform/access/policy.js';
import type { Operator } from '../../platform/http/request-context.js';

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Phones as people write them («+7 (4812) 38-00-00, доб. 12»); at least a whole number's worth of digits. */
const phones = z.preprocess(
  (value) => text(value).trim().replace(/\s+/g, ' ') || undefined,
  z
    .string()
    .max(120, { message: 'Не больше 120 символов' })
    .refine((value) => (value.match(/\d/g) ?? []).length >= 5 && /^[\d\s()+\-–,.;доб]+$/i.test(value), {
      message: 'Введите телефон цифрами, например +7 (4812) 38-00-00; несколько — через запятую',
    })
    .optional(),
);

const officeEmail = z.preprocess(
  (value) => text(value).trim().toLowerCase() || undefined,
  z
    .email({ message: 'Введите адрес электронной почты, например obrazovanie@admin-smolensk.ru' })
    .max(254, { message: 'Не больше 254 символов' })
    .optional(),
);

/** The office's contacts: what a municipal administrator and the coordinator both keep. */
const officeSchema = z.object({
  officeName: optionalText(300),
  officePeople: optionalText(300),
  officeAddress: optionalText(300),
  officePhone: phones,
  officeEmail,
  officeHours: optionalText(200),
});

const regionalSchema = z.object({
  name: requiredText('Укажите название регионального координатора', 300, 'Не больше 300 символов'),
  people: optionalText(300),
  address: optionalText(300),
  phone: phones,
  email: officeEmail,
  hours: optionalText(200),
});

function MunicipalitiesPage({
  municipalities,
  coordinator,
}: {
  municipalities: Municipality[];
  coordinator: boolean;
}) {
  return (
    <Layout title="Контакты муниципальных администраторов">
      <p>
        <a href="/staff">← Рабочий стол</a>
      </p>
      <h1>{coordinator ? 'Муниципалитеты: приёмные и бесплатные программы' : 'Контакты вашей приёмной'}</h1>
      <p>
        Эти адреса и телефоны видят родители: на странице <a href="/contacts">«Контакты»</a>, на странице
        подтверждения данных и после регистрации.
      </p>
      {coordinator && (
        <p>
          <a href="/staff/municipalities/region">Контакты регионального координатора</a>
        </p>
      )}
      <ul class="contacts-list">
        {municipalities.map((m) => (
          <li key={m.id} class="result">
            <h2 class="result__title">
              <a href={`/staff/municipalities/${m.id}`}>
                {m.name} {m.kind}
              </a>
            </h2>
            <p>
              {m.officeAddress || m.officePhone || m.officeEmail
                ? [m.officeName, m.officeAddress, m.officePhone, m.officeEmail].filter(Boolean).join(', ')
                : 'Контакты не указаны'}
            </p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

function OfficePage({
  municipality,
  values,
  coordinator,
  errors = {},
}: {
  municipality: Municipality;
  values: Partial<Record<string, string>>;
  /** The coordinator keeps every municipality's office (and comes from their list). */
  coordinator: boolean;
  errors?: FieldErrors;
}) {
  return (
    <Layout title={`Приёмная: ${municipality.name}`}>
      <p>
        <a href="/staff/municipalities">← {coordinator ? 'Все муниципалитеты' : 'Контакты приёмной'}</a>
      </p>
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h1>Приёмная муниципального администратора: {municipality.name}</h1>
        <p>Родители видят эти контакты на странице «Контакты» и приходят сюда подтверждать данные детей.</p>
        <form method="post" action={`/staff/municipalities/${municipality.id}`} novalidate>
          <CsrfField />
          <TextField
            name="officeName"
            label="Название"
            hint="Например: Отдел образования Администрации муниципального образования"
            maxLength={300}
            value={values.officeName}
            error={errors.officeName}
          />
          <TextField
            name="officePeople"
            label="Муниципальные администраторы (ФИО)"
            hint="Через запятую, если их несколько"
            maxLength={300}
            value={values.officePeople}
            error={errors.officePeople}
          />
          <TextField
            name="officeAddress"
            label="Адрес"
            maxLength={300}
            value={values.officeAddress}
            error={errors.officeAddress}
          />
          <TextField
            name="officePhone"
            label="Телефоны"
            type="tel"
            maxLength={120}
            value={values.officePhone}
            error={errors.officePhone}
          />
          <TextField
            name="officeEmail"
            label="Электронная почта"
            type="email"
            autocomplete="off"
            maxLength={254}
            value={values.officeEmail}
            error={errors.officeEmail}
          />
          <TextField
            name="officeHours"
            label="Часы приёма"
            value={values.officeHours}
            error={errors.officeHours}
          />
          <p>
            Число бесплатных программ на ребёнка задаётся на каждый учебный год в{' '}
            <a href={`/staff/funding/${municipality.id}`}>настройках финансирования</a>.
          </p>
          <button type="submit" class="button">
            Сохранить
          </button>
        </form>
      </div>
    </Layout>
  );
}

function RegionalOfficePage({
  values,
  errors = {},
}: {
  values: Partial<Record<string, string>>;
  errors?: FieldErrors;
}) {
  return (
    <Layout title="Контакты регионального координатора">
      <p>
        <a href="/staff/municipalities">← Все муниципалитеты</a>
      </p>
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h1>Контакты регионального координатора</h1>
        <p>Первая строка страницы «Контакты»: к вам обращаются, если муниципальный администратор не помог.</p>
        <form method="post" action="/staff/municipalities/region" novalidate>
          <CsrfField />
          <TextField name="name" label="Название" maxLength={300} value={values.name} error={errors.name} />
          <TextField
            name="people"
            label="Ответственные (ФИО)"
            hint="Через запятую, если их несколько"
            maxLength={300}
            value={values.people}
            error={errors.people}
          />
          <TextField
            name="address"
            label="Адрес"
            maxLength={300}
            value={values.address}
            error={errors.address}
          />
          <TextField
            name="phone"
            label="Телефоны"
            type="tel"
            maxLength={120}
            value={values.phone}
            error={errors.phone}
          />
          <TextField
            name="email"
            label="Электронная почта"
            type="email"
            autocomplete="off"
            maxLength={254}
            value={values.email}
            error={errors.email}
          />
          <TextField name="hours" label="Часы работы" value={values.hours} error={errors.hours} />
          <button type="submit" class="button">
            Сохранить
          </button>
        </form>
      </div>
    </Layout>
  );
}

/**
 * The municipal administrators' offices that parents are sent to: each administrator keeps their own, the
 * regional coordinator all of them, the limits of free programs and the coordinator's own contacts (ADR 0037).
 */
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
  const blank = (value: string | null) => value ?? '';

  return (app: FastifyInstance) => {
    app.get('/staff/municipalities', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const municipalities = await reference.officesToKeep(operator);
      return sendPage(
        reply,
        <MunicipalitiesPage municipalities={municipalities} coordinator={isCoordinator(operator)} />,
      );
    });

    app.get('/staff/municipalities/region', access('coordinator'), async (_request, reply) => {
      const office = await reference.regionalOffice();
      const values = {
        name: office.name,
        people: blank(office.people),
        address: blank(office.address),
        phone: blank(office.phone),
        email: blank(office.email),
        hours: blank(office.hours),
      };
      return sendPage(reply, <RegionalOfficePage values={values} />);
    });

    app.post('/staff/municipalities/region', access('coordinator'), async (request, reply) => {
      const values = inputFields(request.body);
      const parsed = regionalSchema.safeParse(values);
      if (!parsed.success) {
        return sendPage(
          reply,
          <RegionalOfficePage values={values} errors={fieldErrors(parsed.error)} />,
          400,
        );
      }
      const { name, people, address, phone, email, hours } = parsed.data;
      await reference.updateRegionalOffice(
        operatorOf(request),
        {
          name,
          people: people ?? null,
          address: address ?? null,
          phone: phone ?? null,
          email: email ?? null,
          hours: hours ?? null,
        },
        auditContextOf(request),
      );
      setFlash(reply, 'Контакты регионального координатора сохранены.', { secure: secureCookies });
      return reply.redirect('/staff/municipalities', 303);
    });

    app.get<{ Params: { id: string } }>(
      '/staff/municipalities/:id',
      access('municipal_admin'),
      async (request, reply) => {
        const operator = operatorOf(request);
        const municipality = await municipalityToKeep(operator, request.params.id);
        if (!municipality) return sendPage(reply, <NotFoundPage />, 404);
        const values = {
          officeName: blank(municipality.officeName),
          officePeople: blank(municipality.officePeople),
          officeAddress: blank(municipality.officeAddress),
          officePhone: blank(municipality.officePhone),
          officeEmail: blank(municipality.officeEmail),
          officeHours: blank(municipality.officeHours),
        };
        return sendPage(
          reply,
          <OfficePage municipality={municipality} values={values} coordinator={isCoordinator(operator)} />,
        );
      },
    );

    app.post<{ Params: { id: string } }>(
      '/staff/municipalities/:id',
      access('municipal_admin'),
      async (request, reply) => {
        const operator = operatorOf(request);
        const municipality = await municipalityToKeep(operator, request.params.id);
        if (!municipality) return sendPage(reply, <NotFoundPage />, 404);
        const values = inputFields(request.body);
        const office = officeSchema.safeParse(values);
        if (!office.success)
          return sendPage(
            reply,
            <OfficePage
              municipality={municipality}
              values={values}
              coordinator={isCoordinator(operator)}
              errors={fieldErrors(office.error)}
            />,
            400,
          );
        const data = office.data;
        await reference.updateOffice(
          operator,
          municipality.id,
          {
            officeName: data.officeName ?? null,
            officePeople: data.officePeople ?? null,
            officeAddress: data.officeAddress ?? null,
            officePhone: data.officePhone ?? null,
            officeEmail: data.officeEmail ?? null,
            officeHours: data.officeHours ?? null,
          },
          auditContextOf(request),
        );
        setFlash(reply, `Приёмная: ${municipality.name} — сохранено.`, { secure: secureCookies });
        return reply.redirect('/staff/municipalities', 303);
      },
    );
  };
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { officialName } from '../../platform/grammar/index.js';
import { setFlash } from '../../platform/http/security.js';
import { email, personName } from '../../platform/validation/fields.js';
import { inputFields } from '../../platform/validation/input.js';
import {
  CsrfField,
  ErrorSummary,
  SelectField,
  TextField,
  fieldErrors,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { sendPage } from '../../platform/views/render.js';
import type { AccountsService } from '../accounts/index.js';
import type { Organization } from '../organizations/index.js';
import { MUNICIPALITIES } from '../reference/index.js';
import { municipalityField, municipalityName } from '../reference/index.js';
import { access, operatorOf } from '../../platform/http/access.js';

type Staff = Awaited<ReturnType<AccountsService['listStaff']>>[number];
type FormValues = Partial<Record<string, string>>;

const personFields = { lastName: personName('Введите фамилию'), firstName: personName('Введите имя'), email };
const municipalAdminSchema = z.object({
  ...personFields,
  municipalityId: municipalityField,
});
const orgStaffSchema = z.object({
  ...personFields,
  organizationId: z.uuid({ message: 'Выберите организацию' }),
});

function PeoplePage(props: {
  kind: 'municipal_admin' | 'org_staff';
  people: Staff[];
  organizations: Organization[];
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const { kind, people, organizations, values = {}, errors = {} } = props;
  const title = kind === 'municipal_admin' ? 'Муниципальные администраторы' : 'Сотрудники организаций';
  const orgName = (id: string | null) => organizations.find((o) => o.id === id)?.shortName ?? '';
  return (
    <Layout title={title}>
      <p>
        <a href="/staff">← Рабочий стол</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>{title}</h1>
      {people.length === 0 ? (
        <p>Пока никого нет.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">ФИО</th>
              <th scope="col">Электронная почта</th>
              <th scope="col">{kind === 'municipal_admin' ? 'Муниципалитет' : 'Организация'}</th>
            </tr>
          </thead>
          <tbody>
            {people.map((person) => (
              <tr key={person.id}>
                <td>{officialName(person)}</td>
                <td>{person.email}</td>
                <td>
                  {kind === 'municipal_admin'
                    ? municipalityName(person.staff.municipalityId)
                    : orgName(person.staff.organizationId)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="narrow">
        <h2>Добавить</h2>
        <p>Новому сотруднику придёт письмо со ссылкой, чтобы задать пароль.</p>
        <form method="post" action="/staff/people" novalidate>
          <CsrfField />
          <TextField name="lastName" label="Фамилия" value={values.lastName} error={errors.lastName} />
          <TextField name="firstName" label="Имя" value={values.firstName} error={errors.firstName} />
          <TextField
            name="email"
            label="Адрес электронной почты"
            type="email"
            value={values.email}
            error={errors.email}
          />
          {kind === 'municipal_admin' ? (
            <SelectField
              name="municipalityId"
              label="Муниципалитет"
              placeholder="Выберите муниципалитет"
              options={MUNICIPALITIES.map((m) => ({ value: String(m.id), label: m.name }))}
              value={values.municipalityId}
              error={errors.municipalityId}
            />
          ) : (
            <SelectField
              name="organizationId"
              label="Организация"
              placeholder="Выберите организацию"
              options={organizations.map((o) => ({ value: o.id, label: o.shortName }))}
              value={values.organizationId}
              error={errors.organizationId}
            />
          )}
          <button type="submit" class="button">
            Добавить и отправить приглашение
          </button>
        </form>
      </div>
    </Layout>
  );
}

/**
 * Operators' accounts: the regional coordinator adds municipal administrators; a municipal administrator adds
 * staff of the organizations in their municipality. Who reaches whom is the accounts service's (accounts policy).
 */
export function adminRoutes({
  accounts,
  secureCookies,
}: {
  accounts: AccountsService;
  secureCookies: boolean;
}) {
  return (app: FastifyInstance) => {
    app.get('/staff/people', access('municipal_admin'), async (request, reply) => {
      const desk = await accounts.staffDesk(operatorOf(request));
      return sendPage(reply, <PeoplePage {...desk} />);
    });

    app.post('/staff/people', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const page = await accounts.staffDesk(operator);
      const values = inputFields(request.body);
      const show = (errors: FieldErrors) =>
        sendPage(reply, <PeoplePage {...page} values={values} errors={errors} />, 400);
      const parsed = (page.kind === 'municipal_admin' ? municipalAdminSchema : orgStaffSchema).safeParse(
        values,
      );
      if (!parsed.success) return show(fieldErrors(parsed.error));
      const invited = await accounts.inviteStaff(operator, { role: page.kind, ...parsed.data });
      if (!invited.ok) return show(invited.errors);
      setFlash(reply, `Учётная запись создана, приглашение отправлено на ${values.email ?? ''}.`, {
        secure: secureCookies,
      });
      return reply.redirect('/staff/people', 303);
    });
  };
}

import type { FastifyInstance } from 'fastify';
import { access, operatorOf } from '../../platform/http/access.js';
import { setFlash } from '../../platform/http/security.js';
import { inputFields, smallIdSchema } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import {
  CsrfField,
  ErrorSummary,
  TextAreaField,
  TextField,
  fieldErrors,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { sendPage } from '../../platform/views/render.js';
import {
  MAX_RELATED,
  SynonymRejected,
  synonymFormSchema,
  type Synonym,
  type SynonymInput,
  type SynonymsService,
} from './synonyms.js';

type Values = Partial<Record<string, string>>;

function SynonymFields({ values, errors }: { values: Values; errors: FieldErrors }) {
  return (
    <>
      <TextField
        name="term"
        label="Слово, которое набирают родители"
        hint="Одно слово, например «рисование». Другие формы слова («рисования») найдутся сами."
        width="medium"
        value={values.term}
        error={errors.term}
      />
      <TextAreaField
        name="related"
        label="Что искать вместе с ним"
        hint={`Слова или короткие выражения через запятую, как их пишут в названиях программ, например «рисунок, живопись, ИЗО». Не больше ${MAX_RELATED}.`}
        rows={3}
        maxLength={1000}
        value={values.related}
        error={errors.related}
      />
    </>
  );
}

function SynonymsPage({
  synonyms,
  values = {},
  errors = {},
}: {
  synonyms: Synonym[];
  values?: Values;
  errors?: FieldErrors;
}) {
  return (
    <Layout title="Поиск: связанные слова">
      <p>
        <a href="/staff">← Кабинет сотрудника</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>Поиск: связанные слова</h1>
      <p>
        Родители ищут своими словами: «рисование», а программа называется «Рисунок и живопись». Здесь указано,
        что ещё искать по каждому такому слову. Изменения видны в каталоге сразу.
      </p>
      <div class="narrow">
        <h2>Добавить слово</h2>
        <form method="post" action="/staff/search-synonyms" novalidate>
          <CsrfField />
          <SynonymFields values={values} errors={errors} />
          <button type="submit" class="button">
            Добавить
          </button>
        </form>
      </div>
      <h2>Все слова ({synonyms.length})</h2>
      <table class="table">
        <caption class="visually-hidden">Слова родителей и что по ним искать</caption>
        <thead>
          <tr>
            <th scope="col">Слово</th>
            <th scope="col">Что искать вместе с ним</th>
          </tr>
        </thead>
        <tbody>
          {synonyms.map((s) => (
            <tr key={s.id}>
              <td>
                <a href={`/staff/search-synonyms/${s.id}`}>
                  {s.term}
                  <span class="visually-hidden">: изменить</span>
                </a>
              </td>
              <td>{s.related.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

function SynonymPage({
  synonym,
  values,
  errors = {},
}: {
  synonym: Synonym;
  values: Values;
  errors?: FieldErrors;
}) {
  return (
    <Layout title={`Связанные слова: ${synonym.term}`}>
      <p>
        <a href="/staff/search-synonyms">← Все связанные слова</a>
      </p>
      <div class="narrow">
        <ErrorSummary errors={errors} />
        <h1>Связанные слова: «{synonym.term}»</h1>
        <form method="post" action={`/staff/search-synonyms/${synonym.id}`} novalidate>
          <CsrfField />
          <SynonymFields values={values} errors={errors} />
          <button type="submit" class="button">
            Сохранить
          </button>
        </form>
        <h2>Удалить</h2>
        <p>Поиск по слову «{synonym.term}» будет искать только само слово.</p>
        <form method="post" action={`/staff/search-synonyms/${synonym.id}/delete`}>
          <CsrfField />
          <button type="submit" class="button button--secondary">
            Удалить «{synonym.term}»
          </button>
        </form>
      </div>
    </Layout>
  );
}

const valuesOf = (synonym: Synonym): Values => ({ term: synonym.term, related: synonym.related.join(', ') });

/** The regional coordinator keeps the search's related words (catalog policy, ADR 0022). */
export function synonymsRoutes({
  synonyms,
  secureCookies,
}: {
  synonyms: SynonymsService;
  secureCookies: boolean;
}) {
  return (app: FastifyInstance) => {
    /** The form's input, checked: the entry, or the page's messages. */
    const parse = (body: unknown): { values: Values; input?: SynonymInput; errors?: FieldErrors } => {
      const values = inputFields(body);
      const parsed = synonymFormSchema.safeParse(values);
      return parsed.success ? { values, input: parsed.data } : { values, errors: fieldErrors(parsed.error) };
    };
    const entryOf = async (request: { params: { id: string } } & Parameters<typeof operatorOf>[0]) => {
      const id = smallIdSchema.safeParse(request.params.id);
      return id.success ? synonyms.get(operatorOf(request), id.data) : null;
    };

    app.get('/staff/search-synonyms', access('coordinator'), async (request, reply) => {
      return sendPage(reply, <SynonymsPage synonyms={await synonyms.list(operatorOf(request))} />);
    });

    app.post('/staff/search-synonyms', access('coordinator'), async (request, reply) => {
      const operator = operatorOf(request);
      const { values, input, errors } = parse(request.body);
      const reject = async (found: FieldErrors) =>
        sendPage(
          reply,
          <SynonymsPage synonyms={await synonyms.list(operator)} values={values} errors={found} />,
          400,
        );
      if (!input) return reject(errors ?? {});
      try {
        await synonyms.create(operator, input);
      } catch (error) {
        if (error instanceof SynonymRejected) return reject(error.errors);
        throw error;
      }
      setFlash(reply, `Слово «${input.term}» добавлено.`, { secure: secureCookies });
      return reply.redirect('/staff/search-synonyms', 303);
    });

    app.get<{ Params: { id: string } }>(
      '/staff/search-synonyms/:id',
      access('coordinator'),
      async (request, reply) => {
        const synonym = await entryOf(request);
        if (!synonym) return sendPage(reply, <NotFoundPage />, 404);
        return sendPage(reply, <SynonymPage synonym={synonym} values={valuesOf(synonym)} />);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/staff/search-synonyms/:id',
      access('coordinator'),
      async (request, reply) => {
        const synonym = await entryOf(request);
        if (!synonym) return sendPage(reply, <NotFoundPage />, 404);
        const { values, input, errors } = parse(request.body);
        const reject = (found: FieldErrors) =>
          sendPage(reply, <SynonymPage synonym={synonym} values={values} errors={found} />, 400);
        if (!input) return reject(errors ?? {});
        try {
          if (!(await synonyms.update(operatorOf(request), synonym.id, input))) {
            return sendPage(reply, <NotFoundPage />, 404);
          }
        } catch (error) {
          if (error instanceof SynonymRejected) return reject(error.errors);
          throw error;
        }
        setFlash(reply, `Слово «${input.term}» сохранено.`, { secure: secureCookies });
        return reply.redirect('/staff/search-synonyms', 303);
      },
    );

    // Registered last: the authorization matrix deletes its object here after the other routes used it.
    app.post<{ Params: { id: string } }>(
      '/staff/search-synonyms/:id/delete',
      access('coordinator'),
      async (request, reply) => {
        const synonym = await entryOf(request);
        if (!synonym || !(await synonyms.remove(operatorOf(request), synonym.id))) {
          return sendPage(reply, <NotFoundPage />, 404);
        }
        setFlash(reply, `Слово «${synonym.term}» удалено.`, { secure: secureCookies });
        return reply.redirect('/staff/search-synonyms', 303);
      },
    );
  };
}

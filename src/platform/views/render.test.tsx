import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ErrorSummary, TextField } from './forms.js';
import { Layout, SITE_NAME } from './layout.js';
import { renderPage } from './render.js';

const request = { user: null, csrfToken: 'token', flash: null } as unknown as FastifyRequest;
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];

function FormPage({ error }: { error?: string }) {
  return (
    <Layout title="Вход">
      <h1>Вход</h1>
      <ErrorSummary errors={{ email: error }} />
      <TextField name="email" label="Адрес электронной почты" error={error} />
    </Layout>
  );
}

describe('page title', () => {
  it('starts with «Ошибка: » when the page shows an error summary', () => {
    const html = renderPage(request, <FormPage error="Введите адрес электронной почты" />);
    expect(titleOf(html)).toBe(`Ошибка: Вход — ${SITE_NAME}`);
    expect(html.match(/Ошибка: /g)).toHaveLength(2); // the title and the hidden prefix beside the field
  });

  it('has no prefix when the form has no errors', () => {
    expect(titleOf(renderPage(request, <FormPage />))).toBe(`Вход — ${SITE_NAME}`);
  });
});

import { renderToString } from 'preact-render-to-string';
import { REGION } from '../region.js';
import type { MailMessage } from './message.js';

export interface EmailContent {
  subject: string;
  /** Defaults to «Здравствуйте!». */
  greeting?: string;
  paragraphs: string[];
  /** The one thing the letter asks to do: shown as a button and as a plain link. */
  action?: { label: string; url: string };
  /** Paragraphs after the action, e.g. what to do if the letter was not expected. */
  after?: string[];
}

const SIGNATURE = 'С наилучшими пожеланиями, команда Навигатора дополнительного образования';

/** Renders a letter in both forms: plain text for every mail client and simple HTML with inline styles. */
export function renderEmail(to: string, content: EmailContent, baseUrl: string): MailMessage {
  const greeting = content.greeting ?? 'Здравствуйте!';
  const after = content.after ?? [];
  const text = [
    greeting,
    ...content.paragraphs,
    ...(content.action ? [`${content.action.label}: ${content.action.url}`] : []),
    ...after,
    `${SIGNATURE} ${REGION.nameGenitive}\n${baseUrl}`,
  ].join('\n\n');
  const html =
    '<!doctype html>' +
    renderToString(<EmailHtml content={{ ...content, greeting, after }} baseUrl={baseUrl} />);
  return { to, subject: content.subject, text: text + '\n', html };
}

const font = 'font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #1b1b1b;';

function EmailHtml({
  content,
  baseUrl,
}: {
  content: Required<Omit<EmailContent, 'action'>> & EmailContent;
  baseUrl: string;
}) {
  return (
    <html lang="ru">
      <head>
        <meta charSet="utf-8" />
        <title>{content.subject}</title>
      </head>
      <body style="margin: 0; padding: 24px; background: #f3f4f6;">
        <div style={`max-width: 560px; margin: 0 auto; background: #ffffff; padding: 24px; ${font}`}>
          <p style="margin: 0 0 16px; font-weight: bold; color: #1d4f91;">
            Навигатор дополнительного образования {REGION.nameGenitive}
          </p>
          <p>{content.greeting}</p>
          {content.paragraphs.map((paragraph) => (
            <p>{paragraph}</p>
          ))}
          {content.action && (
            <p>
              <a
                href={content.action.url}
                style="display: inline-block; padding: 12px 20px; background: #1d4f91; color: #ffffff; text-decoration: none; border-radius: 4px;"
              >
                {content.action.label}
              </a>
              <br />
              <span style="font-size: 14px; color: #555555;">
                Если кнопка не работает, скопируйте ссылку в браузер: {content.action.url}
              </span>
            </p>
          )}
          {content.after.map((paragraph) => (
            <p>{paragraph}</p>
          ))}
          <p style="margin-top: 24px; color: #555555;">
            {SIGNATURE} {REGION.nameGenitive}
            <br />
            <a href={baseUrl}>{baseUrl}</a>
          </p>
        </div>
      </body>
    </html>
  );
}

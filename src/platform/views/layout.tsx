import type { ComponentChildren } from 'preact';
import { REGION } from '../region.js';
import { assetUrl } from './assets.js';
import { usePage } from './context.js';
import { CsrfField } from './forms.js';

export const SITE_NAME = `Навигатор дополнительного образования ${REGION.nameGenitive}`;

export interface LayoutProps {
  /** The page's own title; the site name is appended. */
  title: string;
  /** A short summary for search engines and link previews. */
  description?: string;
  /** Small scripts from public/ that improve this page; it works without them. */
  scripts?: string[];
  children: ComponentChildren;
}

export function Layout({ title, description, scripts = [], children }: LayoutProps) {
  const { user, flash } = usePage();
  return (
    <html lang="ru">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${SITE_NAME}`}</title>
        {description && <meta name="description" content={description} />}
        <link rel="stylesheet" href={assetUrl('app.css')} />
        <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
        {scripts.map((script) => (
          <script key={script} src={assetUrl(script)} defer />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Перейти к основному содержанию
        </a>
        <header class="site-header">
          <div class="container site-header__inner">
            <a class="site-header__brand" href="/">
              <img class="site-header__logo" src={assetUrl('favicon.svg')} alt="" width="32" height="32" />
              <span>{SITE_NAME}</span>
            </a>
            {user ? (
              <nav class="site-header__nav" aria-label="Личный кабинет">
                {user.staff && (
                  <a href={user.staff.role === 'org_staff' ? '/staff/org' : '/staff'}>Сотрудникам</a>
                )}
                <a href="/cabinet" class="site-header__user">
                  {user.shortName}
                </a>
                <form method="post" action="/logout" class="inline-form">
                  <CsrfField />
                  <button type="submit" class="link-button">
                    Выйти
                  </button>
                </form>
              </nav>
            ) : (
              <nav class="site-header__nav" aria-label="Вход в личный кабинет">
                <a href="/login">Вход</a>
                <a class="button button--small" href="/register">
                  Регистрация
                </a>
              </nav>
            )}
          </div>
        </header>
        {user && !user.emailVerified && (
          <div class="banner" role="region" aria-label="Подтверждение электронной почты">
            <div class="container banner__inner">
              <p>
                Подтвердите адрес электронной почты <strong>{user.email}</strong>: перейдите по ссылке из
                письма. Пока адрес не подтверждён, некоторые возможности недоступны.
              </p>
              <form method="post" action="/verify/email/resend" class="inline-form">
                <CsrfField />
                <button type="submit" class="button button--secondary button--small">
                  Отправить письмо повторно
                </button>
              </form>
            </div>
          </div>
        )}
        <main id="main" class="container main" tabIndex={-1}>
          {flash && (
            <div class="notice notice--success" role="status">
              {flash}
            </div>
          )}
          {children}
        </main>
        <footer class="site-footer">
          <div class="container">
            <nav class="site-footer__nav" aria-label="Разделы сайта">
              <a href="/programs">Программы</a>
              <a href="/organizations">Организации</a>
            </nav>
            <p>
              {SITE_NAME}. Поиск кружков и секций, запись детей на программы, сертификат дополнительного
              образования.
            </p>
            <p>Региональный оператор — Смоленский областной институт развития образования.</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

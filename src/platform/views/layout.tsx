import type { ComponentChildren } from 'preact';
import { REGION } from '../region.js';
import { assetUrl } from './assets.js';
import { usePage } from './context.js';
import { CsrfField } from './forms.js';
import { lowVisionClasses } from './low-vision.js';
import { LowVisionPanel, LowVisionSwitch } from './low-vision-panel.js';

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
  const { user, flash, facts, lowVision = null } = usePage();
  const unread = facts?.unreadNotices ?? 0;
  return (
    <html lang="ru" class={lowVisionClasses(lowVision)}>
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
        {lowVision && <LowVisionPanel settings={lowVision} />}
        <header class="site-header">
          <div class="container site-header__inner">
            <a class="site-header__brand" href="/">
              <img class="site-header__logo" src={assetUrl('favicon.svg')} alt="" width="32" height="32" />
              <span>{SITE_NAME}</span>
            </a>
            <nav class="site-header__nav" aria-label="Разделы сайта">
              <a href="/programs">Каталог</a>
              <LowVisionSwitch />
            </nav>
            {user ? (
              <nav class="site-header__nav" aria-label="Личный кабинет">
                {user.staff && <a href="/staff">Рабочий стол</a>}
                {(!user.staff || unread > 0) && <NoticesLink unread={unread} />}
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
            <nav aria-label="Сведения о сайте">
              <ul class="site-footer__links">
                <li>
                  <a href="/programs">Программы</a>
                </li>
                <li>
                  <a href="/organizations">Организации</a>
                </li>
                <li>
                  <a href="/help">Помощь</a>
                </li>
                <li>
                  <a href="/contacts">Контакты</a>
                </li>
                <li>
                  <a href="/support/ask">Задать вопрос</a>
                </li>
                <li>
                  <a href="/privacy">Политика конфиденциальности</a>
                </li>
                <li>
                  <a href="/terms">Пользовательское соглашение</a>
                </li>
              </ul>
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

/** «Уведомления» with the number of unread ones (the applications module counts them, see PageFacts). */
function NoticesLink({ unread }: { unread: number }) {
  return (
    <a href="/cabinet/notices" class="site-header__notices">
      Уведомления{unread > 0 && ' '}
      {unread > 0 && (
        <span class="notice-badge">
          {unread > 99 ? '99+' : unread}
          <span class="visually-hidden"> новых</span>
        </span>
      )}
    </a>
  );
}

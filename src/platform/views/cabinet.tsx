import type { ComponentChildren } from 'preact';
import { usePage } from './context.js';
import { plural } from './format.js';
import { Layout } from './layout.js';

/** The personal cabinet: its tabs «Профиль», «Дети», «Заявки», «Договоры», «Уведомления», each served by its own module. */
export type CabinetTab = 'profile' | 'children' | 'applications' | 'contracts' | 'notices';

const TABS: { id: CabinetTab; label: string; href: string }[] = [
  { id: 'profile', label: 'Профиль', href: '/cabinet' },
  { id: 'children', label: 'Дети', href: '/cabinet/children' },
  { id: 'applications', label: 'Заявки', href: '/cabinet/applications' },
  { id: 'contracts', label: 'Договоры', href: '/cabinet/contracts' },
  { id: 'notices', label: 'Уведомления', href: '/cabinet/notices' },
];

export function CabinetLayout({
  tab,
  title,
  family = true,
  children,
}: {
  tab: CabinetTab;
  title: string;
  /** False for an operator who added no child: their cabinet is their profile only, without «Дети», «Заявки». */
  family?: boolean;
  children: ComponentChildren;
}) {
  const unread = usePage().facts?.unreadNotices ?? 0;
  const tabs = family ? TABS : TABS.filter((item) => item.id === 'profile');
  return (
    <Layout title={title}>
      <h1>Личный кабинет</h1>
      {unread > 0 && tab !== 'notices' && (
        <p class="notice">
          <a href="/cabinet/notices">
            {unread > 99
              ? 'Более 99 новых уведомлений'
              : `${unread} ${plural(unread, ['новое уведомление', 'новых уведомления', 'новых уведомлений'])}`}
          </a>
        </p>
      )}
      <nav class="tabs" aria-label="Разделы личного кабинета">
        <ul class="tabs__list">
          {tabs.map((item) => (
            <li key={item.id} class="tabs__item">
              <a
                class={`tabs__link${item.id === tab ? ' tabs__link--current' : ''}`}
                href={item.href}
                aria-current={item.id === tab ? 'page' : undefined}
              >
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="tabs__panel">{children}</div>
    </Layout>
  );
}

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { CurrentUser } from '../http/request-context.js';
import type { LowVision } from './low-vision.js';

export interface PageContextValue {
  user: CurrentUser | null;
  csrfToken: string;
  /** A one-time confirmation shown at the top of the page after a redirect («Пароль изменён»). */
  flash: string | null;
  /** «Версия для слабовидящих» settings, or null when it is off (ADR 0021). */
  lowVision?: LowVision | null;
  /** The address of this page, for the links that come back to it. */
  path?: string;
  /**
   * What the page found while it rendered, for the document around it: `formErrors` is set by the error
   * summary, and the title then starts with «Ошибка: » (GOV.UK), however the page was composed.
   */
  found?: { formErrors: boolean };
  /** What modules tell the layout about the signed-in person (see PageFacts). */
  facts?: PageFacts;
}

/**
 * Facts about the signed-in person that the layout shows on every page, each supplied by the module that owns it
 * through a provider it registers (`app.addPageFacts`): the platform knows the shape, not the module.
 */
export interface PageFacts {
  /** Unread notices («Уведомления» in the header), capped by the provider. */
  unreadNotices?: number;
}

export type PageFactsProvider = (user: CurrentUser) => Promise<PageFacts>;

export const PageContext = createContext<PageContextValue>({ user: null, csrfToken: '', flash: null });

export function usePage(): PageContextValue {
  return useContext(PageContext);
}

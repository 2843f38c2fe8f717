import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { CurrentUser } from '../http/request-context.js';
import type { LowVision } from './low-vision.js';

export interface PageContextValue {
  user: CurrentUser | null;
  csrfToken: string;
  /** A one-time confirmation shown at the top of the page after a redirect («Пароль изменён»). */
  flash: string | null;
  /** «Версия для слабовидящих» settings, or null when it is off (ADR 0019). */
  lowVision?: LowVision | null;
  /** The address of this page, for the links that come back to it. */
  path?: string;
  /**
   * What the page found while it rendered, for the document around it: `formErrors` is set by the error
   * summary, and the title then starts with «Ошибка: » (GOV.UK), however the page was composed.
   */
  found?: { formErrors: boolean };
}

export const PageContext = createContext<PageContextValue>({ user: null, csrfToken: '', flash: null });

export function usePage(): PageContextValue {
  return useContext(PageContext);
}

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { CurrentUser } from '../http/request-context.js';

export interface PageContextValue {
  user: CurrentUser | null;
  csrfToken: string;
  /** A one-time confirmation shown at the top of the page after a redirect («Пароль изменён»). */
  flash: string | null;
}

export const PageContext = createContext<PageContextValue>({ user: null, csrfToken: '', flash: null });

export function usePage(): PageContextValue {
  return useContext(PageContext);
}

import type { OrganizationCategory } from './schema.js';

/** What parents call each kind of provider (the list's filter and the organization's page). */
export const CATEGORY_LABELS: Record<OrganizationCategory, string> = {
  school: 'Школа',
  creativity_centre: 'Дом или центр детского творчества (ДДТ, ЦДТ)',
  arts_school: 'Детская школа искусств (ДШИ)',
  sports_school: 'Спортивная школа',
  kindergarten: 'Детский сад',
  private: 'Частная организация',
  other: 'Иное',
};

export const ORGANIZATION_FORMS = ['организация', 'организации', 'организаций'] as const;

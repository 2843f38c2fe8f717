export const FINANCING_LABELS = {
  free: 'Бесплатно',
  certificate: 'По сертификату',
  paid: 'Платно',
} as const;

export const LEVEL_LABELS = {
  start: 'Стартовый',
  basic: 'Базовый',
  advanced: 'Продвинутый',
} as const;

export const FORMAT_LABELS = {
  in_person: 'Очно',
  remote: 'Дистанционно',
  blended: 'Смешанно',
} as const;

export const PROGRAM_FORMS = ['программа', 'программы', 'программ'] as const;
export const YEAR_FORMS = ['год', 'года', 'лет'] as const;

/** ОВЗ categories (DOMAIN.md); stored as these codes. */
export const OVZ_LABELS = {
  deaf: 'Глухие',
  hard_of_hearing: 'Слабослышащие',
  blind: 'Слепые',
  low_vision: 'Слабовидящие',
  speech: 'Нарушения речи',
  musculoskeletal: 'Нарушения опорно-двигательного аппарата',
  mental_delay: 'Задержка психического развития',
  autism: 'Расстройства аутистического спектра',
  intellectual: 'Умственная отсталость',
} as const;
export type OvzCategory = keyof typeof OVZ_LABELS;
export const OVZ_CATEGORIES = Object.keys(OVZ_LABELS) as OvzCategory[];

/** Registries a program is included in (DOMAIN.md). */
export const REGISTRY_LABELS = {
  certified: 'Сертифицированные',
  preprofessional: 'Предпрофессиональные',
  significant: 'Значимые',
  other: 'Иные',
  paid: 'Платные',
} as const;
export type Registry = keyof typeof REGISTRY_LABELS;
export const REGISTRIES = Object.keys(REGISTRY_LABELS) as Registry[];

/** Moderation states as the provider and the moderator see them. */
export const STATUS_LABELS = {
  draft: 'Черновик',
  moderation: 'На модерации',
  published: 'Опубликовано',
  needs_changes: 'Ожидает правки',
  archived: 'Архив',
} as const;

export const SORT_LABELS = {
  relevance: 'по соответствию запросу',
  start: 'по ближайшему началу занятий',
  name: 'по названию',
} as const;

// The region's closed lists a program is described by, beside the направленности (data.ts): how it is paid
// for, its level and format, the ОВЗ categories it is adapted for and the registries it is in. The programs
// module stores them (its enums), the catalog filters by them, the organization page shows them.

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

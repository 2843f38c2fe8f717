// The region's closed lists a program is described by, beside the направленности (data.ts): how it is paid
// for, its level and format, the ОВЗ categories it is adapted for and the registries it is in. The programs
// module stores them (its enums), the catalog filters by them, the organization page shows them.

export const FINANCING_LABELS = {
  free: 'Бесплатно',
  certificate: 'Оплата сертификатом',
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

/** The one registry a program is in (DOMAIN.md, ADR 0036); the moderator sets it when publishing. */
export const REGISTRY_LABELS = {
  certified: 'Сертифицированные',
  significant: 'Значимые',
  preprofessional: 'Предпрофессиональные',
  other: 'Иные',
  paid: 'Платные',
} as const;
export type Registry = keyof typeof REGISTRY_LABELS;
export const REGISTRIES = Object.keys(REGISTRY_LABELS) as Registry[];

/** What each registry means for a family, under its name in the forms. */
export const REGISTRY_HINTS: Record<Registry, string> = {
  certified: 'оплата сертификатом финансирования',
  significant: 'бесплатно, по сертификату учёта',
  preprofessional: 'бесплатно, по сертификату учёта',
  other: 'бесплатно, по сертификату учёта',
  paid: 'за счёт родителей',
};

export type Financing = keyof typeof FINANCING_LABELS;

/**
 * How a registry's programs are paid for: the only rule, mirrored by the generated column `programs.financing`
 * (ADR 0036). The budget registries (значимые, предпрофессиональные, иные) are free.
 */
export function financingOf(registry: Registry): Financing {
  return registry === 'certified' ? 'certificate' : registry === 'paid' ? 'paid' : 'free';
}

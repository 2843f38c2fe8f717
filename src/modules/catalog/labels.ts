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
export const PLACE_FORMS = ['место', 'места', 'мест'] as const;

export const PROGRAM_FORMS = ['программа', 'программы', 'программ'] as const;

export const SORT_LABELS = {
  relevance: 'по соответствию запросу',
  start: 'по ближайшему началу занятий',
  name: 'по названию',
} as const;

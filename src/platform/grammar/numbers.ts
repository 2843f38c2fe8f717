/** The three Russian number forms of a noun: one («1 место»), few («2 места»), many («5 мест»). */
export type NounForms = readonly [one: string, few: string, many: string];

export const PLACE_FORMS: NounForms = ['место', 'места', 'мест'];
export const YEAR_FORMS: NounForms = ['год', 'года', 'лет'];
export const PROGRAM_FORMS: NounForms = ['программа', 'программы', 'программ'];
export const CHILD_FORMS: NounForms = ['ребёнок', 'ребёнка', 'детей'];
export const APPLICATION_FORMS: NounForms = ['заявка', 'заявки', 'заявок'];

/** The form for a count: plural(5, ['программа', 'программы', 'программ']) → «программ». */
export function plural(n: number, forms: NounForms): string {
  const mod10 = Math.abs(n) % 10;
  const mod100 = Math.abs(n) % 100;
  if (mod10 === 1 && mod100 !== 11) return forms[0];
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
  return forms[2];
}

/** «5 программ», with a non-breaking space between thousands («1 200 программ»). */
export function countOf(n: number, forms: NounForms): string {
  return `${n.toLocaleString('ru-RU')} ${plural(n, forms)}`;
}

/**
 * A count after «из», which governs the genitive: «из 21 места», «из 15 мест» (genitive singular for a number
 * ending in 1, genitive plural otherwise — the many form is the genitive plural).
 */
export function ofCount(n: number, forms: { one: string; many: string }): string {
  const mod10 = Math.abs(n) % 10;
  const mod100 = Math.abs(n) % 100;
  return `из ${n.toLocaleString('ru-RU')} ${mod10 === 1 && mod100 !== 11 ? forms.one : forms.many}`;
}

/**
 * Free places of a group: «свободно 3 из 15 мест», «свободно 1 из 21 места», «мест нет (план приёма: 15 мест)».
 * The noun is said once, after the capacity.
 */
export function freePlaces(capacity: number, taken: number): string {
  const free = Math.max(0, capacity - taken);
  if (free === 0) return `мест нет (план приёма: ${countOf(capacity, PLACE_FORMS)})`;
  return `свободно ${free.toLocaleString('ru-RU')} ${ofCount(capacity, { one: 'места', many: 'мест' })}`;
}

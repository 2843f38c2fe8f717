import petrovich from 'petrovich';

/** Russian cases, named as petrovich names them; `nominative` is the name as written. */
export type GrammaticalCase =
  'nominative' | 'genitive' | 'dative' | 'accusative' | 'instrumental' | 'prepositional';
export type Sex = 'male' | 'female';

/** A person's name as stored: фамилия, имя, отчество (may be absent) and, when known, the sex. */
export interface PersonName {
  lastName: string;
  firstName: string;
  middleName?: string | null;
  sex?: Sex | null;
}

// Where petrovich's rules give a form the written language does not use (the stress falls on the ending).
const FIXES: Record<'first' | 'middle', Record<string, Partial<Record<GrammaticalCase, string>>>> = {
  first: { Илья: { instrumental: 'Ильёй' } },
  middle: { Ильич: { instrumental: 'Ильичом' } },
};

/**
 * The sex to decline by: the known one (a child's record has it); else the patronymic's («-ич», «-на», «оглы»,
 * «кызы»); else the surname's typical ending; else null, and the caller words the sentence neutrally.
 */
export function sexOf(person: PersonName): Sex | null {
  if (person.sex) return person.sex;
  const middle = person.middleName?.trim().toLowerCase() ?? '';
  if (middle) {
    if (/(ич|\sоглы|\sулы)$/.test(middle)) return 'male';
    if (/(на|\sкызы|\sгызы)$/.test(middle)) return 'female';
  }
  const last = person.lastName.trim().toLowerCase().replace(/ё/g, 'е');
  if (/(ова|ева|ина|ына|ская|цкая|ая)$/.test(last)) return 'female';
  if (/(ов|ев|ин|ын|ский|цкий|ой|ый)$/.test(last)) return 'male';
  return null;
}

// petrovich's surname rules are written with «е» («-ева»): «Хрусталёва» would take the first-name rule. The
// surname is declined without «ё», and each «ё» of the stem is put back where the stem is unchanged.
function withYo(original: string, declined: string): string {
  let result = '';
  for (let i = 0; i < declined.length; i += 1) {
    result +=
      original[i] === 'ё' && declined[i] === 'е'
        ? 'ё'
        : original[i] === 'Ё' && declined[i] === 'Е'
          ? 'Ё'
          : declined[i];
  }
  return result;
}

function declinePart(
  kind: 'first' | 'middle' | 'last',
  word: string,
  gcase: Exclude<GrammaticalCase, 'nominative'>,
  gender: Sex | 'androgynous',
): string {
  // A name typed in capitals («ЗУЕВ») is declined as «Зуев» and given back in capitals («ЗУЕВА»).
  if (word.length > 1 && word === word.toUpperCase() && word !== word.toLowerCase()) {
    const titled = word
      .toLowerCase()
      .replace(/(^|-)(\p{L})/gu, (_, dash: string, letter: string) => dash + letter.toUpperCase());
    return declinePart(kind, titled, gcase, gender).toUpperCase();
  }
  const fix = kind === 'last' ? undefined : FIXES[kind][word]?.[gcase];
  if (fix) return fix;
  const input = kind === 'last' ? word.replace(/ё/g, 'е').replace(/Ё/g, 'Е') : word;
  const declined = petrovich({ gender, [kind]: input }, gcase)[kind] ?? input;
  return kind === 'last' ? withYo(word, declined) : declined;
}

function declined(person: PersonName, gcase: GrammaticalCase) {
  const last = person.lastName.trim();
  const first = person.firstName.trim();
  const middle = person.middleName?.trim() || null;
  if (gcase === 'nominative') return { last, first, middle };
  const gender = sexOf(person) ?? 'androgynous';
  return {
    last: declinePart('last', last, gcase, gender),
    first: declinePart('first', first, gcase, gender),
    middle: middle && declinePart('middle', middle, gcase, gender),
  };
}

/** The official order, Фамилия Имя Отчество, in a case: «для ребёнка Кузнецова Ильи Андреевича». */
export function officialName(person: PersonName, gcase: GrammaticalCase = 'nominative'): string {
  const { last, first, middle } = declined(person, gcase);
  return [last, first, middle].filter(Boolean).join(' ');
}

/** Фамилия and initials, for a header or a list: «Кузнецов И. А.», «Иванова А.-М. И.». */
export function initialsName(person: PersonName): string {
  const initials = [person.firstName, person.middleName ?? '']
    .map((part) =>
      part
        .trim()
        .split('-')
        .filter(Boolean)
        .map((piece) => `${piece[0]!.toUpperCase()}.`)
        .join('-'),
    )
    .filter(Boolean)
    .join(' ');
  return [person.lastName.trim(), initials].filter(Boolean).join(' ');
}

/** Имя Отчество, for a greeting or an address to the person: «Илья Андреевич», «Илья» without a patronymic. */
export function greetingName(person: PersonName, gcase: GrammaticalCase = 'nominative'): string {
  const { first, middle } = declined(person, gcase);
  return [first, middle].filter(Boolean).join(' ');
}

/**
 * Words that agree with the person's sex: bySex(child, { male: 'зачислен', female: 'зачислена', neutral: … }).
 * The neutral wording, for an unknown sex, is a whole phrase that needs no agreement (never «зачислен(а)»).
 */
export function bySex(person: PersonName, forms: { male: string; female: string; neutral: string }): string {
  const sex = sexOf(person);
  return sex ? forms[sex] : forms.neutral;
}

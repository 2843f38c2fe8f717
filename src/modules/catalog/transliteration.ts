/**
 * Latin ↔ Cyrillic spellings of a query word, for the catalog's query expansion: parents type «lego» for
 * «Лего-конструирование» and «скретч» or «питон» for programs named «Scratch» and «Python». Brand words are
 * spelled as people say them (a letter-by-letter rendering of «python» would be «пытхон»); other words get a
 * plain letter-by-letter rendering. The search keeps a spelling only if some published program has it, so a
 * rendering that means nothing costs nothing.
 */

/** Brand and loan words as they are spelled in Latin letters and said in Russian. */
const BRANDS: Record<string, string[]> = {
  lego: ['лего'],
  scratch: ['скретч', 'скрэтч', 'скратч'],
  python: ['питон', 'пайтон'],
  arduino: ['ардуино'],
  minecraft: ['майнкрафт'],
  roblox: ['роблокс'],
  java: ['джава', 'ява'],
  javascript: ['джаваскрипт'],
  unity: ['юнити'],
  blender: ['блендер'],
  tinkercad: ['тинкеркад'],
  wedo: ['ведо', 'видо'],
  mindstorms: ['майндстормс'],
  photoshop: ['фотошоп'],
  kodu: ['коду'],
};

/** The other way: «питон» → «python». */
const BRANDS_BACK: Record<string, string[]> = {};
for (const [latin, spellings] of Object.entries(BRANDS)) {
  for (const spelling of spellings) (BRANDS_BACK[spelling] ??= []).push(latin);
}

// Letter groups first: the longest match wins.
const LATIN_TO_CYRILLIC = [
  ['sch', 'щ'],
  ['shch', 'щ'],
  ['sh', 'ш'],
  ['ch', 'ч'],
  ['zh', 'ж'],
  ['kh', 'х'],
  ['ts', 'ц'],
  ['ph', 'ф'],
  ['th', 'т'],
  ['ck', 'к'],
  ['ya', 'я'],
  ['yu', 'ю'],
  ['yo', 'ё'],
  ['ye', 'е'],
  ['ee', 'и'],
  ['oo', 'у'],
  ['a', 'а'],
  ['b', 'б'],
  ['c', 'к'],
  ['d', 'д'],
  ['e', 'е'],
  ['f', 'ф'],
  ['g', 'г'],
  ['h', 'х'],
  ['i', 'и'],
  ['j', 'дж'],
  ['k', 'к'],
  ['l', 'л'],
  ['m', 'м'],
  ['n', 'н'],
  ['o', 'о'],
  ['p', 'п'],
  ['q', 'к'],
  ['r', 'р'],
  ['s', 'с'],
  ['t', 'т'],
  ['u', 'у'],
  ['v', 'в'],
  ['w', 'в'],
  ['x', 'кс'],
  ['y', 'и'],
  ['z', 'з'],
] as [string, string][];
LATIN_TO_CYRILLIC.sort((a, b) => b[0].length - a[0].length);

const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

function latinToCyrillic(word: string): string {
  let result = '';
  for (let index = 0; index < word.length;) {
    const match = LATIN_TO_CYRILLIC.find(([latin]) => word.startsWith(latin, index));
    if (match) {
      result += match[1];
      index += match[0].length;
    } else {
      result += word[index];
      index += 1;
    }
  }
  return result;
}

function cyrillicToLatin(word: string): string {
  return [...word].map((letter) => CYRILLIC_TO_LATIN[letter] ?? letter).join('');
}

/**
 * The other-alphabet spellings of one lower-cased word: brand spellings first, then the letter-by-letter one.
 * A word that mixes alphabets, or has no letters, has none.
 */
export function transliterations(word: string): string[] {
  const latin = /^[a-z0-9]*[a-z][a-z0-9]*$/.test(word);
  const cyrillic = /^[а-яё0-9]*[а-яё][а-яё0-9]*$/.test(word);
  if (!latin && !cyrillic) return [];
  const spellings = latin
    ? [...(BRANDS[word] ?? []), latinToCyrillic(word)]
    : [...(BRANDS_BACK[word] ?? []), cyrillicToLatin(word)];
  return [...new Set(spellings)].filter((spelling) => spelling !== word);
}

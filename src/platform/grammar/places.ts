import { REGION } from '../region.js';

/** The site's full name, as letters and pages sign it. */
export const NAVIGATOR_NAME = `Навигатор дополнительного образования ${REGION.nameGenitive}`;

/**
 * A letter's subject in plain words: what the letter is about, an em dash, who sends it. Never a raw address:
 * «Подтвердите адрес электронной почты — Навигатор дополнительного образования Смоленской области».
 */
export function letterSubject(topic: string): string {
  return `${topic.trim()} — ${NAVIGATOR_NAME}`;
}

const LETTER = 'а-яёa-z';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/**
 * Does the address already name the municipality? «город Смоленск» is named by «г. Смоленск», «Смоленск,»;
 * «Кардымовский муниципальный округ» by «Кардымовский р-н», «Кардымовского района», «Кардымовский МО».
 */
function namesMunicipality(municipality: string, address: string): boolean {
  const text = address.toLowerCase().replace(/ё/g, 'е');
  const name = municipality.toLowerCase().replace(/ё/g, 'е').trim();
  const city = /^(город|г\.)\s+(.+)$/.exec(name);
  // A district is named by its adjective in any case: «Кардымовский р-н», «Кардымовского района».
  const key = city ? escape(city[2]!) : `${escape(name.split(/\s+/)[0]!.replace(/ий$/, ''))}(ий|ого|ом|ому)`;
  return new RegExp(`(^|[^${LETTER}])${key}($|[^${LETTER}])`).test(text);
}

/**
 * An address with its municipality, the locality said once: («город Смоленск», «г. Смоленск, ул. Ленина, д. 1»)
 * → «г. Смоленск, ул. Ленина, д. 1»; («Кардымовский муниципальный округ», «пгт Кардымово, ул. Ленина, д. 1») →
 * «Кардымовский муниципальный округ, пгт Кардымово, ул. Ленина, д. 1». An empty part is left out.
 */
export function addressWithMunicipality(municipality: string, address: string): string {
  const street = address
    .trim()
    .replace(/\s*,\s*/g, ', ')
    .replace(/^,\s*|,\s*$/g, '');
  if (!municipality.trim()) return street;
  if (!street) return municipality.trim();
  return namesMunicipality(municipality, street) ? street : `${municipality.trim()}, ${street}`;
}

/**
 * Text someone typed, closed as a sentence: «нет мест в пятницу» and «нет мест в пятницу.» both end in one
 * period (never «..»); «?», «!» and «…» are kept.
 */
export function asSentence(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

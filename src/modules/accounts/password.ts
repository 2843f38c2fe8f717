import { createRequire } from 'node:module';
import { hash, verify } from '@node-rs/argon2';
import type * as ZxcvbnCore from '@zxcvbn-ts/core';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type * as ZxcvbnCommon from '@zxcvbn-ts/language-common';

// OWASP's argon2id parameters (19 MiB, 2 passes): about 35 ms per hash on one core here.
// `algorithm: 2` is Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Checked against when the e-mail is unknown, so that a wrong address takes as long as a wrong password. Made at
// the first such sign-in rather than at start (a hash is ~35 ms of CPU; issue 16).
let dummyHash: Promise<string> | undefined;

export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('not-a-real-password-only-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}

// Words a person here reaches for first: the region, its towns, the site itself, everyday Russian words; both in
// Cyrillic and in the Latin spelling people type them in.
const REGIONAL_WORDS = `смоленск smolensk смоленская smolenskaya смоляне навигатор navigator кружок kruzhok
  кружки kruzhki дети deti ребенок ребёнок rebenok родитель roditel школа shkola учеба учёба ucheba
  образование obrazovanie вязьма vyazma ярцево yartsevo рославль roslavl сафоново safonovo гагарин gagarin
  десногорск desnogorsk дорогобуж dorogobuzh демидов demidov велиж velizh пароль parol privet привет
  любовь lyubov lubov россия rossiya russia москва moskva солнышко solnyshko котик kotik зайка zaika
  qwerty йцукен`
  .split(/\s+/)
  .filter(Boolean);

// Built at the first check, not at start: unpacking and ranking the dictionaries costs about a second of CPU, most
// of the app's start-up (issue 16). Required synchronously: the forms' schemas check passwords synchronously.
let zxcvbn: ZxcvbnFactory | undefined;
function checker(): ZxcvbnFactory {
  if (!zxcvbn) {
    const require = createRequire(import.meta.url);
    const core = require('@zxcvbn-ts/core') as typeof ZxcvbnCore;
    const common = require('@zxcvbn-ts/language-common') as typeof ZxcvbnCommon;
    zxcvbn = new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, regional: REGIONAL_WORDS },
      graphs: common.adjacencyGraphs,
    });
  }
  return zxcvbn;
}

// The Russian layout typed as if it were Latin (й→q, ц→w…), so that «йцукен» or «фыва» are seen as keyboard walks.
const RUSSIAN_KEYS = 'йцукенгшщзхъфывапролджэячсмитьбю';
const LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.";

function asLatinKeys(password: string): string {
  return [...password.toLowerCase()]
    .map((char) => {
      const at = RUSSIAN_KEYS.indexOf(char === 'ё' ? 'е' : char);
      return at < 0 ? char : LATIN_KEYS[at];
    })
    .join('');
}

/**
 * Whether a password is too easy to guess: zxcvbn's estimate (its dictionary of some 40 000 passwords most often
 * found in leaks, common words, keyboard walks, dates and sequences, plus the regional words above) below score 3,
 * that is fewer than 10^8 guesses. Checked locally; nothing is sent anywhere.
 */
export function isCommonPassword(password: string): boolean {
  // The first 64 characters decide: a password strong there is strong, and long input stays quick to check.
  const head = password.slice(0, 64);
  const typed = asLatinKeys(head);
  const zxcvbn = checker();
  return zxcvbn.check(head).score < 3 || (typed !== head.toLowerCase() && zxcvbn.check(typed).score < 3);
}

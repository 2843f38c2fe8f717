import { hash, verify } from '@node-rs/argon2';

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

// Checked against when the e-mail is unknown, so that a wrong address takes as long as a wrong password.
const DUMMY_HASH = hashPassword('not-a-real-password-only-for-timing');

export async function verifyAgainstNothing(password: string): Promise<false> {
  await verifyPassword(await DUMMY_HASH, password);
  return false;
}

/**
 * The most common passwords in leaked Russian and international lists, plus keyboard runs in both layouts.
 * A password equal to any of them (ignoring case) is refused.
 */
const COMMON_PASSWORDS = new Set(
  `123456789 12345678 1234567890 password password1 password123 qwerty123 qwertyuiop 1q2w3e4r 1q2w3e4r5t
  1qaz2wsx qazwsxedc zaq12wsx 11111111 00000000 88888888 12341234 87654321 123123123 11223344 123qweasd
  iloveyou sunshine princess football baseball welcome1 admin123 letmein1 passw0rd p@ssw0rd qwerty12
  abc12345 abcd1234 aa123456 asdfghjk zxcvbnm1 q1w2e3r4 computer superman starwars dragon12 monkey12
  master12 michael1 jennifer natasha1 nikita123 maksim123 samsung1 samsung123 marina123 svetlana
  ekaterina alexander aleksandr dmitriy1 vladimir sergey123 andrey123 olga1234 tatiana1 anastasia
  йцукенгш йцукенгшщз фывапролд ячсмитьб пароль123 пароль1234 привет123 любовь123 наташа123 марина123
  qwertyui asdfasdf zxcvzxcv 1111111111 0987654321 987654321 password12 changeme1 trustno1 whatever1
  навигатор navigator1 smolensk smolensk67 смоленск 12345qwert qwert12345 1234qwer qwer1234`
    .split(/\s+/)
    .filter(Boolean),
);

export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return true;
  // One character repeated («aaaaaaaa») or a plain run of digits («12345678901»).
  return (
    /^(.)\1+$/.test(lower) || '01234567890123456789'.includes(lower) || '98765432109876543210'.includes(lower)
  );
}

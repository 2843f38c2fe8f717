import { describe, expect, it } from 'vitest';
import { isCommonPassword } from './password.js';
import { resetPasswordSchema } from './schemas.js';

describe('common passwords', () => {
  // The issue's examples, leaked-list favourites, and the region's commonplace ones.
  it.each([
    'Passw0rd!',
    'Password123!',
    'qazwsx123',
    'Smolensk2024',
    'smolensk67',
    'Смоленск2024',
    'Navigator2026',
    'навигатор123',
    'Пароль2024!',
    '1qaz2wsx3edc',
    'йцукенгшщз',
    'фывапролдж1',
    'iloveyou2025',
    'aaaaaaaaaaaa',
  ])('refuses %s', (password) => {
    expect(isCommonPassword(password)).toBe(true);
  });

  it.each(['Лето-в-Смоленске-2026', 'Другой-пароль-2027', 'Demo-roditel-67', 'Xk8#mq2LpZ-тишина'])(
    'accepts %s',
    (password) => {
      expect(isCommonPassword(password)).toBe(false);
    },
  );

  it('tells why on the field, in Russian', () => {
    const result = resetPasswordSchema.safeParse({
      code: 'a-code-of-enough-length',
      password: 'Smolensk2024',
      passwordRepeat: 'Smolensk2024',
    });
    expect(result.error?.issues.find((issue) => issue.path[0] === 'password')?.message).toBe(
      'Этот пароль слишком простой и часто встречается. Придумайте другой, например из трёх-четырёх слов через дефис',
    );
  });
});

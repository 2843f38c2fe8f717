import type { FastifyReply } from 'fastify';

/**
 * «Версия для слабовидящих» (ГОСТ Р 52872-2019, ADR 0021): the person's settings, kept in a cookie and applied
 * on the server as classes on <html>, so the pages need no script. Every setting has a closed list of values;
 * anything else in the cookie or a form is ignored, never an error.
 */
export const LOW_VISION_OPTIONS = {
  size: ['100', '150', '200'],
  scheme: ['black-on-white', 'white-on-black', 'blue'],
  spacing: ['normal', 'wide', 'wider'],
  line: ['normal', '1.5', '2'],
  images: ['on', 'off'],
} as const;

type Options = typeof LOW_VISION_OPTIONS;
export type LowVisionSetting = keyof Options;
export type LowVision = { [K in LowVisionSetting]: Options[K][number] };

/** What the version starts with when it is switched on (ГОСТ: a larger font than usual). */
export const LOW_VISION_DEFAULTS: LowVision = {
  size: '150',
  scheme: 'black-on-white',
  spacing: 'normal',
  line: 'normal',
  images: 'on',
};

export const LOW_VISION_LABELS: {
  [K in LowVisionSetting]: { title: string; values: Record<Options[K][number], string> };
} = {
  size: { title: 'Размер шрифта', values: { '100': '100 %', '150': '150 %', '200': '200 %' } },
  scheme: {
    title: 'Цвета',
    values: {
      'black-on-white': 'Чёрным по белому',
      'white-on-black': 'Белым по чёрному',
      blue: 'Тёмно-синим по голубому',
    },
  },
  spacing: {
    title: 'Расстояние между буквами',
    values: { normal: 'Обычное', wide: 'Увеличенное', wider: 'Большое' },
  },
  line: { title: 'Межстрочный интервал', values: { normal: 'Обычный', '1.5': 'Полуторный', '2': 'Двойной' } },
  images: { title: 'Изображения', values: { on: 'Показывать', off: 'Скрыть' } },
};

export const LOW_VISION_COOKIE = 'low_vision';
const SETTINGS = Object.keys(LOW_VISION_OPTIONS) as LowVisionSetting[];
const MAX_AGE_SECONDS = 365 * 24 * 3600;

function isOption<K extends LowVisionSetting>(setting: K, value: unknown): value is LowVision[K] {
  return typeof value === 'string' && (LOW_VISION_OPTIONS[setting] as readonly string[]).includes(value);
}

/** The valid settings among `values` (a form's fields or the cookie's pairs); the rest is dropped. */
export function pickLowVision(values: Record<string, unknown>): Partial<LowVision> {
  const picked: Partial<Record<LowVisionSetting, string>> = {};
  for (const setting of SETTINGS) {
    const value = values[setting];
    if (isOption(setting, value)) picked[setting] = value;
  }
  return picked as Partial<LowVision>;
}

/**
 * The version's settings from the cookie, or null when it is off. A cookie with no valid setting at all is
 * treated as no cookie; a single bad value falls back to its default.
 */
export function readLowVision(cookie: string | undefined): LowVision | null {
  if (!cookie || cookie.length > 200) return null;
  const picked = pickLowVision(Object.fromEntries(new URLSearchParams(cookie)));
  if (Object.keys(picked).length === 0) return null;
  return { ...LOW_VISION_DEFAULTS, ...picked };
}

export function writeLowVision(settings: LowVision): string {
  return new URLSearchParams(SETTINGS.map((setting) => [setting, settings[setting]])).toString();
}

/** Switches the version on with `settings`, or off with null (the cookie goes). */
export function saveLowVision(reply: FastifyReply, settings: LowVision | null, secure: boolean): void {
  const options = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
  if (settings)
    reply.setCookie(LOW_VISION_COOKIE, writeLowVision(settings), { ...options, maxAge: MAX_AGE_SECONDS });
  else reply.clearCookie(LOW_VISION_COOKIE, options);
}

/** The classes on <html> that public/app.css styles the version by. */
export function lowVisionClasses(settings: LowVision | null): string | undefined {
  if (!settings) return undefined;
  return [
    'lv',
    `lv-size-${settings.size}`,
    `lv-scheme-${settings.scheme}`,
    `lv-spacing-${settings.spacing}`,
    `lv-line-${settings.line.replace('.', '')}`,
    `lv-images-${settings.images}`,
  ].join(' ');
}

/**
 * Where to go back to after the settings are saved: a path of this site only (`/…`), never another site
 * (`//evil.example`, `/\evil.example`, `https://…`); anything else goes home.
 */
export function safeBackPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000 || !value.startsWith('/')) return '/';
  try {
    const base = 'http://navigator.invalid';
    const url = new URL(value, base);
    // Dot segments can normalise «/..//host» to «//host», a Location that leads to another site.
    if (url.origin !== base || url.pathname.startsWith('//')) return '/';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/';
  }
}

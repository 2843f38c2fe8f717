import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import type { Database } from '../../platform/db/client.js';
import { regionToday } from '../../platform/views/format.js';
import { generateDemoCatalog, insertCatalog } from '../programs/generator.js';
import { searchPrograms } from './search.js';

/**
 * The search-quality table: what parents really type, against the demo catalog, and the program that must come
 * first (top 1) or among the first three. Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL. It prints
 * how many queries pass, so a change to the search can be measured, and fails on any that does not.
 */

interface Case {
  query: string;
  /** The name (or a pattern for names) of the program that must be found. */
  expected: string | RegExp;
  top: 1 | 3;
}

const CASES: Case[] = [
  { query: 'рисование', expected: 'Рисунок и живопись', top: 3 },
  { query: 'кружок рисования', expected: 'Рисунок и живопись', top: 3 },
  { query: 'lego', expected: 'Лего-конструирование', top: 1 },
  { query: 'лего', expected: 'Лего-конструирование', top: 1 },
  { query: 'лего конструирование', expected: 'Лего-конструирование', top: 1 },
  { query: 'футбол для девочек', expected: /футбол/i, top: 1 },
  { query: 'шахматы 7 лет', expected: /^шахмат/i, top: 3 },
  { query: 'робот', expected: 'Робототехника для начинающих', top: 3 },
  { query: 'англ', expected: 'Английский язык для детей', top: 1 },
  { query: 'английский', expected: 'Английский язык для детей', top: 1 },
  { query: 'плавание', expected: /плава/i, top: 1 },
  { query: 'бассейн', expected: /плава/i, top: 3 },
  { query: 'танцы', expected: /танц|хореограф/i, top: 1 },
  { query: 'вокал', expected: /вокал|пение/i, top: 1 },
  { query: 'пение', expected: /вокал|пение/i, top: 1 },
  { query: 'программирование', expected: /программирован/i, top: 1 },
  { query: 'театр', expected: /театр/i, top: 1 },
  { query: 'карате', expected: 'Каратэ', top: 1 },
  { query: 'гимнастика', expected: 'Художественная гимнастика', top: 1 },
  { query: 'скретч', expected: 'Основы программирования в Scratch', top: 1 },
  { query: 'scratch', expected: 'Основы программирования в Scratch', top: 1 },
  { query: 'питон', expected: 'Программирование на Python', top: 1 },
  { query: 'python', expected: 'Программирование на Python', top: 1 },
  { query: 'шашки', expected: 'Шашки', top: 1 },
  { query: 'музыка', expected: /гитара|фортепиано|инструмент|вокал|пение/i, top: 3 },
  { query: 'гитара', expected: 'Гитара', top: 1 },
  { query: 'фортепиано', expected: 'Фортепиано', top: 1 },
  { query: 'экология', expected: /эколог/i, top: 1 },
  { query: 'краеведение', expected: /краевед|родного края/i, top: 3 },
  { query: 'журналистика', expected: /журналист|газета|медиа/i, top: 3 },
  { query: '3d', expected: /3D/, top: 1 },
  { query: 'математика', expected: 'Занимательная математика', top: 1 },
  { query: 'подготовка к школе', expected: 'Подготовка к школе', top: 1 },
  { query: 'бисер', expected: 'Бисероплетение', top: 1 },
  { query: 'керамика', expected: 'Мастерская керамики', top: 1 },
  { query: 'лепка', expected: 'Мастерская керамики', top: 3 },
  { query: 'туризм', expected: /туризм/i, top: 1 },
  { query: 'волейбол', expected: 'Волейбол', top: 1 },
  { query: 'изо', expected: /изостудия|рисунок|художник/i, top: 3 },
  { query: 'хореография', expected: 'Хореография', top: 1 },
];

let database: Database;
const today = regionToday();

beforeAll(async () => {
  database = await createTestDatabase();
  await insertCatalog(database.db, generateDemoCatalog(new Date(`${today}T12:00:00Z`)));
}, 120_000);

afterAll(async () => {
  await database?.close();
});

async function firstNames(query: string, count: number): Promise<string[]> {
  const result = await searchPrograms(database.db, {
    q: query,
    partial: false,
    ovz: false,
    open: false,
    page: 1,
    today,
  });
  return result.items.slice(0, count).map((item) => item.name);
}

describe('search quality on the demo catalog', () => {
  it('finds what parents mean for every query of the table', async () => {
    const failures: string[] = [];
    for (const { query, expected, top } of CASES) {
      const names = await firstNames(query, top);
      const found = names.some((name) =>
        typeof expected === 'string' ? name === expected : expected.test(name),
      );
      if (!found)
        failures.push(`«${query}»: wanted ${String(expected)} in top ${top}, got ${JSON.stringify(names)}`);
    }
    console.log(
      `search quality: ${CASES.length - failures.length} of ${CASES.length} queries pass${failures.length ? `\n${failures.join('\n')}` : ''}`,
    );
    expect(failures).toEqual([]);
  }, 120_000);
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import type { Database } from '../../platform/db/client.js';
import { regionToday } from '../../platform/views/format.js';
import { organizations } from '../organizations/schema.js';
import { insertCatalog, type GeneratedOrganization } from '../programs/generator.js';
import type { ProgramContent } from '../programs/schema.js';
import { searchPrograms, type SearchFilters } from './search.js';

/**
 * Search relevance in Russian and the catalog's filters, on a small catalog whose every program is known.
 * Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL: the same migrations, the same answers.
 */

let database: Database;
const today = regionToday();
const shift = (days: number) => {
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

interface Fixture {
  name: string;
  description: string;
  directionId?: number;
  ages?: [number, number];
  registry?: ProgramContent['registry'];
  format?: ProgramContent['format'];
  level?: ProgramContent['level'];
  ovz?: boolean;
  status?: 'published' | 'draft';
  municipalityId?: number;
  /** Enrolment window relative to today, and the monthly cost (own money). */
  groups?: { from: number; to: number; cost?: number; start?: number }[];
}

const FIXTURES: Fixture[] = [
  {
    name: 'Робототехника для начинающих',
    description: 'Собираем и программируем роботов на занятиях.',
    directionId: 1,
    ages: [7, 12],
  },
  {
    name: 'Лего-конструирование',
    description: 'Модели из конструктора, первые шаги в робототехнике для малышей.',
    directionId: 1,
    ages: [5, 8],
  },
  {
    name: 'Кружок юных художников',
    description: 'Рисование акварелью и гуашью, выставки работ.',
    directionId: 4,
    ages: [6, 10],
  },
  {
    name: 'Танец модерн',
    description: 'Современная хореография для подростков.',
    directionId: 4,
    ages: [11, 17],
    registry: 'paid',
    groups: [{ from: -5, to: 30, cost: 2500 }],
  },
  {
    name: 'Народные танцы',
    description: 'Русская народная хореография и ансамбль.',
    directionId: 4,
    ages: [7, 14],
    level: 'basic',
  },
  {
    name: 'Шахматы',
    description: 'Игра в шахматы, разбор партий, турниры.',
    directionId: 3,
    ages: [6, 16],
    format: 'blended',
    groups: [{ from: 10, to: 40, start: 45 }],
  },
  {
    name: 'Основы программирования на Python',
    description: 'Программирование для школьников: от переменных до игр.',
    directionId: 1,
    ages: [10, 17],
    registry: 'certified',
    groups: [{ from: -30, to: -1, cost: 1200 }],
  },
  {
    name: 'Юный эколог',
    description: 'Наблюдения за природой родного края, опыты.',
    directionId: 2,
    ages: [8, 13],
    ovz: true,
    municipalityId: 4,
    groups: [{ from: -1, to: 20, start: 5 }],
  },
  {
    name: 'Робототехника для старших',
    description: 'Черновик, который ещё не опубликован.',
    directionId: 1,
    ages: [12, 17],
    status: 'draft',
  },
];

async function insertFixtures() {
  const byMunicipality = new Map<number, GeneratedOrganization>();
  for (const fixture of FIXTURES) {
    const municipalityId = fixture.municipalityId ?? 1;
    let entry = byMunicipality.get(municipalityId);
    if (!entry) {
      entry = {
        organization: {
          id: randomUUID(),
          municipalityId,
          name: `Центр детского творчества № ${municipalityId}`,
          shortName: `ЦДТ № ${municipalityId}`,
          kind: 'Муниципальное бюджетное учреждение дополнительного образования',
          address: 'ул. Ленина, д. 1',
        },
        programs: [],
      };
      byMunicipality.set(municipalityId, entry);
    }
    const [ageFrom, ageTo] = fixture.ages ?? [7, 14];
    const programId = randomUUID();
    entry.programs.push({
      program: {
        id: programId,
        organizationId: entry.organization.id!,
        directionId: fixture.directionId ?? 1,
        name: fixture.name,
        description: fixture.description,
        ageFrom,
        ageTo,
        level: fixture.level ?? 'start',
        durationMonths: 9,
        hoursTotal: 72,
        format: fixture.format ?? 'in_person',
        ovzAdapted: fixture.ovz ?? false,
        ovzCategories: fixture.ovz ? ['speech'] : [],
        registry: fixture.registry ?? 'other',
        status: fixture.status ?? 'published',
      },
      groups: (fixture.groups ?? [{ from: -10, to: 10 }]).map((group, index) => ({
        programId,
        name: `Группа ${index + 1}`,
        teacher: 'Иванова Анна Петровна',
        address: 'ул. Ленина, д. 1',
        schedule: [{ weekday: 1, start: '15:00', end: '16:00' }],
        lessonMinutes: 45,
        ageFrom,
        ageTo,
        capacity: 10,
        enrolmentFrom: shift(group.from),
        enrolmentTo: shift(group.to),
        studyStart: shift(group.start ?? 20),
        studyEnd: shift(300),
        monthlyCostCertificate: fixture.registry === 'certified' ? (group.cost ?? null) : null,
        monthlyCostOwn: fixture.registry === 'paid' ? (group.cost ?? null) : null,
      })),
    });
  }
  await insertCatalog(database.db, byMunicipality.values());
}

const search = (filters: Partial<SearchFilters>) =>
  searchPrograms(database.db, { ovz: false, open: false, partial: false, page: 1, today, ...filters });
const namesOf = async (filters: Partial<SearchFilters>) => (await search(filters)).items.map((p) => p.name);

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.delete(organizations); // the template holds reference data only, but be sure
  await insertFixtures();
});
afterAll(async () => {
  await database.close();
});

describe('search relevance in Russian', () => {
  // The query, the program that must come first, and others that must be found too.
  const table: [query: string, first: string, alsoFound: string[]][] = [
    ['робототехника', 'Робототехника для начинающих', ['Лего-конструирование']],
    ['роботехника', 'Робототехника для начинающих', ['Лего-конструирование']],
    ['Робототехнике', 'Робототехника для начинающих', []],
    ['кружки', 'Кружок юных художников', []],
    ['кружок рисования', 'Кружок юных художников', []],
    ['танцы', 'Народные танцы', ['Танец модерн']],
    ['танец', 'Народные танцы', ['Танец модерн']],
    ['шахматный турнир', 'Шахматы', []],
    ['програмирование', 'Основы программирования на Python', []],
    ['хореография', 'Народные танцы', ['Танец модерн']],
    ['экология природа', 'Юный эколог', []],
  ];

  it.each(table)('«%s» finds «%s» first', async (query, first, alsoFound) => {
    const names = await namesOf({ q: query });
    expect(names[0]).toBe(first);
    expect(names).toEqual(expect.arrayContaining(alsoFound));
  });

  it('never shows an unpublished program', async () => {
    expect(await namesOf({ q: 'черновик' })).toEqual([]);
    expect(await namesOf({ q: 'робототехника для старших' })).not.toContain('Робототехника для старших');
  });

  it('says what it searched for when it corrected a typo', async () => {
    expect((await search({ q: 'роботехника' })).correctedQuery).toBe('робототехника');
    expect((await search({ q: 'робототехника' })).correctedQuery).toBeNull();
  });

  it('falls back to any of the words when no program has them all, and says so', async () => {
    const result = await search({ q: 'рисование малышей' });
    expect(result.partialMatch).toBe(true);
    expect(result.items.map((p) => p.name)).toEqual(
      expect.arrayContaining(['Кружок юных художников', 'Лего-конструирование']),
    );
  });

  it('finds nothing for gibberish and for stop words alone', async () => {
    expect((await search({ q: 'зщшгнекуцй' })).total).toBe(0);
    expect((await search({ q: 'для и в' })).total).toBe(0);
  });
});

describe('filters', () => {
  it('by municipality, направленность and age', async () => {
    expect(await namesOf({ municipality: 'vyazma' })).toEqual(['Юный эколог']);
    expect(await namesOf({ direction: 'art', age: 12 })).toEqual(['Народные танцы', 'Танец модерн']);
    expect(await namesOf({ age: 5 })).toEqual(['Лего-конструирование']);
  });

  it('by financing, maximum monthly cost, format, level and ОВЗ', async () => {
    expect(await namesOf({ financing: 'paid' })).toEqual(['Танец модерн']);
    // «Оплата сертификатом» is the certified registry; the registry filter narrows to one (ADR 0036).
    expect(await namesOf({ financing: 'certificate' })).toEqual(['Основы программирования на Python']);
    expect(await namesOf({ registry: 'certified' })).toEqual(['Основы программирования на Python']);
    expect(await namesOf({ registry: 'paid' })).toEqual(['Танец модерн']);
    expect(await namesOf({ registry: 'significant' })).toEqual([]);
    const cheap = await namesOf({ maxCost: 2000 });
    expect(cheap).toContain('Основы программирования на Python');
    expect(cheap).toContain('Шахматы'); // free
    expect(cheap).not.toContain('Танец модерн');
    expect(await namesOf({ format: 'blended' })).toEqual(['Шахматы']);
    expect(await namesOf({ level: 'basic' })).toEqual(['Народные танцы']);
    expect(await namesOf({ ovz: true })).toEqual(['Юный эколог']);
  });

  it('only with open enrolment, and combined with text', async () => {
    const open = await namesOf({ open: true });
    expect(open).not.toContain('Шахматы'); // opens in 10 days
    expect(open).not.toContain('Основы программирования на Python'); // closed yesterday
    expect(open).toContain('Танец модерн');
    expect(await namesOf({ open: true, q: 'программирование' })).toEqual([]);
    expect(await namesOf({ open: true, q: 'хореография', financing: 'paid' })).toEqual(['Танец модерн']);
  });

  it('sorts by name and by the nearest start, and shows places and enrolment on the cards', async () => {
    const byName = await namesOf({});
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b, 'ru')));
    const byStart = await namesOf({ sort: 'start' });
    expect(byStart[0]).toBe('Юный эколог'); // starts in 5 days, the rest in 20 or later
    expect(byStart.indexOf('Шахматы')).toBe(byStart.length - 1); // starts in 45 days
    const [eco] = (await search({ q: 'эколог' })).items;
    expect(eco).toMatchObject({ enrolmentOpen: true, freePlaces: 10, nextStart: shift(5), groups: 1 });
  });

  it('pages by 20 with the total', async () => {
    const result = await search({});
    expect(result.total).toBe(FIXTURES.filter((f) => f.status !== 'draft').length);
    expect(result.pageCount).toBe(1);
    expect((await search({ page: 2 })).items).toEqual([]);
  });
});

describe('the query string', () => {
  it('treats empty fields of the filter form as «any», and drops wrong values', async () => {
    const { programQuerySchema } = await import('./schemas.js');
    const form = programQuerySchema.parse({
      direction: 'sport',
      age: '',
      maxCost: '',
      specialization: '',
      level: '',
    });
    expect(form).toMatchObject({
      direction: 'sport',
      age: undefined,
      maxCost: undefined,
      specialization: undefined,
    });
    expect(programQuerySchema.parse({ age: '7', maxCost: '1500' })).toMatchObject({ age: 7, maxCost: 1500 });
    expect(programQuerySchema.parse({ age: '99', maxCost: '-1', sort: 'random', page: 'x' })).toMatchObject({
      age: undefined,
      maxCost: undefined,
      sort: undefined,
      page: 1,
    });
  });
});

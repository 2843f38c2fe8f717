import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/client.js';
import { openPlaces } from '../applications/index.js';
import {
  insertOrganizations,
  type NewOrganization,
  type OrganizationCategory,
} from '../organizations/index.js';
import { DIRECTIONS, MUNICIPALITIES, specializationId, type MunicipalitySeed } from '../reference/index.js';
import { programGroups, programs, type ScheduleSlot } from './schema.js';
import { indexSearchTerms, refreshGroupSummary } from './search-index.js';

/**
 * Builds a believable catalog: organizations in every municipality, their programs and groups.
 * Deterministic for a given seed, so the demo looks the same on every machine. Used for the demo data
 * on first start and, with large counts, for benchmark catalogs (`npm run db:seed -- --programs N`).
 * The organizations are written by their module (`insertOrganizations`), the programs and groups here.
 */

type OrganizationRow = NewOrganization;
/** A generated program; its municipality is its organization's, added on insert. */
type ProgramRow = Omit<typeof programs.$inferInsert, 'municipalityId'>;
/** A generated group with its «план приёма», which the applications module keeps (group_places). */
type GroupRow = typeof programGroups.$inferInsert & { capacity: number };

/** A small deterministic PRNG (mulberry32): the same seed gives the same catalog. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (probability: number) => next() < probability,
  };
}
type Random = ReturnType<typeof createRandom>;

const ORGANIZATION_KINDS = [
  {
    kind: 'Муниципальное бюджетное учреждение дополнительного образования',
    category: 'creativity_centre' as OrganizationCategory,
    names: (town: string) => [`Дом детского творчества ${town}`, `Центр детского творчества ${town}`],
    directions: [1, 2, 4, 5, 6],
  },
  {
    kind: 'Муниципальное бюджетное учреждение дополнительного образования',
    category: 'sports_school' as OrganizationCategory,
    names: (town: string) => [`Спортивная школа ${town}`, `Детско-юношеская спортивная школа ${town}`],
    directions: [3, 5],
  },
  {
    kind: 'Муниципальное бюджетное учреждение дополнительного образования',
    category: 'arts_school' as OrganizationCategory,
    names: (town: string) => [`Детская школа искусств ${town}`, `Детская музыкальная школа ${town}`],
    directions: [4],
  },
  {
    kind: 'Муниципальное бюджетное общеобразовательное учреждение',
    category: 'school' as OrganizationCategory,
    names: (town: string) => [
      `Средняя школа № 1 ${town} (центр «Точка роста»)`,
      `Средняя школа № 2 ${town} (центр «Точка роста»)`,
    ],
    directions: [1, 2, 3, 6],
  },
];

const SMOLENSK_ORGANIZATIONS = [
  { name: 'Дворец творчества детей и молодёжи', kind: 0, directions: [1, 2, 4, 5, 6] },
  { name: 'Детский технопарк «Кванториум»', kind: 0, directions: [1, 2] },
  { name: 'Станция юных техников', kind: 0, directions: [1] },
  { name: 'Центр детского и юношеского туризма и экскурсий', kind: 0, directions: [5, 2] },
  { name: 'Спортивная школа олимпийского резерва № 1', kind: 1, directions: [3] },
  { name: 'Детская школа искусств № 5', kind: 2, directions: [4] },
  { name: 'Центр эстетического воспитания «Родник»', kind: 0, directions: [4, 6] },
  { name: 'Средняя школа № 7 (центр «Точка роста»)', kind: 3, directions: [1, 2, 6] },
];

/**
 * Providers of the other kinds, in the city of Smolensk: added after the rest with their own random sequence,
 * so the organizations above stay as they were.
 */
const SMOLENSK_OTHER_ORGANIZATIONS: {
  name: string;
  kind: string;
  category: OrganizationCategory;
  directions: number[];
}[] = [
  {
    name: 'Детский сад № 12 «Солнышко»',
    kind: 'Муниципальное бюджетное дошкольное образовательное учреждение',
    category: 'kindergarten',
    directions: [4, 6],
  },
  {
    name: 'Школа робототехники «Роботрек»',
    kind: 'Индивидуальный предприниматель',
    category: 'private',
    directions: [1],
  },
  {
    name: 'Молодёжный центр «Смена»',
    kind: 'Муниципальное бюджетное учреждение',
    category: 'other',
    directions: [5, 6],
  },
];

const PROGRAM_NAMES: Record<string, string[]> = {
  Робототехника: ['Робототехника для начинающих', 'Лего-конструирование', 'Соревновательная робототехника'],
  Программирование: ['Программирование на Python', 'Основы программирования в Scratch', 'Создание игр'],
  'Техническое моделирование': [
    'Судомоделирование',
    'Авиамоделирование',
    'Начальное техническое моделирование',
  ],
  '3D-моделирование и прототипирование': ['3D-моделирование', 'Прототипирование и 3D-печать'],
  Радиоэлектроника: ['Юный радиолюбитель', 'Электроника и схемотехника'],
  Экология: ['Юные экологи', 'Экологическая тропа', 'Зелёная лаборатория'],
  Химия: ['Занимательная химия', 'Химия в быту'],
  Физика: ['Физика в экспериментах', 'Юный исследователь'],
  Биология: ['Юный биолог', 'Мир растений', 'Живой уголок'],
  Астрономия: ['Астрономия для школьников', 'Тайны звёздного неба'],
  Футбол: ['Футбол', 'Мини-футбол'],
  Плавание: ['Плавание', 'Обучение плаванию'],
  Шахматы: ['Шахматы', 'Шахматная школа', 'Белая ладья'],
  'Общая физическая подготовка': ['Общая физическая подготовка', 'Весёлые старты', 'Лёгкая атлетика'],
  Единоборства: ['Дзюдо', 'Самбо', 'Каратэ'],
  Хореография: ['Хореография', 'Народный танец', 'Современный танец', 'Бальные танцы'],
  Вокал: ['Эстрадный вокал', 'Хоровое пение', 'Вокальная студия «Звонкие голоса»'],
  'Изобразительное искусство': ['Изостудия «Палитра»', 'Рисунок и живопись', 'Юный художник'],
  'Театральное искусство': ['Театральная студия', 'Кукольный театр', 'Художественное слово'],
  'Декоративно-прикладное творчество': [
    'Бисероплетение',
    'Мастерская керамики',
    'Лоскутное шитьё',
    'Резьба по дереву',
  ],
  'Инструментальная музыка': ['Гитара', 'Фортепиано', 'Ансамбль народных инструментов'],
  Краеведение: ['Юный краевед', 'История родного края', 'Смоленщина — край родной'],
  'Спортивный туризм': ['Спортивный туризм', 'Пешеходный туризм'],
  'Музейное дело': ['Школьный музей', 'Юный экскурсовод'],
  Ориентирование: ['Спортивное ориентирование'],
  'Иностранные языки': ['Английский язык для детей', 'Немецкий язык', 'Занимательный английский'],
  'Журналистика и медиа': ['Школьная газета', 'Юный журналист', 'Медиастудия'],
  Волонтёрство: ['Волонтёры Победы', 'Добровольцы'],
  'Финансовая грамотность': ['Финансовая грамотность', 'Основы предпринимательства'],
  'Подготовка к школе': ['Подготовка к школе', 'Скоро в школу'],
};

const DESCRIPTION_OPENINGS = [
  'Программа знакомит детей с основами направления и помогает раскрыть способности каждого ребёнка.',
  'Занятия проходят в небольших группах в форме практикумов, игр и творческих заданий.',
  'Программа рассчитана на детей, которые хотят попробовать себя в новом деле и найти друзей по интересам.',
];

const SURNAMES = [
  'Иванова',
  'Петрова',
  'Смирнова',
  'Кузнецова',
  'Соколова',
  'Попова',
  'Лебедева',
  'Козлова',
  'Новикова',
  'Морозова',
  'Волкова',
  'Соловьёва',
  'Васильева',
  'Зайцева',
  'Павлова',
];
const MALE_SURNAMES = [
  'Иванов',
  'Петров',
  'Смирнов',
  'Кузнецов',
  'Соколов',
  'Попов',
  'Лебедев',
  'Козлов',
  'Новиков',
  'Морозов',
  'Волков',
  'Фёдоров',
];
const FEMALE_NAMES = ['Анна', 'Елена', 'Ольга', 'Наталья', 'Татьяна', 'Ирина', 'Светлана', 'Мария', 'Юлия'];
const MALE_NAMES = ['Александр', 'Сергей', 'Дмитрий', 'Андрей', 'Алексей', 'Михаил', 'Николай', 'Игорь'];
const FEMALE_PATRONYMICS = [
  'Александровна',
  'Сергеевна',
  'Викторовна',
  'Николаевна',
  'Владимировна',
  'Ивановна',
];
const MALE_PATRONYMICS = [
  'Александрович',
  'Сергеевич',
  'Викторович',
  'Николаевич',
  'Владимирович',
  'Иванович',
];
const STREETS = [
  'ул. Ленина',
  'ул. Советская',
  'ул. Пушкина',
  'ул. Гагарина',
  'ул. Кирова',
  'ул. Мира',
  'ул. Октябрьская',
  'ул. Молодёжная',
  'ул. Школьная',
  'ул. Коммунистическая',
];
const LESSON_TIMES = ['14:00', '15:00', '15:30', '16:00', '16:30', '17:00', '18:00'];

function teacher(random: Random): string {
  return random.chance(0.7)
    ? `${random.pick(SURNAMES)} ${random.pick(FEMALE_NAMES)} ${random.pick(FEMALE_PATRONYMICS)}`
    : `${random.pick(MALE_SURNAMES)} ${random.pick(MALE_NAMES)} ${random.pick(MALE_PATRONYMICS)}`;
}

/** «Вяземский муниципальный округ» → «Вяземского округа», as in «Дом детского творчества Вяземского округа». */
function townOf(municipality: MunicipalitySeed): string {
  if (municipality.code === 'smolensk') return 'г. Смоленска';
  if (municipality.code === 'desnogorsk') return 'г. Десногорска';
  return `${municipality.name.replace(/ий муниципальный округ$/, 'ого')} округа`;
}

/** Larger towns get a third organization in the demo. */
const LARGER_TOWNS = new Set(['desnogorsk', 'vyazma', 'gagarin', 'roslavl', 'yartsevo', 'safonovo']);

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/** The academic year that is current at `today`, or the next one from June on. */
function studyYear(today: Date): { start: Date; end: Date } {
  const year = today.getUTCMonth() >= 5 ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
  return { start: new Date(Date.UTC(year, 8, 1)), end: new Date(Date.UTC(year + 1, 4, 31)) };
}

export interface GeneratedOrganization {
  organization: OrganizationRow;
  programs: { program: ProgramRow; groups: GroupRow[] }[];
}

/** A program the demo must have whatever the dice say (see DEMO_EXTRAS). */
interface FixedProgram {
  directionId: number;
  /** The position in the direction's specializations, or null for none of them. */
  specializationIndex: number | null;
  name: string;
  /** What the description says the program is about, in place of the specialization. */
  topic: string;
}

function makeProgram(
  random: Random,
  organizationId: string,
  directionIds: number[],
  town: string,
  address: string,
  today: Date,
  fixed?: FixedProgram,
) {
  const directionId = fixed?.directionId ?? random.pick(directionIds);
  const direction = DIRECTIONS.find((d) => d.id === directionId)!;
  const specializationIndex = fixed
    ? fixed.specializationIndex
    : random.int(0, direction.specializations.length - 1);
  const specialization = fixed?.topic ?? direction.specializations[specializationIndex!]!;
  const name = fixed?.name ?? random.pick(PROGRAM_NAMES[specialization] ?? [specialization]);
  const ageFrom = random.int(5, 12);
  const ageTo = Math.min(18, ageFrom + random.int(3, 7));
  const financing = random.chance(0.6) ? 'free' : random.chance(0.6) ? 'certificate' : 'paid';
  // Free programs spread over the three budget registries by age, without another draw (the demo stays the same).
  const budget = (['significant', 'preprofessional', 'other'] as const)[ageFrom % 3]!;
  const registry = financing === 'certificate' ? 'certified' : financing === 'paid' ? 'paid' : budget;
  const ovzAdapted = random.chance(0.15);
  const published = random.chance(0.92) || fixed !== undefined;
  const program: ProgramRow = {
    id: randomUUID(),
    organizationId,
    directionId: direction.id,
    specializationId:
      specializationIndex === null ? null : specializationId(direction.id, specializationIndex),
    name,
    description: `${random.pick(DESCRIPTION_OPENINGS)} Направление: ${specialization.toLowerCase()}. ${direction.description}`,
    goals: `Развитие интереса к направлению «${specialization}», формирование практических навыков и умения работать в команде.`,
    expectedResults:
      'Обучающиеся освоят базовые приёмы и понятия, выполнят самостоятельный проект и представят его на итоговом занятии.',
    ageFrom,
    ageTo,
    level: random.pick(['start', 'basic', 'advanced'] as const),
    durationMonths: random.pick([9, 9, 18, 27]),
    hoursTotal: random.pick([36, 72, 144, 216]),
    format: random.chance(0.85) ? 'in_person' : random.pick(['remote', 'blended'] as const),
    ovzAdapted,
    ovzCategories: ovzAdapted
      ? [random.pick(['speech', 'mental_delay', 'low_vision', 'musculoskeletal'] as const)]
      : [],
    registry,
    status: published ? 'published' : random.pick(['draft', 'moderation'] as const),
    publishedAt: published ? addDays(today, -random.int(10, 200)) : null,
  };
  const period = studyYear(today);
  const groups: GroupRow[] = [];
  const groupCount = random.int(1, 5);
  for (let index = 0; index < groupCount; index++) {
    const firstDay = random.int(1, 5);
    const start = random.pick(LESSON_TIMES);
    const end = `${String(Number(start.slice(0, 2)) + 1).padStart(2, '0')}${start.slice(2)}`;
    const schedule: ScheduleSlot[] = [
      { weekday: firstDay, start, end },
      { weekday: Math.min(6, firstDay + 2), start, end },
    ];
    const monthly = random.pick([800, 1000, 1200, 1500, 2000]);
    // Most windows are open today; some have closed already.
    const enrolmentFrom = addDays(today, -random.int(5, 90));
    groups.push({
      id: randomUUID(),
      programId: program.id!,
      name: `Группа ${index + 1}${groupCount > 1 && index === 0 ? ' (первый год обучения)' : ''}`,
      teacher: teacher(random),
      address: random.chance(0.8) ? address : `${town}, ${random.pick(STREETS)}, д. ${random.int(1, 60)}`,
      schedule,
      lessonMinutes: random.pick([40, 45, 45, 60]),
      ageFrom,
      ageTo,
      capacity: random.pick([10, 12, 15, 15, 20, 25]),
      enrolmentFrom: isoDate(enrolmentFrom),
      enrolmentTo: isoDate(addDays(enrolmentFrom, random.int(20, 150))),
      studyStart: isoDate(period.start),
      studyEnd: isoDate(period.end),
      monthlyCostCertificate: financing === 'certificate' ? monthly : null,
      monthlyCostOwn: financing === 'paid' ? monthly : null,
    });
  }
  return { program, groups };
}

function makeOrganization(
  random: Random,
  municipality: MunicipalitySeed,
  name: string,
  kind: string,
  category: OrganizationCategory,
  serial: number,
): OrganizationRow {
  const address = `${municipality.center}, ${random.pick(STREETS)}, д. ${random.int(1, 80)}`;
  return {
    id: randomUUID(),
    municipalityId: municipality.id,
    name,
    shortName: name.length > 60 ? `${name.slice(0, 57)}…` : name,
    kind,
    category,
    inn: `67${String(10_000_000 + serial).slice(-8)}`,
    ogrn: `102670${String(1_000_000 + serial).slice(-7)}`,
    address,
    latitude: municipality.latitude + (random.next() - 0.5) * 0.04,
    longitude: municipality.longitude + (random.next() - 0.5) * 0.06,
    phone: `+7 (4812) ${random.int(20, 69)}-${random.int(10, 99)}-${random.int(10, 99)}`,
    email: `org${serial}@edu67.example.ru`,
    website: null,
    workingHours: 'Пн–Пт 9:00–19:00, Сб 10:00–15:00',
    description: `${kind} — ${name}. Занятия для детей от 5 до 18 лет.`,
  };
}

/**
 * Programs every regional catalog has that the dice left out of the demo: the catalog's search-quality table
 * (catalog/search-quality.int.test.ts) asks for them. Added to Smolensk organizations with their own random
 * numbers, so the rest of the demo stays as it was.
 */
const DEMO_EXTRAS: { organization: string; program: FixedProgram }[] = [
  {
    organization: 'Спортивная школа олимпийского резерва № 1',
    program: {
      directionId: 3,
      specializationIndex: 3,
      name: 'Художественная гимнастика',
      topic: 'художественная гимнастика',
    },
  },
  {
    organization: 'Спортивная школа олимпийского резерва № 1',
    program: { directionId: 3, specializationIndex: 3, name: 'Волейбол', topic: 'волейбол' },
  },
  {
    organization: 'Дворец творчества детей и молодёжи',
    program: { directionId: 3, specializationIndex: 2, name: 'Шашки', topic: 'шашки' },
  },
  {
    organization: 'Детская школа искусств № 5',
    program: { directionId: 4, specializationIndex: 5, name: 'Гитара', topic: 'инструментальная музыка' },
  },
  {
    organization: 'Центр эстетического воспитания «Родник»',
    program: {
      directionId: 4,
      specializationIndex: 4,
      name: 'Бисероплетение',
      topic: 'декоративно-прикладное творчество',
    },
  },
  {
    organization: 'Средняя школа № 7 (центр «Точка роста»)',
    program: {
      directionId: 2,
      specializationIndex: null,
      name: 'Занимательная математика',
      topic: 'математика',
    },
  },
];

/** The demo catalog: a few organizations in every municipality, more in the city of Smolensk. */
export function generateDemoCatalog(today = new Date(), seed = 67): GeneratedOrganization[] {
  const random = createRandom(seed);
  const result: GeneratedOrganization[] = [];
  let serial = 0;
  for (const municipality of MUNICIPALITIES) {
    const town = townOf(municipality);
    const entries =
      municipality.code === 'smolensk'
        ? SMOLENSK_ORGANIZATIONS.map((o) => ({
            name: o.name,
            kind: ORGANIZATION_KINDS[o.kind]!.kind,
            category: ORGANIZATION_KINDS[o.kind]!.category,
            directions: o.directions,
          }))
        : ORGANIZATION_KINDS.slice(0, LARGER_TOWNS.has(municipality.code) ? 3 : 2).map((k) => ({
            name: random.pick(k.names(town)),
            kind: k.kind,
            category: k.category,
            directions: k.directions,
          }));
    for (const entry of entries) result.push(withPrograms(random, municipality, entry, ++serial, today));
  }
  const smolensk = MUNICIPALITIES.find((m) => m.code === 'smolensk')!;
  const otherRandom = createRandom(seed + 1);
  for (const entry of SMOLENSK_OTHER_ORGANIZATIONS) {
    result.push(withPrograms(otherRandom, smolensk, entry, ++serial, today));
  }
  const extras = createRandom(seed + 1);
  for (const extra of DEMO_EXTRAS) {
    const entry = result.find((e) => e.organization.name === extra.organization)!;
    const smolensk = MUNICIPALITIES.find((m) => m.code === 'smolensk')!;
    entry.programs.push(
      makeProgram(
        extras,
        entry.organization.id!,
        [extra.program.directionId],
        smolensk.center,
        entry.organization.address,
        today,
        extra.program,
      ),
    );
  }
  return result;
}

/** An organization of the demo catalog with 3 to 6 programs of its directions. */
function withPrograms(
  random: Random,
  municipality: MunicipalitySeed,
  entry: { name: string; kind: string; category: OrganizationCategory; directions: number[] },
  serial: number,
  today: Date,
): GeneratedOrganization {
  const organization = makeOrganization(random, municipality, entry.name, entry.kind, entry.category, serial);
  const count = random.int(3, 6);
  const programsOfOrganization = Array.from({ length: count }, () =>
    makeProgram(random, organization.id!, entry.directions, municipality.center, organization.address, today),
  );
  return { organization, programs: programsOfOrganization };
}

/** A large synthetic catalog of about `programCount` programs, for benchmarks. Yields in chunks to bound memory. */
export function* generateSyntheticCatalog(
  programCount: number,
  today = new Date(),
  seed = 2024,
): Generator<GeneratedOrganization> {
  const random = createRandom(seed);
  let made = 0;
  let serial = 100_000;
  while (made < programCount) {
    const municipality = random.pick(MUNICIPALITIES);
    const kind = random.pick(ORGANIZATION_KINDS);
    const organization = makeOrganization(
      random,
      municipality,
      `${random.pick(kind.names(townOf(municipality)))} (филиал ${serial})`,
      kind.kind,
      kind.category,
      ++serial,
    );
    const count = Math.min(programCount - made, random.int(10, 40));
    const list = Array.from({ length: count }, () =>
      makeProgram(
        random,
        organization.id!,
        kind.directions,
        municipality.center,
        organization.address,
        today,
      ),
    );
    made += count;
    yield { organization, programs: list };
  }
}

/** Inserts generated organizations with multi-row statements, `batchSize` rows per statement. */
export async function insertCatalog(
  db: Db,
  source: Iterable<GeneratedOrganization>,
  options: { batchSize?: number; onProgress?: (programsInserted: number) => void } = {},
): Promise<{ organizations: number; programs: number; groups: number }> {
  const batchSize = options.batchSize ?? 500;
  const pending = {
    organizations: [] as OrganizationRow[],
    programs: [] as (typeof programs.$inferInsert)[],
    groups: [] as GroupRow[],
  };
  const totals = { organizations: 0, programs: 0, groups: 0 };
  const flush = async () => {
    await insertOrganizations(db, pending.organizations);
    for (let i = 0; i < pending.programs.length; i += batchSize)
      await db.insert(programs).values(pending.programs.slice(i, i + batchSize));
    for (let i = 0; i < pending.groups.length; i += batchSize) {
      const batch = pending.groups
        .slice(i, i + batchSize)
        .map((group) => ({ ...group, id: group.id ?? randomUUID() }));
      await db.insert(programGroups).values(batch.map(({ capacity: _, ...group }) => group));
      await openPlaces(
        db,
        batch.map((group) => ({ groupId: group.id, capacity: group.capacity })),
      );
    }
    await refreshGroupSummary(
      db,
      pending.programs.map((p) => p.id!),
    );
    await indexSearchTerms(
      db,
      pending.programs.filter((p) => p.status === 'published').map((p) => p.id!),
    );
    totals.organizations += pending.organizations.length;
    totals.programs += pending.programs.length;
    totals.groups += pending.groups.length;
    pending.organizations = [];
    pending.programs = [];
    pending.groups = [];
    options.onProgress?.(totals.programs);
  };
  for (const entry of source) {
    pending.organizations.push(entry.organization);
    for (const { program, groups } of entry.programs) {
      pending.programs.push({ ...program, municipalityId: entry.organization.municipalityId });
      pending.groups.push(...groups);
    }
    if (pending.programs.length >= batchSize * 4) await flush();
  }
  await flush();
  return totals;
}

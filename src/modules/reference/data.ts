/**
 * Reference data of the region. Smolensk region (code 67) is the default deployment;
 * another region replaces this file. Ids are stable: other tables and URLs refer to them.
 */
export { REGION } from '../../platform/region.js';

export interface MunicipalitySeed {
  id: number;
  code: string;
  /** The official name with its noun, as every page and letter says it: «Кардымовский муниципальный округ». */
  name: string;
  kind: string;
  /** The administrative centre, for addresses. */
  center: string;
  latitude: number;
  longitude: number;
}

export const MUNICIPALITIES: MunicipalitySeed[] = [
  {
    id: 1,
    code: 'smolensk',
    name: 'город Смоленск',
    kind: 'городской округ',
    center: 'г. Смоленск',
    latitude: 54.7826,
    longitude: 32.0453,
  },
  {
    id: 2,
    code: 'desnogorsk',
    name: 'город Десногорск',
    kind: 'городской округ',
    center: 'г. Десногорск',
    latitude: 54.1527,
    longitude: 33.2844,
  },
  {
    id: 3,
    code: 'velizh',
    name: 'Велижский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Велиж',
    latitude: 55.6057,
    longitude: 31.1925,
  },
  {
    id: 4,
    code: 'vyazma',
    name: 'Вяземский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Вязьма',
    latitude: 55.2105,
    longitude: 34.2957,
  },
  {
    id: 5,
    code: 'gagarin',
    name: 'Гагаринский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Гагарин',
    latitude: 55.5528,
    longitude: 34.9969,
  },
  {
    id: 6,
    code: 'glinka',
    name: 'Глинковский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'с. Глинка',
    latitude: 54.6406,
    longitude: 33.3058,
  },
  {
    id: 7,
    code: 'demidov',
    name: 'Демидовский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Демидов',
    latitude: 55.2694,
    longitude: 31.5143,
  },
  {
    id: 8,
    code: 'dorogobuzh',
    name: 'Дорогобужский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Дорогобуж',
    latitude: 54.9147,
    longitude: 33.3017,
  },
  {
    id: 9,
    code: 'dukhovshchina',
    name: 'Духовщинский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Духовщина',
    latitude: 55.195,
    longitude: 32.4013,
  },
  {
    id: 10,
    code: 'yelnya',
    name: 'Ельнинский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Ельня',
    latitude: 54.5786,
    longitude: 33.1766,
  },
  {
    id: 11,
    code: 'yershichi',
    name: 'Ершичский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'с. Ершичи',
    latitude: 53.7286,
    longitude: 32.7486,
  },
  {
    id: 12,
    code: 'kardymovo',
    name: 'Кардымовский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'пгт Кардымово',
    latitude: 54.8888,
    longitude: 32.4308,
  },
  {
    id: 13,
    code: 'krasny',
    name: 'Краснинский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'пгт Красный',
    latitude: 54.5609,
    longitude: 31.4296,
  },
  {
    id: 14,
    code: 'monastyrshchina',
    name: 'Монастырщинский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'пгт Монастырщина',
    latitude: 54.3567,
    longitude: 31.8336,
  },
  {
    id: 15,
    code: 'novodugino',
    name: 'Новодугинский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'с. Новодугино',
    latitude: 55.6416,
    longitude: 34.2867,
  },
  {
    id: 16,
    code: 'pochinok',
    name: 'Починковский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Починок',
    latitude: 54.4062,
    longitude: 32.4403,
  },
  {
    id: 17,
    code: 'roslavl',
    name: 'Рославльский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Рославль',
    latitude: 53.951,
    longitude: 32.8636,
  },
  {
    id: 18,
    code: 'rudnya',
    name: 'Руднянский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Рудня',
    latitude: 54.9474,
    longitude: 31.1019,
  },
  {
    id: 19,
    code: 'safonovo',
    name: 'Сафоновский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Сафоново',
    latitude: 55.1096,
    longitude: 33.2425,
  },
  {
    id: 20,
    code: 'smolensky',
    name: 'Смоленский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'д. Печерск',
    latitude: 54.8317,
    longitude: 32.0122,
  },
  {
    id: 21,
    code: 'sychyovka',
    name: 'Сычёвский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Сычёвка',
    latitude: 55.8326,
    longitude: 34.2777,
  },
  {
    id: 22,
    code: 'tyomkino',
    name: 'Тёмкинский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'с. Тёмкино',
    latitude: 55.1017,
    longitude: 35.007,
  },
  {
    id: 23,
    code: 'ugra',
    name: 'Угранский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'с. Угра',
    latitude: 54.7786,
    longitude: 34.3236,
  },
  {
    id: 24,
    code: 'khislavichi',
    name: 'Хиславичский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'пгт Хиславичи',
    latitude: 54.1911,
    longitude: 32.1572,
  },
  {
    id: 25,
    code: 'kholm-zhirkovsky',
    name: 'Холм-Жирковский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'пгт Холм-Жирковский',
    latitude: 55.5166,
    longitude: 33.4833,
  },
  {
    id: 26,
    code: 'shumyachi',
    name: 'Шумячский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'пгт Шумячи',
    latitude: 53.8586,
    longitude: 32.423,
  },
  {
    id: 27,
    code: 'yartsevo',
    name: 'Ярцевский муниципальный округ',
    kind: 'муниципальный округ',
    center: 'г. Ярцево',
    latitude: 55.0657,
    longitude: 32.6958,
  },
];

export interface DirectionSeed {
  id: number;
  code: string;
  /** The official name with its noun, as every page and letter says it: «Кардымовский муниципальный округ». */
  name: string;
  description: string;
  specializations: string[];
}

export const DIRECTIONS: DirectionSeed[] = [
  {
    id: 1,
    code: 'technical',
    name: 'Техническая',
    description: 'Робототехника, программирование, конструирование, моделирование и радиоэлектроника.',
    specializations: [
      'Робототехника',
      'Программирование',
      'Техническое моделирование',
      '3D-моделирование и прототипирование',
      'Радиоэлектроника',
    ],
  },
  {
    id: 2,
    code: 'science',
    name: 'Естественнонаучная',
    description: 'Экология, химия, физика, биология, астрономия и исследовательская деятельность.',
    specializations: ['Экология', 'Химия', 'Физика', 'Биология', 'Астрономия'],
  },
  {
    id: 3,
    code: 'sport',
    name: 'Физкультурно-спортивная',
    description: 'Спортивные секции, общая физическая подготовка, шахматы и адаптивная физкультура.',
    specializations: ['Футбол', 'Плавание', 'Шахматы', 'Общая физическая подготовка', 'Единоборства'],
  },
  {
    id: 4,
    code: 'art',
    name: 'Художественная',
    description: 'Музыка, хореография, изобразительное и театральное искусство, декоративное творчество.',
    specializations: [
      'Хореография',
      'Вокал',
      'Изобразительное искусство',
      'Театральное искусство',
      'Декоративно-прикладное творчество',
      'Инструментальная музыка',
    ],
  },
  {
    id: 5,
    code: 'tourism',
    name: 'Туристско-краеведческая',
    description: 'Краеведение, спортивный туризм, музейное дело и ориентирование.',
    specializations: ['Краеведение', 'Спортивный туризм', 'Музейное дело', 'Ориентирование'],
  },
  {
    id: 6,
    code: 'social',
    name: 'Социально-гуманитарная',
    description:
      'Иностранные языки, журналистика, волонтёрство, финансовая грамотность и подготовка к школе.',
    specializations: [
      'Иностранные языки',
      'Журналистика и медиа',
      'Волонтёрство',
      'Финансовая грамотность',
      'Подготовка к школе',
    ],
  },
];

/** Specialisation ids are derived: direction id × 100 + position, stable as long as lists only grow. */
export function specializationId(directionId: number, index: number): number {
  return directionId * 100 + index + 1;
}

/**
 * The regional coordinator (the seed's appendix lists it with the municipal administrators). Only the name is
 * known to the code today; contacts that are null are not shown (a region sets them here when it deploys).
 */
export const REGIONAL_COORDINATOR: {
  name: string;
  address: string | null;
  phone: string | null;
  email: string | null;
  hours: string | null;
} = {
  name: 'Смоленский областной институт развития образования (региональный оператор навигатора)',
  address: null,
  phone: null,
  email: null,
  hours: null,
};

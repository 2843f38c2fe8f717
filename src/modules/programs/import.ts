import type { DataValidation } from 'exceljs';
import {
  DIRECTIONS,
  FORMAT_LABELS,
  LEVEL_LABELS,
  OVZ_CATEGORIES,
  OVZ_LABELS,
  REGISTRY_LABELS,
  specializationId,
} from '../reference/index.js';
import type { ProgramContent } from './schema.js';
import { fieldErrors } from '../../platform/views/forms.js';
import { regionToday } from '../../platform/views/format.js';
import { groupSchema, programSchema, type GroupInput } from './schemas.js';
import { XLSX_LIMITS, readWorkbookOffThread, type SheetRead } from '../../platform/xlsx/reader.js';

/**
 * Bulk import of programs and groups from the XLSX template. Every row is checked with the same schemas as
 * the forms; any wrong row means nothing is imported, and the report names each row and field in Russian.
 */

export const PROGRAMS_SHEET = 'Программы';
export const GROUPS_SHEET = 'Группы';
const LISTS_SHEET = 'Справочники';
export const MAX_ROWS = XLSX_LIMITS.rows;

interface Column {
  title: string;
  /** The form field the cell fills; a function for cells that fill several. */
  field: string;
  width: number;
  note?: string;
}

const PROGRAM_COLUMNS: Column[] = [
  {
    title: 'Код программы',
    field: 'code',
    width: 14,
    note: 'Любой короткий код, например П1: по нему группы ссылаются на программу',
  },
  { title: 'Название', field: 'name', width: 36 },
  { title: 'Направленность', field: 'direction', width: 26 },
  { title: 'Специализация', field: 'specialization', width: 26 },
  { title: 'Описание', field: 'description', width: 50 },
  { title: 'Цели', field: 'goals', width: 30 },
  { title: 'Ожидаемые результаты', field: 'expectedResults', width: 30 },
  { title: 'Возраст от', field: 'ageFrom', width: 11 },
  { title: 'Возраст до', field: 'ageTo', width: 11 },
  { title: 'Уровень', field: 'level', width: 14 },
  { title: 'Продолжительность, мес.', field: 'durationMonths', width: 14 },
  { title: 'Объём, ч.', field: 'hoursTotal', width: 10 },
  { title: 'Форма обучения', field: 'format', width: 16 },
  { title: 'Адаптирована для ОВЗ', field: 'ovz', width: 12, note: 'да или нет' },
  { title: 'Категории ОВЗ', field: 'ovzCategories', width: 30, note: 'Через точку с запятой' },
  { title: 'Реестр', field: 'registry', width: 24, note: 'Окончательно устанавливает модератор' },
];

const GROUP_COLUMNS: Column[] = [
  { title: 'Код программы', field: 'code', width: 14 },
  { title: 'Название группы', field: 'name', width: 26 },
  { title: 'Педагог', field: 'teacher', width: 28 },
  { title: 'Адрес занятий', field: 'address', width: 36 },
  { title: 'Расписание', field: 'schedule', width: 32, note: 'Например: пн 15:00-16:00; ср 15:00-16:00' },
  { title: 'Занятие, мин.', field: 'lessonMinutes', width: 12 },
  { title: 'Возраст от', field: 'ageFrom', width: 11 },
  { title: 'Возраст до', field: 'ageTo', width: 11 },
  { title: 'План приёма', field: 'capacity', width: 12 },
  { title: 'Приём заявок с', field: 'enrolmentFrom', width: 14 },
  { title: 'Приём заявок по', field: 'enrolmentTo', width: 14 },
  { title: 'Начало занятий', field: 'studyStart', width: 14 },
  { title: 'Окончание занятий', field: 'studyEnd', width: 14 },
  { title: 'Стоимость по сертификату, ₽/мес.', field: 'monthlyCostCertificate', width: 16 },
  { title: 'Стоимость за свой счёт, ₽/мес.', field: 'monthlyCostOwn', width: 16 },
];

const WEEKDAY_CODES: Record<string, number> = { пн: 1, вт: 2, ср: 3, чт: 4, пт: 5, сб: 6, вс: 7 };

const byLabel = (labels: Record<string, string>, text: string) =>
  Object.entries(labels).find(([, label]) => label.toLowerCase() === text.toLowerCase())?.[0] ?? text;

/** The blank template with a sheet of allowed values and drop-down lists where a value comes from a list. */
export async function buildTemplate(): Promise<Buffer> {
  // Loaded when needed: exceljs is a large part of the app's start-up time (issue 16).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Навигатор дополнительного образования';
  const addSheet = (name: string, columns: Column[]) => {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({ header: c.title, key: c.field, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    columns.forEach((c, index) => {
      if (c.note) sheet.getCell(1, index + 1).note = c.note;
    });
    return sheet;
  };
  const programsSheet = addSheet(PROGRAMS_SHEET, PROGRAM_COLUMNS);
  const groupsSheet = addSheet(GROUPS_SHEET, GROUP_COLUMNS);

  const lists = workbook.addWorksheet(LISTS_SHEET);
  const listColumns: [string, string[]][] = [
    ['Направленность', DIRECTIONS.map((d) => d.name)],
    ['Специализация', DIRECTIONS.flatMap((d) => d.specializations)],
    ['Уровень', Object.values(LEVEL_LABELS)],
    ['Форма обучения', Object.values(FORMAT_LABELS)],
    ['Категории ОВЗ', Object.values(OVZ_LABELS)],
    ['Реестр', Object.values(REGISTRY_LABELS)],
  ];
  listColumns.forEach(([title, values], index) => {
    const column = lists.getColumn(index + 1);
    column.width = 36;
    column.values = [title, ...values];
  });
  lists.getRow(1).font = { bold: true };
  const listRange = (index: number, length: number) => {
    const letter = String.fromCharCode(65 + index);
    return `'${LISTS_SHEET}'!$${letter}$2:$${letter}$${length + 1}`;
  };
  // exceljs supports range validations but its types do not declare them.
  const validations = (
    programsSheet as unknown as {
      dataValidations: { add(range: string, rule: DataValidation): void };
    }
  ).dataValidations;
  const dropDown = (column: string, listIndex: number) =>
    validations.add(`${column}2:${column}${MAX_ROWS + 1}`, {
      type: 'list',
      allowBlank: true,
      formulae: [listRange(listIndex, listColumns[listIndex]![1].length)],
    });
  dropDown('C', 0);
  dropDown('D', 1);
  dropDown('J', 2);
  dropDown('M', 3);
  dropDown('N', 4);
  validations.add(`O2:O${MAX_ROWS + 1}`, {
    type: 'list',
    allowBlank: true,
    formulae: ['"да,нет"'],
  });

  // One example row on each sheet, to be replaced.
  programsSheet.addRow({
    code: 'П1',
    name: 'Робототехника для начинающих',
    direction: 'Техническая',
    specialization: 'Робототехника',
    description: 'Дети собирают и программируют роботов из конструктора, участвуют в соревнованиях.',
    goals: '',
    expectedResults: '',
    ageFrom: 7,
    ageTo: 12,
    level: 'Стартовый',
    durationMonths: 9,
    hoursTotal: 72,
    format: 'Очно',
    ovz: 'нет',
    ovzCategories: '',
    registry: 'Значимые',
  });
  // The example's dates are in the current year (a fixed year would look stale, and then wrong).
  const year = Number(regionToday().slice(0, 4));
  groupsSheet.addRow({
    code: 'П1',
    name: 'Группа 1',
    teacher: 'Иванов Иван Иванович',
    address: 'г. Смоленск, ул. Ленина, д. 1',
    schedule: 'пн 15:00-16:00; ср 15:00-16:00',
    lessonMinutes: 45,
    ageFrom: 7,
    ageTo: 12,
    capacity: 15,
    enrolmentFrom: `01.08.${year}`,
    enrolmentTo: `30.09.${year}`,
    studyStart: `01.09.${year}`,
    studyEnd: `31.05.${year + 1}`,
    monthlyCostCertificate: '',
    monthlyCostOwn: '',
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The sheet's data rows as cells by form field, the columns found by their titles (so order does not matter). */
function rowsOf(sheet: SheetRead | undefined, columns: Column[], sheetName: string) {
  const rows: { row: number; cells: Record<string, string> }[] = [];
  if (!sheet) return { rows, missing: undefined };
  const normal = (title: string) => title.trim().replace(/\s+/g, ' ').replace(/ё/g, 'е').toLowerCase();
  const titles = sheet.titles.map(normal);
  const positions = columns.map((column) => titles.indexOf(normal(column.title)));
  const absent = columns.filter((_, index) => positions[index]! < 0).map((c) => `«${c.title}»`);
  const missing =
    absent.length && sheet.rows.length
      ? `На листе «${sheetName}» нет столбцов: ${absent.join(', ')}. Заголовки — в первой строке, как в шаблоне.`
      : undefined;
  for (const { row, cells: texts } of sheet.rows) {
    const cells: Record<string, string> = {};
    columns.forEach((column, index) => {
      cells[column.field] = positions[index]! < 0 ? '' : (texts[positions[index]!] ?? '');
    });
    if (Object.values(cells).some((text) => text !== '')) rows.push({ row, cells });
  }
  return { rows, missing };
}

const listItems = (text: string) =>
  text
    .split(/[;,]/)
    .map((item) => item.trim())
    .filter(Boolean);

function programFields(cells: Record<string, string>): { fields: Record<string, string>; unknown: string[] } {
  const unknown: string[] = [];
  const direction = DIRECTIONS.find((d) => d.name.toLowerCase() === cells.direction!.toLowerCase());
  const specializationIndex = direction
    ? direction.specializations.findIndex((s) => s.toLowerCase() === cells.specialization!.toLowerCase())
    : -1;
  if (cells.specialization && specializationIndex < 0)
    unknown.push(`специализация «${cells.specialization}»`);
  const fields: Record<string, string> = {
    name: cells.name!,
    directionId: direction ? String(direction.id) : '',
    specializationId:
      direction && specializationIndex >= 0
        ? String(specializationId(direction.id, specializationIndex))
        : '',
    description: cells.description!,
    goals: cells.goals!,
    expectedResults: cells.expectedResults!,
    ageFrom: cells.ageFrom!,
    ageTo: cells.ageTo!,
    level: byLabel(LEVEL_LABELS, cells.level!),
    durationMonths: cells.durationMonths!,
    hoursTotal: cells.hoursTotal!,
    format: byLabel(FORMAT_LABELS, cells.format!),
    registry: byLabel(REGISTRY_LABELS, cells.registry!),
  };
  if (/^(да|yes|1)$/i.test(cells.ovz!)) fields.ovzAdapted = 'yes';
  for (const item of listItems(cells.ovzCategories!)) {
    const code = OVZ_CATEGORIES.find((c) => OVZ_LABELS[c].toLowerCase() === item.toLowerCase());
    if (code) fields[`ovz_${code}`] = 'yes';
    else unknown.push(`категория ОВЗ «${item}»`);
  }
  return { fields, unknown };
}

function groupFields(cells: Record<string, string>): { fields: Record<string, string>; unknown: string[] } {
  const unknown: string[] = [];
  const fields: Record<string, string> = { ...cells };
  delete fields.schedule;
  for (const part of cells
    .schedule!.split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([а-яё]{2})\.?\s+(\d{1,2}[:.]\d{2})\s*[-–—]\s*(\d{1,2}[:.]\d{2})$/i.exec(part);
    const day = match ? WEEKDAY_CODES[match[1]!.toLowerCase()] : undefined;
    if (!match || !day) {
      unknown.push(`расписание «${part}» (пишите так: пн 15:00-16:00)`);
      continue;
    }
    fields[`day${day}Start`] = match[2]!;
    fields[`day${day}End`] = match[3]!;
  }
  return { fields, unknown };
}

export interface ImportRowError {
  sheet: string;
  row: number;
  messages: string[];
}

export interface ParsedImport {
  programs: { code: string; content: ProgramContent; groups: GroupInput[] }[];
  errors: ImportRowError[];
}

function messagesOf(columns: Column[], errors: Partial<Record<string, string>>, unknown: string[]): string[] {
  const titleOf = (field: string) => {
    if (field === 'directionId') return 'Направленность';
    if (field === 'specializationId') return 'Специализация';
    if (field === 'ovzAdapted') return 'Категории ОВЗ';
    if (/^day\d/.test(field)) return 'Расписание';
    return columns.find((c) => c.field === field)?.title ?? field;
  };
  return [
    ...Object.entries(errors).map(([field, message]) => `${titleOf(field)}: ${message}`),
    ...unknown.map((item) => `Неизвестное значение: ${item}`),
  ];
}

const fileError = (message: string): ParsedImport => ({
  programs: [],
  errors: [{ sheet: 'Файл', row: 0, messages: [message] }],
});

/** Reads and checks the file. Nothing is written here: the caller imports only when `errors` is empty. */
export async function parseImport(file: Buffer): Promise<ParsedImport> {
  const read = await readWorkbookOffThread(file, [PROGRAMS_SHEET, GROUPS_SHEET]);
  if (!read.ok) return fileError(read.message);
  if (!read.sheets[PROGRAMS_SHEET])
    return fileError(`В файле нет листа «${PROGRAMS_SHEET}». Скачайте шаблон и заполните его.`);
  const programSheet = rowsOf(read.sheets[PROGRAMS_SHEET], PROGRAM_COLUMNS, PROGRAMS_SHEET);
  const groupSheet = rowsOf(read.sheets[GROUPS_SHEET], GROUP_COLUMNS, GROUPS_SHEET);
  const missing = [programSheet.missing, groupSheet.missing].filter((m) => m !== undefined);
  if (missing.length) return { programs: [], errors: [{ sheet: 'Файл', row: 0, messages: missing }] };
  const programRows = programSheet.rows;
  const groupRows = groupSheet.rows;
  const errors: ImportRowError[] = [];
  if (programRows.length === 0) {
    errors.push({
      sheet: PROGRAMS_SHEET,
      row: 0,
      messages: ['Лист пуст: заполните хотя бы одну программу.'],
    });
  }
  const programs = new Map<string, ParsedImport['programs'][number]>();
  for (const { row, cells } of programRows) {
    const { fields, unknown } = programFields(cells);
    const parsed = programSchema.safeParse(fields);
    const messages = messagesOf(PROGRAM_COLUMNS, parsed.success ? {} : fieldErrors(parsed.error), unknown);
    if (!cells.code) messages.unshift('Код программы: укажите код, например П1');
    else if (programs.has(cells.code))
      messages.unshift(`Код программы: код «${cells.code}» уже встречался выше`);
    if (messages.length) errors.push({ sheet: PROGRAMS_SHEET, row, messages });
    else if (parsed.success)
      programs.set(cells.code!, { code: cells.code!, content: parsed.data, groups: [] });
  }
  const codes = new Set(programRows.map((r) => r.cells.code));
  for (const { row, cells } of groupRows) {
    const { fields, unknown } = groupFields(cells);
    const parsed = groupSchema.safeParse(fields);
    const messages = messagesOf(GROUP_COLUMNS, parsed.success ? {} : fieldErrors(parsed.error), unknown);
    if (!codes.has(cells.code)) {
      messages.unshift(`Код программы: программы с кодом «${cells.code}» нет на листе «${PROGRAMS_SHEET}»`);
    }
    if (messages.length) errors.push({ sheet: GROUPS_SHEET, row, messages });
    else if (parsed.success) programs.get(cells.code!)?.groups.push(parsed.data);
  }
  return { programs: errors.length ? [] : [...programs.values()], errors };
}

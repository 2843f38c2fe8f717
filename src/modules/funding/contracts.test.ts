import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { contractPdf } from './contract-pdf.js';
import {
  addWorkingDays,
  contractNumber,
  isWorkingDay,
  monthsOf,
  offerDeadline,
  type Contract,
  type ContractDocument,
} from './contracts.js';

describe('working days of an offer', () => {
  it('skips weekends and the holidays of ст. 112 ТК РФ', () => {
    expect(isWorkingDay('2026-12-01')).toBe(true); // a Tuesday
    expect(isWorkingDay('2026-12-05')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-04')).toBe(false); // День народного единства
    expect(addWorkingDays('2026-12-01', 5)).toBe('2026-12-08'); // Tue → next Tue
    expect(addWorkingDays('2026-12-04', 1)).toBe('2026-12-07'); // Friday → Monday
    expect(addWorkingDays('2026-12-29', 5)).toBe('2027-01-13'); // across the New Year holidays
    expect(addWorkingDays('2027-05-07', 1)).toBe('2027-05-10'); // Fri, then the weekend; 9 May is a Sunday
  });

  it('ends at midnight Moscow time after the fifth working day', () => {
    expect(offerDeadline('2026-12-01').toISOString()).toBe('2026-12-08T21:00:00.000Z');
  });

  it('counts the calendar months a contract touches and numbers contracts readably', () => {
    expect(monthsOf('2027-01-10', '2027-03-05')).toEqual(['2027-01-01', '2027-02-01', '2027-03-01']);
    expect(monthsOf('2026-12-15', '2027-01-01')).toEqual(['2026-12-01', '2027-01-01']);
    expect(monthsOf('2027-02-01', '2027-01-31')).toEqual([]);
    expect(contractNumber('2026-09-01', 42)).toBe('67-26-000042');
  });
});

describe('the contract as a PDF', () => {
  it('parses and holds the Cyrillic text of the parties, the program and the split', async () => {
    const contract = {
      id: '00000000-0000-4000-8000-000000000001',
      number: '67-26-000007',
      status: 'confirmed',
      startsOn: '2027-01-10',
      endsOn: '2027-04-30',
      priceKopecks: 80_000,
      normativeKopecks: 60_000,
      certificateKopecks: 240_000,
      familyKopecks: 80_000,
      months: ['2027-01-01', '2027-02-01', '2027-03-01', '2027-04-01'].map((month) => ({
        month,
        certificateKopecks: 60_000,
        familyKopecks: 20_000,
      })),
      createdAt: new Date('2026-12-01T10:00:00Z'),
      offerExpiresAt: new Date('2026-12-08T21:00:00Z'),
      acceptedAt: null,
      acceptedIp: null,
      closedAt: null,
      closeReason: null,
    } as unknown as Contract;
    const document: ContractDocument = {
      contract,
      organization: {
        name: 'МБУ ДО «Центр детского творчества»',
        address: 'г. Смоленск, ул. Ленина, д. 1',
        inn: '6731000000',
        phone: null,
      },
      parent: { lastName: 'Иванова', firstName: 'Мария', middleName: 'Петровна', email: 'm@example.ru' },
      child: {
        lastName: 'Иванов',
        firstName: 'Илья',
        middleName: null,
        sex: 'male',
        birthDate: '2016-05-20',
      },
      program: { name: 'Робототехника для начинающих' },
      group: { name: 'Группа 1', address: 'г. Смоленск, ул. Ленина, д. 1, каб. 12', teacher: 'Орлова И. П.' },
      municipality: 'город Смоленск',
    };
    const bytes = await contractPdf(document);
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
    const flat = text.replace(/\s+/g, ' ');
    for (const words of [
      'Договор об образовании № 67-26-000007',
      'Иванова Мария Петровна',
      'Иванов Илья',
      'Робототехника для начинающих',
      'Подтверждён, ожидает заключения',
      'январь 2027',
      'публичной офертой',
    ])
      expect(flat).toContain(words);
  });
});

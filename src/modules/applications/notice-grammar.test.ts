import { describe, expect, it } from 'vitest';
import { noticeText } from './jobs.js';

const facts = {
  reason: null,
  program: 'Робототехника',
  group: 'Группа 1',
  organization: 'ДДТ',
  studyStart: '2026-09-01',
  offerExpiresAt: null,
  queuePlace: 1,
};
const ilya = { lastName: 'Кузнецов', firstName: 'Илья', middleName: 'Андреевич', sex: 'male' as const };
const olga = { lastName: 'Черных', firstName: 'Ольга', middleName: null, sex: 'female' as const };

describe('notices about a child, in the child’s case and sex', () => {
  it('names the child in the genitive after «для ребёнка»', () => {
    expect(noticeText({ ...facts, to: 'new', child: ilya })).toContain(
      'для ребёнка Кузнецова Ильи Андреевича подана',
    );
    expect(noticeText({ ...facts, to: 'cancelled', child: olga })).toContain(
      'для ребёнка Черных Ольги отменена',
    );
  });

  it('agrees «зачислен» and «отчислен» with the child’s sex, never «(а)»', () => {
    expect(noticeText({ ...facts, to: 'accepted', child: ilya })).toMatch(
      /^Кузнецов Илья Андреевич зачислен в группу/,
    );
    expect(noticeText({ ...facts, to: 'accepted', child: olga })).toMatch(/^Черных Ольга зачислена в группу/);
    const expelled = noticeText({ ...facts, to: 'expelled', child: olga, reason: 'по заявлению родителя' });
    expect(expelled).toMatch(/^Черных Ольга отчислена из группы/);
    expect(expelled).not.toContain('(а)');
  });

  it('closes a typed reason with one period', () => {
    const text = noticeText({
      ...facts,
      to: 'rejected',
      child: ilya,
      reason: 'Группа занимается в пятницу.',
    });
    expect(text).toMatch(/Причина: Группа занимается в пятницу\.$/);
    expect(noticeText({ ...facts, to: 'rejected', child: ilya })).toMatch(/Причина: не указана\.$/);
  });

  it('completes in the genitive', () => {
    expect(noticeText({ ...facts, to: 'completed', child: olga })).toContain(
      'Обучение ребёнка Черных Ольги по программе',
    );
  });
});

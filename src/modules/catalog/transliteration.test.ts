import { describe, expect, it } from 'vitest';
import { queryOf, wordsOf, type WordRow } from './search.js';
import { transliterations } from './transliteration.js';

describe('transliterations', () => {
  it.each([
    ['lego', ['лего']],
    ['лего', ['lego']],
    ['scratch', ['скретч', 'скрэтч', 'скратч']],
    ['скретч', ['scratch', 'skretch']],
    ['python', ['питон', 'пайтон']],
    ['питон', ['python', 'piton']],
    ['robot', ['робот']],
    ['шахматы', ['shakhmaty']],
    ['arduino', ['ардуино']],
  ])('«%s» → %j', (word, expected) => {
    expect(transliterations(word)).toEqual(expected);
  });

  it('leaves digits, mixed words and words with no other spelling alone', () => {
    expect(transliterations('3d')).toEqual(['3д']);
    expect(transliterations('2024')).toEqual([]);
    expect(transliterations('legoлего')).toEqual([]);
  });
});

const row = (ord: number, word: string, fields: Partial<WordRow> = {}): WordRow => ({
  ord,
  word,
  typed: true,
  lexeme: word,
  known: true,
  related: null,
  nearLexeme: null,
  nearWord: null,
  ...fields,
});

describe('query expansion', () => {
  it('splits a query into lower-cased words', () => {
    expect(wordsOf('Кружок РИСОВАНИЯ, 3D-печать')).toEqual(['кружок', 'рисования', '3d', 'печать']);
  });

  it('widens a word with its related entries (a phrase needs all its words) and keeps every word required', () => {
    const query = queryOf([
      row(0, 'кружок', { lexeme: 'кружк' }),
      row(1, 'рисования', {
        lexeme: 'рисован',
        related: [['рисунк'], ['живопис'], ['изобразительн', 'искусств']],
      }),
    ]);
    expect(query.tsQuery).toBe(
      "'кружк' & ('рисован' | 'рисунк' | 'живопис' | ('изобразительн' & 'искусств'))",
    );
    expect(query.anyQuery).toBe(
      "'кружк' | ('рисован' | 'рисунк' | 'живопис' | ('изобразительн' & 'искусств'))",
    );
    expect(query.ownQuery).toBe("'кружк' | 'рисован'");
    // Own words match anywhere, related words in names (search.ts, textCondition).
    expect(query.groups).toEqual([
      { own: "'кружк'", related: null },
      { own: "'рисован'", related: "'рисунк' | 'живопис' | ('изобразительн' & 'искусств')" },
    ]);
    expect(query.corrected).toBeNull();
  });

  it('adds a known other-alphabet spelling and its related words, and does not call the word a typo', () => {
    const query = queryOf([
      row(0, 'lego', { known: false, nearLexeme: 'лег', nearWord: 'лето' }),
      row(0, 'лего', { typed: false, lexeme: 'лег', related: [['конструирован']] }),
    ]);
    expect(query.tsQuery).toBe("('lego' | 'лег' | 'конструирован')");
    expect(query.ownQuery).toBe("'lego' | 'лег'");
    expect(query.corrected).toBeNull();
  });

  it('drops an other-alphabet spelling no program has', () => {
    expect(
      queryOf([row(0, 'театр', { lexeme: 'театр' }), row(0, 'teatr', { typed: false, known: false })])
        .tsQuery,
    ).toBe("'театр'");
  });

  it('corrects a typo only when the word has nothing else to search for', () => {
    const query = queryOf([
      row(0, 'роботехника', {
        lexeme: 'роботехник',
        known: false,
        nearLexeme: 'робототехник',
        nearWord: 'робототехника',
      }),
    ]);
    expect(query.tsQuery).toBe("'робототехник'");
    expect(query.corrected).toBe('робототехника');
  });

  it('skips stop words and searches nothing when all words are stop words', () => {
    expect(queryOf([row(0, 'для', { lexeme: null }), row(1, 'футбол')]).tsQuery).toBe("'футбол'");
    expect(queryOf([row(0, 'для', { lexeme: null })]).tsQuery).toBeNull();
  });

  it('quotes apostrophes inside lexemes', () => {
    expect(queryOf([row(0, "o'neil")]).tsQuery).toBe("'o''neil'");
  });
});

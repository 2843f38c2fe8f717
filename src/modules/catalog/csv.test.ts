import { describe, expect, it } from 'vitest';
import { csvLine } from './csv.js';

/** RFC 4180 as a careful reader (LibreOffice, Excel's import with «,») parses one line. */
function parseRfc(line: string): string[] {
  const fields: string[] = [];
  const pattern = /"((?:[^"]|"")*)"(,|\r\n$)/gy;
  let consumed = 0;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    fields.push(match[1]!.replaceAll('""', '"'));
    consumed = pattern.lastIndex;
  }
  expect(consumed, `${JSON.stringify(line)} is not quoted field by field`).toBe(line.length);
  return fields;
}

const HOSTILE = [
  'Робототехника;=1+1;',
  '=HYPERLINK("http://evil";"клик")',
  '+79001234567',
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
  'Шахматы, =1+1',
  'Лего;  +1',
  'Кружок;"=1+1"',
  'a;b;@x;c',
  'Живопись,-1;=2',
];

describe('programs.csv lines', () => {
  it('quote every field, so a careful reader gets the text back whole', () => {
    const line = csvLine(['00829f6d', 'Робототехника; «Лего», "Юный техник"', 12, null, true]);
    expect(line).toBe('"00829f6d","Робототехника; «Лего», ""Юный техник""","12","","да"\r\n');
    expect(parseRfc(line)).toEqual(['00829f6d', 'Робототехника; «Лего», "Юный техник"', '12', '', 'да']);
  });

  it.each(HOSTILE)('no cell can start a formula, whichever separator splits %j', (name) => {
    const line = csvLine(['00829f6d', name, 'Художественная']);
    // Excel in ru-RU splits on «;», ignoring quotes in the middle of a piece; others split on «,».
    for (const separator of [';', ',']) {
      for (const cell of line.trimEnd().split(separator)) {
        expect(cell, `${JSON.stringify(line)} split on ${separator}`).not.toMatch(/^["\s]*[=+\-@]/);
        expect(cell).not.toMatch(/^"*[\t\r]/);
      }
    }
    // Read properly, the text is the provider's, with an apostrophe before each place a formula could start.
    const [, read] = parseRfc(line);
    expect(read!.replaceAll("'", '')).toBe(name);
  });

  it('leaves ordinary text and numbers as they are', () => {
    expect(parseRfc(csvLine(['Танцы — 6+', 'Английский язык', 10, 1500]))).toEqual([
      'Танцы — 6+',
      'Английский язык',
      '10',
      '1500',
    ]);
  });
});

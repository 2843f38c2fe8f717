import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { formatDate, regionToday } from '../../platform/views/format.js';
import { contractSections, contractStatusLine, monthName, type ContractDocument } from './contracts.js';
import { formatRoubles } from './money.js';

/*
 * The contract as a PDF, rendered on the server with DejaVu Sans (Cyrillic) from the `dejavu-fonts-ttf` package:
 * read from node_modules once, embedded as a subset, nothing downloaded at run time. The text is the HTML
 * page's (`contractSections`).
 */

const require = createRequire(import.meta.url);
let fonts: Promise<[Uint8Array, Uint8Array]> | null = null;
function fontFiles() {
  fonts ??= Promise.all([
    readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  ]);
  return fonts;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const WIDTH = A4[0] - 2 * MARGIN;

/** Splits a paragraph into lines that fit `width` at `size` (by words; a word longer than a line stays whole). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, size) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

export async function contractPdf(document: ContractDocument): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const [regularBytes, boldBytes] = await fontFiles();
  const regular = await pdf.embedFont(regularBytes, { subset: true });
  const bold = await pdf.embedFont(boldBytes, { subset: true });
  const { contract } = document;
  pdf.setTitle(`Договор об образовании № ${contract.number}`);
  pdf.setLanguage('ru-RU');
  pdf.setCreator('Навигатор дополнительного образования');

  let page: PDFPage = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  const ensure = (height: number) => {
    if (y - height < MARGIN) {
      page = pdf.addPage(A4);
      y = A4[1] - MARGIN;
    }
  };
  const write = (text: string, options: { font?: PDFFont; size?: number; gap?: number; x?: number } = {}) => {
    const font = options.font ?? regular;
    const size = options.size ?? 10;
    const x = options.x ?? MARGIN;
    for (const line of wrap(text, font, size, WIDTH - (x - MARGIN))) {
      ensure(size * 1.4);
      page.drawText(line, { x, y: y - size, size, font, color: rgb(0.1, 0.1, 0.1) });
      y -= size * 1.4;
    }
    y -= options.gap ?? 4;
  };
  const row = (cells: string[], font: PDFFont) => {
    const columns = [MARGIN, MARGIN + 150, MARGIN + 260, MARGIN + 380];
    ensure(14);
    cells.forEach((cell, index) =>
      page.drawText(cell, { x: columns[index]!, y: y - 10, size: 10, font, color: rgb(0.1, 0.1, 0.1) }),
    );
    y -= 14;
  };

  write(`Договор об образовании № ${contract.number}`, { font: bold, size: 15, gap: 2 });
  write(
    `на обучение по дополнительной общеобразовательной программе (договор-оферта) · ${formatDate(regionToday(contract.createdAt))}`,
    { gap: 2 },
  );
  write(`Статус: ${contractStatusLine(contract)}`, { gap: 10 });
  for (const section of contractSections(document)) {
    write(section.heading, { font: bold, size: 12, gap: 2 });
    for (const paragraph of section.paragraphs) write(paragraph);
    y -= 6;
    if (section.heading.startsWith('3.')) {
      row(['Месяц', 'Стоимость', 'Сертификат', 'Заказчик'], bold);
      for (const month of contract.months)
        row(
          [
            monthName(month.month),
            formatRoubles(month.certificateKopecks + month.familyKopecks),
            formatRoubles(month.certificateKopecks),
            formatRoubles(month.familyKopecks),
          ],
          regular,
        );
      y -= 8;
    }
  }
  if (contract.acceptedAt)
    write(
      `Оферта акцептована заказчиком в личном кабинете ${contract.acceptedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC, IP-адрес ${contract.acceptedIp ?? '—'}.`,
    );
  return pdf.save();
}

import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Hostile workbooks for the import's bounds, built byte by byte: a minimal zip writer (so that a test can
 * lie about sizes or hide an entry) and the two classic bombs.
 */

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** The size written into the headers, when the test wants it to lie. */
  declaredSize?: number;
}

export function zipOf(entries: ZipEntry[], options: { gapBefore?: number } = {}): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  entries.forEach((entry, index) => {
    const packed = deflateRawSync(entry.data, { level: 9 });
    const name = Buffer.from(entry.name, 'utf8');
    const size = entry.declaredSize ?? entry.data.length;
    const crc = crc32(entry.data);
    // Unlisted bytes before an entry: the place where a zip can hide an entry from its directory.
    if (index > 0 && options.gapBefore === index) {
      const gap = Buffer.alloc(64, 0x20);
      locals.push(gap);
      offset += gap.length;
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(packed.length, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    central.push(header, name);
    offset += local.length + name.length + packed.length;
  });
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The parts of a one-sheet workbook around the given sheet XML, named «Программы». */
export function workbookEntries(sheetXml: Buffer): ZipEntry[] {
  const text = (name: string, xml: string) => ({ name, data: Buffer.from(xml, 'utf8') });
  return [
    text(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    text(
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    text(
      'xl/workbook.xml',
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Программы" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    text(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    { name: 'xl/worksheets/sheet1.xml', data: sheetXml },
  ];
}

const sheetXml = (rows: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;

const columnName = (index: number) =>
  (index >= 26 ? String.fromCharCode(64 + Math.floor(index / 26)) : '') +
  String.fromCharCode(65 + (index % 26));

/** A workbook of `rows` rows of 100 numeric cells each (a couple of million cells fit in 2 MB). */
export function cellBomb(rows: number): Buffer {
  const columns = Array.from({ length: 100 }, (_, index) => columnName(index));
  const parts: string[] = [];
  for (let r = 1; r <= rows; r++) {
    let row = `<row r="${r}">`;
    for (const column of columns) row += `<c r="${column}${r}"><v>${(r * 7) % 1000}</v></c>`;
    parts.push(`${row}</row>`);
  }
  return zipOf(workbookEntries(Buffer.from(sheetXml(parts.join('')), 'utf8')));
}

/** A workbook whose sheet unpacks to `bytes` of blanks: a few kilobytes that become hundreds of megabytes. */
export function zipBomb(bytes: number, declaredSize?: number): Buffer {
  const entries = workbookEntries(Buffer.alloc(bytes, 0x20));
  entries[entries.length - 1]!.declaredSize = declaredSize;
  return zipOf(entries);
}

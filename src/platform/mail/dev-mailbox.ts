import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Development only: letters are written as .eml files under DATA_DIR/mail instead of being sent,
 * and shown at /dev/mail. The files are exactly what an SMTP server would have received. mailparser is a
 * development dependency, loaded only when a letter is shown: a production install (`npm ci --omit=dev`) lacks it.
 */
export class DevMailbox {
  constructor(readonly folder: string) {}

  async store(id: string, raw: Buffer): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true });
    // The job id names the file: a retried job overwrites its own letter instead of adding a copy.
    await fs.writeFile(path.join(this.folder, `${safeId(id)}.eml`), raw);
  }

  async list(): Promise<DevMail[]> {
    let names: string[];
    try {
      names = (await fs.readdir(this.folder)).filter((name) => name.endsWith('.eml'));
    } catch {
      return [];
    }
    const letters = await Promise.all(names.map((name) => this.read(name.slice(0, -4))));
    return letters
      .filter((letter): letter is DevMail => letter !== null)
      .sort((a, b) => b.date.getTime() - a.date.getTime());
  }

  async read(id: string): Promise<DevMail | null> {
    const file = path.join(this.folder, `${safeId(id)}.eml`);
    let raw: Buffer;
    try {
      raw = await fs.readFile(file);
    } catch {
      return null;
    }
    const { simpleParser } = await import('mailparser');
    const parsed = await simpleParser(raw);
    const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
    return {
      id: safeId(id),
      date: parsed.date ?? (await fs.stat(file)).mtime,
      from: parsed.from?.text ?? '',
      to,
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
    };
  }
}

export interface DevMail {
  id: string;
  date: Date;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

function safeId(id: string): string {
  return id.replace(/[^a-zA-Z0-9-]/g, '');
}

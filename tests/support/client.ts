import type { FastifyInstance } from 'fastify';

export interface PageResponse {
  status: number;
  body: string;
  /** The body's bytes, for downloads (XLSX, PDF). */
  raw: Buffer;
  location: string | undefined;
  headers: Record<string, unknown>;
  setCookies: string[];
}

/**
 * A browser stand-in over Fastify's inject: keeps cookies, and posts forms with the CSRF token read
 * from the page that holds the form — as a person's browser would.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly app: FastifyInstance,
    private readonly ip = '203.0.113.10',
  ) {}

  async get(url: string): Promise<PageResponse> {
    return this.request('GET', url);
  }

  /** Opens `pageUrl`, takes its CSRF token, and posts `fields` to `action` (default: the same URL). */
  async submit(
    pageUrl: string,
    fields: Record<string, string>,
    action = pageUrl.split('?')[0]!,
  ): Promise<PageResponse> {
    const page = await this.get(pageUrl);
    return this.post(action, { _csrf: csrfTokenOf(page.body), ...fields });
  }

  /** Posts a form; give pairs to repeat a name, as checkboxes of one name do. */
  async post(url: string, fields: Record<string, string> | [string, string][]): Promise<PageResponse> {
    return this.request('POST', url, new URLSearchParams(fields).toString());
  }

  /** Posts a multipart form with one file, as a browser's file upload does. */
  async upload(
    url: string,
    fields: Record<string, string>,
    file: { field: string; name: string; content: Buffer; type: string },
  ): Promise<PageResponse> {
    const boundary = `----navigator${Date.now()}`;
    const parts: Buffer[] = [];
    for (const [name, value] of Object.entries(fields)) {
      parts.push(
        Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
      );
    }
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`,
      ),
      file.content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    return this.request('POST', url, Buffer.concat(parts), `multipart/form-data; boundary=${boundary}`);
  }

  /** Follows redirects from a response, as a browser would after post/redirect/get. */
  async follow(response: PageResponse): Promise<PageResponse> {
    let current = response;
    for (let hops = 0; current.location && hops < 5; hops++) current = await this.get(current.location);
    return current;
  }

  private async request(
    method: 'GET' | 'POST',
    url: string,
    payload?: string | Buffer,
    contentType = 'application/x-www-form-urlencoded',
  ): Promise<PageResponse> {
    const response = await this.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: {
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(payload !== undefined ? { 'content-type': contentType } : {}),
      },
      ...(payload !== undefined ? { payload } : {}),
    });
    const raw = response.headers['set-cookie'];
    const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return {
      status: response.statusCode,
      body: response.body,
      raw: response.rawPayload,
      location: response.headers.location,
      headers: response.headers,
      setCookies,
    };
  }
}

export function csrfTokenOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('The page has no form with a CSRF token');
  return token;
}

/** The text of a page without tags, for assertions on what a person reads. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

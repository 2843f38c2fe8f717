import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from './platform/config.js';

// No Docker engine runs on the project's machines: the Dockerfile, compose.yaml and deploy/nginx.conf are never
// built or started here. These checks read them and hold the essentials that a mistake would silently lose.

const root = new URL('../', import.meta.url);
const read = (file: string) => fs.readFileSync(new URL(file, root), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's stages, each a list of instructions (comments dropped, `\` continuations joined). */
function dockerStages(text: string): { from: string; name?: string; instructions: Instruction[] }[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: { from: string; name?: string; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [image = '', as, name] = args.split(/\s+/);
      stages.push({ from: image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ') });
    }
  }
  return stages;
}

/** compose's `${NAME}`, `${NAME:-default}` and `${NAME:?error}` with the values of an .env file. */
function interpolate(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string')
    return value.replace(
      /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
      (_, name: string, kind: string | undefined, rest: string | undefined) => {
        const given = env[name];
        if (given) return given;
        if (kind === '?') throw new Error(`${name} is required: ${rest}`);
        return kind === '-' ? (rest ?? '') : '';
      },
    );
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, env)]));
  return value;
}

/** deploy/.env.example as compose reads it, with the secrets an operator would fill in. */
function exampleEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of read('deploy/.env.example').split('\n')) {
    const match = /^(\w+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!.replace(/^'(.*)'$/, '$1');
  }
  return { ...env, SESSION_SECRET: 'x'.repeat(40), CERTIFICATE_NUMBER_KEY: 'y'.repeat(40) };
}

describe('Dockerfile', () => {
  const stages = dockerStages(read('Dockerfile'));
  const runtime = stages.at(-1)!;
  const args = (keyword: string) =>
    runtime.instructions.filter((item) => item.keyword === keyword).map((item) => item.args);

  it('builds in one stage and runs on Node 24 in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toMatch(/^node:24[.-]/);
    const build = stages.find((stage) => stage.name === 'build')!;
    expect(build.instructions.map((item) => item.args)).toContain('npm run build');
  });

  it('installs production dependencies only, from the lock file', () => {
    expect(args('RUN').some((line) => /\bnpm ci\b.*--omit=dev/.test(line))).toBe(true);
    expect(args('RUN').some((line) => /\bnpm (install|i)\b/.test(line))).toBe(false);
    expect(args('COPY')).toContain('package.json package-lock.json ./');
  });

  it('carries what dist/ reads at run time: the compiled code, the migrations, the static files', () => {
    const copied = args('COPY').join('\n');
    expect(copied).toMatch(/--from=build \/app\/dist \.\/dist/);
    expect(copied).toMatch(/^drizzle \.\/drizzle$/m);
    expect(copied).toMatch(/^public \.\/public$/m);
  });

  it('runs as an unprivileged user, in production mode, on all interfaces', () => {
    const user = args('USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    const env = args('ENV').join(' ');
    expect(env).toMatch(/NODE_ENV=production/);
    expect(env).toMatch(/HOST=0\.0\.0\.0/);
    expect(args('CMD').at(-1)).toBe('["node", "dist/server.js"]');
  });

  it('asks /readyz for its health', () => {
    const [healthcheck] = args('HEALTHCHECK');
    expect(healthcheck).toMatch(/CMD .*\/readyz/);
    expect(healthcheck).toMatch(/--interval=\d+s/);
  });
});

describe('compose.yaml', () => {
  const compose = interpolate(parse(read('compose.yaml'), { merge: true }), exampleEnv()) as {
    services: Record<
      string,
      { image?: string; command?: string[]; environment: Record<string, string>; depends_on?: unknown }
    >;
  };
  const { services } = compose;

  it('runs PostgreSQL 16, two web processes, a worker and nginx', () => {
    expect(Object.keys(services).sort()).toEqual(['db', 'nginx', 'web1', 'web2', 'worker']);
    expect(services.db!.image).toMatch(/^postgres:16\b/);
    expect(services.nginx!.image).toMatch(/^nginx:/);
    expect(services.worker!.command).toEqual(['node', 'dist/worker.js']);
  });

  it('gives every app process a production configuration the app accepts', () => {
    for (const name of ['web1', 'web2', 'worker']) {
      const environment = services[name]!.environment;
      const config = loadConfig(environment);
      expect(config.env).toBe('production');
      expect(config.databaseUrl).toMatch(/@db:5432\//);
      // Only variables the app knows: a misspelt one would be ignored without a word.
      const known = new Set([...Object.keys(loadConfigNames()), 'NODE_ENV']);
      for (const variable of Object.keys(environment)) expect(known, variable).toContain(variable);
    }
  });

  it('leaves the jobs to the worker and believes only nginx in the web processes', () => {
    for (const name of ['web1', 'web2']) {
      const config = loadConfig(services[name]!.environment);
      expect(config.runJobsInWeb).toBe(false);
      expect(config.trustProxy).not.toBe(false);
      expect(config.host).toBe('0.0.0.0');
    }
    expect(loadConfig(services.worker!.environment).runJobsInWeb).toBe(true);
  });

  it('refuses to start without the secrets', () => {
    expect(() => interpolate(parse(read('compose.yaml'), { merge: true }), {})).toThrow(/is required/);
  });
});

describe('deploy/nginx.conf', () => {
  const conf = read('deploy/nginx.conf').replace(/#.*$/gm, '');

  it('balances over both web processes and replaces the client address headers', () => {
    const upstream = /upstream (\w+) \{([^}]*)\}/.exec(conf);
    expect(upstream).not.toBeNull();
    const servers = [...upstream![2]!.matchAll(/server (\S+?)[\s;]/g)].map((match) => match[1]);
    expect(servers).toEqual(['web1:3000', 'web2:3000']);
    expect(conf).toContain(`proxy_pass http://${upstream![1]};`);
    expect(conf).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(conf).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    expect(conf).toMatch(/proxy_set_header Host \$host;/);
  });
});

/** The variables loadConfig reads: those it asks its environment for. */
function loadConfigNames(): Record<string, true> {
  const names: Record<string, true> = {};
  const source: NodeJS.ProcessEnv = new Proxy(
    {},
    {
      get: (_, name) => {
        if (typeof name === 'string') names[name] = true;
        return undefined;
      },
    },
  );
  loadConfig(source);
  return names;
}

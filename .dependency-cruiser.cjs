/**
 * Module boundaries (ADR 0012), checked by `npm run check`:
 * - src/platform is shared plumbing and imports no module;
 * - a module uses another only through its index.ts, never its internals;
 * - the composition root (src/*.ts, src/cli) wires modules through their index.ts too.
 * Tests may reach inside modules to build their data.
 */
const tests = '\\.test\\.tsx?$';

module.exports = {
  forbidden: [
    {
      name: 'platform-imports-no-module',
      comment: 'src/platform is shared plumbing: it must not depend on any module.',
      severity: 'error',
      from: { path: '^src/platform/', pathNot: tests },
      to: { path: '^src/modules/' },
    },
    {
      name: 'modules-meet-through-index',
      comment: "A module uses another only through that module's index.ts.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: [tests, '/schema\\.ts$'] },
      to: { path: '^src/modules/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'tables-reference-tables',
      comment: "A table's schema may name another module's table for a foreign key, and nothing else of it.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/schema\\.ts$' },
      to: {
        path: '^src/modules/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/(schema|index)\\.ts$'],
      },
    },
    {
      name: 'composition-root-through-index',
      comment: "The composition root and the CLI wire modules through each module's index.ts.",
      severity: 'error',
      from: { path: ['^src/[^/]+\\.tsx?$', '^src/cli/'], pathNot: [tests, '^src/schema\\.ts$'] },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'schema-gathers-tables',
      comment: 'src/schema.ts gathers the tables for drizzle-kit, and only them.',
      severity: 'error',
      from: { path: '^src/schema\\.ts$' },
      to: { path: '^src/modules/', pathNot: '^src/modules/[^/]+/schema\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { pathNot: tests },
      // Type-only imports vanish at run time; a cycle of them is harmless.
      to: {
        circular: true,
        dependencyTypesNot: ['type-only'],
        viaOnly: { dependencyTypesNot: ['type-only'] },
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js'],
    },
  },
};

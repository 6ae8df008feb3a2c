// The boundary rules of ARCHITECTURE.md ("the boundary is checked, not hoped for"), run by
// `npm run lint:deps` and by test/unit/architecture.test.ts. Paths are relative to the
// repository root; a package's files show as …/node_modules/<name>/… (node_modules may be a
// symlink, resolved to its real place).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/**
 * Subpaths their package documents as public entry points, each with where. Any other path
 * below a package name is one of its files, free to change in any release a caret range lets
 * in (nodemailer's lib/mime-node and lib/qp once were imported this way).
 */
const PUBLIC_SUBPATHS = {
  'nodemailer/lib/mail-composer': "MailComposer, documented at nodemailer.com/extras/mailcomposer as require('nodemailer/lib/mail-composer')",
  'dotenv/config': "loads .env on import: the README's ESM usage is import 'dotenv/config'",
  'tsx/esm/api': "tsx's register() for a worker thread (tsx.is/dev-api/register-esm; Node 20 workers ignore --import)",
  'vitest/config': 'defineConfig for vitest.config.ts (vitest.dev/config)',
  'prisma/config': "defineConfig for prisma.config.ts (Prisma's prisma-config reference)",
  'dependency-cruiser/config-utl/extract-depcruise-options': "reads this file for the cruise API (dependency-cruiser's doc/api.md)",
  'dependency-cruiser/config-utl/extract-ts-config': "reads tsconfig.json for the cruise API (dependency-cruiser's doc/api.md)",
};

const packageJson = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Every file named in an exports entry, whichever condition (import, require, types, default). */
const targets = (entry) => (typeof entry === 'string' ? [entry] : Object.values(entry ?? {}).flatMap(targets));
const file = (target) => escape(target.replace(/^\.\//, ''));

/** The files a package's own manifest names as its root entry ("." export, main, module, types). */
function rootEntries(pkg) {
  const dotExport = pkg.exports && (typeof pkg.exports === 'string' || !Object.keys(pkg.exports)[0]?.startsWith('.') ? pkg.exports : pkg.exports['.']);
  const fields = [pkg.main, pkg.module, pkg.types, pkg.typings].filter(Boolean);
  // A main without extension ("lib/index") resolves to lib/index.js or lib/index/index.js.
  return [...targets(dotExport).map(file), ...fields.map((f) => `${file(f)}(\\.js|/index\\.js)?`), 'index\\.(js|d\\.ts)'];
}

/** The files each allowed subpath resolves to; only subpaths the package exports by that name. */
function subpathEntries(spec) {
  const [scopeOrName, ...rest] = spec.split('/');
  const name = scopeOrName.startsWith('@') ? `${scopeOrName}/${rest.shift()}` : scopeOrName;
  const entry = packageJson(join(__dirname, 'node_modules', name)).exports?.[`./${rest.join('/')}`];
  if (!entry) throw new Error(`${spec}: ${name} exports no such subpath; it cannot be in PUBLIC_SUBPATHS`);
  return { name, files: targets(entry).map(file) };
}

const manifest = packageJson(__dirname);
const publicEntries = [
  ...Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).map((name) => ({ name, files: rootEntries(packageJson(join(__dirname, 'node_modules', name))) })),
  ...Object.keys(PUBLIC_SUBPATHS).map(subpathEntries),
].map(({ name, files }) => `(^|/)node_modules/${escape(name)}/(${files.join('|')})$`);

const DOORS = 'src/(http|cli|mail/inbound|mail/outbound)/';

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment: 'src/domain is the core: no door (http, mail, cli), no src/db, no other src folder; it reaches them only through ports (src/domain/ports.ts).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'domain-imports-only-zod',
      comment: 'The only packages src/domain imports are zod and chrono-node (pure parsers, no I/O): no framework (fastify, nodemailer, prisma, …) and no node builtin.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/', '(^|/)node_modules/zod/', '(^|/)node_modules/chrono-node/'] },
    },
    {
      name: 'doors-not-each-other',
      comment: 'A door (http, cli, inbound mail, outbound mail) talks to the domain, never to another door; share through src/domain or src/mail/*.ts.',
      severity: 'error',
      from: { path: `^${DOORS}` },
      to: { path: `^${DOORS}`, pathNot: '^src/$1/' },
    },
    {
      name: 'doors-not-db',
      comment: 'Every door reaches storage only through ports (domain/ports.ts, mail/*/ports.ts); src/db is wired in src/deps.ts and src/server.ts.',
      severity: 'error',
      from: { path: `^${DOORS}` },
      to: { path: '^src/db/' },
    },
    {
      name: 'scheduler-through-ports',
      comment: 'Scheduled work (src/scheduler) reaches storage only through its ports (scheduler/ports.ts) and uses no door; it is wired in src/server.ts.',
      severity: 'error',
      from: { path: '^src/scheduler/' },
      to: { path: '^src/(db|http|cli|mail)/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles (type-only imports count).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-deep-imports',
      comment: "Public library APIs only: a package's root entry or a subpath in PUBLIC_SUBPATHS (.dependency-cruiser.cjs), never one of its files.",
      severity: 'error',
      from: {},
      to: { path: '(^|/)node_modules/', pathNot: publicEntries },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports and that imports nothing is dead code (declaration files are read by the compiler, not imported).',
      severity: 'error',
      from: { orphan: true, pathNot: '\\.d\\.[cm]?ts$' },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves to a file on disk.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'Every package imported is declared in package.json (not present only as some dependency of one).',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Generated Prisma clients (gitignored, rewritten by `npm run db:generate`): not our code.
    exclude: { path: '^src/db/generated/' },
    // Type-only imports are dependencies too (a type from src/db couples a door to storage).
    tsPreCompilationDeps: true,
    // NodeNext: './x.js' in a .ts file means ./x.ts; the TypeScript config tells the resolver.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};

// ARCHITECTURE practice 8, "the boundary is checked, not hoped for": src/domain imports no
// framework, transport or database code, the environment is read in one place, and no import
// reaches into a package's internal paths.
// Sources are parsed with the TypeScript compiler (already a dev dependency), so comments and
// strings never count and every import form (static, re-export, dynamic, require, type-only
// `import('…')`) does.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
const DOMAIN = join(SRC, 'domain');
const SOURCE_EXT = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

/** `src/...` path with forward slashes. */
const rel = (file: string) => relative(ROOT, file).split(sep).join('/');

function sourceFiles(dir: string, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip(path)) continue;
    if (entry.isDirectory()) out.push(...sourceFiles(path, skip));
    else if (SOURCE_EXT.has(extname(entry.name)) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

function parse(fileName: string, text = readFileSync(fileName, 'utf8')): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** Every module specifier the file refers to, in any import form. */
function moduleSpecifiers(sf: ts.SourceFile): string[] {
  const specs: string[] = [];
  walk(sf, (n) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      specs.push(n.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) {
      const e = n.moduleReference.expression;
      if (ts.isStringLiteral(e)) specs.push(e.text);
    } else if (ts.isCallExpression(n) && n.arguments.length >= 1) {
      const isDynamicImport = n.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(n.expression) && n.expression.text === 'require';
      const arg = n.arguments[0]!;
      if ((isDynamicImport || isRequire) && ts.isStringLiteralLike(arg)) specs.push(arg.text);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      specs.push(n.argument.literal.text);
    }
  });
  return specs;
}

const FORBIDDEN_PACKAGES = [
  'fastify', '@fastify/*', 'smtp-server', 'imapflow', 'nodemailer', 'mailparser', '@prisma/*', 'prisma', 'pg', 'better-sqlite3',
];
const FORBIDDEN_SRC_DIRS = ['db', 'http', 'mail'];

/** Why `spec`, imported from `file`, crosses the domain boundary; null if it does not. */
function boundaryViolation(file: string, spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = relative(SRC, resolve(dirname(file), spec)).split(sep).join('/');
    const dir = FORBIDDEN_SRC_DIRS.find((d) => target === d || target.startsWith(`${d}/`));
    return dir ? `imports src/${target} (src/${dir} is outside the domain's reach)` : null;
  }
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
  const hit = FORBIDDEN_PACKAGES.find((p) => (p.endsWith('/*') ? name.startsWith(p.slice(0, -1)) : name === p));
  return hit ? `imports ${spec} (${hit})` : null;
}

const domainFiles = sourceFiles(DOMAIN);

describe('the import scanner (so the boundary checks cannot pass vacuously)', () => {
  it('sees every import form', () => {
    const sf = parse('/x/src/domain/fake.ts', [
      "import Fastify from 'fastify';",
      "import type { FastifyRequest } from 'fastify';",
      "export { x } from '@fastify/formbody';",
      "import * as s from 'smtp-server';",
      "import ns = require('nodemailer');",
      "const m = await import('mailparser');",
      "const pg = require('pg');",
      "type P = import('@prisma/client').PrismaClient;",
      "import '../db/index.js';",
      "// import 'imapflow'",
      "const text = \"import 'better-sqlite3'\";",
    ].join('\n'));
    expect(moduleSpecifiers(sf)).toEqual([
      'fastify', 'fastify', '@fastify/formbody', 'smtp-server', 'nodemailer', 'mailparser', 'pg', '@prisma/client', '../db/index.js',
    ]);
  });

  it.each([
    ['x.ts', 'fastify', true], ['x.ts', 'fastify/types/request', true], ['x.ts', '@fastify/swagger', true],
    ['x.ts', 'smtp-server', true], ['x.ts', 'imapflow', true], ['x.ts', 'nodemailer', true],
    ['x.ts', 'nodemailer/lib/mime-node', true], ['x.ts', 'mailparser', true], ['x.ts', '@prisma/client', true],
    ['x.ts', '@prisma/adapter-pg', true], ['x.ts', 'pg', true], ['x.ts', 'better-sqlite3', true],
    ['x.ts', '../db/index.js', true], ['x.ts', '../http/error-handler.js', true], ['x.ts', '../mail/inbound/grammar.js', true],
    ['x.ts', '../db', true],
    ['events/x.ts', '../../db/generated/sqlite/client.js', true], ['events/x.ts', '../../http/build-app.js', true],
    ['events/x.ts', '../../mail/reply-marker.js', true],
    ['x.ts', 'zod', false], ['x.ts', './ports.js', false], ['events/x.ts', '../slots.js', false],
    ['events/x.ts', './mail-rows.js', false], ['x.ts', 'pg-format-free', false], ['x.ts', 'fastify-type-provider-zod', false],
    ['x.ts', '../dbx/thing.js', false],
    ['events/x.ts', '../db/x.js', false], // src/domain/db, still inside the domain
  ])('src/domain/%s importing %s is a violation: %s', (from, spec, bad) => {
    expect(boundaryViolation(join(DOMAIN, from), spec) !== null).toBe(bad);
  });

  it('finds the domain files and their imports', () => {
    expect(domainFiles.map(rel)).toEqual(expect.arrayContaining([
      'src/domain/ports.ts', 'src/domain/slots.ts', 'src/domain/events/answer-event.ts', 'src/domain/events/create-event.ts',
    ]));
    expect(moduleSpecifiers(parse(join(DOMAIN, 'events', 'answer-event.ts')))).toContain('../ports.js');
  });
});

describe('src/domain boundary (ARCHITECTURE practice 8)', () => {
  it('imports no web, mail or database library and nothing under src/db, src/http, src/mail', () => {
    const violations = domainFiles.flatMap((file) =>
      moduleSpecifiers(parse(file)).map((spec) => boundaryViolation(file, spec)).filter((v) => v !== null).map((v) => `${rel(file)} ${v}`),
    );
    expect(violations).toEqual([]);
  });

  it('depends only on zod and on files inside src/domain (ARCHITECTURE layout: "imports only zod and ./ports")', () => {
    const outside = domainFiles.flatMap((file) =>
      moduleSpecifiers(parse(file))
        .filter((spec) => {
          if (spec === 'zod' || spec.startsWith('zod/')) return false;
          if (!spec.startsWith('.')) return true;
          const target = resolve(dirname(file), spec);
          return !(target === DOMAIN || target.startsWith(DOMAIN + sep));
        })
        .map((spec) => `${rel(file)} imports ${spec}`),
    );
    expect(outside).toEqual([]);
  });
});

// ---- One place reads the environment (ARCHITECTURE "Rules of the house"; config/ README) ----

interface EnvRead {
  file: string;
  line: number;
  /** The expression is the whole argument of a parseConfig(...) call. */
  passedToParseConfig: boolean;
  text: string;
}

/** Reads of the process environment: process.env, process['env'], { env } = process, env from 'node:process'. */
function envReads(sf: ts.SourceFile): EnvRead[] {
  const processNames = new Set(['process']);
  walk(sf, (n) => {
    // import proc from 'node:process' / import * as proc from 'process'
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && /^(node:)?process$/.test(n.moduleSpecifier.text)) {
      const clause = n.importClause;
      if (clause?.name) processNames.add(clause.name.text);
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) processNames.add(clause.namedBindings.name.text);
    }
  });
  const isProcess = (e: ts.Expression): boolean =>
    (ts.isIdentifier(e) && processNames.has(e.text)) ||
    (ts.isPropertyAccessExpression(e) && e.name.text === 'process' && ts.isIdentifier(e.expression) && e.expression.text === 'globalThis');

  const reads: EnvRead[] = [];
  const record = (node: ts.Node) => {
    const parent = node.parent;
    const passedToParseConfig =
      ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'parseConfig' &&
      parent.arguments.length === 1 && parent.arguments[0] === node;
    reads.push({
      file: sf.fileName,
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
      passedToParseConfig,
      text: (passedToParseConfig ? parent : node).getText(sf),
    });
  };
  walk(sf, (n) => {
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'env' && isProcess(n.expression)) record(n);
    else if (ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression) && n.argumentExpression.text === 'env' && isProcess(n.expression)) record(n);
    else if (ts.isVariableDeclaration(n) && ts.isObjectBindingPattern(n.name) && n.initializer && isProcess(n.initializer) &&
      n.name.elements.some((el) => ((el.propertyName ?? el.name) as ts.Node).getText(sf) === 'env')) record(n);
    else if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && /^(node:)?process$/.test(n.moduleSpecifier.text)) {
      const b = n.importClause?.namedBindings;
      if (b && ts.isNamedImports(b) && b.elements.some((el) => (el.propertyName ?? el.name).text === 'env')) record(n);
    }
  });
  return reads;
}

/**
 * The rule: src/config/index.ts is the reader; src/main.ts and src/cli/** (process entries)
 * may touch process.env; any other file may only hand it to parseConfig as it is.
 */
function envRuleViolation(read: EnvRead): string | null {
  const path = rel(read.file);
  if (path === 'src/config/index.ts' || path === 'src/main.ts' || path.startsWith('src/cli/')) return null;
  return read.passedToParseConfig ? null : `${path}:${read.line} reads the environment: ${read.text}`;
}

// Generated Prisma client (gitignored, rewritten by `npm run db:generate`): not our code.
const allSrc = sourceFiles(SRC, (p) => rel(p) === 'src/db/generated');

describe('the environment scanner', () => {
  it('sees every way of reading process.env, and not comments or strings', () => {
    const sf = parse('/x/src/http/fake.ts', [
      "import proc from 'node:process';",
      "import { env as e2 } from 'process';",
      'const a = process.env.PORT;',
      "const b = process['env'];",
      'const { env } = process;',
      'const c = proc.env;',
      'const d = globalThis.process.env;',
      'const cfg = parseConfig(process.env);',
      'const e = parseConfig({ ...process.env });',
      '// process.env.NOPE',
      "const s = 'process.env.NOPE';",
    ].join('\n'));
    const reads = envReads(sf);
    expect(reads.map((r) => [r.line, r.passedToParseConfig])).toEqual([
      [2, false], [3, false], [4, false], [5, false], [6, false], [7, false], [8, true], [9, false],
    ]);
    expect(reads.map(envRuleViolation).filter(Boolean)).toHaveLength(7);
  });

  it('applies the exceptions by path', () => {
    const read = (file: string, passedToParseConfig = false): EnvRead => ({ file: join(ROOT, file), line: 1, passedToParseConfig, text: 'process.env' });
    expect(envRuleViolation(read('src/config/index.ts'))).toBeNull();
    expect(envRuleViolation(read('src/main.ts'))).toBeNull();
    expect(envRuleViolation(read('src/cli/tui/index.ts'))).toBeNull();
    expect(envRuleViolation(read('src/server.ts', true))).toBeNull();
    expect(envRuleViolation(read('src/server.ts'))).toBe('src/server.ts:1 reads the environment: process.env');
    expect(envRuleViolation(read('src/domain/x.ts'))).not.toBeNull();
    expect(envRuleViolation(read('src/mainx.ts'))).not.toBeNull();
  });

  it('finds the reads that exist (main.ts hands process.env to parseConfig)', () => {
    expect(allSrc.map(rel)).toContain('src/main.ts');
    const main = envReads(parse(join(SRC, 'main.ts')));
    expect(main.map((r) => r.text)).toContain('parseConfig(process.env)');
  });
});

describe('one place reads the environment', () => {
  it('outside src/config/index.ts, src/main.ts and src/cli/**, process.env only goes straight to parseConfig', () => {
    const violations = allSrc.flatMap((file) => envReads(parse(file)).map(envRuleViolation).filter((v) => v !== null));
    expect(violations).toEqual([]);
  });

  it('the domain never touches process (dependencies are passed in)', () => {
    const uses = domainFiles.flatMap((file) => {
      const sf = parse(file);
      const found: string[] = [];
      walk(sf, (n) => {
        if (ts.isIdentifier(n) && n.text === 'process' && !ts.isPropertyAccessExpression(n.parent)) found.push(rel(file));
        if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'process') found.push(rel(file));
      });
      return found;
    });
    expect(uses).toEqual([]);
  });
});

// ---- Public library APIs only (ARCHITECTURE practice 11 and "Rules of the house") ----

/**
 * Subpaths that their package documents as public entry points, each with where. Any other
 * path below a package name is one of its files: free to change in any minor release that a
 * caret range lets in (nodemailer's lib/mime-node and lib/qp once were imported this way).
 */
const PUBLIC_SUBPATHS: Record<string, string> = {
  'nodemailer/lib/mail-composer': 'MailComposer, nodemailer.com/extras/mailcomposer',
  'dotenv/config': "loads .env on import, the README's ESM usage (\"import 'dotenv/config'\")",
  'tsx/esm/api': "tsx's register() for a worker thread (tsx.is/dev-api/register-esm; Node 20 workers ignore --import)",
  'vitest/config': 'defineConfig for vitest.config.ts, vitest.dev/config',
  'prisma/config': 'defineConfig for prisma.config.ts, Prisma\'s prisma-config reference',
};

/** Why `spec` reaches into a package's files; null for a package root, a public subpath, a builtin or a relative path. */
function deepImportViolation(spec: string): string | null {
  if (/^[.#/]/.test(spec) || spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!)) return null;
  const parts = spec.split('/');
  const nameParts = spec.startsWith('@') ? 2 : 1;
  if (parts.length <= nameParts || spec in PUBLIC_SUBPATHS) return null;
  return `imports ${spec}: a file inside ${parts.slice(0, nameParts).join('/')}, not one of its documented entry points`;
}

/** Every source file of the project: src (without the generated Prisma client), tests, benchmarks, scripts, bin, root configs. */
const projectFiles = [
  ...allSrc,
  ...['test', 'bench', 'scripts', 'bin'].flatMap((dir) => sourceFiles(join(ROOT, dir))),
  ...readdirSync(ROOT).filter((f) => SOURCE_EXT.has(extname(f))).map((f) => join(ROOT, f)),
];

describe('the deep-import check', () => {
  it.each([
    ['nodemailer/lib/mime-node', true], ['nodemailer/lib/mime-node/index.js', true], ['nodemailer/lib/qp/index.js', true],
    ['nodemailer/lib/mailer', true], ['nodemailer/lib/mail-composer/index.js', true], ['mailparser/lib/mail-parser.js', true],
    ['@prisma/client/runtime/library', true], ['htmlparser2/dist/esm/index.js', true], ['domutils/lib/legacy', true],
    ['@fastify/swagger/lib/x', true],
    ['nodemailer/lib/mail-composer', false], ['nodemailer', false], ['@fastify/swagger', false], ['htmlparser2', false],
    ['node:fs/promises', false], ['fs/promises', false], ['./lib/x.js', false], ['../lib/x.js', false], ['#internal/x', false],
  ])('%s reaches into a package: %s', (spec, bad) => {
    expect(deepImportViolation(spec) !== null).toBe(bad);
  });

  it('allows only subpaths their packages export by name (not through a wildcard)', () => {
    for (const spec of Object.keys(PUBLIC_SUBPATHS)) {
      const [name, ...rest] = spec.split('/');
      const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', name!, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
      expect(Object.keys(pkg.exports), spec).toContain(`./${rest.join('/')}`);
    }
  });

  it('scans src, test, bench, scripts, bin and the root configs', () => {
    expect(projectFiles.map(rel)).toEqual(expect.arrayContaining([
      'src/mail/outbound/serialize-mime.ts', 'src/mail/outbound/delivery-thread-dev.mjs', 'test/unit/architecture.test.ts',
      'bench/outbound.ts', 'scripts/test.mjs', 'bin/calndro.js', 'vitest.config.ts', 'prisma.config.ts',
    ]));
    expect(projectFiles.map(rel).some((f) => f.startsWith('src/db/generated/'))).toBe(false);
  });
});

describe('public library APIs only', () => {
  it("no import reaches into a package's internal paths", () => {
    const violations = projectFiles.flatMap((file) =>
      moduleSpecifiers(parse(file)).map((spec) => deepImportViolation(spec)).filter((v) => v !== null).map((v) => `${rel(file)} ${v}`),
    );
    expect(violations).toEqual([]);
  });
});

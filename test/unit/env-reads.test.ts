// ARCHITECTURE "Rules of the house": one place reads the environment (src/config/index.ts).
// Import boundaries are dependency-cruiser's job (architecture.test.ts); reading process.env
// is not an import, so this check parses sources with the TypeScript compiler (a dev
// dependency), where comments and strings never count.
import { readdirSync, readFileSync } from 'node:fs';
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

// What counts as a read, and where one is allowed (config/ README).

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
    const uses = sourceFiles(DOMAIN).flatMap((file) => {
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

// The rules the test tree keeps (docs/architecture.md, "Tests"): test files live in a folder that mirrors the
// source folder they test, test names say what behaviour they check, file headers explain themselves instead
// of pointing at an issue number, and suites that spawn processes or drive Chromium say so in their name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const testRoot = path.join(root, 'test');

/** Where the tests of each top-level test folder find their source: test/core/semantics ↔ server/src/core/semantics. */
const MIRRORS: Record<string, string> = {
  core: 'server/src/core',
  lsp: 'server/src/lsp',
  run: 'server/src/run',
  cli: 'server/src/cli',
  client: 'client/src',
  webview: 'client/webview',
  notebook: 'server/src/notebook',
  syntaxes: 'syntaxes',
  examples: 'examples',
  scripts: 'scripts',
};
/** Test folders with no source folder of their own: cross-cutting suites and test infrastructure. */
const NOT_MIRRORED = new Set(['helpers', 'fuzz', 'e2e', 'security', 'tooling', 'fixtures', 'webview-harness', 'notebook-harness']);

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, keep));
    else if (keep(full)) out.push(full);
  }
  return out;
}
const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
const testFiles = filesUnder(testRoot, (f) => f.endsWith('.test.ts')).map(rel).sort();
const testSources = filesUnder(testRoot, (f) => /\.(ts|mjs|js)$/.test(f)).map(rel).sort();

/** The folder a test file should sit in, or why it cannot: undefined when the place is right. */
export function misplaced(testFile: string, exists: (p: string) => boolean = (p) => existsSync(path.join(root, p))): string | undefined {
  const parts = testFile.split('/').slice(1, -1); // folders between test/ and the file
  if (parts.length === 0) return 'a test file sits in a folder named after what it tests, not directly in test/';
  const [top, ...rest] = parts;
  if (NOT_MIRRORED.has(top)) return undefined;
  const source = MIRRORS[top];
  if (!source) return `test/${top} mirrors no source folder (known: ${Object.keys(MIRRORS).map((k) => `test/${k}`).join(', ')})`;
  const mirrored = [source, ...rest].join('/');
  return exists(mirrored) ? undefined : `${mirrored} does not exist: move the file to the test folder of the source it tests`;
}

/** Test cases named with a bare "positive" or "negative". */
export function vagueTestNames(source: string): string[] {
  return [...source.matchAll(/\b(?:test|it|describe)\(\s*(['"`])\s*(positive|negative)\s*\1/gi)].map((m) => m[2]);
}

/** The comment block a file opens with, and whether it cites an issue number. */
export function headerCitesIssue(source: string): boolean {
  const header: string[] = [];
  for (const line of source.split('\n')) {
    const t = line.trim();
    if (t.startsWith('//') || t.startsWith('/*') || t.startsWith('*') || t.startsWith('#!')) header.push(t);
    else break;
  }
  return /\bissues?\s*#?\s*\d+|(^|\s)#\d+\b/i.test(header.join('\n'));
}

test('the rules themselves: a misplaced file, a vague name and an issue number in a header are each caught', () => {
  const exists = (p: string) => ['server/src/core/syntax', 'client/src'].includes(p);
  assert.equal(misplaced('test/core/syntax/parser.test.ts', exists), undefined);
  assert.equal(misplaced('test/client/x.test.ts', exists), undefined);
  assert.equal(misplaced('test/helpers/mq.test.ts', exists), undefined);
  assert.match(misplaced('test/core/parsing/parser.test.ts', exists)!, /server\/src\/core\/parsing does not exist/);
  assert.match(misplaced('test/unit/catalog.test.ts', exists)!, /test\/unit mirrors no source folder/);
  assert.match(misplaced('test/loose.test.ts', exists)!, /not directly in test\//);
  const bare = 'nega' + 'tive'; // spelled in two parts so that this file does not break its own rule
  assert.deepEqual(vagueTestNames(`it('${bare}', () => {});\ntest("Positive" , () => {});\nit('${bare}: no error for IN', () => {});`), [bare, 'Positive']);
  assert.equal(headerCitesIssue('// Fuzzing the parser (issue 8): random edits.\nimport x from "y";'), true);
  assert.equal(headerCitesIssue('/**\n * Pathological inputs, see #12.\n */\nimport x from "y";'), true);
  assert.equal(headerCitesIssue('// Fuzzing the parser: random edits.\nimport x from "y"; // issue 8 mentioned below the header is not checked'), false);
});

test('every test file sits in a folder that mirrors the source folder it tests', () => {
  assert.ok(testFiles.length > 30, `found only ${testFiles.length} test files`);
  const wrong = testFiles.map((f) => [f, misplaced(f)]).filter(([, why]) => why !== undefined);
  assert.deepEqual(wrong, []);
});

test('no test case is named only "positive" or "negative"', () => {
  const vague = testFiles.flatMap((f) => vagueTestNames(readFileSync(path.join(root, f), 'utf8')).map((n) => `${f}: '${n}'`));
  assert.deepEqual(vague, [], 'name each case after the behaviour it checks');
});

test('no file header in test/ cites an issue number', () => {
  const citing = testSources.filter((f) => headerCitesIssue(readFileSync(path.join(root, f), 'utf8')));
  assert.deepEqual(citing, [], 'say what the file checks in its own words; issues are closed and renumbered, the code stays');
});

test('suites that spawn processes or drive Chromium are named *.process.test.ts or *.browser.test.ts', () => {
  const wrong: string[] = [];
  let spawning = 0;
  let browsing = 0;
  for (const f of testFiles) {
    const text = readFileSync(path.join(root, f), 'utf8');
    if (/from '(node:)?child_process'/.test(text)) {
      spawning++;
      if (!f.endsWith('.process.test.ts')) wrong.push(`${f} spawns processes: name it *.process.test.ts`);
    }
    if (/from '(playwright-core|[./]*webview-harness\/harness\.js)'/.test(text)) {
      browsing++;
      if (!f.endsWith('.browser.test.ts')) wrong.push(`${f} drives Chromium: name it *.browser.test.ts`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(spawning > 0 && browsing > 0, `the checks found ${spawning} spawning and ${browsing} browser suites: the patterns no longer match the imports`);
});

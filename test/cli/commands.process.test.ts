// The mq CLI: exit codes (0 / 1 / 2), the text and JSON output of check, compile and fmt, help and
// version. Most cases call main() in-process; one spawns the bundled dist/cli.js.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main, VERSION } from '../../server/src/cli/main.js';
import type { CliIO } from '../../server/src/cli/io.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLES = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.mq'))
  .sort()
  .map((f) => join('examples', f));
const NOW = '2026-06-15T10:00:00Z';

async function cli(argv: string[], cwd = ROOT): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), env: {}, cwd };
  const code = await main(argv, io);
  return { code, out, err };
}

function scratch(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mq-cli-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const GOOD = 'SELECT DELIVERED_TRAFFIC_COUNT BY DAY WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now;\n';
const BAD = 'SELECT DELIVERED_TRAFFIC_COUNT, NOT_A_METRIC\nWHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now;\n';
const WARN = 'SELECT DELIVERED_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now;\n';

describe('mq check', () => {
  it('reports no errors on the examples (exit 0)', async () => {
    const r = await cli(['check', '--now', NOW, ...EXAMPLES]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.doesNotMatch(r.out, / error /);
    assert.match(r.err, new RegExp(`${EXAMPLES.length} files checked, 0 errors`));
  });

  it('exits 1 with an error and prints file:line:col severity code message', async () => {
    const dir = scratch({ 'bad.mq': BAD, 'good.mq': GOOD });
    const r = await cli(['check', 'good.mq', 'bad.mq'], dir);
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^bad\.mq:1:33 error unknown-metric .*NOT_A_METRIC/);
  });

  it('exits 0 with warnings only', async () => {
    const dir = scratch({ 'warn.mq': WARN });
    const r = await cli(['check', 'warn.mq'], dir);
    assert.equal(r.code, 0);
    assert.match(r.out, /^warn\.mq:1:33 warning duplicate-metric /);
  });

  it('prints JSON: one entry per file, 0-based ranges', async () => {
    const dir = scratch({ 'bad.mq': BAD, 'good.mq': GOOD });
    const r = await cli(['check', '--format', 'json', 'bad.mq', 'good.mq'], dir);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.out) as Array<{ file: string; diagnostics: Array<Record<string, unknown>> }>;
    assert.deepEqual(report.map((e) => e.file), ['bad.mq', 'good.mq']);
    assert.deepEqual(report[1]!.diagnostics, []);
    const d = report[0]!.diagnostics[0]!;
    assert.deepEqual(Object.keys(d).sort(), ['code', 'message', 'range', 'severity']);
    assert.equal(d.code, 'unknown-metric');
    assert.equal(d.severity, 'error');
    assert.equal(typeof d.message, 'string');
    assert.deepEqual(d.range, { start: { line: 0, character: 32 }, end: { line: 0, character: 44 } });
  });

  it('--format=json on the examples has only warnings', async () => {
    const r = await cli(['check', '--format=json', '--now', NOW, ...EXAMPLES]);
    assert.equal(r.code, 0);
    const report = JSON.parse(r.out) as Array<{ file: string; diagnostics: Array<{ severity: string }> }>;
    assert.equal(report.length, EXAMPLES.length);
    for (const e of report) for (const d of e.diagnostics) assert.notEqual(d.severity, 'error', e.file);
  });

  it('exits 2 on I/O and usage errors, with a clear message', async () => {
    const dir = scratch({ 'bin.mq': Buffer.from([0x53, 0x45, 0x00, 0xff, 0xfe]), 'latin1.mq': Buffer.from([0x2d, 0x2d, 0x20, 0xe9, 0x0a]), 'good.mq': GOOD });
    const cases: Array<[string[], RegExp]> = [
      [['check', 'missing.mq'], /missing\.mq: no such file/],
      [['check', '.'], /\.: is a directory/],
      [['check', 'bin.mq'], /bin\.mq: looks like a binary file/],
      [['check', 'latin1.mq'], /latin1\.mq: is not valid UTF-8/],
      [['check', '--bogus', 'good.mq'], /Unknown option '--bogus'/],
      [['check', '--format', 'xml', 'good.mq'], /--format must be text or json/],
      [['check'], /needs at least one FILE/],
      [['check', '--now', 'yesterday', 'good.mq'], /--now: /],
      [['check', '-'], /-: reading from standard input is not supported; give the path of an \.mq file/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, message, argv.join(' '));
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    }
  });

  it('still checks the readable files when one is missing (exit 2 wins)', async () => {
    const dir = scratch({ 'bad.mq': BAD });
    const r = await cli(['check', 'bad.mq', 'missing.mq'], dir);
    assert.equal(r.code, 2);
    assert.match(r.out, /bad\.mq:1:33 error unknown-metric/);
  });
});

describe('mq compile', () => {
  it('prints the request body of the first query with 2-space indent', async () => {
    const r = await cli(['compile', 'examples/sms-delivery.mq', '--now', NOW]);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.startsWith('{\n  "callbackUrl": "https://callback.invalid/replace-me",\n  "request": {'));
    const body = JSON.parse(r.out);
    assert.deepEqual(body.request.filterBy.channelCodes, ['SMS']);
    assert.equal(body.request.filterBy.sentSince, '2026-06-08T10:00:00.000+0000');
    assert.equal(body.request.filterBy.sentUntil, '2026-06-15T10:00:00.000+0000');
    assert.deepEqual(body.request.filterBy.directions, ['OUTBOUND']);
    assert.deepEqual(body.request.aggregateBy, ['DAY', 'COUNTRY_NAME']);
    assert.deepEqual(body.request.metrics, ['TOTAL_SENT_TRAFFIC_COUNT', 'DELIVERED_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE', 'TRAFFIC_DELIVERED_IN_5_SEC_RATE']);
    assert.match(r.err, /holds 4 queries; printed query 1/);
  });

  it('--query N picks a query, --callback-url sets the callback, int64 IDs keep every digit', async () => {
    const r = await cli(['compile', 'examples/accounts-and-ids.mq', '--query', '2', '--now', NOW, '--callback-url', 'https://example.com/cb']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /"communicationIds": \[\n\s+9223372036854775807,\n\s+4611686018427387904\n\s+\]/);
    assert.equal(JSON.parse(r.out).callbackUrl, 'https://example.com/cb');
    assert.equal(r.err, '');
  });

  it('--all prints an array with every query', async () => {
    const r = await cli(['compile', 'examples/voice-video.mq', '--all', '--now', NOW]);
    assert.equal(r.code, 0, r.err);
    const bodies = JSON.parse(r.out) as unknown[];
    assert.equal(bodies.length, 3);
  });

  it('every example query compiles', async () => {
    for (const file of EXAMPLES) {
      const r = await cli(['compile', file, '--all', '--now', NOW]);
      assert.equal(r.code, 0, `${file}: ${r.err}`);
    }
  });

  it('is deterministic for a fixed clock', async () => {
    const a = await cli(['compile', 'examples/email-engagement.mq', '--query', '2', '--now', NOW]);
    const b = await cli(['compile', 'examples/email-engagement.mq', '--query', '2', '--now', NOW]);
    assert.equal(a.out, b.out);
  });

  it('exits 1 with the diagnostics when the query has errors', async () => {
    const dir = scratch({ 'bad.mq': BAD });
    const r = await cli(['compile', 'bad.mq'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, /bad\.mq:1:33 error unknown-metric/);
  });

  it('exits 1 for a file without queries', async () => {
    const dir = scratch({ 'empty.mq': '-- nothing here\n' });
    const r = await cli(['compile', 'empty.mq'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /has no query/);
  });

  it('exits 2 on usage errors', async () => {
    const dir = scratch({ 'good.mq': GOOD });
    const cases: Array<[string[], RegExp]> = [
      [['compile'], /a FILE is needed/],
      [['compile', 'good.mq', 'good.mq'], /takes one FILE/],
      [['compile', 'good.mq', '--query', '0'], /--query expects/],
      [['compile', 'good.mq', '--query', 'two'], /--query expects/],
      [['compile', 'good.mq', '--query', '2'], /has only 1 query/],
      [['compile', 'good.mq', '--query', '1', '--all'], /cannot be used together/],
      [['compile', 'good.mq', '--callback-url', 'not a url'], /--callback-url must be/],
      [['compile', 'good.mq', '--now', '2026-13-01'], /--now: /],
      [['compile', 'missing.mq'], /missing\.mq: no such file/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, message, argv.join(' '));
    }
  });
});

describe('mq fmt', () => {
  const MESSY = 'select delivered_traffic_count by day where CHANNELCODE = sms and sentsince = now - 7d and sentuntil = now -- last week\n';
  const TIDY = 'SELECT DELIVERED_TRAFFIC_COUNT\nBY DAY\nWHERE channelCode = SMS\n  AND sentSince = now - 7d\n  AND sentUntil = now; -- last week\n';

  it('prints the formatted text', async () => {
    const dir = scratch({ 'a.mq': MESSY });
    const r = await cli(['fmt', 'a.mq'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.out, TIDY);
    assert.equal(readFileSync(join(dir, 'a.mq'), 'utf8'), MESSY, 'the file is not touched');
  });

  it('--check lists the files that would change and exits 1', async () => {
    const dir = scratch({ 'a.mq': MESSY, 'b.mq': TIDY });
    const r = await cli(['fmt', '--check', 'a.mq', 'b.mq'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.out, 'a.mq\n');
    const ok = await cli(['fmt', '--check', 'b.mq'], dir);
    assert.equal(ok.code, 0);
    assert.equal(ok.out, '');
  });

  it('--write rewrites files in place, keeping CRLF line endings and a BOM', async () => {
    const dir = scratch({ 'a.mq': MESSY, 'crlf.mq': '\ufeff' + MESSY.replace(/\n/g, '\r\n'), 'cr.mq': MESSY.replace(/\n/g, '\r') });
    const cr = await cli(['fmt', '--write', 'cr.mq'], dir);
    assert.equal(cr.code, 0);
    assert.equal(readFileSync(join(dir, 'cr.mq'), 'utf8'), TIDY.replace(/\n/g, '\r'), 'lone-CR line endings are kept');
    assert.equal((await cli(['fmt', '--check', 'cr.mq'], dir)).code, 0);
    const r = await cli(['fmt', '--write', 'a.mq', 'crlf.mq'], dir);
    assert.equal(r.code, 0);
    assert.equal(readFileSync(join(dir, 'a.mq'), 'utf8'), TIDY);
    assert.equal(readFileSync(join(dir, 'crlf.mq'), 'utf8'), '\ufeff' + TIDY.replace(/\n/g, '\r\n'));
    const again = await cli(['fmt', '--check', 'a.mq', 'crlf.mq'], dir);
    assert.equal(again.code, 0, again.out);
  });

  it('exits 2 on usage and I/O errors', async () => {
    const dir = scratch({ 'a.mq': MESSY });
    for (const argv of [['fmt'], ['fmt', '--check', '--write', 'a.mq'], ['fmt', '--frobnicate', 'a.mq'], ['fmt', 'missing.mq']]) {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /mq fmt: /);
    }
  });
});

describe('mq', () => {
  it('--help and <command> --help', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    for (const c of ['check', 'compile', 'fmt', 'run', 'stand-in', 'relay']) assert.match(r.out, new RegExp(`\\n  ${c} `));
    for (const c of ['check', 'compile', 'fmt', 'run', 'stand-in', 'relay']) {
      const h = await cli([c, '--help']);
      assert.equal(h.code, 0, c);
      assert.match(h.out, new RegExp(`^Usage: mq ${c}`), c);
    }
    const viaHelp = await cli(['help', 'fmt']);
    assert.match(viaHelp.out, /^Usage: mq fmt/);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(VERSION, pkg.version);
    const r = await cli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.out, pkg.version + '\n');
  });

  it('no command or an unknown one exits 2', async () => {
    assert.equal((await cli([])).code, 2);
    const r = await cli(['frob']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command "frob"/);
    assert.equal((await cli(['--frob'])).code, 2);
  });
});

describe('mq compile with COMPARE WITH', () => {
  const COMPARE = `SELECT TOTAL_TRAFFIC_COUNT BY DAY WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now
COMPARE WITH PREVIOUS PERIOD HAVING TOTAL_TRAFFIC_COUNT_DELTA < 0;
${GOOD}`;

  it('the program prints a JSON array of two bodies, current period first, identical except the period', () => {
    const cliJs = join(ROOT, 'dist', 'cli.js');
    if (!existsSync(cliJs)) {
      const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
    const dir = scratch({ 'compare.mq': COMPARE });
    const r = spawnSync(process.execPath, [cliJs, 'compile', 'compare.mq', '--now', NOW], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const bodies = JSON.parse(r.stdout) as { callbackUrl: string; request: { filterBy: Record<string, unknown> } }[];
    assert.ok(Array.isArray(bodies) && bodies.length === 2, r.stdout);
    const [cur, prev] = bodies.map((b) => b.request.filterBy);
    assert.deepEqual([cur!.sentSince, cur!.sentUntil], ['2026-06-08T10:00:00.000+0000', '2026-06-15T10:00:00.000+0000']);
    assert.deepEqual([prev!.sentSince, prev!.sentUntil], ['2026-06-01T10:00:00.000+0000', '2026-06-08T10:00:00.000+0000']);
    const strip = (b: (typeof bodies)[number]): string => JSON.stringify({ ...b, request: { ...b.request, filterBy: { ...b.request.filterBy, sentSince: 0, sentUntil: 0 } } });
    assert.equal(strip(bodies[0]!), strip(bodies[1]!));
    assert.doesNotMatch(r.stdout, /HAVING|DELTA/, 'HAVING is applied to the rows, never sent');

    // A plain query still prints one body; --all prints the pair as one element of the array.
    const plain = spawnSync(process.execPath, [cliJs, 'compile', 'compare.mq', '--query', '2', '--now', NOW], { cwd: dir, encoding: 'utf8' });
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(Array.isArray(JSON.parse(plain.stdout)), false);
    const all = spawnSync(process.execPath, [cliJs, 'compile', 'compare.mq', '--all', '--now', NOW], { cwd: dir, encoding: 'utf8' });
    const items = JSON.parse(all.stdout) as unknown[];
    assert.deepEqual(items.map((x) => (Array.isArray(x) ? x.length : 'body')), [2, 'body']);
  });
});

describe('dist/cli.js', () => {
  it('runs as a program: check, compile and exit codes', () => {
    const cliJs = join(ROOT, 'dist', 'cli.js');
    if (!existsSync(cliJs)) {
      const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
    assert.ok(readFileSync(cliJs, 'utf8').startsWith('#!/usr/bin/env node'));
    const run = (args: string[], cwd = ROOT) => spawnSync(process.execPath, [cliJs, ...args], { cwd, encoding: 'utf8' });

    const check = run(['check', '--format', 'json', '--now', NOW, ...EXAMPLES]);
    assert.equal(check.status, 0, check.stderr);
    assert.equal((JSON.parse(check.stdout) as unknown[]).length, EXAMPLES.length);

    const compile = run(['compile', 'examples/sms-delivery.mq', '--query', '1', '--now', NOW]);
    assert.equal(compile.status, 0, compile.stderr);
    assert.deepEqual(JSON.parse(compile.stdout).request.aggregateBy, ['DAY', 'COUNTRY_NAME']);

    const dir = scratch({ 'bad.mq': BAD });
    const bad = run(['check', 'bad.mq'], dir);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /^bad\.mq:1:33 error unknown-metric/);

    const missing = run(['check', 'nope.mq'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.mq: no such file/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /);

    const version = run(['--version']);
    assert.equal(version.status, 0);
    assert.equal(version.stdout.trim(), VERSION);
  });
});

describe('mq compile and stray text, option values', () => {
  it('compile: text after a query that is not part of it (a stray ";") is an error of that query; other stray text is a note', async () => {
    const dir = scratch({
      'stray.mq': `intro\n${GOOD.replace(';\n', ';\nORDER BY DELIVERED_TRAFFIC_COUNT DESC LIMIT 2;\n')}\n${GOOD}`,
    });
    const one = await cli(['compile', 'stray.mq', '--now', NOW], dir);
    assert.equal(one.code, 1);
    assert.equal(one.out, '');
    assert.match(one.err, /text outside any query was ignored:\nstray\.mq:1:1 error syntax-error /);
    assert.match(one.err, /query 1 has errors \(text after its end is not part of it: remove a stray ";" or the text\):\nstray\.mq:3:1 error syntax-error /);
    // Query 2 has nothing after it: it compiles, and the stray text elsewhere is only reported.
    const two = await cli(['compile', 'stray.mq', '--query', '2', '--now', NOW], dir);
    assert.equal(two.code, 0);
    assert.match(two.err, /text outside any query was ignored:\nstray\.mq:1:1 [^\n]*\nstray\.mq:3:1 /);
    assert.equal(JSON.parse(two.out).request.filterBy.channelCodes[0], 'SMS');
  });

  it('option values that start with "-" get a message that says how to pass them', async () => {
    const r = await cli(['compile', 'x.mq', '--query', '-1']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--query needs a value; a value starting with "-" is read as an option \(write --query=VALUE if you mean it\)/);
    const b = await cli(['compile', 'x.mq', '--bogus']);
    assert.match(b.err, /Unknown option '--bogus'\.\n/);
    assert.doesNotMatch(b.err, /positional argument/);
  });
});

// The TextMate grammar (syntaxes/mq.tmLanguage.json): valid JSON wired to the manifest, and its
// patterns scope keywords, comments, strings, durations, numbers, operators and names as intended.
// A small scanner stands in for VS Code's TextMate engine: at each position the earliest match wins,
// ties go to the pattern listed first, and begin/end rules nest one level (all this grammar uses).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mq } from '../helpers/mq.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PATH = join(ROOT, 'syntaxes', 'mq.tmLanguage.json');

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: Rule[];
}
interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const grammar = JSON.parse(readFileSync(PATH, 'utf8')) as Grammar;

/** Oniguruma's leading (?i) becomes JavaScript's i flag; the rest of this grammar is common syntax. */
function toRegExp(source: string): RegExp {
  const insensitive = source.startsWith('(?i)');
  return new RegExp(insensitive ? source.slice(4) : source, insensitive ? 'gim' : 'gm');
}

function flatten(rules: Rule[]): Rule[] {
  const out: Rule[] = [];
  for (const r of rules) {
    if (r.include) {
      const target = grammar.repository[r.include.replace(/^#/, '')];
      assert.ok(target, `include ${r.include} exists`);
      out.push(...flatten(target.patterns ?? [target]));
    } else out.push(r);
  }
  return out;
}

interface Scoped {
  text: string;
  scope: string;
}

/** Tokenises one line at a time (TextMate grammars are line based); returns the scoped pieces. */
function tokenize(source: string): Scoped[] {
  const top = flatten(grammar.patterns);
  const out: Scoped[] = [];
  let open: { rule: Rule; end: RegExp; inner: Rule[] } | undefined;
  for (const line of source.split('\n')) {
    let pos = 0;
    while (pos <= line.length) {
      const candidates: Array<{ rule: Rule; re: RegExp; kind: 'match' | 'begin' | 'end' }> = [];
      if (open) {
        candidates.push({ rule: open.rule, re: open.end, kind: 'end' });
        for (const r of open.inner) candidates.push({ rule: r, re: toRegExp(r.match!), kind: 'match' });
      } else {
        for (const r of top) {
          if (r.match) candidates.push({ rule: r, re: toRegExp(r.match), kind: 'match' });
          else if (r.begin) candidates.push({ rule: r, re: toRegExp(r.begin), kind: 'begin' });
        }
      }
      let best: { c: (typeof candidates)[number]; m: RegExpExecArray } | undefined;
      for (const c of candidates) {
        c.re.lastIndex = pos;
        const m = c.re.exec(line);
        if (m && (!best || m.index < best.m.index)) best = { c, m };
      }
      if (!best || (best.m[0] === '' && best.c.kind !== 'end')) break;
      const { c, m } = best;
      const scope = c.kind === 'match' && open ? `${open.rule.name} ${c.rule.name}` : c.rule.name ?? '';
      if (open && m.index > pos) out.push({ text: line.slice(pos, m.index), scope: open.rule.name ?? '' });
      if (m[0] !== '') out.push({ text: m[0], scope });
      if (c.kind === 'begin') open = { rule: c.rule, end: toRegExp(c.rule.end!), inner: flatten(c.rule.patterns ?? []) };
      else if (c.kind === 'end') open = undefined;
      pos = m.index + Math.max(m[0].length, c.kind === 'end' ? 0 : 1);
      if (c.kind === 'end' && m[0] === '') break; // `$` closed the rule at the end of the line
    }
    if (open && pos < line.length) out.push({ text: line.slice(pos), scope: open.rule.name ?? '' });
  }
  return out;
}

function scopeOf(source: string, piece: string): string {
  const found = tokenize(source).find((t) => t.text === piece);
  assert.ok(found, `"${piece}" is a token of ${JSON.stringify(source)}: ${JSON.stringify(tokenize(source))}`);
  return found.scope;
}

describe('TextMate grammar', () => {
  it('is valid JSON with scopeName source.mq and is the grammar the manifest contributes', () => {
    assert.equal(grammar.scopeName, 'source.mq');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { grammars: Array<{ language: string; scopeName: string; path: string }> };
    };
    const g = pkg.contributes.grammars.find((x) => x.language === 'mq');
    assert.ok(g);
    assert.equal(g.scopeName, 'source.mq');
    assert.equal(join(ROOT, g.path), PATH);
  });

  it('every pattern compiles and every include resolves', () => {
    const all = flatten(grammar.patterns);
    for (const r of all) {
      assert.ok(r.name, 'every rule has a scope name');
      for (const src of [r.match, r.begin, r.end]) if (src) assert.doesNotThrow(() => toRegExp(src), src);
      for (const inner of r.patterns ?? []) assert.doesNotThrow(() => toRegExp(inner.match!), inner.match);
    }
  });

  it('scopes keywords in any case', () => {
    for (const kw of ['SELECT', 'select', 'By', 'WHERE', 'compare', 'With', 'HAVING', 'ORDER', 'LIMIT']) assert.match(scopeOf(`${kw} x`, kw), /^keyword\.other\.clause/);
    for (const kw of ['PREVIOUS', 'period', 'AGO']) assert.match(scopeOf(`COMPARE WITH ${kw} x`, kw), /^keyword\.other\.compare/);
    assert.match(scopeOf('a and b', 'and'), /^keyword\.operator\.logical/);
    assert.match(scopeOf('x IN (A)', 'IN'), /^keyword\.operator\.word/);
    assert.match(scopeOf('x between 1s', 'between'), /^keyword\.operator\.word/);
    assert.match(scopeOf('x DESC', 'DESC'), /^keyword\.other\.order/);
    assert.match(scopeOf('x = true', 'true'), /^constant\.language\.boolean/);
    assert.match(scopeOf('x = now - 7d', 'now'), /^constant\.language\.time/);
    assert.match(scopeOf('a OR b', 'OR'), /^invalid\.illegal/);
    // != and <> compare in HAVING (the analyser reports them in WHERE, where the API cannot express them).
    assert.match(scopeOf('HAVING a != b', '!='), /^keyword\.operator\.comparison/);
    assert.match(scopeOf('HAVING a <> b', '<>'), /^keyword\.operator\.comparison/);
    assert.match(scopeOf('HAVING a > -0.95', '0.95'), /^constant\.numeric\.decimal/);
    // Keywords inside longer words are names.
    assert.doesNotMatch(scopeOf('SELECTED', 'SELECTED'), /keyword/);
  });

  it('scopes line and block comments, also across lines', () => {
    assert.match(scopeOf("SELECT A -- a comment with 'quote'", "-- a comment with 'quote'"), /^comment\.line\.double-dash/);
    const block = tokenize('SELECT /* one\n two */ A');
    assert.deepEqual(
      block.filter((t) => t.scope.startsWith('comment.block')).map((t) => t.text),
      ['/*', ' one', ' two ', '*/'],
    );
    assert.match(block.find((t) => t.text === 'A')!.scope, /constant|support|variable/);
  });

  it('scopes strings with doubled-quote escapes; an unterminated string ends at the line end', () => {
    const t = tokenize("senders = 'it''s' AND x = \"say \"\"hi\"\"\"");
    assert.ok(t.some((p) => p.text === "''" && /constant\.character\.escape/.test(p.scope)));
    assert.ok(t.some((p) => p.text === '""' && /constant\.character\.escape/.test(p.scope)));
    assert.match(t.find((p) => p.text === 'AND')!.scope, /^keyword/, 'the string closed before AND');
    const open = tokenize("x = 'open\nSELECT A");
    assert.match(open.find((p) => p.text === 'SELECT')!.scope, /^keyword/, 'the next line is not in the string');
  });

  it('scopes durations, integers and digit-led names', () => {
    assert.match(scopeOf('x < 5s', '5s'), /^constant\.numeric\.duration/);
    assert.match(scopeOf('x < 250ms', '250ms'), /^constant\.numeric\.duration/);
    assert.match(scopeOf('x = 7D', '7D'), /^constant\.numeric\.duration/);
    assert.match(scopeOf('x = 9223372036854775807', '9223372036854775807'), /^constant\.numeric\.integer/);
    assert.match(scopeOf('senderTypes = 10DLC', '10DLC'), /^constant\.other\.enum/);
  });

  it('scopes operators and punctuation', () => {
    for (const op of ['<=', '>=', '<', '>', '=']) assert.match(scopeOf(`x ${op} 1`, op), /^keyword\.operator\.comparison/);
    assert.match(scopeOf('now - 7d', '-'), /^keyword\.operator\.arithmetic/);
    assert.match(scopeOf('A, B;', ','), /^punctuation\.separator/);
    assert.match(scopeOf('A, B;', ';'), /^punctuation\.terminator/);
  });

  it('scopes metrics, dimensions, filters and enum values', () => {
    assert.match(scopeOf('SELECT delivered_traffic_count', 'delivered_traffic_count'), /^support\.constant\.metric/);
    assert.match(scopeOf('BY COUNTRY_NAME', 'COUNTRY_NAME'), /^support\.type\.dimension/);
    assert.match(scopeOf('WHERE channelCode = SMS', 'channelCode'), /^variable\.parameter\.filter/);
    assert.match(scopeOf('WHERE channelCode = SMS', 'SMS'), /^constant\.other\.enum/);
    assert.match(scopeOf('WHERE senders = InfoDesk', 'InfoDesk'), /^variable\.other/);
    // A metric name inside a longer word is not a metric.
    assert.doesNotMatch(scopeOf('SELECT TOTAL_TRAFFIC_COUNTS', 'TOTAL_TRAFFIC_COUNTS'), /metric/);
  });

  it('lists only names the catalog knows (nothing invented), and highlights the whole catalog it lists', () => {
    const idx = mq.catalog;
    const rules = flatten(grammar.patterns);
    const words = (scope: string): string[] => {
      const r = rules.find((x) => x.name === scope);
      assert.ok(r?.match);
      return /\\b\((.*)\)\\b/.exec(r.match)![1]!.split('|');
    };
    for (const m of words('support.constant.metric.mq')) assert.ok(idx.metrics.has(m.toUpperCase()), m);
    for (const d of words('support.type.dimension.mq')) assert.ok(idx.dimensions.has(d.toUpperCase()), d);
    for (const f of words('variable.parameter.filter.mq')) assert.ok(idx.filters.has(f.toUpperCase()), f);
    // Every example file tokenises without leaving text unscoped (other than whitespace).
    const sample = readFileSync(join(ROOT, 'examples', 'sms-delivery.mq'), 'utf8');
    const pieces = tokenize(sample);
    const covered = pieces.map((p) => p.text).join('');
    assert.equal(covered.replace(/\s+/g, ''), sample.replace(/\s+/g, ''));
  });
});

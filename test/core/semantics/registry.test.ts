// The diagnostic-code registry against what the analyser does and what docs/language.md says: every code
// is documented and nothing else is, each code's example produces it, each rule reports only the codes it
// declares, and a rule that throws becomes one internal-error diagnostic instead of an exception.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../../../server/src/core/catalog/data.js';
import { createMq } from '../../../server/src/core/index.js';
import { CODE_DOCS, DIAGNOSTIC_CODES, REGISTRY } from '../../../server/src/core/semantics/registry.js';
import { rules } from '../../../server/src/core/semantics/rules/index.js';
import type { Rule } from '../../../server/src/core/semantics/rules/types.js';
import { FIXED_NOW, mq } from '../../helpers/mq.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** The codes named in the first column of the table under "## Diagnostics" in docs/language.md. */
function documentedCodes(): string[] {
  const md = readFileSync(join(ROOT, 'docs', 'language.md'), 'utf8');
  const section = md.slice(md.indexOf('\n## Diagnostics'));
  const end = section.indexOf('\n## ', 1);
  const table = (end > 0 ? section.slice(0, end) : section).split('\n').filter((l) => l.startsWith('| `'));
  return table.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!));
}

/** A rule that throws on every metric: stands for a bug in a rule. */
const throwingRule: Rule = {
  id: 'throwsOnMetrics',
  codes: [],
  checks: {
    Metric() {
      throw new Error('deliberate failure');
    },
  },
};

describe('diagnostic registry', () => {
  it('docs/language.md documents every registry code, and only those', () => {
    const documented = documentedCodes();
    assert.deepEqual([...new Set(documented)].sort(), [...DIAGNOSTIC_CODES].sort());
    assert.equal(new Set(documented).size, documented.length, 'a code is documented twice');
  });

  it("each code's example, analysed, reports that code with the registry's severity", () => {
    const withBug = createMq({ catalog, rules: [...rules, throwingRule] });
    for (const code of DIAGNOSTIC_CODES) {
      const core = code === 'internal-error' ? withBug : mq;
      const text = CODE_DOCS[code].example;
      const found = core.analyse(core.parse(text), { now: FIXED_NOW }).filter((d) => d.code === code);
      assert.ok(found.length > 0, `${code}: its example reports ${core.analyse(core.parse(text), { now: FIXED_NOW }).map((d) => d.code).join(', ') || 'nothing'}`);
      assert.ok(found.some((d) => d.severity === REGISTRY[code].severity), `${code}: severity ${found.map((d) => d.severity).join(', ')}`);
    }
  });

  it('each rule reports only the codes it declares, and every code but syntax/internal errors has a rule', () => {
    const where = 'WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now';
    const corpus = [
      ...DIAGNOSTIC_CODES.map((c) => CODE_DOCS[c].example),
      // Codes a rule reports besides its main one: an empty timeTo* span is invalid-value from the contradictions rule.
      `SELECT TOTAL_TRAFFIC_COUNT ${where} AND timeToDeliver BETWEEN 10s AND 5s`,
      `SELECT TOTAL_TRAFFIC_COUNT ${where} AND timeToDeliver < 0s`,
      `SELECT TOTAL_TRAFFIC_COUNT BY URL ${where} AND sentSince = now - 1d AND direction = INBOUND ORDER BY DAY LIMIT 00`,
      ...readdirSync(join(ROOT, 'examples'))
        .filter((f) => f.endsWith('.mq'))
        .map((f) => readFileSync(join(ROOT, 'examples', f), 'utf8')),
    ];
    for (const rule of rules) {
      const alone = createMq({ catalog, rules: [rule] });
      for (const text of corpus) {
        for (const d of alone.analyse(alone.parse(text), { now: FIXED_NOW })) {
          if (d.code === 'syntax-error') continue;
          assert.ok(rule.codes.includes(d.code), `rule ${rule.id} reported ${d.code}, which it does not declare`);
        }
      }
    }
    const declared = new Set(rules.flatMap((r) => r.codes));
    assert.deepEqual(
      DIAGNOSTIC_CODES.filter((c) => !declared.has(c)),
      ['syntax-error', 'internal-error'],
    );
    assert.equal(new Set(rules.map((r) => r.id)).size, rules.length, 'rule ids are unique');
  });

  it('duplicates are tagged unnecessary; no other code has a tag', () => {
    const tagged = DIAGNOSTIC_CODES.filter((c) => REGISTRY[c].tags.length > 0);
    assert.deepEqual(tagged, ['duplicate-metric', 'duplicate-dimension']);
    for (const c of tagged) assert.deepEqual(REGISTRY[c].tags, ['unnecessary']);
  });
});

describe('a rule that throws', () => {
  const withBug = createMq({ catalog, rules: [...rules, throwingRule] });
  const text = 'SELECT TOTAL_TRAFFIC_COUNT, DELIVERD_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d';

  it('becomes one internal-error diagnostic naming the rule, and the other rules still report', () => {
    const found = withBug.analyse(withBug.parse(text), { now: FIXED_NOW });
    const internal = found.filter((d) => d.code === 'internal-error');
    assert.equal(internal.length, 1, 'two metrics, one diagnostic');
    assert.deepEqual(internal[0]!.data, { rule: 'throwsOnMetrics' });
    assert.match(internal[0]!.message, /throwsOnMetrics.*deliberate failure/);
    assert.deepEqual(
      found.filter((d) => d.code !== 'internal-error').map((d) => d.code),
      mq.analyse(mq.parse(text), { now: FIXED_NOW }).map((d) => d.code),
    );
  });

  it('is reported by check() and blocks compile() instead of throwing', () => {
    assert.ok(withBug.check(text, { now: FIXED_NOW }).some((d) => d.code === 'internal-error'));
    const valid = 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now';
    assert.equal(mq.compile(mq.parse(valid).queries[0]!, { now: FIXED_NOW, callbackUrl: 'https://x.invalid/cb' }).ok, true);
    const r = withBug.compile(withBug.parse(valid).queries[0]!, { now: FIXED_NOW, callbackUrl: 'https://x.invalid/cb' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual(r.diagnostics.map((d) => d.code), ['internal-error']);
  });
});

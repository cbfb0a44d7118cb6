// The formatter: canonical layout, idempotence, meaning preservation (same request body before and
// after), comments kept, broken queries untouched, and speed.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lex } from '../../helpers/syntax.js';
import { parseDocument } from '../../helpers/syntax.js';
import { stringifyJson } from '../../../server/src/core/compile/wire.js';
import { mq } from '../../helpers/mq.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const EXAMPLES = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.mq'))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(ROOT, 'examples', f), 'utf8') }));
const now = new Date('2026-06-15T10:00:00Z');

/** Each query's compiled body (or its error codes), in order. */
function compiled(text: string): string[] {
  return parseDocument(text).queries.map((q) => {
    const r = mq.compile(q, { now, callbackUrl: 'https://callback.invalid/x' });
    return r.ok ? stringifyJson(r.body) : 'errors: ' + r.diagnostics.map((d) => d.code).join(',');
  });
}

function diagnosticCodes(text: string): string[] {
  return mq.analyse(parseDocument(text), { now }).map((d) => `${d.severity}:${d.code}`);
}

function commentTexts(text: string): string[] {
  return lex(text).comments.map((c) => c.image);
}

/** Token images, upper-cased, in order (what the formatter may change is case and whitespace only). */
function tokenImages(text: string): string[] {
  const images = lex(text).tokens.map((t) => t.image.toUpperCase());
  // The formatter adds missing `;` and drops stray extra ones.
  return images.filter((i) => i !== ';');
}

describe('formatter on the examples', () => {
  for (const { name, text } of EXAMPLES) {
    it(`${name}: idempotent, same requests, same diagnostics, same comments`, () => {
      const once = mq.format(text);
      assert.equal(mq.format(once), once, 'format(format(x)) === format(x)');
      assert.deepEqual(compiled(once), compiled(text));
      assert.deepEqual(diagnosticCodes(once), diagnosticCodes(text));
      assert.deepEqual(commentTexts(once), commentTexts(text));
      assert.deepEqual(tokenImages(once), tokenImages(text));
      assert.ok(once.endsWith(';\n') || once.endsWith('\n'));
    });
  }
});

describe('meaning is kept on mangled examples', () => {
  it('lower-cased, squashed and re-spaced example queries format to the same requests', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (const { name, text } of EXAMPLES) {
      // Re-case words outside strings and comments, and replace whitespace by random runs.
      const tokens = lex(text).tokens;
      let mangled = '';
      for (const t of tokens) {
        const word = /^[A-Za-z]/.test(t.image);
        const image = word ? (rnd(2) === 0 ? t.image.toLowerCase() : t.image.toUpperCase()) : t.image;
        mangled += image + [' ', '  ', '\n', '\t', ' \n  '][rnd(5)];
      }
      const out = mq.format(mangled);
      assert.deepEqual(compiled(out), compiled(mangled), name);
      assert.equal(mq.format(out), out, name);
      // The canonical form does not depend on how the source was cased or spaced, except for free text.
      assert.equal(out.replace(/\s+/g, ' ').toUpperCase(), mq.format(text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '')).replace(/\s+/g, ' ').toUpperCase(), name);
    }
  });
});

describe('canonical layout', () => {
  it('upper-cases keywords and catalog names, camelCases filters, one clause per line', () => {
    const input =
      "select total_sent_traffic_count,delivered_traffic_count by day,country_name where CHANNELCODE in (sms,Whatsapp) and SENTSINCE=now-7d and sentuntil = TODAY and timetodeliver between 1s and 5S order by day desc,delivered_traffic_count limit 5";
    assert.equal(
      mq.format(input),
      [
        'SELECT TOTAL_SENT_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT',
        'BY DAY, COUNTRY_NAME',
        'WHERE channelCode IN (SMS, WHATSAPP)',
        '  AND sentSince = now - 7d',
        '  AND sentUntil = today',
        '  AND timeToDeliver BETWEEN 1s AND 5S',
        'ORDER BY DAY DESC, DELIVERED_TRAFFIC_COUNT',
        'LIMIT 5;',
        '',
      ].join('\n'),
    );
  });

  it('keeps unknown names, strings, numbers and free-text names as written', () => {
    const input = "select Mystery_Metric by Odd_Dim where channelCode = sms and sentSince = '2026-01-01' and sentUntil = '2026-01-02' and senders in (InfoDesk, 'Shop \"x\"', 'it''s') and communicationIds = 9223372036854775807 and whatever = Foo;";
    const out = mq.format(input);
    assert.match(out, /^SELECT Mystery_Metric\nBY Odd_Dim\n/);
    assert.match(out, /AND senders IN \(InfoDesk, 'Shop "x"', 'it''s'\)/);
    assert.match(out, /AND communicationIds = 9223372036854775807/);
    assert.match(out, /AND whatever = Foo;/);
    assert.match(out, /sentSince = '2026-01-01'/);
  });

  it('canonicalises enum values per filter: channels, traffic and sender types, groups, buckets', () => {
    const out = mq.format(
      'select total_traffic_count where channelcode = whatsapp and sentsince = now - 1d and sentuntil = now and traffictypes in (marketing_conversation, 2) and sendertypes = 10dlc and statusgroups = delivered and errorgroups = ok and direction = inbound and timetodeliver < seconds_5',
    );
    assert.match(out, /channelCode = WHATSAPP/);
    assert.match(out, /trafficTypes IN \(MARKETING_CONVERSATION, 2\)/);
    assert.match(out, /senderTypes = 10DLC/);
    assert.match(out, /statusGroups = DELIVERED/);
    assert.match(out, /errorGroups = OK/);
    assert.match(out, /direction = INBOUND/);
    assert.match(out, /timeToDeliver < SECONDS_5;/);
  });

  it('adds the missing ; and separates queries by one blank line', () => {
    const out = mq.format('SELECT A\n\n\n\nSELECT B;;;SELECT C');
    assert.equal(out, 'SELECT A;\n\nSELECT B;\n\nSELECT C;\n');
  });

  it('wraps long lists under their first item', () => {
    const metrics = ['TOTAL_SENT_TRAFFIC_COUNT', 'DELIVERED_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE', 'TRAFFIC_DELIVERED_IN_5_SEC_RATE', 'FAILED_TRAFFIC_COUNT'];
    const out = mq.format(`SELECT ${metrics.join(',')} WHERE channelCode = SMS`);
    const lines = out.split('\n');
    assert.ok(lines.every((l) => l.length <= 100), out);
    assert.match(lines[1]!, /^ {7}[A-Z]/);
    assert.equal(mq.format(out), out);
  });

  it('returns empty text for an empty or blank document', () => {
    assert.equal(mq.format(''), '');
    assert.equal(mq.format('  \n\n '), '');
  });
});

describe('comments', () => {
  it('keeps every comment in place: before, inside, between and after queries', () => {
    const input = [
      '-- file header',
      '',
      '/* block',
      '   header */',
      'select delivered_traffic_count -- trailing after SELECT',
      '  by day /* inline */ , country_name',
      '  -- own line inside WHERE',
      '  where channelcode = sms and /* before filter */ sentsince = now - 7d',
      '  and sentuntil = now -- last condition',
      '-- between',
      'select a',
      '-- the end',
    ].join('\n');
    const out = mq.format(input);
    assert.deepEqual(commentTexts(out), commentTexts(input));
    assert.equal(
      out,
      [
        '-- file header',
        '',
        '/* block',
        '   header */',
        'SELECT DELIVERED_TRAFFIC_COUNT -- trailing after SELECT',
        'BY DAY /* inline */, COUNTRY_NAME',
        '-- own line inside WHERE',
        'WHERE channelCode = SMS',
        '  AND /* before filter */ sentSince = now - 7d',
        '  AND sentUntil = now; -- last condition',
        '',
        '-- between',
        'SELECT a;',
        '',
        '-- the end',
        '',
      ].join('\n'),
    );
    assert.equal(mq.format(out), out);
  });

  it('puts the ; before a trailing line comment', () => {
    assert.equal(mq.format('SELECT a -- x\n;'), 'SELECT a; -- x\n');
  });

  it('keeps an unterminated block comment exactly (no newline added inside it)', () => {
    const input = 'SELECT a;\n/* never closed\n';
    const out = mq.format(input);
    assert.ok(out.endsWith('/* never closed\n'));
    assert.equal(mq.format(out), out);
  });
});

describe('broken input is left as written', () => {
  it('a query with syntax errors is untouched, the others are formatted', () => {
    const broken = 'select a, , b wheRE channelCode = = sms';
    const out = mq.format(`select x;\n${broken};\nselect y`);
    assert.equal(out, `SELECT x;\n\n${broken};\n\nSELECT y;\n`);
  });

  it('an unterminated string keeps its query verbatim', () => {
    const broken = "select a where senders = 'oops";
    assert.equal(mq.format(broken), broken + '\n');
  });

  it('text outside queries and unreadable characters are kept', () => {
    const out = mq.format('garbage here\nselect a # b\nselect c');
    assert.ok(out.startsWith('garbage here\n\nselect a # b\n\nSELECT c;'), out);
    assert.equal(mq.format(out), out);
  });

  it('never loses a token on random mixtures of valid and broken text', () => {
    const parts = ['select', 'a', ',', 'b', 'by', 'day', 'where', 'x', '=', '1', 'and', 'in', '(', ')', ';', '-- c\n', '/* d */', "'s'", 'order', 'limit', '5', 'now', '-', '7d', '#', '\n'];
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      let text = '';
      const len = 1 + rnd(30);
      for (let j = 0; j < len; j++) text += parts[rnd(parts.length)] + (rnd(3) === 0 ? '' : ' ');
      const out = mq.format(text);
      assert.deepEqual(tokenImages(out), tokenImages(text), JSON.stringify(text));
      assert.deepEqual(commentTexts(out).map((c) => c.trimEnd()), commentTexts(text).map((c) => c.trimEnd()), JSON.stringify(text));
      assert.equal(mq.format(out), out, JSON.stringify(text));
    }
  });
});

describe('formatRange', () => {
  it('returns edits only for the queries in the range', () => {
    const text = 'select a;\nselect b;\nselect c;\n';
    const start = text.indexOf('select b');
    const edits = mq.formatRange(text, start, start + 3);
    assert.deepEqual(edits, [{ start, end: start + 'select b;'.length, newText: 'SELECT b;' }]);
  });

  it('returns nothing when the range is already formatted', () => {
    const text = 'SELECT a;\n';
    assert.deepEqual(mq.formatRange(text, 0, text.length), []);
  });
});

describe('speed', () => {
  it('formats 10,000 queries in time linear in the input', (t) => {
    const one = '-- daily\nselect delivered_traffic_count by day where channelcode = sms and sentsince = now - 7d and sentuntil = now\n';
    const big = Array.from({ length: 10_000 }, () => one).join('\n');
    assert.ok(parseDocument(big).queries.length >= 10_000);
    mq.format(one); // warm up
    const t0 = performance.now();
    parseDocument(big);
    const parseMs = performance.now() - t0;
    const t1 = performance.now();
    const out = mq.format(big);
    const ms = performance.now() - t1;
    t.diagnostic(`parse ${parseMs.toFixed(0)} ms, format ${ms.toFixed(0)} ms for ${big.length} characters`);
    assert.ok(out.length > 0);
    // Formatting is one parse plus one linear pass. The absolute bound only catches runaway (quadratic)
    // behaviour on slow, loaded CI machines; the benchmark suite tracks the real budget.
    assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms`);
  });
});

// docs/language.md shows a query and the request body it compiles to; the two must stay true to the compiler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringifyJson } from '../../../server/src/core/compile/wire.js';
import { mq } from '../../helpers/mq.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'language.md'), 'utf8');

test('the compilation example of docs/language.md compiles to exactly the body shown there', () => {
  const m = /For example, at `--now ([^`]+)`,\n\n```sql\n([\s\S]*?)```[\s\S]*?--callback-url (\S+)`\):\n\n```json\n([\s\S]*?)```/.exec(doc);
  assert.ok(m, 'docs/language.md has the compilation example: an sql block, the mq compile line and a json block');
  const [, now, query, callbackUrl, body] = m;
  const r = mq.compile(mq.parse(query!).queries[0]!, { now: new Date(now!), callbackUrl: callbackUrl! });
  assert.ok(r.ok, 'the example query compiles');
  assert.deepEqual(JSON.parse(stringifyJson(r.body)), JSON.parse(body!));
  // The shown body carries the int64 ID exactly; JSON.parse would round it, so compare the digits as text too.
  assert.match(stringifyJson(r.body), /9223372036854775807/);
  assert.match(body!, /9223372036854775807/);
});

// The shared test helpers other suites reuse.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cursor, diagnose, positionAt, query } from './mq.js';

describe('test helpers', () => {
  it('cursor() strips the <|> marker and reports offset and position', () => {
    const c = cursor('SELECT X\nBY <|>DAY');
    assert.equal(c.text, 'SELECT X\nBY DAY');
    assert.equal(c.offset, 12);
    assert.deepEqual(c.position, { line: 1, character: 3 });
    assert.throws(() => cursor('no marker'));
    assert.throws(() => cursor('<|> two <|>'));
  });
  it('positionAt counts lines and characters from 0', () => {
    assert.deepEqual(positionAt('ab\ncd', 4), { line: 1, character: 1 });
  });
  it('diagnose() attaches the covered text; query() builds a valid query', () => {
    assert.deepEqual(diagnose(query({})), []);
    const [d] = diagnose(query({ select: 'NOPE' }));
    assert.equal(d!.text, 'NOPE');
    assert.deepEqual(d!.range.start, positionAt(query({ select: 'NOPE' }), d!.start));
  });
});

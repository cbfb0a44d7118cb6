// The messages between the extension host and the results page (client/common/protocol.ts): each side reads
// what the other posts, and a message with a wrong shape is never taken for a valid one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readHostMessage, readWebviewMessage } from '../../client/common/protocol.js';

test('the page reads the three messages the host posts', () => {
  assert.deepEqual(readHostMessage({ type: 'result', payload: '{}' }), { type: 'result', payload: '{}' });
  assert.deepEqual(readHostMessage({ type: 'error', message: 'boom' }), { type: 'error', message: 'boom' });
  assert.deepEqual(readHostMessage({ type: 'running', phase: 'waiting for the callback' }), { type: 'running', phase: 'waiting for the callback' });
});

test('a host message missing its text still reads as something the page can show', () => {
  assert.deepEqual(readHostMessage({ type: 'result', payload: 42 }), { type: 'error', message: 'The result message carried no payload.' });
  assert.deepEqual(readHostMessage({ type: 'error' }), { type: 'error', message: 'The query failed.' });
  assert.deepEqual(readHostMessage({ type: 'running', phase: null }), { type: 'running', phase: 'working' });
});

test('the page ignores values that are not host messages', () => {
  for (const m of [null, undefined, 'result', 7, [], {}, { type: 'export', format: 'csv', content: '' }, { type: 'RESULT', payload: '{}' }]) {
    assert.equal(readHostMessage(m), undefined, JSON.stringify(m));
  }
});

test('the host reads the four messages the page posts', () => {
  assert.deepEqual(readWebviewMessage({ type: 'export', format: 'csv', content: 'a,b' }), { type: 'export', format: 'csv', content: 'a,b' });
  assert.deepEqual(readWebviewMessage({ type: 'export', format: 'json', content: '[]' }), { type: 'export', format: 'json', content: '[]' });
  assert.deepEqual(readWebviewMessage({ type: 'copy', text: 'x' }), { type: 'copy', text: 'x' });
  assert.deepEqual(readWebviewMessage({ type: 'openUrl', url: 'https://example.com' }), { type: 'openUrl', url: 'https://example.com' });
  assert.deepEqual(readWebviewMessage({ type: 'ready' }), { type: 'ready' });
});

test('the host drops a page message with a missing or wrong field, and keeps no extra field', () => {
  for (const m of [
    { type: 'export', format: 'xlsx', content: 'a' },
    { type: 'export', format: 'csv' },
    { type: 'copy', text: 5 },
    { type: 'openUrl' },
    { type: 'result', payload: '{}' },
    'copy',
    null,
  ]) {
    assert.equal(readWebviewMessage(m), undefined, JSON.stringify(m));
  }
  assert.deepEqual(readWebviewMessage({ type: 'copy', text: 'x', extra: '<script>' }), { type: 'copy', text: 'x' });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCurl, shellQuote } from '../../client/src/curl.js';
import { redact } from '../../client/src/redact.js';
import {
  buildRunOptions,
  connectionLabel,
  normaliseBaseUrl,
  parseConnections,
  resolveActiveConnection,
} from '../../client/src/connections.js';

test('shellQuote survives single quotes', () => {
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});

test('cURL uses the placeholder, the active base URL and the exact body', () => {
  const body = '{"callbackUrl":"https://cb.example/x","request":{"filterBy":{"communicationIds":[9223372036854775807]},"metrics":["A"],"aggregateBy":[]}}';
  const curl = buildCurl({ baseUrl: 'https://abc.api.infobip.com/', bodyJson: body });
  assert.ok(curl.includes(`'https://abc.api.infobip.com/metrics/1/query-aggregate-data'`));
  assert.ok(curl.includes('-H "Authorization: App $INFOBIP_API_KEY"'));
  assert.ok(curl.includes(`--data-raw '${body}'`));
  assert.ok(curl.includes('9223372036854775807'));
  const bearer = buildCurl({ baseUrl: 'https://x', authScheme: 'Bearer', bodyJson: "{\"s\":\"o'brien\"}" });
  assert.ok(bearer.includes('Bearer $INFOBIP_API_KEY'));
  assert.ok(bearer.includes(`'{"s":"o'\\''brien"}'`));
});

test('redact masks known secrets and credential-shaped text', () => {
  const key = 'abcdef0123456789abcdef0123456789-0123abcd';
  const out = redact(`failed with key ${key} (Authorization: App ${key})`, [key]);
  assert.ok(!out.includes(key));
  assert.ok(!redact(`Authorization: App zzzzzzzzzzzzzzzzzzzzzzz`).includes('zzzzzzzzzzzzzzzzzzzzzzz'));
  assert.ok(!redact('Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig').includes('eyJhbGciOiJIUzI1NiJ9'));
  assert.ok(!redact('https://user:pass@host/x').includes('pass'));
  assert.ok(!redact('{"apiKey":"supersecretvalue"}').includes('supersecretvalue'));
  // Ordinary actionable messages are left readable.
  const msg = 'HTTP 401: check the API key of connection "prod". Run "mq: Set API Key".';
  assert.equal(redact(msg, ['short']), msg);
});

test('normaliseBaseUrl adds https and drops trailing slashes and rejects credentials', () => {
  assert.equal(normaliseBaseUrl('abc.api.infobip.com/'), 'https://abc.api.infobip.com');
  assert.equal(normaliseBaseUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
  assert.equal(normaliseBaseUrl('ftp://x'), undefined);
  assert.equal(normaliseBaseUrl('https://u:p@x'), undefined);
  assert.equal(normaliseBaseUrl('  '), undefined);
});

test('parseConnections validates entries and reports problems', () => {
  const { profiles, problems } = parseConnections([
    { name: 'prod', baseUrl: 'abc.api.infobip.com' },
    { name: 'local', baseUrl: 'http://127.0.0.1:9000', authScheme: 'bearer', callback: { listenPort: 8123, publicBaseUrl: 'auto' } },
    { name: 'prod', baseUrl: 'https://dup' },
    { baseUrl: 'https://noname' },
    { name: 'bad', baseUrl: 'nota url with spaces://' },
    { name: 'relay', baseUrl: 'https://r', authScheme: 'Weird', callback: { relayUrl: 'https://relay.example', listenPort: 99999 } },
    'junk',
  ]);
  assert.deepEqual(profiles.map((p) => p.name), ['prod', 'local', 'relay']);
  assert.equal(profiles[0]!.baseUrl, 'https://abc.api.infobip.com');
  assert.equal(profiles[0]!.authScheme, 'App');
  assert.equal(profiles[1]!.authScheme, 'Bearer');
  assert.deepEqual(profiles[1]!.callback, { listenPort: 8123, publicBaseUrl: 'auto' });
  assert.deepEqual(profiles[2]!.callback, { relayUrl: 'https://relay.example' });
  assert.equal(problems.length, 6);
  assert.deepEqual(parseConnections(undefined), { profiles: [], problems: [] });
  assert.equal(parseConnections({}).problems.length, 1);
});

test('resolveActiveConnection: empty is sample data, unknown names are reported', () => {
  const { profiles } = parseConnections([{ name: 'prod', baseUrl: 'https://x' }]);
  assert.deepEqual(resolveActiveConnection(profiles, ''), {});
  assert.equal(resolveActiveConnection(profiles, 'prod').profile?.name, 'prod');
  assert.match(resolveActiveConnection(profiles, 'gone').problem ?? '', /not defined/);
  assert.equal(connectionLabel(undefined), 'Sample data');
});

test('buildRunOptions: sample data without a profile; key, relay and auto URL checks with one', () => {
  assert.deepEqual(buildRunOptions({ timeoutMs: 5 }), { timeoutMs: 5 });
  const { profiles } = parseConnections([
    { name: 'p', baseUrl: 'https://x', callback: { listenHost: '0.0.0.0', listenPort: 8000, publicBaseUrl: 'auto', relayUrl: 'https://relay' } },
  ]);
  const p = profiles[0]!;
  assert.throws(() => buildRunOptions({ profile: p }), /Set API Key/);
  assert.throws(() => buildRunOptions({ profile: p, apiKey: 'k', relayToken: 't' }), /auto/);
  assert.throws(() => buildRunOptions({ profile: p, apiKey: 'k', externalBaseUrl: 'https://ext' }), /relay token/);
  assert.deepEqual(buildRunOptions({ profile: p, apiKey: 'k', relayToken: 't', externalBaseUrl: 'https://ext' }), {
    baseUrl: 'https://x',
    apiKey: 'k',
    authScheme: 'App',
    callback: { listenHost: '0.0.0.0', listenPort: 8000, publicBaseUrl: 'https://ext', relay: { url: 'https://relay', token: 't' } },
  });
});

test('redact also masks the base64 and URL-encoded forms of a secret', () => {
  const key = 'my secret/key+1';
  const out = redact(`a ${Buffer.from(key).toString('base64')} b ${encodeURIComponent(key)} c`, [key]);
  assert.ok(!out.includes(Buffer.from(key).toString('base64')));
  assert.ok(!out.includes(encodeURIComponent(key)));
});

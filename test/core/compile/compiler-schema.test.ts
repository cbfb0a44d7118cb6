// Compiled bodies validate against the OpenAPI document's QueryAggregateDataRequest schema.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as losslessParse } from 'lossless-json';
import { stringifyJson } from '../../../server/src/core/compile/wire.js';
import { compileText } from '../../helpers/mq.js';

const OPENAPI_PATH = fileURLToPath(new URL('../../../reference/infobip-metrics-openapi-3.210.json', import.meta.url));

function requestValidator(): (data: unknown) => { ok: boolean; errors: string } {
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as { components: { schemas: Record<string, unknown> } };
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  ajv.addSchema({ $id: 'metrics-openapi', components: doc.components });
  const name = Object.keys(doc.components.schemas).find((k) => k.endsWith('.QueryAggregateDataRequest'));
  assert.ok(name, 'QueryAggregateDataRequest schema not found');
  const validate = ajv.getSchema(`metrics-openapi#/components/schemas/${name}`);
  assert.ok(validate);
  return (data) => {
    const ok = validate(data) as boolean;
    return { ok, errors: ajv.errorsText(validate.errors) };
  };
}

/** The body as the API would parse it: int64 values become numbers (exact when they fit, else approximated). */
function asParsedJson(text: string): unknown {
  return losslessParse(text, undefined, (v: string) => Number(v)) as unknown;
}

const QUERIES = [
  `SELECT TOTAL_SENT_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE BY DAY, COUNTRY_NAME
   WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now AND direction = OUTBOUND AND timeToDeliver < 5s`,
  `SELECT SEEN_OPENED_TRAFFIC_COUNT, UNIQUE_CLICKS_COUNT BY WEEK_MONDAY_START
   WHERE channelCode IN (EMAIL, WHATSAPP) AND sent BETWEEN '2026-10-01' AND '2026-11-01'`,
  `SELECT TOTAL_TRAFFIC_COUNT BY ACCOUNT_KEY, HOUR, DIRECTION, STATUS
   WHERE channelCode = SMS AND sentSince = '2023-04-01T00:00:00' AND sentUntil = '2023-04-01T01:00:00'
     AND accountKeys = '565C2852060F94BC771F692C04C055E1' AND includeSubaccounts = TRUE
     AND communicationIds IN (12354646546, 9007199254740993) AND campaignReferenceIds IN ('CAMPAIGNNAME-20240612-001')
     AND statusGroups IN (REJECTED, UNDELIVERABLE) AND statuses IN (REJECTED_NETWORK, REJECTED_SENDER)
     AND errorGroups IN (OPERATOR_ERRORS, USER_ERRORS) AND errorCodes IN (NO_ERROR, EC_UNKNOWN_SUBSCRIBER)`,
  `SELECT INTERACTION_COUNT BY TRAFFIC_TYPE, SENDER_TYPE, NETWORK_ID, COUNTRY_ID
   WHERE channelCode IN (WHATSAPP, RCS) AND sent >= today - 30d AND sent < today
     AND trafficTypes IN (1, MARKETING_CONVERSATION, A2P_CONVERSATION) AND senderTypes IN (ALPHANUMERIC, 2)
     AND senders = 'InfoSMS' AND networkIds IN (1, 2) AND countryIds = 385`,
  `SELECT TOTAL_CALL_COUNT, ANSWER_RATE BY CAPABILITY, TIME_TO_ANSWER
   WHERE channelCode = VOICE_VIDEO AND sentSince = today - 1d AND sentUntil = today
     AND capabilities IN (PHONE, WEBRTC) AND timeToAnswer BETWEEN 1s AND 30s
     AND applicationId = 'app' AND entityId = 'ent'`,
  `SELECT UNIQUE_URL_CLICK_COUNT BY URL, CHANNEL_NAME
   WHERE channelCode IN (SMS, VIBER, APPLE_MB, FACEBOOK) AND sentSince = today - 7d AND sentUntil = now
     AND timeToClickFromSeen >= 1m AND timeToClickFromDelivered < HOURS_1 AND timeToSeenFromDelivered BETWEEN 5s AND 10m
     AND timeToOpenFromDelivered < 1d`,
  `SELECT TOTAL_BOUNCE_COUNT, HARD_BOUNCE_RATE, EMAIL_COMPLAINTS_COUNT, UNSUBSCRIBED_USER_RATE BY SENDER, STATUS_GROUP
   WHERE channelCode = EMAIL AND sentSince = '2026-10-01' AND sentUntil = '2026-10-08' AND senderTypes = DOMAIN`,
];

describe('compiler: bodies validate against the OpenAPI schema', () => {
  const validate = requestValidator();
  for (const [i, text] of QUERIES.entries()) {
    it(`query ${i + 1}`, () => {
      const r = compileText(text);
      if (!r.ok) assert.fail(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; '));
      const json = stringifyJson(r.body);
      const res = validate(asParsedJson(json));
      assert.ok(res.ok, `${res.errors}\n${json}`);
    });
  }
  it('the validator does reject a wrong body (sanity)', () => {
    const r = compileText(QUERIES[0]!);
    assert.ok(r.ok);
    if (!r.ok) return;
    const broken = JSON.parse(stringifyJson(r.body)) as { request: { metrics: string[] } };
    broken.request.metrics = ['NOT_A_METRIC'];
    assert.equal(validate(broken).ok, false);
  });
});

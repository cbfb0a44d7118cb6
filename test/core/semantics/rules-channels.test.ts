// metric-channel-*, url-dimension-metric, traffic-type-channel, sender-type-channel, direction-metric.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { query, withCode } from '../../helpers/mq.js';

const T = `sentSince = today - 1d AND sentUntil = today`;
const Q = (select: string, channels: string, extra = '', by?: string): string =>
  query({ select, ...(by ? { by } : {}), where: `channelCode ${channels.includes(',') ? `IN (${channels})` : `= ${channels}`} AND ${T}${extra ? ` AND ${extra}` : ''}` });

describe('analyser: metric-channel-unsupported', () => {
  it('email-only metric without EMAIL: data.addChannel', () => {
    const [d] = withCode(Q('TOTAL_BOUNCE_COUNT', 'SMS'), 'metric-channel-unsupported');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, 'TOTAL_BOUNCE_COUNT');
    assert.match(d!.message, /None of the selected channels \(SMS\) returns TOTAL_BOUNCE_COUNT.*Add EMAIL to channelCode/);
    assert.equal(d!.data!.metric, 'TOTAL_BOUNCE_COUNT');
    assert.equal(d!.data!.addChannel, 'EMAIL');
  });
  it('FAILED_TRAFFIC_COUNT with only EMAIL: data.replacement TOTAL_DROPPED_COUNT', () => {
    const [d] = withCode(Q('FAILED_TRAFFIC_COUNT', 'EMAIL'), 'metric-channel-unsupported');
    assert.match(d!.message, /Use TOTAL_DROPPED_COUNT instead for EMAIL/);
    assert.equal(d!.data!.replacement, 'TOTAL_DROPPED_COUNT');
  });
  it('TOTAL_SMS_MESSAGES_COUNT without SMS; voice metrics without VOICE_VIDEO', () => {
    assert.equal(withCode(Q('TOTAL_SMS_MESSAGES_COUNT', 'WHATSAPP'), 'metric-channel-unsupported').length, 1);
    const [v] = withCode(Q('TOTAL_CALL_COUNT', 'SMS, VIBER'), 'metric-channel-unsupported');
    assert.equal(v!.data!.addChannel, 'VOICE_VIDEO');
  });
  it('no error once EMAIL is selected for an email metric, or VOICE_VIDEO for a voice metric', () => {
    assert.deepEqual(withCode(Q('TOTAL_BOUNCE_COUNT, FAILED_TRAFFIC_COUNT', 'EMAIL, SMS'), 'metric-channel-unsupported'), []);
    assert.deepEqual(withCode(Q('TOTAL_CALL_COUNT', 'VOICE_VIDEO'), 'metric-channel-unsupported'), []);
  });
});

describe('analyser: metric-channel-partial', () => {
  it('positive: names the channels that return N/A', () => {
    const [d] = withCode(Q('TOTAL_BOUNCE_COUNT', 'EMAIL, SMS'), 'metric-channel-partial');
    assert.equal(d!.severity, 'warning');
    assert.equal(d!.text, 'TOTAL_BOUNCE_COUNT');
    assert.match(d!.message, /TOTAL_BOUNCE_COUNT is N\/A for SMS; only EMAIL will have values/);
    assert.deepEqual(d!.data!.channels, ['SMS']);
    const [f] = withCode(Q('FAILED_TRAFFIC_COUNT', 'SMS, EMAIL'), 'metric-channel-partial');
    assert.equal(f!.data!.replacement, 'TOTAL_DROPPED_COUNT');
  });
  it('no warning when every selected channel returns the metric', () => {
    assert.deepEqual(withCode(Q('TOTAL_BOUNCE_COUNT, DELIVERED_TRAFFIC_COUNT', 'EMAIL'), 'metric-channel-partial'), []);
  });
});

describe('analyser: metric-channel-may-be-empty', () => {
  it('positive: seen/opened outside WhatsApp, Viber, RCS, Email', () => {
    const [d] = withCode(Q('SEEN_OPENED_TRAFFIC_COUNT', 'SMS, WHATSAPP'), 'metric-channel-may-be-empty');
    assert.equal(d!.severity, 'warning');
    assert.equal(d!.text, 'SEEN_OPENED_TRAFFIC_COUNT');
    assert.match(d!.message, /may return no data for SMS/);
    assert.deepEqual(d!.data!.channels, ['SMS']);
  });
  it('positive: click tracking on Apple Messages for Business or Messenger (any spelling)', () => {
    const [d] = withCode(Q('UNIQUE_CLICKS_COUNT', 'APPLECB, FB, SMS'), 'metric-channel-may-be-empty');
    assert.deepEqual(d!.data!.channels, ['APPLECB', 'FB']);
    assert.match(d!.message, /click tracking/);
  });
  it('no warning on the channels that report seen/opened and clicks', () => {
    assert.deepEqual(withCode(Q('SEEN_OPENED_TRAFFIC_COUNT, UNIQUE_CLICKS_COUNT', 'VIBER, RCS, EMAIL, WHATSAPP'), 'metric-channel-may-be-empty'), []);
  });
});

describe('analyser: url-dimension-metric', () => {
  it('positive: error for a non-click metric', () => {
    const [d] = withCode(Q('TOTAL_TRAFFIC_COUNT', 'SMS', '', 'URL'), 'url-dimension-metric');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, 'TOTAL_TRAFFIC_COUNT');
    assert.match(d!.message, /cannot be grouped BY URL.*UNIQUE_URL_CLICK_COUNT/);
  });
  it('positive: warning for an unconfirmed click metric', () => {
    const [d] = withCode(Q('TOTAL_CLICKS_COUNT', 'SMS', '', 'URL'), 'url-dimension-metric');
    assert.equal(d!.severity, 'warning');
    assert.match(d!.message, /not confirmed/);
  });
  it('no diagnostic for a click-per-URL metric BY URL, nor for any metric BY another dimension', () => {
    assert.deepEqual(withCode(Q('UNIQUE_URL_CLICK_COUNT', 'SMS', '', 'URL'), 'url-dimension-metric'), []);
    assert.deepEqual(withCode(Q('TOTAL_TRAFFIC_COUNT', 'SMS', '', 'DAY'), 'url-dimension-metric'), []);
  });
});

describe('analyser: traffic-type-channel', () => {
  it('positive: a WhatsApp traffic type without WHATSAPP, an RCS one (by ID) without RCS', () => {
    const [d] = withCode(Q('INTERACTION_COUNT', 'SMS', 'trafficTypes = MARKETING_CONVERSATION'), 'traffic-type-channel');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, 'MARKETING_CONVERSATION');
    assert.match(d!.message, /WhatsApp traffic type, but channelCode does not include WHATSAPP/);
    assert.equal(d!.data!.addChannel, 'WHATSAPP');
    const [r] = withCode(Q('INTERACTION_COUNT', 'WHATSAPP', 'trafficTypes IN (1, 7)'), 'traffic-type-channel');
    assert.equal(r!.text, '7');
    assert.equal(r!.data!.addChannel, 'RCS');
  });
  it('no error when the channel of each traffic type is selected', () => {
    assert.deepEqual(withCode(Q('INTERACTION_COUNT', 'WHATSAPP, RCS', 'trafficTypes IN (1, A2P_CONVERSATION)'), 'traffic-type-channel'), []);
  });
});

describe('analyser: sender-type-channel', () => {
  it('positive: DOMAIN without EMAIL', () => {
    const [d] = withCode(Q('TOTAL_TRAFFIC_COUNT', 'SMS', 'senderTypes = DOMAIN'), 'sender-type-channel');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, 'DOMAIN');
    assert.match(d!.message, /Email sending domains.*Add EMAIL/);
  });
  it('positive: a phone sender type with only EMAIL', () => {
    const [d] = withCode(Q('TOTAL_TRAFFIC_COUNT', 'EMAIL', 'senderTypes = 2'), 'sender-type-channel');
    assert.equal(d!.text, '2');
    assert.match(d!.message, /SHORT_CODE is a phone-number sender type/);
  });
  it('no error when EMAIL and a phone channel cover the sender types', () => {
    assert.deepEqual(withCode(Q('TOTAL_TRAFFIC_COUNT', 'EMAIL, SMS', 'senderTypes IN (DOMAIN, ALPHANUMERIC)'), 'sender-type-channel'), []);
  });
});

describe('analyser: direction-metric', () => {
  it('positive: inbound-only with OUTBOUND, outbound-only with INBOUND', () => {
    const [d] = withCode(Q('TOTAL_RECEIVED_TRAFFIC_COUNT', 'SMS', 'direction = OUTBOUND'), 'direction-metric');
    assert.equal(d!.severity, 'warning');
    assert.equal(d!.text, 'TOTAL_RECEIVED_TRAFFIC_COUNT');
    assert.match(d!.message, /counts INBOUND traffic only, but direction is OUTBOUND/);
    assert.equal(withCode(Q('TOTAL_SENT_TRAFFIC_COUNT', 'SMS', 'direction = INBOUND'), 'direction-metric').length, 1);
  });
  it("no warning when direction includes the metric's direction, or is not filtered", () => {
    assert.deepEqual(withCode(Q('TOTAL_RECEIVED_TRAFFIC_COUNT', 'SMS', 'direction IN (INBOUND, OUTBOUND)'), 'direction-metric'), []);
    assert.deepEqual(withCode(Q('TOTAL_SENT_TRAFFIC_COUNT', 'SMS'), 'direction-metric'), []);
  });
});

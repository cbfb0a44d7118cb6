// The catalog: every metric, dimension, filter, channel and enum value mq knows.
//
// Facts (names, IDs, channel rules) come from reference/metrics-and-filters.txt (the "seed")
// and reference/infobip-metrics-openapi-3.210.json (the OpenAPI document, "openapi").
// `source` says where a name appears: 'both' only when the seed lists it AND the OpenAPI enum or
// filter schema holds it (prose mentions in the OpenAPI that are missing from its enums do not count).
// All descriptions, display names and channel notes are written in mq's own words.
// test/core/catalog/catalog.test.ts cross-checks this file against both reference files.

import type {
  Catalog,
  ChannelEntry,
  ColumnDataType,
  DimensionCategory,
  DimensionEntry,
  EnumValueEntry,
  ErrorCodeEntry,
  FilterEntry,
  FilterOperator,
  FilterValueKind,
  MetricCategory,
  MetricEntry,
  SenderTypeEntry,
  Source,
  StatusEntry,
  TimeBucketEntry,
  TrafficTypeEntry,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------

const EMAIL_ONLY = ['EMAIL'];
const SEEN_SUPPORTED = ['WHATSAPP', 'VIBER', 'RCS', 'EMAIL'];
const NO_CLICK_TRACKING = ['APPLE_MB', 'FACEBOOK'];
const VOICE_ONLY = ['VOICE_VIDEO'];

const NOTE_EMAIL_ONLY = 'Only Email returns values for this metric; every other channel shows N/A.';
const NOTE_VOICE_ONLY = 'A Voice and Video metric: only the VOICE_VIDEO channel returns values.';
const NOTE_INBOUND =
  'Channels that cannot receive messages, or where inbound messaging is not set up on the account, return no data.';
const NOTE_SEEN =
  'Needs seen/read callbacks, so expect data mainly from WhatsApp, Viber and RCS (and opens for Email); other channels may be empty.';
const NOTE_CLICK_TRACKING =
  'Clicks are counted only when links were shortened and tracked at send time; some channels (e.g. Apple Messages for Business, Messenger) have no click tracking.';

type MetricOpts = Partial<
  Pick<
    MetricEntry,
    'onlyFor' | 'notFor' | 'mayBeEmptyExceptFor' | 'mayBeEmptyFor' | 'direction' | 'urlDimension' | 'replacement'
  >
> & { notes?: string[] };

function metric(
  name: string,
  displayName: string,
  category: MetricCategory,
  source: Source,
  description: string,
  opts: MetricOpts = {},
): MetricEntry {
  const isRate = /_(RATE|RATIO)$/.test(name);
  const { notes, ...rules } = opts;
  const entry: MetricEntry = {
    name,
    displayName,
    description,
    source,
    category,
    valueType: isRate ? 'NUMBER' : 'INTEGER',
    isRate,
    channelNotes: notes ?? [],
  };
  return Object.assign(entry, rules);
}

const emailOnly = (extra: string[] = []): MetricOpts => ({ onlyFor: EMAIL_ONLY, notes: [NOTE_EMAIL_ONLY, ...extra] });
const voiceOnly = (direction?: 'INBOUND' | 'OUTBOUND'): MetricOpts =>
  direction ? { onlyFor: VOICE_ONLY, direction, notes: [NOTE_VOICE_ONLY] } : { onlyFor: VOICE_ONLY, notes: [NOTE_VOICE_ONLY] };
const clickMetric = (urlDimension: 'valid' | 'unconfirmed', extra: string[] = []): MetricOpts => ({
  mayBeEmptyFor: NO_CLICK_TRACKING,
  urlDimension,
  notes: [NOTE_CLICK_TRACKING, ...extra],
});

const metrics: MetricEntry[] = [
  // --- delivery ---
  metric('TOTAL_TRAFFIC_COUNT', 'Total traffic', 'delivery', 'both',
    'All messages (or message parts) in both directions: what you sent out plus what customers sent in.',
    { notes: ['For Email it counts the mails Infobip accepted for delivery, leaving out rejected ones.'] }),
  metric('TOTAL_ACCEPTED_TRAFFIC_COUNT', 'Total accepted', 'delivery', 'openapi',
    'Outbound Email messages that Infobip accepted for sending.',
    { onlyFor: EMAIL_ONLY, direction: 'OUTBOUND', notes: ['Tied to Email in the API description; other channels show N/A.'] }),
  metric('INTERACTION_COUNT', 'Messaging interactions', 'delivery', 'both',
    'How many distinct messaging interactions took place; group BY TRAFFIC_TYPE to split them into WhatsApp or RCS conversation and message categories.',
    { notes: ['Most useful for WhatsApp and RCS, whose traffic types describe conversations and sessions.'] }),
  metric('TOTAL_SMS_MESSAGES_COUNT', 'Total SMS messages', 'delivery', 'both',
    'SMS messages in both directions, where a long SMS split into several parts still counts once.',
    { onlyFor: ['SMS'], notes: ['Only the SMS channel returns values for this metric.'] }),
  metric('TOTAL_SENT_TRAFFIC_COUNT', 'Total sent', 'delivery', 'both',
    'Outbound messages handed over for delivery.',
    { direction: 'OUTBOUND', notes: ['For Email this is the number of mails passed from Infobip to the mailbox provider.'] }),
  metric('DELIVERED_TRAFFIC_COUNT', 'Delivered', 'delivery', 'both',
    'Messages that reached their recipient.',
    { direction: 'OUTBOUND' }),
  metric('TRAFFIC_DELIVERY_RATE', 'Delivery rate', 'delivery', 'both',
    'Share of messages that were delivered: delivered divided by sent minus rejected (for Email, delivered divided by sent).',
    { direction: 'OUTBOUND' }),
  metric('TRAFFIC_DELIVERED_IN_5_SEC_RATE', '5-second delivery rate', 'delivery', 'both',
    'Share of messages that were delivered no later than five seconds after sending.',
    { direction: 'OUTBOUND' }),

  // --- inbound ---
  metric('TOTAL_RECEIVED_TRAFFIC_COUNT', 'Received traffic', 'inbound', 'both',
    'Inbound messages: everything customers sent to you.',
    { direction: 'INBOUND', notes: [NOTE_INBOUND] }),
  metric('RECEIVED_TO_SENT_TRAFFIC_RATIO', 'Received-to-sent ratio', 'inbound', 'both',
    'Inbound messages divided by outbound messages, counting only traffic that was not rejected.',
    { direction: 'INBOUND', notes: [NOTE_INBOUND] }),

  // --- delivery failure ---
  metric('FAILED_TRAFFIC_COUNT', 'Failed', 'delivery-failure', 'both',
    'Outbound messages that never reached their recipient.',
    {
      notFor: EMAIL_ONLY,
      direction: 'OUTBOUND',
      replacement: { family: 'EMAIL', metric: 'TOTAL_DROPPED_COUNT' },
      notes: ['Email does not return this metric; use TOTAL_DROPPED_COUNT to count Email messages that failed.'],
    }),
  metric('TOTAL_BOUNCE_COUNT', 'Bounced', 'delivery-failure', 'both',
    'Emails that bounced instead of reaching the recipient: temporary (soft) plus permanent (hard) bounces.',
    { ...emailOnly(), direction: 'OUTBOUND' }),
  metric('TOTAL_BOUNCE_RATE', 'Bounce rate', 'delivery-failure', 'both',
    'Soft plus hard bounces as a share of the emails sent.',
    { ...emailOnly(), direction: 'OUTBOUND' }),
  metric('TOTAL_DROPPED_COUNT', 'Dropped', 'delivery-failure', 'seed',
    'Emails that were submitted but discarded before delivery, e.g. because the address unsubscribed or bounced before, the mail was flagged as spam, or the sender or content had a problem.',
    { ...emailOnly(['Listed by the product page but missing from the OpenAPI metric enum, so the API may refuse it.']), direction: 'OUTBOUND' }),
  metric('TOTAL_DROPPED_RATE', 'Dropped rate', 'delivery-failure', 'seed',
    'Dropped emails as a share of the emails that were accepted.',
    { ...emailOnly(['Listed by the product page but missing from the OpenAPI metric enum, so the API may refuse it.']), direction: 'OUTBOUND' }),
  metric('TOTAL_SUPPRESSED_COUNT', 'Suppressed', 'delivery-failure', 'both',
    'Emails that were never sent because the address had bounced earlier or the recipient had reported mail as spam.',
    { ...emailOnly(), direction: 'OUTBOUND' }),
  metric('SOFT_BOUNCE_COUNT', 'Soft bounced', 'delivery-failure', 'both',
    'Emails that could not be delivered for a temporary reason, such as a full mailbox or a domain that was briefly unreachable.',
    { ...emailOnly(), direction: 'OUTBOUND' }),
  metric('SOFT_BOUNCE_RATE', 'Soft bounce rate', 'delivery-failure', 'both',
    'Soft bounces as a share of the emails sent.',
    { ...emailOnly(), direction: 'OUTBOUND' }),
  metric('HARD_BOUNCE_COUNT', 'Hard bounced', 'delivery-failure', 'both',
    'Emails rejected for good by the mailbox provider for a given recipient.',
    { ...emailOnly(), direction: 'OUTBOUND' }),
  metric('HARD_BOUNCE_RATE', 'Hard bounce rate', 'delivery-failure', 'both',
    'Hard bounces as a share of the emails sent.',
    { ...emailOnly(), direction: 'OUTBOUND' }),

  // --- seen / opened ---
  metric('SEEN_OPENED_TRAFFIC_COUNT', 'Seen / unique opens', 'seen-opened', 'both',
    'Messages seen or opened, each recipient counted once per message however often they looked; recipients who disable read receipts are missed.',
    { mayBeEmptyExceptFor: SEEN_SUPPORTED, notes: [NOTE_SEEN, 'For Email the value is the number of unique opens.'] }),
  metric('SEEN_OPENED_TRAFFIC_RATE', 'Seen / unique open rate', 'seen-opened', 'both',
    'Percent of messages that distinct recipients saw or opened; turned-off read receipts make it lower.',
    { mayBeEmptyExceptFor: SEEN_SUPPORTED, notes: [NOTE_SEEN, 'For Email the value is the unique open rate.'] }),
  metric('VIEWED_TOTAL_COUNT', 'Opens', 'seen-opened', 'both',
    'Every email open, including repeated opens by the same address.',
    emailOnly()),
  metric('VIEWED_TOTAL_RATE', 'Open rate', 'seen-opened', 'both',
    'How many recipients of an email campaign opened it, as a share.',
    emailOnly()),

  // --- clicks ---
  metric('UNIQUE_CLICKS_COUNT', 'Unique clicks', 'clicks', 'both',
    'Recipients who clicked at least one link in a message, each counted once no matter how many links they followed.',
    clickMetric('unconfirmed', ['For Email only unique clicks are counted.'])),
  metric('UNIQUE_CLICK_THROUGH_RATE', 'Unique click-through rate', 'clicks', 'both',
    'Distinct clicking recipients as a share of the messages delivered.',
    clickMetric('unconfirmed', ['For Email it is the share of campaign recipients that followed a link.'])),
  metric('UNIQUE_URL_CLICK_COUNT', 'Unique clicked URLs', 'clicks', 'both',
    'How many different URLs were clicked within one message; the one metric documented to work with BY URL.',
    clickMetric('valid')),
  metric('CLICK_TO_OPEN_RATE', 'Click-to-open rate (CTOR)', 'clicks', 'both',
    'Unique clickers divided by unique opens (or seens), each recipient counted once.',
    clickMetric('unconfirmed')),
  metric('TOTAL_CLICKS_COUNT', 'Total clicks', 'clicks', 'both',
    'All clicks on all links of a message, repeats included (two clicks on each of three links make six).',
    clickMetric('unconfirmed', ['For Email every link click counts except clicks on the unsubscribe link.'])),
  metric('TOTAL_CLICK_RATE', 'Click rate', 'clicks', 'both',
    'Total clicks divided by delivered messages; because repeats count, it can go above 100%.',
    clickMetric('unconfirmed')),

  // --- feedback ---
  metric('UNSUBSCRIBED_USER_COUNT', 'Unsubscribes', 'feedback', 'both',
    'Recipients who opted out of further mail from the sending address.',
    emailOnly()),
  metric('UNSUBSCRIBED_USER_RATE', 'Unsubscribe rate', 'feedback', 'both',
    'Opt-outs from the sending address as a share of recipients.',
    emailOnly()),
  metric('EMAIL_COMPLAINTS_COUNT', 'Spam complaints', 'feedback', 'both',
    'Emails that recipients flagged as spam.',
    emailOnly()),
  metric('EMAIL_COMPLAINTS_RATE', 'Spam complaint rate', 'feedback', 'both',
    'Emails flagged as spam as a share of the emails concerned.',
    emailOnly()),

  // --- voice / calls (OpenAPI only) ---
  metric('TOTAL_CALL_COUNT', 'Total calls', 'voice', 'openapi',
    'All calls, both placed to customers and received from them.', voiceOnly()),
  metric('TOTAL_ATTEMPTED_CALL_COUNT', 'Attempted calls', 'voice', 'openapi',
    'Outbound calls that were started.', voiceOnly('OUTBOUND')),
  metric('TOTAL_SEIZED_CALL_COUNT', 'Seized calls', 'voice', 'openapi',
    'Calls that reached the callee\'s device and rang, answered or not.', voiceOnly()),
  metric('TOTAL_ANSWERED_CALL_COUNT', 'Answered calls', 'voice', 'openapi',
    'Calls that were picked up, in either direction.', voiceOnly()),
  metric('TOTAL_RECEIVED_CALL_COUNT', 'Received calls', 'voice', 'openapi',
    'Inbound calls placed by customers.', voiceOnly('INBOUND')),
  metric('AMD_PROCESSED_CALL_COUNT', 'AMD-processed calls', 'voice', 'openapi',
    'Calls that went through answering machine detection.', voiceOnly()),
  metric('ANSWERED_BY_PERSON_CALL_COUNT', 'Answered by a person', 'voice', 'openapi',
    'Business-initiated calls that a human picked up.', voiceOnly('OUTBOUND')),
  metric('ANSWERED_BY_VOICE_DETECTION_CALL_COUNT', 'Answered by a machine', 'voice', 'openapi',
    'Business-initiated calls picked up by voicemail or another automated system.', voiceOnly('OUTBOUND')),
  metric('NOT_ANSWERED_CALL_COUNT', 'Not answered', 'voice', 'openapi',
    'Outbound calls the callee never picked up.', voiceOnly('OUTBOUND')),
  metric('BUSY_CALL_COUNT', 'Busy', 'voice', 'openapi',
    'Outbound calls that hit a busy line.', voiceOnly('OUTBOUND')),
  metric('CANCELED_CALL_COUNT', 'Canceled', 'voice', 'openapi',
    'Outbound calls dropped on the calling side before they could be routed to the callee.', voiceOnly('OUTBOUND')),
  metric('FAILED_CALL_COUNT', 'Failed calls', 'voice', 'openapi',
    'Calls that did not get through: declined, refused by the operator, or the callee could not be reached.', voiceOnly()),
  metric('TOTAL_CALL_DURATION', 'Total call duration', 'voice', 'openapi',
    'Summed length of all calls in both directions.', voiceOnly()),
  metric('ANSWER_SEIZURE_RATIO', 'Answer-seizure ratio (ASR)', 'voice', 'openapi',
    'Answered calls as a share of the calls that rang (were seized).', voiceOnly()),
  metric('ANSWER_RATE', 'Answer rate', 'voice', 'openapi',
    'Answered calls as a share of attempted calls.', voiceOnly()),
  metric('BUSY_RATE', 'Busy rate', 'voice', 'openapi',
    'Calls that met a busy signal as a share of attempted calls.', voiceOnly()),
  metric('HUNG_UP_COUNT', 'Hang-ups', 'voice', 'openapi',
    'Every ended call or session, whether closed normally by a user or cut by an error.', voiceOnly()),
  metric('NORMAL_HUNG_UP_COUNT', 'Normal hang-ups', 'voice', 'openapi',
    'Calls or sessions that a user ended after a successful interaction.', voiceOnly()),
  metric('ERROR_HUNG_UP_COUNT', 'Error hang-ups', 'voice', 'openapi',
    'Calls or sessions cut short by a system error.', voiceOnly()),
];

// ---------------------------------------------------------------------------------------------
// Dimensions (aggregateBy)
// ---------------------------------------------------------------------------------------------

function dimension(
  name: string,
  displayName: string,
  category: DimensionCategory,
  source: Source,
  description: string,
  columnType: ColumnDataType = 'STRING',
  timeGrain?: number,
): DimensionEntry {
  const entry: DimensionEntry = { name, displayName, description, source, category, columnType };
  if (timeGrain !== undefined) entry.timeGrain = timeGrain;
  return entry;
}

const time = (name: string, displayName: string, description: string, grain: number): DimensionEntry =>
  dimension(name, displayName, 'time', 'both', description, 'DATE_TIME', grain);

const dimensions: DimensionEntry[] = [
  dimension('ACCOUNT_KEY', 'Account key', 'account', 'both', 'One row per account key.'),
  dimension('ACCOUNT_NAME', 'Account name', 'account', 'openapi', 'One row per account, labelled with the account name.'),
  time('HOUR', 'Hour', 'One row per hour; the cell holds the start of the hour.', 1),
  time('DAY', 'Day', 'One row per calendar day.', 2),
  time('WEEK_SATURDAY_START', 'Week (from Saturday)', 'One row per week, weeks beginning on Saturday.', 3),
  time('WEEK_SUNDAY_START', 'Week (from Sunday)', 'One row per week, weeks beginning on Sunday.', 3),
  time('WEEK_MONDAY_START', 'Week (from Monday)', 'One row per week, weeks beginning on Monday.', 3),
  time('MONTH', 'Month', 'One row per calendar month.', 4),
  time('QUARTER', 'Quarter', 'One row per calendar quarter.', 5),
  time('YEAR', 'Year', 'One row per calendar year.', 6),
  dimension('STATUS_GROUP', 'Status group', 'status', 'both', 'One row per status group (PENDING, DELIVERED, REJECTED, ...).'),
  dimension('STATUS', 'Status', 'status', 'both', 'One row per detailed message status name.'),
  dimension('ERROR_GROUP', 'Error group', 'status', 'both', 'One row per error group (OK, HANDSET_ERRORS, ...).'),
  dimension('ERROR_CODE', 'Error code', 'status', 'both', 'One row per error code name.'),
  dimension('TIME_TO_DELIVER', 'Time to deliver', 'latency', 'both',
    'Splits traffic by how long delivery took; each cell is a text label of the time band.'),
  dimension('TIME_TO_ANSWER', 'Time to answer', 'latency', 'openapi',
    'Splits calls by how long it took until they were answered; each cell is a text label of the time band.'),
  dimension('TIME_TO_CLICK_FROM_SEEN', 'Time from seen to click', 'latency', 'both',
    'Splits traffic by how many seconds passed from being seen to a link click.'),
  dimension('TIME_TO_CLICK_FROM_DELIVERED', 'Time from delivery to click', 'latency', 'both',
    'Splits traffic by the seconds between delivery and a link click.'),
  dimension('TIME_TO_SEEN_FROM_DELIVERED', 'Time from delivery to seen', 'latency', 'both',
    'Splits traffic by how many seconds passed from delivery until it was seen.'),
  dimension('TIME_TO_OPEN_FROM_DELIVERED', 'Time from delivery to open', 'latency', 'openapi',
    'Splits traffic by how many seconds passed from delivery until it was opened.'),
  dimension('DIRECTION', 'Direction', 'traffic', 'both', 'Separates OUTBOUND traffic (to customers) from INBOUND traffic (from customers).'),
  dimension('TRAFFIC_TYPE', 'Traffic type', 'traffic', 'both', 'One row per traffic type, such as a WhatsApp conversation category or an RCS message kind.'),
  dimension('SENDER', 'Sender', 'traffic', 'both', 'One row per sender (number, alphanumeric ID or address).'),
  dimension('SENDER_TYPE', 'Sender type', 'traffic', 'both', 'One row per sender type (ALPHANUMERIC, SHORT_CODE, DOMAIN, ...).'),
  dimension('SENDER_DOMAIN', 'Sender domain', 'traffic', 'seed',
    'One row per domain of the sending address. Described by the product page but absent from the OpenAPI aggregate enum.'),
  dimension('RECIPIENT_DOMAIN', 'Recipient domain', 'traffic', 'seed',
    'One row per domain of the recipient address. Described by the product page but absent from the OpenAPI aggregate enum.'),
  dimension('URL', 'URL', 'traffic', 'both',
    'One row per original link URL in the message; only makes sense with URL click metrics such as UNIQUE_URL_CLICK_COUNT.'),
  dimension('COMMUNICATION', 'Communication', 'campaign', 'both', 'One row per communication (Broadcast or Flow campaign) ID.', 'INTEGER'),
  dimension('CAMPAIGN_REFERENCE', 'Campaign reference', 'campaign', 'both', 'One row per campaign reference ID given on API traffic.'),
  dimension('NETWORK_ID', 'Network ID', 'geo', 'both', 'One row per mobile network, shown by its numeric ID.', 'INTEGER'),
  dimension('NETWORK_NAME', 'Network name', 'geo', 'both', 'One row per mobile network, shown by name.'),
  dimension('COUNTRY_ID', 'Country ID', 'geo', 'both', 'One row per country, shown by its numeric ID.', 'INTEGER'),
  dimension('COUNTRY_NAME', 'Country name', 'geo', 'both', 'One row per country, shown by name.'),
  dimension('COUNTRY_CODE', 'Country code', 'geo', 'openapi', 'One row per country, shown by its country code.'),
  dimension('APPLICATION_ID', 'Application ID', 'platform', 'both', 'One row per CPaaS X application.'),
  dimension('ENTITY_ID', 'Entity ID', 'platform', 'both', 'One row per CPaaS X entity.'),
  dimension('CHANNEL_CODE', 'Channel code', 'channel', 'both',
    'One row per channel code. The API adds this column on its own unless CHANNEL_NAME is requested.'),
  dimension('CHANNEL_NAME', 'Channel name', 'channel', 'both', 'One row per channel, labelled with its readable name.'),
  dimension('CAPABILITY', 'Capability', 'channel', 'openapi',
    'One row per capability: the technology or flavour inside a channel (PHONE, WEBRTC, VIBER_BM, ...).'),
];

// ---------------------------------------------------------------------------------------------
// Filters (filterBy), by their mq name (API syntax spelling)
// ---------------------------------------------------------------------------------------------

const EQ_IN: FilterOperator[] = ['=', 'IN'];
const EQ: FilterOperator[] = ['='];
const BUCKET_OPS: FilterOperator[] = ['<', '<=', '>=', '>', 'BETWEEN'];

function filter(
  name: string,
  wire: string,
  displayName: string,
  source: Source,
  valueKind: FilterValueKind,
  description: string,
  opts: { operators?: FilterOperator[]; required?: boolean; list?: boolean; range?: boolean; shorthand?: true } = {},
): FilterEntry {
  const entry: FilterEntry = {
    name,
    wire,
    displayName,
    description,
    source,
    valueKind,
    operators: opts.operators ?? EQ_IN,
    required: opts.required ?? false,
    list: opts.list ?? true,
    range: opts.range ?? false,
  };
  if (opts.shorthand) entry.shorthand = true;
  return entry;
}

const bucketFilter = (name: string, displayName: string, source: Source, description: string): FilterEntry =>
  filter(name, name, displayName, source, 'timeBucket',
    `${description} Bounds must be bucket boundaries (e.g. 5s or SECONDS_5); the lower bound is included, the upper one is not.`,
    { operators: BUCKET_OPS, range: true });

const filters: FilterEntry[] = [
  filter('channelCode', 'channelCodes', 'Channel', 'both', 'channel',
    'Channels to include. Required; several values mean any of them.', { required: true }),
  filter('sentSince', 'sentSince', 'Sent since', 'both', 'time',
    'Start of the sending-time window, included. Required.', { operators: EQ, required: true, list: false }),
  filter('sentUntil', 'sentUntil', 'Sent until', 'both', 'time',
    'End of the sending-time window, excluded. Required.', { operators: EQ, required: true, list: false }),
  filter('sent', 'sent', 'Sent (shorthand)', 'seed', 'time',
    'mq shorthand for the sentSince/sentUntil pair: BETWEEN a AND b sets both, >= or > sets sentSince, < or <= sets sentUntil.',
    { operators: ['BETWEEN', '>=', '>', '<', '<='], list: false, range: true, shorthand: true }),
  filter('direction', 'directions', 'Direction', 'both', 'direction',
    'Keep only OUTBOUND (sent to customers) or INBOUND (received from customers) traffic.'),
  filter('accountKeys', 'accountKeys', 'Accounts', 'both', 'string',
    'Account keys to report on; without it the calling account is used.'),
  filter('includeSubaccounts', 'includeSubaccounts', 'Include sub-accounts', 'both', 'boolean',
    'TRUE adds the traffic of the sub-accounts of the selected accounts; FALSE (the default) leaves it out.',
    { operators: EQ, list: false }),
  filter('statusGroups', 'statusGroups', 'Status groups', 'both', 'statusGroup',
    'Keep only messages whose status falls in these groups.'),
  filter('statuses', 'statuses', 'Statuses', 'both', 'status',
    'Keep only messages with these detailed status names (any name is passed on; known ones are suggested).'),
  filter('errorGroups', 'errorGroups', 'Error groups', 'both', 'errorGroup',
    'Keep only messages whose error falls in these groups.'),
  filter('errorCodes', 'errorCodes', 'Error codes', 'both', 'errorCode',
    'Keep only messages with these error code names (any name is passed on; known ones are suggested).'),
  filter('trafficTypes', 'trafficTypes', 'Traffic types', 'both', 'trafficType',
    'Keep only these WhatsApp or RCS traffic types, given by name or numeric ID.'),
  filter('senders', 'senders', 'Senders', 'both', 'string',
    'Keep only traffic from these sender IDs (numbers, alphanumeric IDs or email addresses).'),
  filter('senderTypes', 'senderTypes', 'Sender types', 'both', 'senderType',
    'Keep only these kinds of sender, given by name or numeric ID.'),
  filter('communicationIds', 'communicationIds', 'Communication IDs', 'both', 'int64',
    'Keep only traffic of these Broadcast or Flow communications (64-bit integer IDs).'),
  filter('campaignReferenceIds', 'campaignReferenceIds', 'Campaign reference IDs', 'both', 'string',
    'Keep only API traffic tagged with these campaign reference IDs.'),
  filter('networkIds', 'networkIds', 'Networks', 'both', 'int32',
    'Keep only traffic on these mobile networks (numeric IDs).'),
  filter('countryIds', 'countryIds', 'Countries', 'both', 'int32',
    'Keep only traffic for these countries (numeric IDs).'),
  filter('applicationId', 'platforms', 'Application', 'both', 'string',
    'CPaaS X application to report on; sent together with entityId as a platform pair.',
    { operators: EQ, list: false }),
  filter('entityId', 'platforms', 'Entity', 'both', 'string',
    'CPaaS X entity to report on; sent together with applicationId as a platform pair.',
    { operators: EQ, list: false }),
  bucketFilter('timeToDeliver', 'Time to deliver', 'both', 'Keep only messages delivered within the given time band.'),
  bucketFilter('timeToClickFromSeen', 'Time from seen to click', 'both',
    'Keep only messages whose link was clicked within the given time after being seen.'),
  bucketFilter('timeToClickFromDelivered', 'Time from delivery to click', 'both',
    'Keep only messages whose link was clicked within the given time after delivery.'),
  bucketFilter('timeToSeenFromDelivered', 'Time from delivery to seen', 'both',
    'Keep only messages seen within the given time after delivery.'),
  bucketFilter('timeToAnswer', 'Time to answer', 'openapi', 'Keep only calls answered within the given time band.'),
  bucketFilter('timeToOpenFromDelivered', 'Time from delivery to open', 'openapi',
    'Keep only messages opened within the given time after delivery.'),
  filter('capabilities', 'capabilities', 'Capabilities', 'openapi', 'capability',
    'Keep only traffic of these capabilities (the technology or flavour within a channel).'),
];

// ---------------------------------------------------------------------------------------------
// Channels
// ---------------------------------------------------------------------------------------------

function channel(name: string, displayName: string, source: Source, family: string, description: string): ChannelEntry {
  return { name, displayName, description, source, family };
}

const channels: ChannelEntry[] = [
  // Codes of the product page, in its order.
  channel('SMS', 'SMS', 'both', 'SMS', 'Text messages over mobile networks.'),
  channel('EMAIL', 'Email', 'both', 'EMAIL', 'Email sent through Infobip.'),
  channel('EMAILVALID', 'Email validation', 'seed', 'EMAILVALID', 'The email address validation service (product-page code only).'),
  channel('FB', 'Facebook Messenger', 'seed', 'FACEBOOK', 'Product-page code for Messenger; the API spells the channel FACEBOOK.'),
  channel('IM', 'Instagram Messaging', 'seed', 'INSTAGRAM', 'Product-page code for Instagram messages; the API spells the channel INSTAGRAM.'),
  channel('KAKAOA', 'Kakao Alim', 'seed', 'KAKAO', 'Kakao Alim notifications; part of the KAKAO channel in the API.'),
  channel('KAKAOC', 'Kakao Chingu', 'seed', 'KAKAO', 'Kakao Chingu (friend) messages; part of the KAKAO channel in the API.'),
  channel('KAKAOS', 'Kakao Sangdam', 'seed', 'KAKAO', 'Kakao Sangdam (consultation) chat; part of the KAKAO channel in the API.'),
  channel('LINELNS', 'LINE Official Notification', 'seed', 'LINE', 'LINE notification messages; part of the LINE channel in the API.'),
  channel('LINEOA', 'LINE Official Account', 'seed', 'LINE', 'LINE official account messages; part of the LINE channel in the API.'),
  channel('MMS', 'MMS', 'both', 'MMS', 'Multimedia messages over mobile networks.'),
  channel('NL', 'Number lookup', 'seed', 'NL', 'The number lookup service (product-page code only).'),
  channel('RCS', 'RCS', 'both', 'RCS', 'Rich Communication Services messages.'),
  channel('TELEGRAM', 'Telegram', 'both', 'TELEGRAM', 'Telegram messages.'),
  channel('VIBER', 'Viber', 'both', 'VIBER', 'Viber; the product page means Viber Business Messages by this code.'),
  channel('VIBERBOTS', 'Viber Bots', 'seed', 'VIBER', 'Viber bot messages; part of the VIBER channel in the API.'),
  channel('WHATSAPP', 'WhatsApp', 'both', 'WHATSAPP', 'WhatsApp Business messages.'),
  channel('ZALONS', 'Zalo Notification Service', 'seed', 'ZALO', 'Zalo notification messages; part of the ZALO channel in the API.'),
  channel('APPLECB', 'Apple Messages for Business', 'seed', 'APPLE_MB', 'Product-page code for Apple Messages for Business; the API spells it APPLE_MB.'),
  // Codes only the OpenAPI document knows.
  channel('FACEBOOK', 'Facebook Messenger', 'openapi', 'FACEBOOK', 'Messenger conversations, as the API names the channel.'),
  channel('INSTAGRAM', 'Instagram Messaging', 'openapi', 'INSTAGRAM', 'Instagram messages, as the API names the channel.'),
  channel('KAKAO', 'Kakao', 'openapi', 'KAKAO', 'All Kakao services as one API channel.'),
  channel('LINE', 'LINE', 'openapi', 'LINE', 'All LINE services as one API channel.'),
  channel('VOICE_VIDEO', 'Voice and Video', 'openapi', 'VOICE_VIDEO', 'Calls: phone, WebRTC, SIP trunks and business calling; the only channel with call metrics.'),
  channel('ZALO', 'Zalo', 'openapi', 'ZALO', 'All Zalo services as one API channel.'),
  channel('APPLE_MB', 'Apple Messages for Business', 'openapi', 'APPLE_MB', 'Apple Messages for Business, as the API names the channel.'),
];

// ---------------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------------

function trafficType(id: number, name: string, family: string, displayName: string, description: string): TrafficTypeEntry {
  return { id, name, displayName, description, source: 'seed', family };
}

const trafficTypes: TrafficTypeEntry[] = [
  trafficType(1, 'UTILITY_CONVERSATION', 'WHATSAPP', 'WhatsApp utility conversation', 'WhatsApp conversation about an existing transaction or account.'),
  trafficType(2, 'AUTHENTICATION_CONVERSATION', 'WHATSAPP', 'WhatsApp authentication conversation', 'WhatsApp conversation carrying one-time passcodes or login checks.'),
  trafficType(3, 'MARKETING_CONVERSATION', 'WHATSAPP', 'WhatsApp marketing conversation', 'WhatsApp conversation with promotional content.'),
  trafficType(4, 'SERVICE_CONVERSATION', 'WHATSAPP', 'WhatsApp service conversation', 'WhatsApp conversation started by the customer for support.'),
  trafficType(5, 'BASIC_TRANSACTION_BASED_MESSAGE', 'RCS', 'RCS basic message', 'RCS message billed as a basic transaction.'),
  trafficType(6, 'SINGLE_TRANSACTION_BASED_MESSAGE', 'RCS', 'RCS single message', 'RCS message billed as a single transaction.'),
  trafficType(7, 'A2P_CONVERSATION', 'RCS', 'RCS A2P conversation', 'RCS conversation started by the business application.'),
  trafficType(8, 'P2A_CONVERSATION', 'RCS', 'RCS P2A conversation', 'RCS conversation started by the person.'),
];

function senderType(id: number, name: string, kind: 'email' | 'phone', displayName: string, description: string): SenderTypeEntry {
  return { id, name, displayName, description, source: 'seed', kind };
}

const senderTypes: SenderTypeEntry[] = [
  senderType(1, 'ALPHANUMERIC', 'phone', 'Alphanumeric', 'A sender ID made of letters and digits.'),
  senderType(2, 'SHORT_CODE', 'phone', 'Short code', 'A short number.'),
  senderType(3, 'TOLL_FREE_NUMBER', 'phone', 'Toll-free number', 'A toll-free number (North America only).'),
  senderType(4, 'VIRTUAL_LONG_NUMBER', 'phone', 'Virtual long number', 'A regular-length virtual number.'),
  senderType(5, '10DLC', 'phone', '10DLC', 'A 10-digit long code for application traffic (North America only).'),
  senderType(6, 'DOMAIN', 'email', 'Domain', 'An email sending domain; applies to Email only.'),
];

function enumValue(name: string, displayName: string, source: Source, description: string, id?: number): EnumValueEntry {
  const entry: EnumValueEntry = { name, displayName, description, source };
  if (id !== undefined) entry.id = id;
  return entry;
}

const statusGroups: EnumValueEntry[] = [
  enumValue('PENDING', 'Pending', 'openapi', 'Still on its way: no final delivery report yet.', 1),
  enumValue('UNDELIVERABLE', 'Undeliverable', 'openapi', 'Could not be delivered to the recipient.', 2),
  enumValue('DELIVERED', 'Delivered', 'openapi', 'Reached the operator or the handset.', 3),
  enumValue('EXPIRED', 'Expired', 'openapi', 'No final outcome arrived before the validity ran out.', 4),
  enumValue('REJECTED', 'Rejected', 'openapi', 'Refused before sending (by Infobip or the network).', 5),
];

const errorGroups: EnumValueEntry[] = [
  enumValue('OK', 'OK', 'openapi', 'No error.', 0),
  enumValue('HANDSET_ERRORS', 'Handset errors', 'openapi', 'Problems on the recipient device or subscription.', 1),
  enumValue('USER_ERRORS', 'User errors', 'openapi', 'Problems with what the sender supplied, such as a bad destination.', 2),
  enumValue('OPERATOR_ERRORS', 'Operator errors', 'openapi', 'Problems inside the mobile operator network.', 3),
];

const directions: EnumValueEntry[] = [
  enumValue('INBOUND', 'Inbound', 'both', 'Traffic customers sent to you.'),
  enumValue('OUTBOUND', 'Outbound', 'both', 'Traffic you sent to customers.'),
];

const capabilities: EnumValueEntry[] = [
  enumValue('PHONE', 'Phone', 'openapi', 'Regular phone calls.'),
  enumValue('WEBRTC', 'WebRTC', 'openapi', 'Calls made in a browser or app via WebRTC.'),
  enumValue('SIPTRUNK', 'SIP trunk', 'openapi', 'Calls carried over SIP trunks.'),
  enumValue('VIBER_BC', 'Viber Business Calls', 'openapi', 'Business calling over Viber.'),
  enumValue('WHATSAPP_BC', 'WhatsApp Business Calls', 'openapi', 'Business calling over WhatsApp.'),
  enumValue('LINE_OA', 'LINE Official Account', 'openapi', 'Messages from a LINE official account.'),
  enumValue('LINE_ON', 'LINE Official Notifications', 'openapi', 'LINE notification messages.'),
  enumValue('KAKAO_A', 'Kakao Alim', 'openapi', 'Kakao Alim notifications.'),
  enumValue('KAKAO_B', 'Kakao Brand Message', 'openapi', 'Kakao brand messages.'),
  enumValue('KAKAO_S', 'Kakao Sangdam', 'openapi', 'Kakao Sangdam consultation chat.'),
  enumValue('ZALO_NS', 'Zalo Notification Services', 'openapi', 'Zalo notification messages.'),
  enumValue('ZALO_F', 'Zalo Follower', 'openapi', 'Zalo messages to followers.'),
  enumValue('VIBER_BM', 'Viber Business Messages', 'openapi', 'Viber business messages.'),
  enumValue('VIBER_BOTS', 'Viber Bots', 'openapi', 'Viber bot messages.'),
  enumValue('MESSENGER', 'Messenger', 'openapi', 'Facebook Messenger conversations.'),
  enumValue('INSTAGRAM_DM', 'Instagram Direct Messaging', 'openapi', 'Instagram direct messages.'),
];

const BUCKET_NAMES = [
  'SECONDS_0', 'SECONDS_1', 'SECONDS_2', 'SECONDS_3', 'SECONDS_4', 'SECONDS_5', 'SECONDS_10', 'SECONDS_15',
  'SECONDS_20', 'SECONDS_25', 'SECONDS_30', 'SECONDS_40', 'SECONDS_50', 'MINUTES_1', 'MINUTES_2', 'MINUTES_3',
  'MINUTES_4', 'MINUTES_5', 'MINUTES_10', 'MINUTES_15', 'MINUTES_20', 'MINUTES_25', 'MINUTES_30', 'MINUTES_45',
  'HOURS_1', 'HOURS_6', 'HOURS_12', 'HOURS_18', 'DAYS_1', 'DAYS_2', 'DAYS_3',
];
const UNIT_MS: Record<string, number> = { SECONDS: 1_000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };

const timeBuckets: TimeBucketEntry[] = BUCKET_NAMES.map((name) => {
  const [unit, count] = name.split('_') as [string, string];
  return { name, ms: Number(count) * (UNIT_MS[unit] ?? NaN) };
});

// Known status and error code names. The API takes any name here; these are the ones the reference
// files mention (OpenAPI request examples and the digest's list from Infobip's status code page).
function status(name: string, group: string, displayName: string, description: string): StatusEntry {
  return { name, displayName, description, source: 'openapi', group };
}

const statuses: StatusEntry[] = [
  status('PENDING_WAITING_DELIVERY', 'PENDING', 'Waiting for delivery', 'Sent on; waiting for the delivery report.'),
  status('PENDING_ENROUTE', 'PENDING', 'En route', 'Handed to the next network hop.'),
  status('PENDING_ACCEPTED', 'PENDING', 'Accepted', 'Taken in by Infobip and queued for sending.'),
  status('UNDELIVERABLE_REJECTED_OPERATOR', 'UNDELIVERABLE', 'Rejected by operator', 'The operator refused the message.'),
  status('UNDELIVERABLE_NOT_DELIVERED', 'UNDELIVERABLE', 'Not delivered', 'Sent, but it never reached the recipient.'),
  status('UNDELIVERABLE_NOT_SENT', 'UNDELIVERABLE', 'Not sent', 'The message was never sent out.'),
  status('NO_ANSWER', 'UNDELIVERABLE', 'No answer', 'Voice: the call was not picked up.'),
  status('BUSY', 'UNDELIVERABLE', 'Busy', 'Voice: the line was busy.'),
  status('CANCELLED', 'UNDELIVERABLE', 'Cancelled', 'Voice: the call was cancelled.'),
  status('DELIVERED_TO_OPERATOR', 'DELIVERED', 'Delivered to operator', 'The operator confirmed receipt.'),
  status('DELIVERED_TO_HANDSET', 'DELIVERED', 'Delivered to handset', 'The recipient device confirmed receipt.'),
  status('EXPIRED_EXPIRED', 'EXPIRED', 'Expired', 'Validity ran out before a final outcome.'),
  status('EXPIRED_DLR_UNKNOWN', 'EXPIRED', 'Delivery report unknown', 'The delivery report could not be matched or read.'),
  status('SIGNALS_BLOCKED', 'EXPIRED', 'Signals blocked', 'Signalling towards the recipient was blocked.'),
  status('REJECTED_NETWORK', 'REJECTED', 'Network rejected', 'The destination network is not covered for this account.'),
  status('REJECTED_PREFIX_MISSING', 'REJECTED', 'Prefix missing', 'The number has no recognisable prefix.'),
  status('REJECTED_DND', 'REJECTED', 'Do not disturb', 'The recipient is on a do-not-disturb list.'),
  status('REJECTED_SOURCE', 'REJECTED', 'Source rejected', 'The sender address was not accepted.'),
  status('REJECTED_NOT_ENOUGH_CREDITS', 'REJECTED', 'Not enough credit', 'The account balance was too low.'),
  status('REJECTED_SENDER', 'REJECTED', 'Sender rejected', 'The sender is blocked or not allowed.'),
  status('REJECTED_DESTINATION_BLOCKLISTED', 'REJECTED', 'Destination blocklisted', 'The destination is on a blocklist.'),
  status('REJECTED_PREPAID_PACKAGE_EXPIRED', 'REJECTED', 'Prepaid package expired', 'The prepaid package has run out.'),
  status('REJECTED_DESTINATION_NOT_REGISTERED', 'REJECTED', 'Destination not registered', 'The destination is not registered for this traffic.'),
  status('REJECTED_ROUTE_NOT_AVAILABLE', 'REJECTED', 'Route not available', 'No route to the destination was available.'),
  status('REJECTED_FLOODING_FILTER', 'REJECTED', 'Flooding filter', 'Stopped by the flooding (repeat-traffic) filter.'),
  status('REJECTED_SYSTEM_ERROR', 'REJECTED', 'System error', 'Rejected because of a platform error.'),
  status('REJECTED_DUPLICATE_MESSAGE_ID', 'REJECTED', 'Duplicate message ID', 'A message with the same ID was already sent.'),
  status('REJECTED_INVALID_UDH', 'REJECTED', 'Invalid UDH', 'The user data header was malformed.'),
  status('REJECTED_MESSAGE_TOO_LONG', 'REJECTED', 'Message too long', 'The message exceeded the allowed length.'),
  status('MISSING_TO', 'REJECTED', 'Missing recipient', 'No destination was given.'),
  status('REJECTED_DESTINATION', 'REJECTED', 'Destination rejected', 'The destination address was not accepted.'),
  status('REJECTED_VALIDATION_FAILED', 'REJECTED', 'Validation failed', 'Email: the message failed validation and was not sent.'),
];

function errorCode(name: string, group: string, displayName: string, description: string): ErrorCodeEntry {
  return { name, displayName, description, source: 'openapi', group };
}

const errorCodes: ErrorCodeEntry[] = [
  errorCode('NO_ERROR', 'OK', 'No error', 'The message had no error.'),
  errorCode('EC_UNKNOWN_SUBSCRIBER', 'HANDSET_ERRORS', 'Unknown subscriber', 'The network does not know the recipient number.'),
  errorCode('EC_UNKNOWN_BASE_STATION', 'HANDSET_ERRORS', 'Unknown base station', 'The recipient cell site could not be identified.'),
  errorCode('EC_ABSENT_SUBSCRIBER', 'HANDSET_ERRORS', 'Absent subscriber', 'The recipient device was unreachable (switched off or out of coverage).'),
  errorCode('EC_INVALID_DESTINATION_ADDRESS', 'USER_ERRORS', 'Invalid destination address', 'The destination address is not valid.'),
  errorCode('EC_OPERATOR_NOT_FOUND', 'OPERATOR_ERRORS', 'Operator not found', 'No operator could be found for the destination.'),
];

export const catalog: Catalog = {
  metrics,
  dimensions,
  filters,
  channels,
  trafficTypes,
  senderTypes,
  statusGroups,
  errorGroups,
  directions,
  capabilities,
  timeBuckets,
  statuses,
  errorCodes,
};

// Every use of an `mq relay` by the run engine, the CLI and the extension goes through this module. It is
// written against the relay client's interface (RelayClient below); openRelay() is the one place that
// builds a client from the relay module.
import type { QueryAggregateDataResult } from '../core/compile/wire.js';
import { RunError } from './errors.js';
import { parseJsonLossless } from './json.js';
import { checkCallbackBody } from './receiver.js';
import { RelayLink } from './relay/index.js';

export type RelayFetch = { kind: 'ready'; bodyText: string } | { kind: 'pending' } | { kind: 'unavailable'; reason: string; retryAfterMs?: number };

/** A relay as a client sees it: the callback URL to send, and fetch / ack / list by request id. */
export interface RelayClient {
  readonly baseUrl: string;
  readonly callbackUrl: string;
  fetch(requestId: string, signal?: AbortSignal): Promise<RelayFetch>;
  ack(requestId: string, signal?: AbortSignal): Promise<void>;
  list(signal?: AbortSignal): Promise<Array<{ requestId: string; receivedAt: string; bytes: number }>>;
}

export interface RelayOpenOptions {
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
  requestTimeoutMs?: number;
}

/** Connects to a relay. The only place that knows the relay client's class. */
export async function openRelay(baseUrl: string, token: string, opts: RelayOpenOptions = {}): Promise<RelayClient> {
  checkRelaySettings(baseUrl, token);
  return RelayLink.open(baseUrl, token, { signal: opts.signal, fetchImpl: opts.fetchImpl });
}

/** The shortest relay token a relay accepts. */
export const MIN_TOKEN_LENGTH = 16;

/** Refuses a relay URL or token that cannot work, before anything is sent. */
export function checkRelaySettings(baseUrl: string, token: string): void {
  if (!URL.canParse(baseUrl) || !/^https?:$/i.test(new URL(baseUrl).protocol)) {
    throw new RunError('invalidRequest', `The relay URL "${baseUrl}" is not an http(s) URL (https:// for a public relay, http:// only for a local test).`, {}, 'checkRelay');
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new RunError('invalidRequest', `The relay token is shorter than ${MIN_TOKEN_LENGTH} characters; it must be a token the relay was started with.`, {}, 'checkRelayToken');
  }
}

/** A relay body read back as a Metrics API result for the expected request id. */
export function parseRelayBody(bodyText: string, requestId: string): QueryAggregateDataResult {
  let body: unknown;
  try {
    body = parseJsonLossless(bodyText);
  } catch {
    throw new RunError('relay', `The relay returned something that is not JSON for request ${requestId}.`, { requestId }, 'checkRelay');
  }
  const problem = checkCallbackBody(body);
  if (problem) throw new RunError('relay', `The relay returned something that is not a Metrics API result for request ${requestId} (${problem}).`, { requestId }, 'checkRelay');
  const result = body as QueryAggregateDataResult;
  if (result.requestId !== requestId) throw new RunError('relay', `The relay returned the result of request ${result.requestId} when asked for ${requestId}.`, { requestId }, 'checkRelay');
  return result;
}

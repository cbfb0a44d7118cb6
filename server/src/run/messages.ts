// What the run engine says when a run does not end with a result. Messages say what happened; what to do
// about it is the error's remedy, worded by each client for its users (no CLI flags or settings here).
import type { StatusAnswer } from './client.js';

export const LOOPBACK = /^https?:\/\/([^/@]*@)?(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i;

/** A wait as people read it: "1.5 s", "30 s", or "800 ms" for short ones (never "0 s"). */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * A warning when the API cannot reach the callback URL: a loopback callback with a non-loopback API.
 * (A stand-in on this machine can reach a loopback callback, so no warning then.)
 */
export function callbackWarning(baseUrl: string, callbackUrl: string): string | undefined {
  if (!LOOPBACK.test(callbackUrl) || LOOPBACK.test(baseUrl)) return undefined;
  return `The callback URL ${callbackUrl} is on this machine only; Infobip cannot deliver the result there unless something forwards it.`;
}

/** A warning for a plain-http URL that leaves this machine: what travels over it unencrypted. */
export function plainHttpWarning(url: string, what: 'base' | 'relay'): string | undefined {
  if (!/^http:\/\//i.test(url) || LOOPBACK.test(url)) return undefined;
  const host = URL.canParse(url) ? new URL(url).host : url;
  return what === 'base'
    ? `The base URL uses plain http:// to ${host}, which is not this machine: the API key and the results travel unencrypted. Use https://.`
    : `The relay URL uses plain http:// to ${host}, which is not this machine: the relay token and the results travel unencrypted. Put HTTPS in front of the relay.`;
}

export function timeoutMessage(requestId: string, timeoutMs: number, last: StatusAnswer | undefined, relayProblem?: string): string {
  const s = duration(timeoutMs);
  if (relayProblem) return `Request ${requestId} did not deliver its result within ${s}: the relay could not be asked for it (last answer: ${relayProblem}).`;
  if (!last || last.status === 'IN_PROGRESS') {
    return `Request ${requestId} was still IN_PROGRESS after ${s}. Large periods and many dimensions take longer.`;
  }
  return `Request ${requestId} did not deliver its result within ${s} (its status is ${last.status}).`;
}

export function callbackLostMessage(requestId: string, url: string, graceMs: number, viaRelay: boolean, rejection?: string): string {
  const lines = [
    `The Metrics API finished request ${requestId} (status SUCCESS), but the result did not arrive at the callback URL within ${duration(graceMs)}.`,
    'Infobip delivers rows only once, by POSTing them to the callback URL; the status endpoint cannot return them.',
  ];
  if (rejection) lines.push(`Something did reach the callback URL, but it was refused: ${rejection}.`);
  if (viaRelay) {
    lines.push('The relay answered every fetch, but it has not received the result (yet).');
  } else {
    const where = url.replace(/\/mq\/callback\/.*$/, '');
    lines.push(`Most likely ${where} ${LOOPBACK.test(url) ? 'is only reachable from this machine' : 'is probably not reachable from the internet'}.`);
  }
  return lines.join('\n');
}

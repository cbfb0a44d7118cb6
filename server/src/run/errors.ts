// RunError: every way a run can fail, each with a message that says what to do next.
// Messages never contain credentials: everything goes through redact() with the run's secrets.

export type RunErrorKind =
  | 'auth'
  | 'scope'
  | 'notFound'
  | 'throttled'
  | 'server'
  | 'network'
  | 'timeout'
  | 'callbackLost'
  | 'failed'
  | 'cancelled'
  | 'invalidRequest';

export interface RunErrorDetails {
  status?: number;
  errorCode?: string;
  requestId?: string;
  violations?: { property: string; violation: string }[];
}

export class RunError extends Error {
  readonly kind: RunErrorKind;
  readonly details: RunErrorDetails;
  constructor(kind: RunErrorKind, message: string, details: RunErrorDetails = {}) {
    super(message);
    this.name = 'RunError';
    this.kind = kind;
    this.details = details;
  }
}

/** Replaces every secret (and its base64 form) in text with "***". Short secrets are left alone. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    for (const form of [s, Buffer.from(s, 'utf8').toString('base64'), encodeURIComponent(s)]) {
      out = out.split(form).join('***');
    }
  }
  return out;
}

// RunError: every way a run can fail. Each carries a kind (what happened), a message that says what happened
// in plain words (no CLI flag, no setting name), and a remedy: what the user can do next, as a value. Each
// client words the remedy for its own users: the CLI with its flags (cli/remedies.ts), the extension with
// its commands and settings (client/src/remedies.ts). Messages never hold credentials (see redact.ts).
export { redact, MASK } from './redact.js';

export type RunErrorKind =
  | 'auth'
  | 'scope'
  | 'notFound'
  | 'throttled'
  | 'server'
  | 'network'
  | 'timeout'
  | 'callbackLost'
  | 'relay'
  | 'failed'
  | 'cancelled'
  | 'invalidRequest';

/** What the user can do about a failed run. */
export type Remedy =
  /** Provide (or replace) the API key. */
  | 'setApiKey'
  /** Provide the base URL that goes with the key. */
  | 'setBaseUrl'
  /** Check the base URL: it should be the account's https://xxxxx.api.infobip.com without a path. */
  | 'checkBaseUrl'
  /** Give the key the metrics:manage scope. */
  | 'grantScope'
  /** Check the network, proxy or TLS set-up. */
  | 'checkNetwork'
  /** Allow the run more time (or narrow the query). */
  | 'raiseTimeout'
  /** Make the callback reachable: a public URL forwarding to the listener, or a relay. */
  | 'publicCallback'
  /** Check the relay URL and that the relay runs. */
  | 'checkRelay'
  /** Use the token the relay was started with. */
  | 'checkRelayToken'
  /** The result may still reach the relay: fetch it later by request id. */
  | 'fetchLater'
  /** Wait a moment and run again. */
  | 'retryLater'
  /** Fix the query (the API said what is wrong). */
  | 'fixQuery'
  /** Nothing to do (cancelled by the user, or the message says it all). */
  | 'none';

export interface RunErrorDetails {
  status?: number;
  errorCode?: string;
  requestId?: string;
  violations?: { property: string; violation: string }[];
}

/** The remedy a kind usually has, when the thrower does not name one. */
export function defaultRemedy(kind: RunErrorKind): Remedy {
  switch (kind) {
    case 'auth':
      return 'setApiKey';
    case 'scope':
      return 'grantScope';
    case 'notFound':
      return 'checkBaseUrl';
    case 'throttled':
    case 'server':
      return 'retryLater';
    case 'network':
      return 'checkNetwork';
    case 'timeout':
      return 'raiseTimeout';
    case 'callbackLost':
      return 'publicCallback';
    case 'relay':
      return 'checkRelay';
    case 'invalidRequest':
      return 'fixQuery';
    default:
      return 'none';
  }
}

export class RunError extends Error {
  readonly kind: RunErrorKind;
  readonly details: RunErrorDetails;
  readonly remedy: Remedy;
  constructor(kind: RunErrorKind, message: string, details: RunErrorDetails = {}, remedy: Remedy = defaultRemedy(kind)) {
    super(message);
    this.name = 'RunError';
    this.kind = kind;
    this.details = details;
    this.remedy = remedy;
  }

  /** The same error with another message (e.g. redacted), keeping kind, details and remedy. */
  withMessage(message: string): RunError {
    return new RunError(this.kind, message, this.details, this.remedy);
  }
}

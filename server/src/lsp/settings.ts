// The server's settings (the `mq` section): read from workspace/configuration when the client answers it,
// otherwise from workspace/didChangeConfiguration or initializationOptions.
export interface ServerSettings {
  readonly diagnostics: {
    readonly openApiOnlyChannels: 'off' | 'hint' | 'warning';
    /** At most this many problems are published per document (0 = all), those around the last edit first. */
    readonly maxNumberOfProblems: number;
  };
}

export const DEFAULT_MAX_PROBLEMS = 1000;
export const DEFAULT_SETTINGS: ServerSettings = { diagnostics: { openApiOnlyChannels: 'off', maxNumberOfProblems: DEFAULT_MAX_PROBLEMS } };
/** How long the server waits after an edit before publishing diagnostics, unless initializationOptions say. */
export const DEFAULT_DIAGNOSTICS_DELAY_MS = 15;

/** Settings from what a client sent: `{ mq: { diagnostics } }` or `{ diagnostics }`; anything invalid gets its default. */
export function readSettings(raw: unknown): ServerSettings {
  const r = (raw ?? {}) as { mq?: unknown };
  const src = (r.mq && typeof r.mq === 'object' ? r.mq : r) as { diagnostics?: { openApiOnlyChannels?: unknown; maxNumberOfProblems?: unknown } };
  const v = src.diagnostics?.openApiOnlyChannels;
  const max = src.diagnostics?.maxNumberOfProblems;
  return {
    diagnostics: {
      openApiOnlyChannels: v === 'hint' || v === 'warning' ? v : 'off',
      maxNumberOfProblems: typeof max === 'number' && Number.isFinite(max) && max >= 0 ? Math.floor(max) : DEFAULT_MAX_PROBLEMS,
    },
  };
}

/** `initializationOptions.diagnosticsDelayMs` when it is a usable number. */
export function readDiagnosticsDelay(initializationOptions: unknown, fallback: number): number {
  const d = (initializationOptions ?? {}) as { diagnosticsDelayMs?: unknown };
  return typeof d.diagnosticsDelayMs === 'number' && d.diagnosticsDelayMs >= 0 ? d.diagnosticsDelayMs : fallback;
}

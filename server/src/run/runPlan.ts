// Running a compiled plan: one request, or for COMPARE WITH the current and the previous period's requests
// submitted together (each with a callback slot of its own) and waited for together. When both results are
// in, the caller's `keep` hook stores them (the API delivers each result once, so they are on disk before
// anything is shown); then the rows are joined and filtered with applyPlan().
import type { QueryPlan } from '../core/compile/plan.js';
import type { AggregateDataRequest } from '../core/compile/wire.js';
import { applyPlan, type PlannedResponse } from './compare.js';
import { withRunSession, type PeriodSide, type RunOptions, type RunOutcome, type RunSession } from './engine.js';
import { RunError } from './errors.js';

export interface PlanOutcome {
  /** SUCCESS only when every request of the plan succeeded. */
  status: 'SUCCESS' | 'FAILED';
  source: 'live' | 'sample';
  /** The current period's request id. */
  requestId: string;
  /** COMPARE WITH: the previous period's request id. */
  previousRequestId?: string;
  /** Says which period failed (COMPARE WITH) and why. */
  failureMessage?: string;
  current: RunOutcome;
  previous?: RunOutcome;
  /** The rows to show (joined, HAVING, ORDER BY, LIMIT); set when the status is SUCCESS. */
  response?: PlannedResponse;
  /** Submit to the last result. */
  elapsedMs: number;
}

export interface PlanRunOptions extends RunOptions {
  /** Called with both raw results before they are joined; the run waits for it (clients store them here). */
  keep?(outcome: PlanOutcome): Promise<void> | void;
}

/** "2026-06-01T00:00:00.000+0000 – 2026-06-08T00:00:00.000+0000" for a request's period. */
export function periodText(request: AggregateDataRequest): string {
  return `${request.filterBy.sentSince} – ${request.filterBy.sentUntil}`;
}

/** How a failure of one side is worded: which period (with its dates) and what happened. */
export function sideLabel(side: PeriodSide, request: AggregateDataRequest): string {
  return `the ${side} period (${periodText(request)})`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Runs both sides; the first side to throw stops the other and fails the run, naming its period. */
async function runBothSides(session: RunSession, plan: QueryPlan): Promise<[RunOutcome, RunOutcome]> {
  const previousRequest = plan.comparison!.request;
  let first: RunError | Error | undefined;
  const side = (request: AggregateDataRequest, name: PeriodSide) =>
    session.run(request, name).catch((e: unknown) => {
      if (!first) {
        const why = e instanceof Error ? e.message : String(e);
        const message = `${capital(sideLabel(name, request))} failed: ${why}`;
        first = e instanceof RunError ? e.withMessage(message) : new Error(message);
        session.abort(new RunError('cancelled', `The ${name} period's request failed.`));
      }
      throw e;
    });
  const settled = await Promise.allSettled([side(plan.request, 'current'), side(previousRequest, 'previous')]);
  if (first) throw first;
  return settled.map((s) => (s as PromiseFulfilledResult<RunOutcome>).value) as [RunOutcome, RunOutcome];
}

/** The outcome of both sides; a FAILED side makes the run FAILED with a message naming its period. */
function combined(plan: QueryPlan, current: RunOutcome, previous: RunOutcome | undefined, started: number): PlanOutcome {
  const out: PlanOutcome = { status: 'SUCCESS', source: current.source, requestId: current.requestId, current, elapsedMs: Date.now() - started };
  if (previous) {
    out.previous = previous;
    out.previousRequestId = previous.requestId;
  }
  const failures: string[] = [];
  if (current.status !== 'SUCCESS' || !current.response) {
    const why = current.failureMessage ?? 'no reason given';
    failures.push(previous ? `${capital(sideLabel('current', plan.request))}, request ${current.requestId}, FAILED: ${why}` : why);
  }
  if (previous && (previous.status !== 'SUCCESS' || !previous.response)) {
    failures.push(`${capital(sideLabel('previous', plan.comparison!.request))}, request ${previous.requestId}, FAILED: ${previous.failureMessage ?? 'no reason given'}`);
  }
  if (failures.length) {
    out.status = 'FAILED';
    out.failureMessage = failures.join(' ');
  }
  return out;
}

/**
 * Runs a plan. Without COMPARE WITH this is one request, as runRequest; with it, both periods' requests
 * run concurrently. Status FAILED is an outcome; errors (network, credentials, timeout) are thrown, and for
 * COMPARE WITH their message starts with the period that failed.
 */
export async function runPlan(plan: QueryPlan, opts: PlanRunOptions = {}): Promise<PlanOutcome> {
  const started = Date.now();
  const outcome = await withRunSession(opts, async (session) => {
    if (!plan.comparison) return combined(plan, await session.run(plan.request), undefined, started);
    const [current, previous] = await runBothSides(session, plan);
    return combined(plan, current, previous, started);
  });
  await opts.keep?.(outcome);
  if (outcome.status === 'SUCCESS') outcome.response = applyPlan(plan, outcome.current.response!, outcome.previous?.response);
  return outcome;
}

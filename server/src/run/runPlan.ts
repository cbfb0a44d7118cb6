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

interface Sides {
  current?: RunOutcome;
  previous?: RunOutcome;
  /** The first side to throw, its message naming its period. */
  error?: Error;
  failedSide?: PeriodSide;
}

/**
 * Runs both sides and waits for both to settle. A side that throws does not stop the other: that request
 * was accepted and the API hands its result over once, so the run waits for it and keeps it.
 */
async function runBothSides(session: RunSession, plan: QueryPlan): Promise<Sides> {
  const out: Sides = {};
  const side = async (request: AggregateDataRequest, name: PeriodSide) => {
    try {
      out[name] = await session.run(request, name);
    } catch (e) {
      if (out.error) return;
      const why = e instanceof Error ? e.message : String(e);
      const message = `${capital(sideLabel(name, request))} failed: ${why}`;
      out.error = e instanceof RunError ? e.withMessage(message) : new Error(message);
      out.failedSide = name;
    }
  };
  await Promise.all([side(plan.request, 'current'), side(plan.comparison!.request, 'previous')]);
  return out;
}

/** The side that arrived when the other threw, with the other recorded as FAILED, for the caller to keep. */
function partialOutcome(plan: QueryPlan, sides: Sides, started: number): PlanOutcome | undefined {
  const failed = sides.failedSide!;
  const arrived = failed === 'current' ? sides.previous : sides.current;
  if (!arrived) return undefined;
  const error = sides.error!;
  const request = failed === 'current' ? plan.request : plan.comparison!.request;
  const lost: RunOutcome = {
    requestId: (error instanceof RunError ? error.details.requestId : undefined) ?? '',
    status: 'FAILED',
    source: arrived.source,
    failureMessage: error.message,
    timings: arrived.timings,
    request: { ...arrived.request, request },
  };
  const [current, previous] = failed === 'current' ? [lost, arrived] : [arrived, lost];
  return combined(plan, current, previous, started);
}

/** The error of a run whose other side's result arrived and was kept: the message says where to find it. */
function keptNote(error: Error, kept: PlanOutcome, failed: PeriodSide): Error {
  const arrived = failed === 'current' ? kept.previous! : kept.current;
  const other = failed === 'current' ? 'previous' : 'current';
  const note = ` The ${other} period's result (request ${arrived.requestId}) arrived and is kept in the run history.`;
  return error instanceof RunError ? error.withMessage(error.message + note) : new Error(error.message + note);
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
 * COMPARE WITH their message starts with the period that failed. When one side throws, the other is still
 * waited for; if its result arrives it goes to `keep` (with the failed side FAILED) before the error is thrown.
 */
export async function runPlan(plan: QueryPlan, opts: PlanRunOptions = {}): Promise<PlanOutcome> {
  const started = Date.now();
  const outcome = await withRunSession(opts, async (session) => {
    if (!plan.comparison) return combined(plan, await session.run(plan.request), undefined, started);
    const sides = await runBothSides(session, plan);
    if (!sides.error) return combined(plan, sides.current!, sides.previous!, started);
    const partial = partialOutcome(plan, sides, started);
    if (!partial) throw sides.error;
    // Kept before the error is thrown: the arrived side is durable even though the run fails.
    await opts.keep?.(partial);
    throw keptNote(sides.error, partial, sides.failedSide!);
  });
  await opts.keep?.(outcome);
  if (outcome.status === 'SUCCESS') outcome.response = applyPlan(plan, outcome.current.response!, outcome.previous?.response);
  return outcome;
}

// COMPARE WITH on sample data for the bench: the first query of examples/compare.mq (this week against last
// week) compiled to its plan and run as `mq run` runs it, from the start of the run (stand-in, receiver, both
// requests submitted together) to the joined, filtered and ordered rows.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog } from '../../server/src/core/catalog/data.js';
import { createMq } from '../../server/src/core/index.js';
import { compilePlan } from '../../server/src/run/plan.js';
import { runPlan } from '../../server/src/run/runPlan.js';
import { median } from './stats.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

export async function measureCompare(runs: number): Promise<{ ms: number; note: string }> {
  const mq = createMq({ catalog });
  const doc = mq.parse(readFileSync(join(ROOT, 'examples/compare.mq'), 'utf8'));
  const compiled = compilePlan(mq, doc.queries[0]!, { now: new Date() });
  if (!compiled.ok) throw new Error('examples/compare.mq query 1 does not compile');
  const plan = compiled.plan;
  const once = async () => {
    const t0 = performance.now();
    const o = await runPlan(plan, {});
    const ms = performance.now() - t0;
    if (o.status !== 'SUCCESS' || !o.response) throw new Error(`the COMPARE run failed: ${o.failureMessage ?? ''}`);
    return { ms, rows: o.response.rows.length };
  };
  await once(); // warm-up: the sample dataset is built on first use
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const r = await once();
    times.push(r.ms);
    rows = r.rows;
  }
  return { ms: median(times), note: `${runs}× examples/compare.mq query 1 (${plan.comparison?.label}): 2 requests, ${rows} joined rows; the stand-in's 100 ms processing time included` };
}

// Summarises a V8 .cpuprofile (from node --cpu-prof): self time per function, optionally only for the
// last N milliseconds of the profile (e.g. the edits after a large document was opened).
//
//   node --import tsx scripts/bench/profile-summary.ts FILE.cpuprofile [--last-ms N] [--top N]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const file = args[0];
if (!file) throw new Error('usage: profile-summary FILE.cpuprofile [--last-ms N] [--top N]');
const opt = (n: string): number | undefined => {
  const i = args.indexOf(n);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const lastMs = opt('--last-ms');
const top = opt('--top') ?? 30;
const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const from = lastMs === undefined ? -Infinity : prof.endTime - lastMs * 1000;
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let t = prof.startTime;
let total = 0;
const label = (n: ProfileNode) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};
for (let i = 0; i < prof.samples.length; i++) {
  t += prof.timeDeltas[i] ?? 0;
  if (t < from) continue;
  const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000;
  total += dt;
  const node = byId.get(prof.samples[i]!)!;
  const k = label(node);
  self.set(k, (self.get(k) ?? 0) + dt);
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const l = label(byId.get(id)!);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + dt);
  }
}
const show = (m: Map<string, number>, title: string) => {
  console.log(`\n${title} (of ${total.toFixed(0)} ms sampled)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${v.toFixed(1).padStart(9)} ms  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
};
show(self, 'self time');
show(inclusive, 'inclusive time');

// The relay benchmark: dist/relay.js as its own process on loopback, a fresh store, 100 KB callbacks posted
// by a fixed number of concurrent senders. Reports durable callbacks per second (each answered 200 only
// after the commit of the transaction that holds it) and the p99 time from sending a callback to its 200 (the acknowledgement the sender
// waits for); the client side's DELETE (acknowledging a fetched result) is measured as well. On Linux it also
// reads the relay process's CPU time over the measured callbacks (from /proc): CPU per callback moves much
// less with the machine's load than callbacks per second do, so it shows what a change to the relay did.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentile } from './stats.js';

export interface RelayBench {
  callbacksPerSec: number;
  callbackAckP99Ms: number;
  callbackAckP50Ms: number;
  deleteP99Ms: number;
  callbacks: number;
  concurrency: number;
  bodyBytes: number;
  /** CPU time of the relay process (all threads) per measured callback, ms; NaN where /proc is missing. */
  relayCpuMsPerCallback: number;
  /** The same for its main thread alone (the event loop: HTTP, the JSON check, hashing, admission). */
  relayMainThreadCpuMsPerCallback: number;
  /** The machine's 1-minute load average when the measured callbacks started and when they ended. */
  loadAverage: [number, number];
}

/** CPU time (user + system, ms) of a process, or of one of its threads, from /proc; NaN where unreadable. */
function cpuMs(pid: number | undefined, tid?: number): number {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on (state)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return NaN;
  }
}

const TOKEN = 'bench-relay-token-0123456789abcdef';

function body(i: number): string {
  const rows: [string, number, number][] = [];
  let text = '';
  for (let r = 0; text.length < 100 * 1024; r++) {
    rows.push([`2026-01-${String((r % 28) + 1).padStart(2, '0')}`, r * 7 + i, (r * 13) % 1000]);
    if (r % 200 === 199) text = JSON.stringify(rows);
  }
  return JSON.stringify({ requestId: `bench-${i}`, status: 'SUCCESS', response: { columns: [{ name: 'DAY' }, { name: 'A' }, { name: 'B' }], rows } });
}

async function startRelay(bundle: string, store: string): Promise<{ url: string; pid: number | undefined; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [bundle, '--port', '0', '--host', '127.0.0.1', '--store', store, '--rate', '1000000', '--max-store-mb', '8192', '--token-quota-mb', '8192', '--token-max-results', '1000000'], {
    env: { MQ_RELAY_TOKEN: TOKEN, PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => {
      if (log.length < 100_000) log += c.toString();
      const m = /"url":"([^"]+)"/.exec(log);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`relay exited ${code}: ${log.slice(0, 2000)}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, pid: child.pid, stop };
}

export async function benchRelay(root: string, tmp: string, quick: boolean): Promise<RelayBench> {
  const relay = await startRelay(join(root, 'dist/relay.js'), join(tmp, 'relay-bench.sqlite'));
  const auth = { Authorization: `Bearer ${TOKEN}` };
  try {
    const n = quick ? 400 : 2000;
    const concurrency = 8;
    const bodies = Array.from({ length: n }, (_, i) => body(i));
    const paths: string[] = [];
    for (let i = 0; i < n; i++) paths.push(((await (await fetch(`${relay.url}/callback-url`, { headers: auth })).json()) as { path: string }).path);
    const post = async (i: number): Promise<number> => {
      const t = performance.now();
      const r = await fetch(relay.url + paths[i], { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: bodies[i] });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`callback ${i} answered ${r.status}`);
      return performance.now() - t;
    };
    for (let i = 0; i < 20; i++) await post(i); // warm-up (stored too; not counted)
    const times: number[] = [];
    let next = 20;
    const loadBefore = loadavg()[0]!;
    const cpuBefore = [cpuMs(relay.pid), cpuMs(relay.pid, relay.pid)];
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < n) times.push(await post(next++));
    }));
    const elapsed = performance.now() - started;
    const cpuAfter = [cpuMs(relay.pid), cpuMs(relay.pid, relay.pid)];
    const loadAfter = loadavg()[0]!;
    const deletes: number[] = [];
    for (let i = 0; i < Math.min(n, 300); i++) {
      const t = performance.now();
      const r = await fetch(`${relay.url}/results/bench-${i}`, { method: 'DELETE', headers: auth });
      await r.arrayBuffer();
      deletes.push(performance.now() - t);
    }
    return {
      callbacksPerSec: (times.length / elapsed) * 1000,
      callbackAckP99Ms: percentile(times, 99),
      callbackAckP50Ms: percentile(times, 50),
      deleteP99Ms: percentile(deletes, 99),
      callbacks: times.length,
      concurrency,
      bodyBytes: Buffer.byteLength(bodies[0]!),
      relayCpuMsPerCallback: (cpuAfter[0]! - cpuBefore[0]!) / times.length,
      relayMainThreadCpuMsPerCallback: (cpuAfter[1]! - cpuBefore[1]!) / times.length,
      loadAverage: [loadBefore, loadAfter],
    };
  } finally {
    await relay.stop();
  }
}

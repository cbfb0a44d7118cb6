// Token buckets, one map per kind of caller. Callbacks, clients and health checks never share one: a
// client polling hard (or an attacker hammering /healthz) cannot make the API's one-shot callback fail.

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perSecond: number,
    private readonly burst = perSecond * 3,
  ) {}

  /** Takes one request from key's bucket; returns ms to wait when it is empty, else 0. */
  take(key: string, now = Date.now()): number {
    if (this.buckets.size > 10_000) this.prune(now);
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return Math.ceil(((1 - b.tokens) / this.perSecond) * 1000);
    b.tokens -= 1;
    return 0;
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets) if (now - b.at > 60_000) this.buckets.delete(k);
  }
}

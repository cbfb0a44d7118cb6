// "Did you mean" search over names: which candidates are closest to what was typed. A NameSearch owns its
// scratch buffers and its cache of prepared candidate lists, so two instances never share state; the
// language core keeps one per instance (Mq.catalog.closest).

/** Pre-processed candidate list (upper-cased text and its byte codes). */
interface Prepared {
  upper: string[];
  codes: Uint8Array[];
}

function encode(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Largest edit distance still worth suggesting for an input of this length. */
function cutoff(len: number): number {
  if (len <= 3) return 1;
  if (len <= 6) return 2;
  return Math.min(8, Math.max(3, Math.floor(len * 0.3)));
}

/** Rank of a candidate (lower is better): prefix, then substring, then edit distance; undefined if too far. */
type Scorer = (cand: string, codes: Uint8Array) => number | undefined;

export class NameSearch {
  private readonly preparedCache = new WeakMap<readonly string[], Prepared>();
  // Reusable DP rows for the banded edit distance (names are short; grown on demand).
  private rowPrev2 = new Int32Array(64);
  private rowPrev = new Int32Array(64);
  private rowCur = new Int32Array(64);
  // Pattern bitmasks for the bit-parallel distance (pattern = the input, at most 32 chars).
  private readonly peq = new Int32Array(256);

  private prepare(candidates: readonly string[]): Prepared {
    let p = this.preparedCache.get(candidates);
    if (p) return p;
    const upper = candidates.map((c) => c.toUpperCase());
    p = { upper, codes: upper.map(encode) };
    this.preparedCache.set(candidates, p);
    return p;
  }

  /**
   * Optimal-string-alignment distance (Levenshtein + adjacent transposition) between a and b,
   * or max + 1 if it exceeds `max`. Only the diagonal band |i - j| <= max is computed.
   */
  private boundedDistance(a: Uint8Array, b: Uint8Array, max: number): number {
    const la = a.length;
    const lb = b.length;
    if (Math.abs(la - lb) > max) return max + 1;
    if (lb + 1 > this.rowCur.length) {
      const n = (lb + 1) * 2;
      this.rowPrev2 = new Int32Array(n);
      this.rowPrev = new Int32Array(n);
      this.rowCur = new Int32Array(n);
    }
    const BIG = max + 1;
    let p2 = this.rowPrev2;
    let p1 = this.rowPrev;
    let cur = this.rowCur;
    for (let j = 0; j <= lb; j++) p1[j] = j <= max ? j : BIG;
    for (let i = 1; i <= la; i++) {
      const lo = Math.max(1, i - max);
      const hi = Math.min(lb, i + max);
      cur[0] = i <= max ? i : BIG;
      if (lo > 1) cur[lo - 1] = BIG;
      let rowMin = cur[0]!;
      const ai = a[i - 1]!;
      for (let j = lo; j <= hi; j++) {
        const bj = b[j - 1]!;
        let v = p1[j - 1]! + (ai === bj ? 0 : 1);
        const del = p1[j]! + 1;
        if (del < v) v = del;
        const ins = cur[j - 1]! + 1;
        if (ins < v) v = ins;
        if (i > 1 && j > 1 && ai === b[j - 2] && a[i - 2] === bj) {
          const tr = p2[j - 2]! + 1;
          if (tr < v) v = tr;
        }
        if (v > BIG) v = BIG;
        cur[j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (hi < lb) cur[hi + 1] = BIG;
      if (rowMin > max) return BIG;
      const t = p2;
      p2 = p1;
      p1 = cur;
      cur = t;
    }
    const d = p1[lb]!;
    return d > max ? BIG : d;
  }

  private setPattern(codes: Uint8Array): void {
    this.peq.fill(0);
    for (let k = 0; k < codes.length; k++) this.peq[codes[k]!]! |= 1 << k;
  }

  /**
   * Optimal-string-alignment distance between the pattern (length m, 1..32, masks set by setPattern) and
   * text t: Myers' bit-vector Levenshtein with Hyyrö's extension for adjacent transpositions. O(|t|).
   */
  private bitParallelOsa(m: number, t: Uint8Array, max = Infinity): number {
    const peq = this.peq;
    const last = 1 << (m - 1);
    const n = t.length;
    let vp = -1;
    let vn = 0;
    let d0 = 0;
    let pmOld = 0;
    let score = m;
    for (let j = 0; j < n; j++) {
      const pm = peq[t[j]!]!;
      const tr = ((~d0 & pm) << 1) & pmOld;
      d0 = ((((pm & vp) + vp) | 0) ^ vp) | pm | vn | tr;
      let hp = vn | ~(d0 | vp);
      let hn = d0 & vp;
      if (hp & last) score++;
      else if (hn & last) score--;
      hp = (hp << 1) | 1;
      hn = hn << 1;
      vp = hn | ~(d0 | hp);
      vn = hp & d0;
      pmOld = pm;
      // The last row can drop by at most one per remaining text character.
      if (score - (n - 1 - j) > max) return max + 1;
    }
    return score;
  }

  private scorer(needle: string): Scorer {
    const needleCodes = encode(needle);
    const limit = cutoff(needle.length);
    const useBits = needleCodes.length <= 32;
    if (useBits) this.setPattern(needleCodes);
    return (cand, codes) => {
      if (cand === needle) return -1;
      if (needle.length >= 2 && (cand.startsWith(needle) || (cand.length >= 3 && needle.startsWith(cand)))) {
        return Math.abs(cand.length - needle.length);
      }
      if (needle.length >= 3 && cand.includes(needle)) return 200 + Math.abs(cand.length - needle.length);
      if (Math.abs(cand.length - needle.length) > limit) return undefined;
      const dist = useBits ? this.bitParallelOsa(needleCodes.length, codes, limit) : this.boundedDistance(needleCodes, codes, limit);
      return dist <= limit ? 1000 + dist * 100 + Math.abs(cand.length - needle.length) : undefined;
    };
  }

  /**
   * The closest names to `input` for a "did you mean" message, best first (at most `max`).
   * Case-insensitive. Candidates that start with the input (or that the input starts with) rank first,
   * then candidates containing it, then candidates within a small edit distance (typos, swapped letters).
   * Returns the candidates' own spelling. Names too far away are not suggested at all.
   */
  closest(input: string, candidates: readonly string[], max = 3): string[] {
    const needle = input.trim().toUpperCase();
    if (needle.length === 0 || max <= 0 || candidates.length === 0) return [];
    const prep = this.prepare(candidates);
    const score = this.scorer(needle);
    const scored: { i: number; score: number }[] = [];
    for (let i = 0; i < prep.upper.length; i++) {
      const s = score(prep.upper[i]!, prep.codes[i]!);
      if (s !== undefined) scored.push({ i, score: s });
    }
    scored.sort((x, y) => x.score - y.score || x.i - y.i);
    const out: string[] = [];
    for (const s of scored) {
      if (out.length >= max) break;
      out.push(candidates[s.i]!);
    }
    return out;
  }

  /**
   * Case-insensitive optimal-string-alignment distance (insert, delete, substitute, swap two
   * neighbouring characters; each costs 1).
   */
  distance(a: string, b: string): number {
    const x = encode(a.toUpperCase());
    const y = encode(b.toUpperCase());
    if (x.length === 0) return y.length;
    if (y.length === 0) return x.length;
    if (x.length <= 32) {
      this.setPattern(x);
      return this.bitParallelOsa(x.length, y);
    }
    return this.boundedDistance(x, y, Math.max(x.length, y.length));
  }
}

/** closest() of a fresh NameSearch: for one-off callers; hot paths keep one NameSearch. */
export function closestNames(input: string, candidates: readonly string[], max = 3): string[] {
  return new NameSearch().closest(input, candidates, max);
}

/** distance() of a fresh NameSearch. */
export function editDistance(a: string, b: string): number {
  return new NameSearch().distance(a, b);
}

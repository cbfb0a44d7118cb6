// A streaming JSON syntax check for callback bodies. It looks at each chunk as it arrives, builds no
// objects, and only remembers the top-level "requestId" and "status" strings, so a 32 MiB body of tiny rows
// costs a few milliseconds spread over its chunks instead of seconds of parsing in one go. The relay stores
// the bytes exactly as received; the client parses and validates the full shape after fetching them.
//
// Speed: the relay runs this on its event loop for every callback, so it is the largest CPU cost per
// callback. The bytes that make up most of a body (string contents, digits, whitespace) are skipped in
// tight loops over byte-class tables; only the bytes that change the state (quotes, brackets, commas, the
// ends of numbers) go through the state machine, and the nesting is a byte array, not a JS array.

const enum S {
  Value,
  ValueOrEnd,
  KeyOrEnd,
  Key,
  Colon,
  After,
  Str,
  Esc,
  Hex,
  Num,
  Lit,
}

const MAX_DEPTH = 512;
const OBJECT = 1;
const ARRAY = 2;
/**
 * Most bytes kept of a top-level key or wanted value: a 256-character request id written as \uXXXX escapes
 * is 1,536 bytes. A longer value is remembered as too long, never truncated.
 */
const MAX_CAPTURE = 256 * 6;
/** Stands for a wanted value that was too long to keep; it fails the requestId and status checks. */
const TOO_LONG = '\u0000'.repeat(257);

function table(bytes: Iterable<number>): Uint8Array {
  const t = new Uint8Array(256);
  for (const c of bytes) t[c] = 1;
  return t;
}

const WS = table([0x20, 0x09, 0x0a, 0x0d]);
const DIGIT = table([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39]);
/** Bytes that end a run of plain string content: the closing quote, a backslash, a control character. */
const STRING_STOP = table([0x22, 0x5c, ...Array.from({ length: 0x20 }, (_, i) => i)]);
const ESCAPES = table([...'"\\/bfnrt'].map((ch) => ch.charCodeAt(0)));
const HEX = table([...'0123456789abcdefABCDEF'].map((ch) => ch.charCodeAt(0)));
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

export interface ScanResult {
  requestId: string;
  status: string;
}

export class JsonScanner {
  private state = S.Value;
  private readonly kinds = new Uint8Array(MAX_DEPTH); // OBJECT or ARRAY per open level
  private depth = 0;
  private hexLeft = 0;
  private num = 0; // state inside a number (see numberStep())
  private lit: Uint8Array = TRUE; // the literal being matched
  private litAt = 0;
  private isKey = false;
  private capture: number[] | undefined; // bytes of a top-level key or of a wanted value string
  private overflow = false; // the string being captured was longer than MAX_CAPTURE
  private lastKey = '';
  private readonly found: { requestId?: string; status?: string } = {};
  error: string | undefined;

  /** Feeds the next chunk; returns false (and sets error) as soon as the input cannot be JSON. */
  push(buf: Uint8Array): boolean {
    const n = buf.length;
    let i = 0;
    while (i < n && this.error === undefined) {
      i = this.nested(buf, i);
      if (i < n) i = this.step(buf, i);
    }
    return this.error === undefined;
  }

  /**
   * The common bytes below the top level (where nothing is captured), with the state in local variables:
   * string contents, digits, whitespace, commas, brackets. Stops at the first byte it does not handle (an
   * escape, a literal, a number's "." or "e", a bad byte, a step to the top level), which step() then takes.
   */
  private nested(buf: Uint8Array, i: number): number {
    const n = buf.length;
    const kinds = this.kinds;
    let state = this.state;
    let depth = this.depth;
    let num = this.num;
    scan: while (i < n && depth > 1) {
      let c = buf[i]!;
      if (state <= S.After && WS[c] === 1) {
        i++;
        continue;
      }
      switch (state) {
        case S.Str:
          while (STRING_STOP[c] === 0 && ++i < n) c = buf[i]!;
          if (i === n || c !== 0x22) break scan;
          state = this.isKey ? S.Colon : S.After;
          break;
        case S.Num:
          if (num === 2 || num === 4 || num === 7) while (DIGIT[c] === 1 && ++i < n) c = buf[i]!;
          if (i === n || num === 0 || num === 3 || num === 5 || num === 6 || DIGIT[c] === 1 || c === 0x2e || (c | 0x20) === 0x65) break scan;
          state = S.After;
          continue; // c itself is looked at again, in the After state
        case S.After:
          if (c === 0x2c) state = kinds[depth - 1] === OBJECT ? S.Key : S.Value;
          else if (depth > 2 && (c === 0x5d || c === 0x7d) && kinds[depth - 1] === (c === 0x5d ? ARRAY : OBJECT)) depth--;
          else break scan;
          break;
        case S.Value:
        case S.ValueOrEnd:
          if (c === 0x22) {
            this.isKey = false;
            state = S.Str;
          } else if (DIGIT[c] === 1 || c === 0x2d) {
            num = c === 0x2d ? 0 : c === 0x30 ? 1 : 2;
            state = S.Num;
          } else if ((c === 0x5b || c === 0x7b) && depth < MAX_DEPTH) {
            kinds[depth++] = c === 0x7b ? OBJECT : ARRAY;
            state = c === 0x7b ? S.KeyOrEnd : S.ValueOrEnd;
          } else if (c === 0x5d && state === S.ValueOrEnd && depth > 2) {
            depth--;
            state = S.After;
          } else break scan;
          break;
        case S.KeyOrEnd:
        case S.Key:
          if (c === 0x22) {
            this.isKey = true;
            state = S.Str;
          } else if (c === 0x7d && state === S.KeyOrEnd && depth > 2) {
            depth--;
            state = S.After;
          } else break scan;
          break;
        case S.Colon:
          if (c !== 0x3a) break scan;
          state = S.Value;
          break;
        default:
          break scan;
      }
      i++;
    }
    this.state = state;
    this.depth = depth;
    this.num = num;
    return i;
  }

  /** One step of the full state machine from i (at least one byte, or a change of state); where to go on. */
  private step(buf: Uint8Array, i: number): number {
    switch (this.state) {
      case S.Str:
        return this.string(buf, i);
      case S.Num:
        return this.number(buf, i);
      case S.After:
        return this.after(buf, i);
      case S.Value:
      case S.ValueOrEnd:
        return this.value(buf, i);
      default:
        this.other(buf[i]!);
        return i + 1;
    }
  }

  /** The top-level requestId and status once the whole body was seen, or undefined with error set. */
  end(): ScanResult | undefined {
    if (this.error === undefined && this.state === S.Num) this.finishNumber();
    if (this.error === undefined && this.state === S.Lit) this.error = 'the body is not valid JSON (bad literal)';
    if (this.error === undefined && (this.state !== S.After || this.depth > 0)) this.error = 'the body is not valid JSON (it ends early)';
    if (this.error !== undefined) return undefined;
    const { requestId, status } = this.found;
    if (requestId === undefined) return this.fail('requestId is missing (or not a string)');
    // eslint-disable-next-line no-control-regex -- a request id must not contain control characters
    if (!/^[^\u0000-\u001f\u007f/\\]{1,256}$/.test(requestId)) return this.fail('requestId is empty, longer than 256 characters or contains control characters or slashes');
    if (status !== 'SUCCESS' && status !== 'FAILED') return this.fail('status is not SUCCESS or FAILED');
    return { requestId, status };
  }

  private fail(message: string): undefined {
    this.error = message;
    return undefined;
  }

  /** String content from i up to the next quote, backslash or control byte; the index to go on from. */
  private string(buf: Uint8Array, i: number): number {
    const n = buf.length;
    let j = i;
    while (j < n && STRING_STOP[buf[j]!] === 0) j++;
    if (this.capture) this.keep(buf, i, j);
    if (j === n) return n;
    const c = buf[j]!;
    if (c === 0x22) this.endString();
    else if (c === 0x5c) {
      this.state = S.Esc;
      if (this.capture) this.keep(buf, j, j + 1);
    } else this.error = 'the body is not valid JSON (a control character inside a string)';
    return j + 1;
  }

  /** Adds buf[from..to) to the captured string, or gives up on it once it is longer than MAX_CAPTURE. */
  private keep(buf: Uint8Array, from: number, to: number): void {
    const capture = this.capture!;
    if (capture.length + (to - from) > MAX_CAPTURE) {
      this.capture = undefined;
      this.overflow = true;
    } else for (let k = from; k < to; k++) capture.push(buf[k]!);
  }

  private keepByte(c: number): void {
    if (this.capture) this.keep(Uint8Array.of(c), 0, 1);
  }

  /** A number from i: digits in bulk, the rest through numberStep; the index to go on from. */
  private number(buf: Uint8Array, i: number): number {
    const n = buf.length;
    while (i < n) {
      const num = this.num;
      if (num === 2 || num === 4 || num === 7) {
        while (i < n && DIGIT[buf[i]!] === 1) i++;
        if (i === n) return n;
      }
      if (!this.numberStep(buf[i]!)) {
        this.finishNumber(); // the byte that ended the number is looked at again in the After state
        return i;
      }
      if (this.error !== undefined) return i;
      i++;
    }
    return n;
  }

  /** Between a value and what follows it: whitespace, then ",", "}" or "]". */
  private after(buf: Uint8Array, i: number): number {
    const n = buf.length;
    while (i < n && WS[buf[i]!] === 1) i++;
    if (i === n) return n;
    const c = buf[i]!;
    if (this.depth === 0) {
      this.error = 'the body is not valid JSON (data after the end)';
      return i;
    }
    const top = this.kinds[this.depth - 1];
    if (c === 0x2c) this.state = top === OBJECT ? S.Key : S.Value;
    else if ((c === 0x7d && top === OBJECT) || (c === 0x5d && top === ARRAY)) this.close();
    else this.error = 'the body is not valid JSON (expected "," or the end of an object or array)';
    return i + 1;
  }

  /** Where a value must start (or, right after "[", the array may end). */
  private value(buf: Uint8Array, i: number): number {
    const n = buf.length;
    while (i < n && WS[buf[i]!] === 1) i++;
    if (i === n) return n;
    const c = buf[i]!;
    if (c === 0x5d && this.state === S.ValueOrEnd) this.close();
    else if (c === 0x7b || c === 0x5b) this.open(c === 0x7b ? OBJECT : ARRAY);
    else if (this.depth === 0) this.error = 'the body is not a JSON object';
    else if (c === 0x22) this.openString(false);
    else if (c === 0x2d || DIGIT[c] === 1) {
      this.state = S.Num;
      this.num = c === 0x2d ? 0 : c === 0x30 ? 1 : 2;
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      this.state = S.Lit;
      this.lit = c === 0x74 ? TRUE : c === 0x66 ? FALSE : NULL;
      this.litAt = 1;
    } else this.error = 'the body is not valid JSON (unexpected character)';
    return i + 1;
  }

  /** One byte in the rarer states: escapes, literals, property names and the colon. */
  private other(c: number): void {
    switch (this.state) {
      case S.Esc:
        if (c === 0x75) {
          this.state = S.Hex;
          this.hexLeft = 4;
        } else if (ESCAPES[c] === 1) this.state = S.Str;
        else this.error = 'the body is not valid JSON (bad escape in a string)';
        this.keepByte(c);
        return;
      case S.Hex:
        if (HEX[c] !== 1) this.error = 'the body is not valid JSON (bad \\u escape)';
        else if (--this.hexLeft === 0) this.state = S.Str;
        this.keepByte(c);
        return;
      case S.Lit:
        if (c !== this.lit[this.litAt++]) this.error = 'the body is not valid JSON (bad literal)';
        else if (this.litAt === this.lit.length) this.endValue();
        return;
      default:
        return this.property(c);
    }
  }

  private property(c: number): void {
    if (WS[c] === 1) return;
    if (this.state === S.Colon) {
      if (c !== 0x3a) return void (this.error = 'the body is not valid JSON (expected ":")');
      this.state = S.Value;
      return;
    }
    if (c === 0x7d && this.state === S.KeyOrEnd) return this.close();
    if (c !== 0x22) return void (this.error = 'the body is not valid JSON (expected a property name)');
    this.openString(true);
  }

  private open(kind: number): void {
    if (this.depth === 0 && kind !== OBJECT) return void (this.error = 'the body is not a JSON object');
    if (this.depth >= MAX_DEPTH) return void (this.error = `the body is nested more than ${MAX_DEPTH} levels deep`);
    this.kinds[this.depth++] = kind;
    this.state = kind === OBJECT ? S.KeyOrEnd : S.ValueOrEnd;
  }

  private close(): void {
    this.depth--;
    this.endValue();
  }

  private openString(isKey: boolean): void {
    this.isKey = isKey;
    const topLevel = this.depth === 1;
    this.capture = topLevel && (isKey || this.lastKey === 'requestId' || this.lastKey === 'status') ? [] : undefined;
    this.overflow = false;
    this.state = S.Str;
  }

  private endString(): void {
    const text = this.capture ? decodeJsonString(this.capture) : this.overflow ? TOO_LONG : undefined;
    this.capture = undefined;
    this.overflow = false;
    if (this.isKey) {
      if (this.depth === 1) this.lastKey = text === undefined || text === TOO_LONG ? '' : text;
      this.state = S.Colon;
    } else this.endValue(text);
  }

  /**
   * A value ended. At the top level, a value for "requestId" or "status" replaces what an earlier duplicate
   * key left (the last one wins, as in JSON.parse); text is undefined when the value is not a string we kept.
   */
  private endValue(text?: string): void {
    if (this.depth === 1) {
      if (this.lastKey === 'requestId' || this.lastKey === 'status') this.found[this.lastKey] = text;
      this.lastKey = '';
    }
    this.state = S.After;
  }

  /** Number grammar, one byte at a time; false when c does not continue the number. */
  private numberStep(c: number): boolean {
    const digit = DIGIT[c] === 1;
    switch (this.num) {
      case 0: // after "-"
        if (digit) this.num = c === 0x30 ? 1 : 2;
        else this.error = 'the body is not valid JSON (bad number)';
        return true;
      case 1: // "0"
      case 2: // integer digits
        if (digit && this.num === 2) return true;
        if (c === 0x2e) return (this.num = 3), true;
        if (c === 0x65 || c === 0x45) return (this.num = 5), true;
        if (digit) this.error = 'the body is not valid JSON (bad number: leading zero)';
        return digit;
      case 3: // after "."
      case 6: // after "e" and a sign
        if (digit) this.num++;
        else this.error = 'the body is not valid JSON (bad number)';
        return true;
      case 4: // fraction digits
        if (digit) return true;
        if (c === 0x65 || c === 0x45) return (this.num = 5), true;
        return false;
      case 5: // after "e"
        if (c === 0x2b || c === 0x2d) this.num = 6;
        else if (digit) this.num = 7;
        else this.error = 'the body is not valid JSON (bad number)';
        return true;
      default: // exponent digits
        return digit;
    }
  }

  private finishNumber(): void {
    if (this.num === 0 || this.num === 3 || this.num === 5 || this.num === 6) this.error = 'the body is not valid JSON (bad number)';
    this.endValue();
  }
}

function decodeJsonString(bytes: number[]): string | undefined {
  try {
    return JSON.parse(`"${Buffer.from(bytes).toString('utf8')}"`) as string;
  } catch {
    return undefined;
  }
}

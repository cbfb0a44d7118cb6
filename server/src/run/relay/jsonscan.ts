// A streaming JSON syntax check for callback bodies. It looks at each chunk as it arrives, builds no
// objects, and only remembers the top-level "requestId" and "status" strings, so a 32 MiB body of tiny rows
// costs a few milliseconds spread over its chunks instead of seconds of parsing in one go. The relay stores
// the bytes exactly as received; the client parses and validates the full shape after fetching them.

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
const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

export interface ScanResult {
  requestId: string;
  status: string;
}

export class JsonScanner {
  private state = S.Value;
  private stack: number[] = []; // 1 = object, 2 = array
  private hexLeft = 0;
  private num = 0; // state inside a number (see number())
  private lit: Uint8Array = Buffer.alloc(0); // the literal being matched
  private litAt = 0;
  private isKey = false;
  private capture: number[] | undefined; // bytes of a top-level key or of a wanted value string
  private lastKey = '';
  private readonly found: Record<string, string> = {};
  error: string | undefined;

  /** Feeds the next chunk; returns false (and sets error) as soon as the input cannot be JSON. */
  push(buf: Uint8Array): boolean {
    for (let i = 0; i < buf.length && !this.error; i++) {
      const c = buf[i]!;
      const state = this.state;
      if (state === S.Str) {
        i = this.string(buf, i);
        continue;
      }
      // Fast paths for the common bytes: digits inside a number, whitespace between tokens.
      if (state === S.Num && c >= 0x30 && c <= 0x39 && (this.num === 2 || this.num === 4 || this.num === 7)) continue;
      if (state <= S.After && WS[c]) continue;
      this.step(c);
    }
    return !this.error;
  }

  /** The top-level requestId and status once the whole body was seen, or undefined with error set. */
  end(): ScanResult | undefined {
    if (!this.error && this.state === S.Num) this.finishNumber();
    if (!this.error && this.state === S.Lit) {
      if (this.litAt === this.lit.length) this.endValue();
      else this.error = 'the body is not valid JSON (bad literal)';
    }
    if (!this.error && (this.state !== S.After || this.stack.length)) this.error = 'the body is not valid JSON (it ends early)';
    if (this.error) return undefined;
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

  private step(c: number): void {
    switch (this.state) {
      case S.Esc:
        if (c === 0x75) {
          this.state = S.Hex;
          this.hexLeft = 4;
        } else if ('"\\/bfnrt'.includes(String.fromCharCode(c))) this.state = S.Str;
        else this.error = 'the body is not valid JSON (bad escape in a string)';
        this.capture?.push(c);
        return;
      case S.Hex:
        if (!/[0-9a-fA-F]/.test(String.fromCharCode(c))) this.error = 'the body is not valid JSON (bad \\u escape)';
        else if (--this.hexLeft === 0) this.state = S.Str;
        this.capture?.push(c);
        return;
      case S.Num:
        if (this.number(c)) return;
        this.finishNumber();
        if (!this.error) this.step(c);
        return;
      case S.Lit:
        if (this.litAt < this.lit.length) {
          if (c !== this.lit[this.litAt++]) this.error = 'the body is not valid JSON (bad literal)';
          return;
        }
        this.endValue();
        this.step(c);
        return;
      default:
        if (WS[c]) return;
        this.structural(c);
    }
  }

  private structural(c: number): void {
    const top = this.stack[this.stack.length - 1];
    switch (this.state) {
      case S.KeyOrEnd:
      case S.Key:
        if (c === 0x7d && this.state === S.KeyOrEnd) return this.close();
        if (c !== 0x22) return void (this.error = 'the body is not valid JSON (expected a property name)');
        return this.openString(true);
      case S.Colon:
        if (c !== 0x3a) return void (this.error = 'the body is not valid JSON (expected ":")');
        this.state = S.Value;
        return;
      case S.After:
        if (!this.stack.length) return void (this.error = 'the body is not valid JSON (data after the end)');
        if (c === 0x2c) this.state = top === 1 ? S.Key : S.Value;
        else if ((c === 0x7d && top === 1) || (c === 0x5d && top === 2)) this.close();
        else this.error = 'the body is not valid JSON (expected "," or the end of an object or array)';
        return;
      case S.ValueOrEnd:
        if (c === 0x5d) return this.close();
        return this.value(c);
      default:
        return this.value(c);
    }
  }

  private value(c: number): void {
    if (c === 0x7b || c === 0x5b) {
      if (this.stack.length === 0 && c !== 0x7b) return void (this.error = 'the body is not a JSON object');
      if (this.stack.length >= MAX_DEPTH) return void (this.error = `the body is nested more than ${MAX_DEPTH} levels deep`);
      this.stack.push(c === 0x7b ? 1 : 2);
      this.state = c === 0x7b ? S.KeyOrEnd : S.ValueOrEnd;
      return;
    }
    if (this.stack.length === 0) return void (this.error = 'the body is not a JSON object');
    if (c === 0x22) return this.openString(false);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.state = S.Num;
      this.num = c === 0x2d ? 0 : c === 0x30 ? 1 : 2;
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      this.state = S.Lit;
      this.lit = c === 0x74 ? TRUE : c === 0x66 ? FALSE : NULL;
      this.litAt = 1;
    } else this.error = 'the body is not valid JSON (unexpected character)';
  }

  private close(): void {
    this.stack.pop();
    this.state = S.After;
  }

  private openString(isKey: boolean): void {
    this.isKey = isKey;
    const topLevel = this.stack.length === 1 && this.stack[0] === 1;
    this.capture = topLevel && (isKey || this.lastKey === 'requestId' || this.lastKey === 'status') ? [] : undefined;
    this.state = S.Str;
  }

  /** Scans string content from i; returns the index of the last byte it consumed. */
  private string(buf: Uint8Array, i: number): number {
    for (; i < buf.length; i++) {
      const c = buf[i]!;
      if (c === 0x22) {
        this.endString();
        return i;
      }
      if (c === 0x5c) {
        this.state = S.Esc;
        this.capture?.push(c);
        return i;
      }
      if (c < 0x20) {
        this.error = 'the body is not valid JSON (a control character inside a string)';
        return i;
      }
      if (this.capture) {
        if (this.capture.length > 1100) this.capture = undefined; // too long to be a key or id we care about
        else this.capture.push(c);
      }
    }
    return i;
  }

  private endString(): void {
    const text = this.capture ? decodeJsonString(this.capture) : undefined;
    if (this.isKey) {
      this.lastKey = this.stack.length === 1 ? (text ?? '') : '';
      this.state = S.Colon;
    } else {
      if (text !== undefined && this.lastKey) this.found[this.lastKey] = text;
      this.lastKey = '';
      this.state = S.After;
    }
    this.capture = undefined;
  }

  /** Number grammar, one byte at a time; false when c does not continue the number. */
  private number(c: number): boolean {
    const digit = c >= 0x30 && c <= 0x39;
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

  private endValue(): void {
    if (this.stack.length === 1) this.lastKey = '';
    this.state = S.After;
  }
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

function decodeJsonString(bytes: number[]): string | undefined {
  try {
    return JSON.parse(`"${Buffer.from(bytes).toString('utf8')}"`) as string;
  } catch {
    return undefined;
  }
}

// A growable ASCII byte buffer: DNS text is assembled byte by byte into it and decoded to a
// string once, which is much cheaper than concatenating many one-character strings.

// The text is ASCII, and V8's UTF-8 decoder has the fastest path for it.
const decoder = new TextDecoder();

// "00".."99" as byte pairs.
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 0x30 + ((i / 10) | 0);
  PAIRS[2 * i + 1] = 0x30 + (i % 10);
}

/** Lower-case hex digit codes. */
export const HEX_LOWER: Uint8Array = new TextEncoder().encode("0123456789abcdef");
/** Upper-case hex digit codes. */
export const HEX_UPPER: Uint8Array = new TextEncoder().encode("0123456789ABCDEF");

/**
 * The escape of each byte that JSON strings must escape, as nmsg's JSON writer escapes them
 * (control characters, `"` and `\`); undefined for the bytes kept as they are (`/`, DEL and
 * bytes from 0x80 included).
 */
export const JSON_ESCAPES: readonly (Uint8Array | undefined)[] = (() => {
  const hex = "0123456789abcdef";
  const named: Record<number, string> = {
    0x08: "\\b",
    0x09: "\\t",
    0x0a: "\\n",
    0x0c: "\\f",
    0x0d: "\\r",
    0x22: '\\"',
    0x5c: "\\\\",
  };
  const table: (Uint8Array | undefined)[] = new Array(256).fill(undefined);
  for (let c = 0; c < 256; c++) {
    const e = named[c] ?? (c < 0x20 ? "\\u00" + hex[c >> 4] + hex[c & 15] : undefined);
    if (e !== undefined) table[c] = new TextEncoder().encode(e);
  }
  return table;
})();

/** How many bytes each byte's JSON escape adds (0 for the bytes kept). */
const JSON_EXTRA = new Uint8Array(256).map((_, c) => (JSON_ESCAPES[c]?.length ?? 1) - 1);

/** An append-only ASCII text buffer. */
export class TextSink {
  /** The bytes; only `[0, len)` is meaningful. */
  buf: Uint8Array;
  /** Bytes written. */
  len = 0;

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  /** Appends one byte. */
  byte(c: number): void {
    if (this.len === this.buf.length) this.reserve(1);
    this.buf[this.len++] = c;
  }

  /** Appends an ASCII string. */
  ascii(s: string): void {
    const n = s.length;
    this.reserve(n);
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.len = p;
  }

  /** Appends bytes verbatim. */
  bytes(src: Uint8Array): void {
    this.reserve(src.length);
    this.buf.set(src, this.len);
    this.len += src.length;
  }

  /** Appends `src[start, end)` verbatim (short pieces: a loop beats `subarray` + `set`). */
  range(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.len + n > this.buf.length) this.reserve(n);
    const b = this.buf;
    let p = this.len;
    for (let i = start; i < end; i++) b[p++] = src[i]!;
    this.len = p;
  }

  /** Appends a non-negative integer (below 2^53) in decimal. */
  uint(n: number): void {
    if (this.len + 16 > this.buf.length) this.reserve(16);
    const b = this.buf;
    const p = this.len;
    if (n < 10) {
      b[p] = 0x30 + n;
      this.len = p + 1;
      return;
    }
    let digits = 2;
    for (let lim = 100; n >= lim && digits < 16; lim *= 10) digits++;
    let q = p + digits;
    this.len = q;
    let v = n;
    // Integer division with |0 is only exact below 2^31.
    while (v >= 0x80000000) {
      const r = v % 10;
      b[--q] = 0x30 + r;
      v = (v - r) / 10;
    }
    // Two digits per step from a table.
    while (v >= 100) {
      const t = (v / 100) | 0;
      const r = (v - t * 100) * 2;
      b[--q] = PAIRS[r + 1]!;
      b[--q] = PAIRS[r]!;
      v = t;
    }
    if (v >= 10) {
      b[--q] = PAIRS[v * 2 + 1]!;
      b[--q] = PAIRS[v * 2]!;
    } else {
      b[--q] = 0x30 + v;
    }
  }

  /**
   * Appends pre-encoded constant bytes: short ones in a loop (which beats `set` and
   * inlines), long ones with one `set`.
   */
  lit(src: Uint8Array): void {
    const n = src.length;
    if (this.len + n > this.buf.length) this.reserve(n);
    const b = this.buf;
    let p = this.len;
    if (n > 24) {
      b.set(src, p);
      this.len = p + n;
      return;
    }
    for (let i = 0; i < n; i++) b[p++] = src[i]!;
    this.len = p;
  }

  /**
   * JSON-escapes, in place, what was written since `from` (see {@linkcode JSON_ESCAPES}).
   * Most text needs nothing, which one scan finds; otherwise the bytes move up from the
   * back, each escape expanded on the way.
   */
  escapeJsonSince(from: number): void {
    const end = this.len;
    let b = this.buf;
    let i = from;
    while (i < end && JSON_EXTRA[b[i]!] === 0) i++;
    if (i >= end) return;
    let extra = 0;
    for (let k = i; k < end; k++) extra += JSON_EXTRA[b[k]!]!;
    this.reserve(extra);
    b = this.buf;
    let q = end + extra;
    for (let k = end - 1; k >= i; k--) {
      const c = b[k]!;
      const e = JSON_ESCAPES[c];
      if (e === undefined) b[--q] = c;
      else for (let j = e.length - 1; j >= 0; j--) b[--q] = e[j]!;
    }
    this.len = end + extra;
  }

  /** Appends a byte as two hex digits from `digits` (HEX_LOWER or HEX_UPPER). */
  hex2(v: number, digits: Uint8Array): void {
    this.reserve(2);
    this.buf[this.len++] = digits[v >> 4]!;
    this.buf[this.len++] = digits[v & 15]!;
  }

  /** Drops everything after the first `n` bytes. */
  clip(n: number): void {
    this.len = n;
  }

  /** The text of `[from, len)`. */
  text(from = 0): string {
    const n = this.len - from;
    if (n <= 0) return "";
    if (n <= 24) {
      return String.fromCharCode.apply(
        null,
        this.buf.subarray(from, this.len) as unknown as number[],
      );
    }
    return decoder.decode(this.buf.subarray(from, this.len));
  }
}

// A growable ASCII byte buffer: DNS text is assembled byte by byte into it and decoded to a
// string once, which is much cheaper than concatenating many one-character strings.

const DIGITS2: string[] = [];
for (let i = 0; i < 100; i++) DIGITS2.push(String(i).padStart(2, "0"));

const decoder = new TextDecoder("latin1");

/** Lower-case hex digit codes. */
export const HEX_LOWER: Uint8Array = new TextEncoder().encode("0123456789abcdef");
/** Upper-case hex digit codes. */
export const HEX_UPPER: Uint8Array = new TextEncoder().encode("0123456789ABCDEF");

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

  /** Appends a non-negative integer in decimal. */
  uint(n: number): void {
    if (n < 10) {
      this.byte(0x30 + n);
      return;
    }
    this.ascii(n < 100 ? DIGITS2[n]! : String(n));
  }

  /** Appends a byte as two hex digits from `digits` (HEX_LOWER or HEX_UPPER). */
  hex2(v: number, digits: Uint8Array): void {
    this.reserve(2);
    this.buf[this.len++] = digits[v >> 4]!;
    this.buf[this.len++] = digits[v & 15]!;
  }

  /** The byte at index `i` from the start. */
  at(i: number): number {
    return this.buf[i]!;
  }

  /** Drops everything after the first `n` bytes. */
  clip(n: number): void {
    this.len = n;
  }

  /** The text of `[from, len)`. */
  text(from = 0): string {
    const n = this.len - from;
    if (n <= 0) return "";
    if (n <= 48) {
      return String.fromCharCode.apply(
        null,
        this.buf.subarray(from, this.len) as unknown as number[],
      );
    }
    return decoder.decode(this.buf.subarray(from, this.len));
  }
}

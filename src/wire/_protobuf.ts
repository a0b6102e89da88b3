// Just enough of the protobuf wire format for the NMSG envelope and the message modules.
// Hand-written because this is the hot path: a cursor over one buffer, no allocation per field.

import { NmsgFormatError } from "./errors.ts";

/** Protobuf wire types. */
export const WT_VARINT = 0;
export const WT_I64 = 1;
export const WT_LEN = 2;
export const WT_I32 = 5;

const TWO_32 = 4294967296;

function malformed(reason: string, offset: number): NmsgFormatError {
  return new NmsgFormatError("protobuf", reason, { offset });
}

/** A read cursor over `buf[pos, end)`. Offsets in errors are relative to `buf`. */
export class ProtoReader {
  buf: Uint8Array;
  pos: number;
  end: number;

  constructor(buf: Uint8Array, pos = 0, end: number = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  /** Reads a varint that must fit in 32 bits (higher bits are discarded, as protobuf does). */
  uint32(): number {
    const b = this.buf;
    let p = this.pos;
    if (p >= this.end) throw malformed("varint runs past the end of its message", p);
    let x = b[p++]!;
    if (x < 0x80) {
      this.pos = p;
      return x;
    }
    x &= 0x7f;
    let shift = 7;
    while (true) {
      if (p >= this.end) throw malformed("varint runs past the end of its message", p);
      const c = b[p++]!;
      if (shift < 32) x |= (c & 0x7f) << shift;
      if (c < 0x80) break;
      shift += 7;
      if (shift >= 70) throw malformed("varint longer than 10 bytes", p);
    }
    this.pos = p;
    return x >>> 0;
  }

  /** Reads a varint as two unsigned 32-bit halves, stored in `lo` and `hi`. */
  lo = 0;
  hi = 0;
  varint64(): void {
    const b = this.buf;
    let p = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    while (true) {
      if (p >= this.end) throw malformed("varint runs past the end of its message", p);
      const c = b[p++]!;
      if (shift < 28) lo |= (c & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (c & 0x0f) << 28;
        hi |= (c & 0x7f) >>> 4;
      } else hi |= (c & 0x7f) << (shift - 32);
      if (c < 0x80) break;
      shift += 7;
      if (shift >= 70) throw malformed("varint longer than 10 bytes", p);
    }
    this.pos = p;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** Reads an int64 varint as a number (exact within ±2^53). */
  int64(): number {
    this.varint64();
    if (this.hi < 0x80000000) return this.hi * TWO_32 + this.lo;
    return -((~this.hi >>> 0) * TWO_32 + (~this.lo >>> 0) + 1);
  }

  /** Reads a uint64 varint as a number (exact below 2^53). */
  uint64(): number {
    this.varint64();
    return this.hi * TWO_32 + this.lo;
  }

  /** Reads a uint64 varint exactly. */
  uint64Big(): bigint {
    this.varint64();
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** Reads a little-endian fixed32. */
  fixed32(): number {
    const p = this.pos;
    if (p + 4 > this.end) throw malformed("fixed32 runs past the end of its message", p);
    const b = this.buf;
    this.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  /** Reads a little-endian fixed64 as two halves in `lo`/`hi`. */
  fixed64(): void {
    this.lo = this.fixed32();
    this.hi = this.fixed32();
  }

  /** Reads a length prefix and returns the end offset of the delimited bytes; `pos` is their start. */
  lenEnd(): number {
    const len = this.uint32Len();
    const start = this.pos;
    if (len > this.end - start) {
      throw malformed(`field length ${len} runs past the end of its message`, start);
    }
    return start + len;
  }

  /** Reads length-delimited bytes as a view into the buffer. */
  bytes(): Uint8Array {
    const end = this.lenEnd();
    const v = this.buf.subarray(this.pos, end);
    this.pos = end;
    return v;
  }

  private uint32Len(): number {
    const p = this.pos;
    this.varint64();
    if (this.hi !== 0 || this.lo > 0x7fffffff) throw malformed("impossible field length", p);
    return this.lo;
  }

  /** Skips one field value of wire type `wt`. */
  skip(wt: number): void {
    switch (wt) {
      case WT_VARINT:
        this.varint64();
        return;
      case WT_I64:
        if (this.pos + 8 > this.end) {
          throw malformed("fixed64 runs past the end of its message", this.pos);
        }
        this.pos += 8;
        return;
      case WT_LEN:
        this.pos = this.lenEnd();
        return;
      case WT_I32:
        if (this.pos + 4 > this.end) {
          throw malformed("fixed32 runs past the end of its message", this.pos);
        }
        this.pos += 4;
        return;
      default:
        throw malformed(`unsupported wire type ${wt}`, this.pos);
    }
  }
}

/** Bytes needed for a varint of a non-negative integer below 2^53. */
export function varintSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  let size = 5;
  let x = Math.floor(n / 0x800000000);
  while (x > 0) {
    size++;
    x = Math.floor(x / 128);
  }
  return size;
}

/** Bytes needed for an int64 varint (negative values always take 10). */
export function int64Size(n: number): number {
  return n < 0 ? 10 : varintSize(n);
}

/** Bytes needed for a uint64 varint given exactly. */
export function uint64BigSize(n: bigint): number {
  let size = 1;
  while (n >= 0x80n) {
    n >>= 7n;
    size++;
  }
  return size;
}

/** A write cursor over a buffer that grows on demand. */
export class ProtoWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Writes a varint of a non-negative integer below 2^53. */
  varint(n: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (n >= 0x80000000) {
      b[p++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    while (n >= 0x80) {
      b[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    b[p++] = n;
    this.pos = p;
  }

  /** Writes an int64 varint (negative values as 64-bit two's complement). */
  int64(n: number): void {
    if (n >= 0) return this.varint(n);
    const big = BigInt.asUintN(64, BigInt(n));
    this.uint64Big(big);
  }

  /** Writes a uint64 varint given exactly. */
  uint64Big(n: bigint): void {
    this.ensure(10);
    while (n >= 0x80n) {
      this.buf[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.pos++] = Number(n);
  }

  /** Writes a little-endian fixed32. */
  fixed32(n: number): void {
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = n & 0xff;
    b[p + 1] = (n >>> 8) & 0xff;
    b[p + 2] = (n >>> 16) & 0xff;
    b[p + 3] = (n >>> 24) & 0xff;
    this.pos = p + 4;
  }

  /** Writes a little-endian fixed64 from two 32-bit halves. */
  fixed64(lo: number, hi: number): void {
    this.fixed32(lo);
    this.fixed32(hi);
  }

  /** Writes raw bytes. */
  raw(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** Writes a length-delimited field body: its length then the bytes. */
  lenBytes(data: Uint8Array): void {
    this.varint(data.length);
    this.raw(data);
  }

  /** The bytes written so far (a view; copy before reusing the writer). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

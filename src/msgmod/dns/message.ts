/**
 * DNS message parsing as `wdns_parse_message` does it, for the text and JSON renderings:
 * names are decompressed (pointers must point backwards), each RR's rdata is checked against
 * its type's layout and its names decompressed, the first OPT RR becomes the EDNS info, and
 * parsing stops quietly when the packet ends before the header counts are met.
 *
 * @module
 */

import { DESCRIPTOR_LIMIT, DESCRIPTORS, FIXED_SIZE, Rdf } from "./_descriptors.ts";

/** One resource record (or question) of a parsed message. */
export interface DnsRecord {
  /** Owner name, uncompressed wire form (a copy). */
  readonly name: Uint8Array;
  /** RR type. */
  readonly rrtype: number;
  /** RR class. */
  readonly rrclass: number;
  /** TTL (0 for questions). */
  readonly ttl: number;
  /** rdata with names decompressed (a copy); empty for questions. */
  readonly rdata: Uint8Array;
}

/** The EDNS information taken from the first OPT RR. */
export interface DnsEdns {
  /** EDNS version (bits 16–23 of the OPT TTL). */
  readonly version: number;
  /** EDNS flags (low 16 bits of the OPT TTL; 0x8000 is DO). */
  readonly flags: number;
  /** Advertised UDP payload size (the OPT class). */
  readonly udpSize: number;
  /** The OPT rdata (options), or `undefined` when the OPT came as a question (no rdata). */
  readonly options: Uint8Array | undefined;
}

/** A parsed DNS message. */
export interface DnsMessage {
  /** Header ID. */
  readonly id: number;
  /** Header flags word (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode). */
  readonly flags: number;
  /** The rcode wdns reports: header rcode OR-ed with the OPT extended rcode shifted by 8 (sic). */
  readonly rcode: number;
  /** EDNS information, when an OPT RR was present. */
  readonly edns: DnsEdns | undefined;
  /** Question, answer, authority and additional RRs in wire order (the first OPT removed). */
  readonly sections: readonly [DnsRecord[], DnsRecord[], DnsRecord[], DnsRecord[]];
}

// wdns result codes (wdns_res) used as failure reasons.
const RES_INVALID_COMPRESSION_POINTER = 2;
const RES_INVALID_LENGTH_OCTET = 3;
const RES_NAME_OVERFLOW = 9;
const RES_OUT_OF_BOUNDS = 10;
const RES_PARSE_ERROR = 12;

/** Offsets with this bit set point into the arena rather than the message. */
export const IN_ARENA = 0x80000000;

// Compression pointers have 14 bits, so only these offsets can be pointed at.
const SUFFIX_SLOTS = 16384;

/** Uint32 slots per RR in {@linkcode WireMessage.rr}. */
export const RR_STRIDE = 8;
/** Slot indexes within an RR. */
export const RR_SECTION = 0;
/** Encoded offset of the owner name. */
export const RR_NAME = 1;
/** Length of the owner name. */
export const RR_NAME_LEN = 2;
/** RR type. */
export const RR_TYPE = 3;
/** RR class. */
export const RR_CLASS = 4;
/** TTL. */
export const RR_TTL = 5;
/** Encoded offset of the rdata. */
export const RR_RDATA = 6;
/** Length of the rdata. */
export const RR_RDATA_LEN = 7;

/** `svcparam_key_validate`. */
function svcParamValid(key: number, d: Uint8Array, from: number, len: number): boolean {
  switch (key) {
    case 0:
      return len % 2 === 0;
    case 1: {
      if (len === 0) return false;
      let p = from;
      while (p - from < len) p += 1 + d[p]!;
      return p - from === len;
    }
    case 2:
      return len === 0;
    case 3:
      return len === 2;
    case 4:
      return len % 4 === 0;
    case 6:
      return len % 16 === 0;
    case 65535:
      return false;
    default:
      return true;
  }
}

/**
 * A parsed message in compact form, reused from one parse to the next so the hot rendering
 * paths allocate nothing per RR: RRs are rows of {@linkcode rr}; names and rdata are
 * (offset, length) pairs into the message, or into {@linkcode arena} (offset | IN_ARENA) when
 * decompression had to rebuild them.
 */
export class WireMessage {
  /** The message being parsed. */
  msg: Uint8Array = new Uint8Array(0);
  /** Decompressed names and rdata. */
  arena: Uint8Array = new Uint8Array(4096);
  /** Bytes of the arena in use. */
  arenaLen = 0;
  /** RR rows, RR_STRIDE slots each. */
  rr: Uint32Array = new Uint32Array(RR_STRIDE * 64);
  /** Number of RR rows. */
  count = 0;
  /** RRs per section (the first OPT excluded). */
  readonly sectionCounts: number[] = [0, 0, 0, 0];
  /** Header ID. */
  id = 0;
  /** Header flags word. */
  flags = 0;
  /** Header rcode OR-ed with the OPT extended rcode shifted by 8 (wdns). */
  rcode = 0;
  /** Whether an OPT RR was found. */
  edns = false;
  /** EDNS version. */
  ednsVersion = 0;
  /** EDNS flags. */
  ednsFlags = 0;
  /** EDNS UDP size (OPT class). */
  ednsUdp = 0;
  /** OPT rdata offset (message), or -1 when the OPT was a question without rdata. */
  ednsOptions = -1;
  /** OPT rdata length. */
  ednsOptionsLen = 0;
  // Encoded offset of the name or rdata last produced, and where the last name ended on
  // the wire (wdns_skip_name).
  private lastOff = 0;
  private lastEnd = 0;
  // Name suffixes already unpacked in this parse, by message offset (valid when sufGen
  // equals gen): where their bytes are and how long they are. Compression pointers are
  // often to the same places, so most names are resolved without walking them again.
  private sufGen = new Uint32Array(SUFFIX_SLOTS);
  private sufOff = new Uint32Array(SUFFIX_SLOTS);
  private sufLen = new Uint16Array(SUFFIX_SLOTS);
  private gen = 0;
  // The labels of the name being unpacked: message offsets and arena offsets.
  private labMsg = new Int32Array(128);
  private labOut = new Int32Array(128);

  /** The buffer an encoded offset points into. */
  source(off: number): Uint8Array {
    return (off & IN_ARENA) !== 0 ? this.arena : this.msg;
  }

  private arenaReserve(n: number): void {
    const need = this.arenaLen + n;
    if (need <= this.arena.length) return;
    const a = new Uint8Array(Math.max(need, this.arena.length * 2));
    a.set(this.arena.subarray(0, this.arenaLen));
    this.arena = a;
  }

  private arenaCopy(from: number, to: number): void {
    this.arenaReserve(to - from);
    // Pieces are a label or a few rdata bytes: a loop beats subarray + set.
    const a = this.arena;
    const m = this.msg;
    let q = this.arenaLen;
    for (let i = from; i < to; i++) a[q++] = m[i]!;
    this.arenaLen = q;
  }

  /**
   * `wdns_unpack_name` at `off`: returns the name length (setting lastOff) or -code. With
   * `copy`, the name always goes to the arena; otherwise only when a pointer was followed.
   */
  private unpackName(off: number, copy: boolean): number {
    const msg = this.msg;
    const end = msg.length;
    if (off >= end) return -RES_OUT_OF_BOUNDS;
    const mark = this.arenaLen;
    const labMsg = this.labMsg;
    const labOut = this.labOut;
    let nLab = 0;
    let src = off;
    let total = 0;
    let copying = copy;
    let jumped = false;
    for (;;) {
      if (src >= end) return this.undo(mark, RES_OUT_OF_BOUNDS);
      const c = msg[src]!;
      if (c === 0) {
        src++;
        break;
      }
      if (c >= 192) {
        if (src + 1 >= end) return this.undo(mark, RES_OUT_OF_BOUNDS);
        const target = ((c & 63) << 8) | msg[src + 1]!;
        // Only strictly backward pointers (before the pointer's first byte) are allowed,
        // which together with the length limit guarantees termination.
        if (target > src - 1) return this.undo(mark, RES_INVALID_COMPRESSION_POINTER);
        if (!jumped) {
          jumped = true;
          this.lastEnd = src + 2;
          if (!copying && (src !== off || this.sufGen[target] !== this.gen)) {
            copying = true;
            this.arenaCopy(off, src);
            for (let k = 0; k < nLab; k++) labOut[k] = mark + labMsg[k]! - off;
          }
        }
        if (this.sufGen[target] === this.gen) {
          // The rest of the name was unpacked before: reuse it.
          const sLen = this.sufLen[target]!;
          if (total + sLen - 1 >= 255) return this.undo(mark, RES_NAME_OVERFLOW);
          const sOff = this.sufOff[target]!;
          if (!copying) {
            this.lastOff = sOff;
            return sLen;
          }
          this.arenaAppend(sOff, sLen);
          return this.finishCopied(mark, nLab);
        }
        src = target;
      } else if (c <= 63) {
        total += 1 + c;
        if (total >= 255) return this.undo(mark, RES_NAME_OVERFLOW);
        if (src + 1 + c > end) return this.undo(mark, RES_OUT_OF_BOUNDS);
        labMsg[nLab] = src;
        labOut[nLab++] = this.arenaLen;
        if (copying) this.arenaCopy(src, src + 1 + c);
        src += 1 + c;
      } else {
        return this.undo(mark, RES_INVALID_LENGTH_OCTET);
      }
    }
    if (!jumped) this.lastEnd = src;
    if (!copying) {
      // Not compressed: the name and each of its suffixes stay views of the message.
      this.lastOff = off;
      for (let k = 0; k < nLab; k++) this.remember(labMsg[k]!, labMsg[k]!, src - labMsg[k]!);
      return src - off;
    }
    this.arenaReserve(1);
    this.arena[this.arenaLen++] = 0;
    return this.finishCopied(mark, nLab);
  }

  /** Completes a name rebuilt in the arena from `mark`: remembers its suffixes. */
  private finishCopied(mark: number, nLab: number): number {
    const endOut = this.arenaLen;
    for (let k = 0; k < nLab; k++) {
      const at = this.labOut[k]!;
      this.remember(this.labMsg[k]!, (at | IN_ARENA) >>> 0, endOut - at);
    }
    this.lastOff = (mark | IN_ARENA) >>> 0;
    return endOut - mark;
  }

  /** Notes that the name suffix at message offset `at` unpacks to (`off`, `len`). */
  private remember(at: number, off: number, len: number): void {
    if (at >= SUFFIX_SLOTS) return;
    this.sufGen[at] = this.gen;
    this.sufOff[at] = off;
    this.sufLen[at] = len;
  }

  /** Appends `len` bytes from an encoded offset (message or arena) to the arena. */
  private arenaAppend(off: number, len: number): void {
    this.arenaReserve(len);
    const from = (off & IN_ARENA) !== 0 ? this.arena : this.msg;
    const a = this.arena;
    let q = this.arenaLen;
    const start = off & 0x7fffffff;
    for (let i = start; i < start + len; i++) a[q++] = from[i]!;
    this.arenaLen = q;
  }

  private undo(mark: number, code: number): number {
    this.arenaLen = mark;
    return -code;
  }

  /**
   * `_wdns_parse_rdata`: checks the rdata at `start` against its layout; returns its
   * length and stores its encoded offset in `lastOff`, or -code.
   */
  private parseRdata(start: number, rdlen: number, rrtype: number, rrclass: number): number {
    const msg = this.msg;
    const descr = rrtype < DESCRIPTOR_LIMIT ? DESCRIPTORS[rrtype] : undefined;
    this.lastOff = start;
    if (descr === undefined || (descr.classIn && rrclass !== 1)) return rdlen;
    let p = start;
    let left = rdlen;
    // Arena offset of the rebuilt rdata, or -1 while it is still a plain view.
    let out = -1;
    let copiedUpTo = start;
    const fields = descr.fields;
    for (let fi = 0; fi < fields.length; fi++) {
      if (left === 0) break;
      const f = fields[fi]!;
      switch (f) {
        case Rdf.Name:
        case Rdf.Uname: {
          if (out < 0) out = this.arenaLen;
          this.arenaCopy(copiedUpTo, p);
          const n = this.unpackName(p, true);
          if (n < 0) return n;
          const after = this.lastEnd;
          left -= after - p;
          if (left < 0) return -RES_OUT_OF_BOUNDS;
          p = after;
          copiedUpTo = p;
          break;
        }
        case Rdf.Bytes:
        case Rdf.BytesB64:
        case Rdf.BytesStr:
        case Rdf.EdnsOptRdata:
          p += left;
          left = 0;
          break;
        case Rdf.String:
        case Rdf.Salt:
        case Rdf.Hash: {
          const n = msg[p]! + 1;
          if (left < n) return -RES_PARSE_ERROR;
          p += n;
          left -= n;
          break;
        }
        case Rdf.RepString:
          while (left > 0) {
            const n = msg[p]! + 1;
            if (left < n) return -RES_PARSE_ERROR;
            p += n;
            left -= n;
          }
          break;
        case Rdf.Ipv6Prefix: {
          const prefix = msg[p]!;
          if (prefix > 128) return -RES_OUT_OF_BOUNDS;
          const n = ((128 - prefix) >> 3) + (prefix % 8 !== 0 ? 1 : 0) + 1;
          if (left < n) return -RES_PARSE_ERROR;
          p += n;
          left -= n;
          break;
        }
        case Rdf.TypeBitmap:
          while (left >= 2) {
            const n = msg[p + 1]!;
            if (n < 1 || n > 32 || n > left - 2) return -RES_OUT_OF_BOUNDS;
            p += 2 + n;
            left -= 2 + n;
          }
          break;
        case Rdf.SvcParams:
          while (left > 0) {
            if (left < 4) return -RES_PARSE_ERROR;
            const key = (msg[p]! << 8) | msg[p + 1]!;
            const n = (msg[p + 2]! << 8) | msg[p + 3]!;
            if (4 + n > left) return -RES_OUT_OF_BOUNDS;
            if (!svcParamValid(key, msg, p + 4, n)) return -RES_PARSE_ERROR;
            p += 4 + n;
            left -= 4 + n;
          }
          break;
        default: {
          const n = FIXED_SIZE[f]!;
          if (left < n) return -RES_PARSE_ERROR;
          p += n;
          left -= n;
        }
      }
    }
    if (left !== 0) return -RES_OUT_OF_BOUNDS;
    if (out < 0) {
      this.lastOff = start;
      return rdlen;
    }
    this.arenaCopy(copiedUpTo, p);
    this.lastOff = (out | IN_ARENA) >>> 0;
    return this.arenaLen - out;
  }

  private addRow(
    sec: number,
    nameOff: number,
    nameLen: number,
    rrtype: number,
    rrclass: number,
    ttl: number,
    rdOff: number,
    rdLen: number,
  ): void {
    let rr = this.rr;
    const at = this.count * RR_STRIDE;
    if (at + RR_STRIDE > rr.length) {
      const bigger = new Uint32Array(rr.length * 2);
      bigger.set(rr);
      this.rr = rr = bigger;
    }
    rr[at] = sec;
    rr[at + 1] = nameOff;
    rr[at + 2] = nameLen;
    rr[at + 3] = rrtype;
    rr[at + 4] = rrclass;
    rr[at + 5] = ttl;
    rr[at + 6] = rdOff;
    rr[at + 7] = rdLen;
    this.count++;
    this.sectionCounts[sec]!++;
  }

  /**
   * Parses `wire` as `wdns_parse_message` does, replacing the previous contents.
   *
   * @returns False where wdns reports a parse failure.
   */
  parse(wire: Uint8Array): boolean {
    this.msg = wire;
    if (++this.gen === 0xffffffff) {
      this.sufGen.fill(0);
      this.gen = 1;
    }
    this.arenaLen = 0;
    this.count = 0;
    const sc = this.sectionCounts;
    sc[0] =
      sc[1] =
      sc[2] =
      sc[3] =
        0;
    this.edns = false;
    const end = wire.length;
    if (end < 12) return false;
    this.id = (wire[0]! << 8) | wire[1]!;
    const flags = (wire[2]! << 8) | wire[3]!;
    this.flags = flags;
    this.rcode = flags & 0xf;
    let p = 12;
    for (let sec = 0; sec < 4; sec++) {
      for (let n = (wire[4 + 2 * sec]! << 8) | wire[5 + 2 * sec]!; n > 0; n--) {
        if (p === end) return true;
        const nameLen = this.unpackName(p, false);
        if (nameLen < 0) return false;
        const nameOff = this.lastOff;
        let src = this.lastEnd;
        if (src + 4 > end || (sec !== 0 && src + 10 > end)) return false;
        const rrtype = (wire[src]! << 8) | wire[src + 1]!;
        const rrclass = (wire[src + 2]! << 8) | wire[src + 3]!;
        src += 4;
        let ttl = 0;
        let rdOff = 0;
        let rdLen = 0;
        let hasRdata = false;
        if (sec !== 0) {
          ttl = ((wire[src]! << 24) | (wire[src + 1]! << 16) | (wire[src + 2]! << 8) |
            wire[src + 3]!) >>>
            0;
          const rdlen = (wire[src + 4]! << 8) | wire[src + 5]!;
          src += 6;
          if (src + rdlen > end) return false;
          rdLen = this.parseRdata(src, rdlen, rrtype, rrclass);
          if (rdLen < 0) return false;
          rdOff = this.lastOff;
          hasRdata = true;
          src += rdlen;
        }
        if (rrtype === 41 && !this.edns) {
          this.edns = true;
          this.ednsVersion = (ttl >>> 16) & 0xff;
          this.ednsFlags = ttl & 0xffff;
          this.ednsUdp = rrclass;
          // OPT rdata never holds names, so it is always a view of the message.
          this.ednsOptions = hasRdata ? rdOff : -1;
          this.ednsOptionsLen = rdLen;
          this.rcode |= (ttl >>> 16) & 0xff00;
        } else {
          this.addRow(sec, nameOff, nameLen, rrtype, rrclass, ttl, rdOff, rdLen);
        }
        p = src;
      }
    }
    return true;
  }

  /**
   * Whether the rows at `a` and `b` (row index × RR_STRIDE) have the same owner name
   * ignoring ASCII case (wdns downcases both and compares bytes).
   */
  sameOwner(a: number, b: number): boolean {
    const rr = this.rr;
    const len = rr[a + RR_NAME_LEN]!;
    if (len !== rr[b + RR_NAME_LEN]) return false;
    const ao = rr[a + RR_NAME]!;
    const bo = rr[b + RR_NAME]!;
    if (ao === bo) return true; // the parser shares one copy of a name reached twice
    const x = this.source(ao);
    const y = this.source(bo);
    const xs = ao & 0x7fffffff;
    const ys = bo & 0x7fffffff;
    for (let i = 0; i < len; i++) {
      let c = x[xs + i]!;
      let d = y[ys + i]!;
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      if (d >= 0x41 && d <= 0x5a) d |= 0x20;
      if (c !== d) return false;
    }
    return true;
  }

  /** A copy of the bytes an encoded (offset, length) pair denotes. */
  bytes(off: number, len: number): Uint8Array {
    const start = off & 0x7fffffff;
    return this.source(off).slice(start, start + len);
  }
}

const shared = new WireMessage();

/**
 * Parses a DNS message the way `wdns_parse_message` does (see the module notes).
 *
 * @example
 * ```ts
 * import { parseMessage } from "./message.ts";
 * import assert from "node:assert/strict";
 *
 * // id 1, RD, one question: example. IN A
 * const q = new Uint8Array([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
 *   7, 101, 120, 97, 109, 112, 108, 101, 0, 0, 1, 0, 1]);
 * const m = parseMessage(q);
 * assert.equal(m?.sections[0].length, 1);
 * assert.equal(parseMessage(new Uint8Array(11)), undefined);
 * ```
 *
 * @param wire The message bytes (a view; not modified).
 * @returns The message (owning copies of its names and rdata), or `undefined` where wdns
 * reports a parse failure.
 */
export function parseMessage(wire: Uint8Array): DnsMessage | undefined {
  const w = shared;
  if (!w.parse(wire)) return undefined;
  const sections: [DnsRecord[], DnsRecord[], DnsRecord[], DnsRecord[]] = [[], [], [], []];
  const rr = w.rr;
  for (let i = 0; i < w.count; i++) {
    const at = i * RR_STRIDE;
    sections[rr[at + RR_SECTION]!]!.push({
      name: w.bytes(rr[at + RR_NAME]!, rr[at + RR_NAME_LEN]!),
      rrtype: rr[at + RR_TYPE]!,
      rrclass: rr[at + RR_CLASS]!,
      ttl: rr[at + RR_TTL]!,
      rdata: w.bytes(rr[at + RR_RDATA]!, rr[at + RR_RDATA_LEN]!),
    });
  }
  const edns: DnsEdns | undefined = w.edns
    ? {
      version: w.ednsVersion,
      flags: w.ednsFlags,
      udpSize: w.ednsUdp,
      options: w.ednsOptions < 0 ? undefined : w.bytes(w.ednsOptions, w.ednsOptionsLen),
    }
    : undefined;
  return { id: w.id, flags: w.flags, rcode: w.rcode, edns, sections };
}

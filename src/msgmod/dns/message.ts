/**
 * DNS message parsing as `wdns_parse_message` does it, for the text and JSON renderings:
 * names are decompressed (pointers must point backwards), each RR's rdata is checked against
 * its type's layout and its names decompressed, the first OPT RR becomes the EDNS info, and
 * parsing stops quietly when the packet ends before the header counts are met.
 *
 * @module
 */

import { DESCRIPTOR_LIMIT, DESCRIPTORS, Rdf } from "./_descriptors.ts";
import { skipName } from "./name.ts";

/** One resource record (or question) of a parsed message. */
export interface DnsRecord {
  /** Owner name, uncompressed wire form (may be a view into the message). */
  readonly name: Uint8Array;
  /** RR type. */
  readonly rrtype: number;
  /** RR class. */
  readonly rrclass: number;
  /** TTL (0 for questions). */
  readonly ttl: number;
  /** rdata with names decompressed (may be a view into the message); empty for questions. */
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

const nameScratch = new Uint8Array(256);
const EMPTY = new Uint8Array(0);

/**
 * Decompresses the name at `off` of `msg` like `wdns_unpack_name`. Returns the wire name
 * (a view when no pointer was followed) or a wdns error code.
 */
function unpackName(msg: Uint8Array, off: number): Uint8Array | number {
  const end = msg.length;
  if (off >= end) return RES_OUT_OF_BOUNDS;
  let src = off;
  let total = 0;
  let jumped = false;
  let out = 0;
  for (;;) {
    if (src >= end) return RES_OUT_OF_BOUNDS;
    const c = msg[src++]!;
    if (c === 0) break;
    if (c >= 192) {
      if (src >= end) return RES_OUT_OF_BOUNDS;
      const target = ((c & 63) << 8) | msg[src]!;
      // Only strictly backward pointers (before the pointer's first byte) are allowed,
      // which together with the length limit guarantees termination.
      if (target > end || target > src - 2) return RES_INVALID_COMPRESSION_POINTER;
      if (!jumped) {
        jumped = true;
        out = src - 1 - off;
        nameScratch.set(msg.subarray(off, src - 1));
      }
      src = target;
    } else if (c <= 63) {
      total += 1 + c;
      if (total >= 255) return RES_NAME_OVERFLOW;
      if (src + c > end) return RES_OUT_OF_BOUNDS;
      if (jumped) {
        nameScratch[out++] = c;
        nameScratch.set(msg.subarray(src, src + c), out);
        out += c;
      }
      src += c;
    } else {
      return RES_INVALID_LENGTH_OCTET;
    }
  }
  if (!jumped) return msg.subarray(off, src);
  nameScratch[out++] = 0;
  return nameScratch.slice(0, out);
}

const rdataScratch = new Uint8Array(65536 + 1024);

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
 * Checks and copies one RR's rdata like `_wdns_parse_rdata`. Returns the rdata (a view of
 * `msg` unless a name had to be decompressed) or a wdns error code.
 */
function parseRdata(
  msg: Uint8Array,
  start: number,
  rdlen: number,
  rrtype: number,
  rrclass: number,
): Uint8Array | number {
  const descr = rrtype < DESCRIPTOR_LIMIT ? DESCRIPTORS[rrtype] : undefined;
  if (descr === undefined || (descr.classIn && rrclass !== 1)) {
    return msg.subarray(start, start + rdlen);
  }
  let p = start;
  let left = rdlen;
  // Bytes of rdataScratch written so far; -1 while the rdata is still a plain copy.
  let out = -1;
  let copiedUpTo = start;
  const need = (n: number): boolean => left >= n;
  for (const f of descr.fields) {
    if (left === 0) break;
    switch (f) {
      case Rdf.Name:
      case Rdf.Uname: {
        const name = unpackName(msg, p);
        if (typeof name === "number") return name;
        const after = skipName(msg, p);
        left -= after - p;
        if (left < 0) return RES_OUT_OF_BOUNDS;
        if (out < 0) out = 0;
        rdataScratch.set(msg.subarray(copiedUpTo, p), out);
        out += p - copiedUpTo;
        rdataScratch.set(name, out);
        out += name.length;
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
      case Rdf.Int8:
      case Rdf.Int16:
      case Rdf.RrType:
      case Rdf.Int32:
      case Rdf.Ipv4:
      case Rdf.Ipv6:
      case Rdf.Eui48:
      case Rdf.Eui64: {
        const n = FIXED_SIZE[f]!;
        if (!need(n)) return RES_PARSE_ERROR;
        p += n;
        left -= n;
        break;
      }
      case Rdf.String:
      case Rdf.Salt:
      case Rdf.Hash: {
        const n = msg[p]! + 1;
        if (!need(n)) return RES_PARSE_ERROR;
        p += n;
        left -= n;
        break;
      }
      case Rdf.RepString:
        while (left > 0) {
          const n = msg[p]! + 1;
          if (!need(n)) return RES_PARSE_ERROR;
          p += n;
          left -= n;
        }
        break;
      case Rdf.Ipv6Prefix: {
        const prefix = msg[p]!;
        if (prefix > 128) return RES_OUT_OF_BOUNDS;
        const n = ((128 - prefix) >> 3) + (prefix % 8 !== 0 ? 1 : 0) + 1;
        if (!need(n)) return RES_PARSE_ERROR;
        p += n;
        left -= n;
        break;
      }
      case Rdf.TypeBitmap:
        while (left >= 2) {
          const n = msg[p + 1]!;
          if (n < 1 || n > 32 || n > left - 2) return RES_OUT_OF_BOUNDS;
          p += 2 + n;
          left -= 2 + n;
        }
        break;
      case Rdf.SvcParams:
        while (left > 0) {
          if (left < 4) return RES_PARSE_ERROR;
          const key = (msg[p]! << 8) | msg[p + 1]!;
          const n = (msg[p + 2]! << 8) | msg[p + 3]!;
          if (4 + n > left) return RES_OUT_OF_BOUNDS;
          if (!svcParamValid(key, msg, p + 4, n)) return RES_PARSE_ERROR;
          p += 4 + n;
          left -= 4 + n;
        }
        break;
    }
  }
  if (left !== 0) return RES_OUT_OF_BOUNDS;
  if (out < 0) return msg.subarray(start, start + rdlen);
  rdataScratch.set(msg.subarray(copiedUpTo, p), out);
  out += p - copiedUpTo;
  return rdataScratch.slice(0, out);
}

const FIXED_SIZE: Partial<Record<Rdf, number>> = {
  [Rdf.Int8]: 1,
  [Rdf.Int16]: 2,
  [Rdf.RrType]: 2,
  [Rdf.Int32]: 4,
  [Rdf.Ipv4]: 4,
  [Rdf.Ipv6]: 16,
  [Rdf.Eui48]: 6,
  [Rdf.Eui64]: 8,
};

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
 * @returns The message, or `undefined` where wdns reports a parse failure.
 */
export function parseMessage(wire: Uint8Array): DnsMessage | undefined {
  const end = wire.length;
  if (end < 12) return undefined;
  const id = (wire[0]! << 8) | wire[1]!;
  const flags = (wire[2]! << 8) | wire[3]!;
  const counts = [
    (wire[4]! << 8) | wire[5]!,
    (wire[6]! << 8) | wire[7]!,
    (wire[8]! << 8) | wire[9]!,
    (wire[10]! << 8) | wire[11]!,
  ];
  let rcode = flags & 0xf;
  let edns: DnsEdns | undefined;
  const sections: [DnsRecord[], DnsRecord[], DnsRecord[], DnsRecord[]] = [[], [], [], []];
  let p = 12;
  done: for (let sec = 0; sec < 4; sec++) {
    for (let n = counts[sec]!; n > 0; n--) {
      if (p === end) break done;
      const name = unpackName(wire, p);
      if (typeof name === "number") return undefined;
      let src = skipName(wire, p);
      if (src + 4 > end || (sec !== 0 && src + 10 > end)) return undefined;
      const rrtype = (wire[src]! << 8) | wire[src + 1]!;
      const rrclass = (wire[src + 2]! << 8) | wire[src + 3]!;
      src += 4;
      let ttl = 0;
      let rdata: Uint8Array | undefined;
      if (sec !== 0) {
        ttl =
          ((wire[src]! << 24) | (wire[src + 1]! << 16) | (wire[src + 2]! << 8) | wire[src + 3]!) >>>
          0;
        const rdlen = (wire[src + 4]! << 8) | wire[src + 5]!;
        src += 6;
        if (src + rdlen > end) return undefined;
        const r = parseRdata(wire, src, rdlen, rrtype, rrclass);
        if (typeof r === "number") return undefined;
        rdata = r;
        src += rdlen;
      }
      if (rrtype === 41 && edns === undefined) {
        edns = {
          version: (ttl >>> 16) & 0xff,
          flags: ttl & 0xffff,
          udpSize: rrclass,
          options: rdata,
        };
        rcode |= (ttl >>> 16) & 0xff00;
      } else {
        sections[sec]!.push({ name, rrtype, rrclass, ttl, rdata: rdata ?? EMPTY });
      }
      p = src;
    }
  }
  return { id, flags, rcode, edns, sections };
}

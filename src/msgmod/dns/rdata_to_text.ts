/**
 * rdata → text exactly as `wdns_rdata_to_str` writes it: per-type field layouts, the
 * generic `\# len hex ` form (with its trailing space) for types wdns has no layout for,
 * `""` for an IN-only type in another class, and the ` ### PARSE ERROR ###` markers for
 * rdata too short for its layout.
 *
 * @module
 */

import { DESCRIPTOR_LIMIT, DESCRIPTORS, FIXED_SIZE, Rdf } from "./_descriptors.ts";
import { HEX_LOWER, HEX_UPPER, TextSink } from "./_sink.ts";
import { writeBase64 } from "./base64.ts";
import { writeIpv4, writeIpv6 } from "./ip.ts";
import { writeName } from "./name.ts";
import { writeTypeText } from "./_mnemonic_bytes.ts";

// wdns result codes that appear in "### PARSE ERROR #n ###".
const RES_INVALID_LENGTH_OCTET = 3;
const RES_NAME_LEN = 8;
const RES_OVERFLOW = 11;
const RES_PARSE_ERROR = 12;

const SVC_KEY_NAMES = [
  "mandatory",
  "alpn",
  "no-default-alpn",
  "port",
  "ipv4hint",
  "ech",
  "ipv6hint",
];

const EDE_PURPOSES = [
  "Other Error",
  "Unsupported DNSKEY Algorithm",
  "Unsupported DS Digest Type",
  "Stale Answer",
  "Forged Answer",
  "DNSSEC Indeterminate",
  "DNSSEC Bogus",
  "Signature Expired",
  "Signature Not Yet Valid",
  "DNSKEY Missing",
  "RRSIGs Missing",
  "No Zone Key Bit Set",
  "NSEC Missing",
  "Cached Error",
  "Not Ready",
  "Blocked",
  "Censored",
  "Filtered",
  "Prohibited",
  "Stale NXDomain Answer",
  "Not Authoritative",
  "Not Supported",
  "No Reachable Authority",
  "Network Error",
  "Invalid Data",
];

const BASE32HEX = new TextEncoder().encode("0123456789ABCDEFGHIJKLMNOPQRSTUV");

// Inside quoted strings: `"` and `\` get a backslash, printable ASCII stays, the rest is \DDD.
const STRING_ESCAPES: Uint8Array[] = [];
for (let c = 0; c < 256; c++) {
  let s: string;
  if (c === 0x22 || c === 0x5c) s = "\\" + String.fromCharCode(c);
  else if (c >= 0x20 && c <= 0x7e) s = String.fromCharCode(c);
  else s = "\\" + String(c).padStart(3, "0");
  STRING_ESCAPES.push(new TextEncoder().encode(s));
}

/** A quoted, escaped character string followed by the separator space. */
function writeQuoted(sink: TextSink, d: Uint8Array, from: number, to: number): void {
  sink.byte(0x22);
  writeEscaped(sink, d, from, to);
  sink.byte(0x22);
  sink.byte(0x20);
}

function writeEscaped(sink: TextSink, d: Uint8Array, from: number, to: number): void {
  sink.reserve((to - from) * 4);
  const b = sink.buf;
  let q = sink.len;
  for (let i = from; i < to; i++) {
    const c = d[i]!;
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) {
      b[q++] = c;
    } else {
      const e = STRING_ESCAPES[c]!;
      for (let k = 0; k < e.length; k++) b[q++] = e[k]!;
    }
  }
  sink.len = q;
}

function writePrintable(sink: TextSink, d: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = d[i]!;
    sink.byte(c >= 0x20 && c <= 0x7e ? c : 0x2e);
  }
}

/** Length of an uncompressed name at `d[p..end)` as `wdns_len_uname` measures it, or a -res code. */
function unameLength(d: Uint8Array, p: number, end: number): number {
  if (p >= end) return -RES_OVERFLOW;
  const olen = end - p;
  let left = olen;
  let terminated = false;
  while (left-- !== 0) {
    const oclen = d[p++]!;
    if (oclen > 63 || oclen > left) return -RES_INVALID_LENGTH_OCTET;
    if (oclen === 0) {
      terminated = true;
      break;
    }
    p += oclen;
    left -= oclen;
  }
  // Labels that exactly fill the rdata without a zero label: wdns counts one byte more and
  // reads past the rdata for the terminator (undefined memory: C prints an extra "." when
  // that byte happens to be non-zero). We print the name as if it were terminated.
  const size = terminated ? olen - left : olen + 1;
  return size > 255 ? -RES_NAME_LEN : size;
}

/** One SvcParam value (`svcparam_to_str`); false on a malformed value. */
function writeSvcValue(
  sink: TextSink,
  key: number,
  d: Uint8Array,
  from: number,
  len: number,
): boolean {
  const end = from + len;
  let p = from;
  switch (key) {
    case 0: // mandatory
      while (p < end) {
        if (p + 2 > end) return false;
        const k = (d[p]! << 8) | d[p + 1]!;
        p += 2;
        writeSvcKeyName(sink, k);
        sink.byte(p < end ? 0x2c : 0x20);
      }
      return true;
    case 2: // no-default-alpn
      if (len !== 0) return false;
      sink.byte(0x20);
      return true;
    case 3: // port
      if (len !== 2) return false;
      sink.uint((d[p]! << 8) | d[p + 1]!);
      sink.byte(0x20);
      return true;
    case 5: // ech
      writeBase64(sink, d, p, end);
      sink.byte(0x20);
      return true;
    case 4: // ipv4hint
    case 6: { // ipv6hint
      const size = key === 4 ? 4 : 16;
      while (p < end) {
        if (p + size > end) return false;
        if (size === 4) writeIpv4(sink, d, p);
        else writeIpv6(sink, d, p);
        p += size;
        sink.byte(p < end ? 0x2c : 0x20);
      }
      return true;
    }
    case 1: // alpn
      sink.byte(0x22);
      while (p < end) {
        const n = d[p++]!;
        if (p + n > end) return false;
        const stop = p + n;
        for (; p < stop; p++) {
          const c = d[p]!;
          if (c === 0x22) sink.ascii('\\"');
          else if (c === 0x5c) sink.ascii("\\\\\\\\");
          else if (c === 0x2c) sink.ascii("\\\\,");
          else if (c >= 0x20 && c <= 0x7e) sink.byte(c);
          else sink.bytes(STRING_ESCAPES[c]!);
        }
        sink.byte(p < end ? 0x2c : 0x22);
      }
      sink.byte(0x20);
      return true;
    default:
      writeQuoted(sink, d, p, end);
      return true;
  }
}

function writeSvcKeyName(sink: TextSink, key: number): void {
  const s = SVC_KEY_NAMES[key];
  if (s !== undefined) sink.ascii(s);
  else if (key === 65535) sink.ascii("invalid key");
  else {
    sink.ascii("key");
    sink.uint(key);
  }
}

/** One EDNS option's data (`_wdns_ednsoptdata_to_ubuf`); false on a malformed value. */
function writeEdnsOptionData(
  sink: TextSink,
  code: number,
  d: Uint8Array,
  from: number,
  len: number,
): boolean {
  const end = from + len;
  sink.byte(0x20);
  if (code === 8) { // CLIENT-SUBNET
    if (len < 4) return false;
    const family = (d[from]! << 8) | d[from + 1]!;
    const source = d[from + 2]!;
    const scope = d[from + 3]!;
    const addrLen = len - 4;
    if ((family !== 1 && family !== 2) || addrLen > (family === 1 ? 4 : 16)) return false;
    const addr = new Uint8Array(16);
    addr.set(d.subarray(from + 4, end));
    if (family === 1) writeIpv4(sink, addr, 0);
    else writeIpv6(sink, addr, 0);
    sink.byte(0x2f);
    sink.uint(source);
    sink.byte(0x2f);
    sink.uint(scope);
  } else if (code === 15) { // EDE
    if (len < 2) return false;
    const info = (d[from]! << 8) | d[from + 1]!;
    sink.uint(info);
    const purpose = EDE_PURPOSES[info];
    if (purpose !== undefined) {
      sink.ascii(" (");
      sink.ascii(purpose);
      sink.byte(0x29);
    }
    sink.ascii(": (");
    writePrintable(sink, d, from + 2, end);
    sink.byte(0x29);
  } else {
    for (let i = from; i < end; i++) {
      sink.hex2(d[i]!, HEX_LOWER);
      sink.byte(0x20);
    }
    sink.ascii('("');
    writePrintable(sink, d, from, end);
    sink.ascii('")');
  }
  return true;
}

function writeGeneric(sink: TextSink, d: Uint8Array, start: number, rdlen: number): void {
  sink.ascii("\\# ");
  sink.uint(rdlen);
  sink.byte(0x20);
  sink.reserve(rdlen * 3);
  const b = sink.buf;
  let q = sink.len;
  const end = start + rdlen;
  for (let i = start; i < end; i++) {
    const v = d[i]!;
    b[q++] = HEX_LOWER[v >> 4]!;
    b[q++] = HEX_LOWER[v & 15]!;
    b[q++] = 0x20;
  }
  sink.len = q;
}

// Field kinds whose text can hold `"` or `\` (names, quoted strings, SVCB values, EDNS
// options), which JSON strings escape.
const ESCAPABLE_KINDS = new Set([
  Rdf.Name,
  Rdf.Uname,
  Rdf.String,
  Rdf.RepString,
  Rdf.BytesStr,
  Rdf.SvcParams,
  Rdf.EdnsOptRdata,
]);
const ESCAPABLE = DESCRIPTORS.map((d) => d?.fields.some((f) => ESCAPABLE_KINDS.has(f)));

/**
 * Appends the text of the rdata at `d[start..start+rdlen)` to `sink`, as
 * `_wdns_rdata_to_ubuf` appends to a buffer that may already hold text: the final
 * "remove one trailing space" step looks at the whole buffer, so an rdata that prints
 * nothing removes the separator written before it. Pass `trimFloor = sink.len` to get
 * `wdns_rdata_to_str`'s standalone text instead (the trim never reaches earlier bytes).
 * Returns false when the text cannot hold a `"` or `\\` (nothing to JSON-escape).
 */
export function writeRdata(
  sink: TextSink,
  d: Uint8Array,
  start: number,
  rdlen: number,
  rrtype: number,
  rrclass: number,
  trimFloor = 0,
): boolean {
  if (rrclass === 1) {
    // The most common layouts, which print no trailing space to trim.
    if (rrtype === 1 && rdlen === 4) {
      writeIpv4(sink, d, start);
      return false;
    }
    if (rrtype === 28 && rdlen === 16) {
      writeIpv6(sink, d, start);
      return false;
    }
  }
  const descr = rrtype < DESCRIPTOR_LIMIT ? DESCRIPTORS[rrtype] : undefined;
  if (descr === undefined) {
    writeGeneric(sink, d, start, rdlen); // `\# …`
    return true;
  }
  if (descr.classIn && rrclass !== 1) return false;
  const status = writeFields(sink, d, start, rdlen, descr.fields);
  if (status === 0) {
    if (sink.len > trimFloor && sink.buf[sink.len - 1] === 0x20) sink.len--;
  } else if (status < 0) {
    sink.ascii(" ### PARSE ERROR ###");
  } else {
    sink.ascii(` ### PARSE ERROR #${status} ###`);
  }
  return ESCAPABLE[rrtype] === true;
}

/** Writes the fields of a layout: 0 when done, -1 when bytes ran short, else a wdns result code. */
function writeFields(
  sink: TextSink,
  d: Uint8Array,
  start: number,
  rdlen: number,
  fields: readonly Rdf[],
): number {
  let p = start;
  // Signed like C's ssize_t: an unterminated name over-consumes by one.
  let left = rdlen;
  for (let fi = 0; fi < fields.length; fi++) {
    if (left === 0) return 0;
    switch (fields[fi]) {
      case Rdf.Name:
      case Rdf.Uname: {
        const size = left < 0 ? -RES_OVERFLOW : unameLength(d, p, p + left);
        if (size < 0) return -size;
        writeName(sink, d, p, Math.min(p + size, p + left));
        sink.byte(0x20);
        p += size;
        left -= size;
        break;
      }
      case Rdf.Bytes:
        for (const end = p + Math.max(left, 0); p < end; p++) sink.hex2(d[p]!, HEX_UPPER);
        left = 0;
        break;
      case Rdf.BytesB64:
        if (left > 0) writeBase64(sink, d, p, p + left);
        left = 0;
        break;
      case Rdf.BytesStr:
        if (left > 0) {
          writeQuoted(sink, d, p, p + left);
          p += left;
        } else {
          writeQuoted(sink, d, p, p);
        }
        left = 0;
        break;
      case Rdf.Ipv6Prefix: {
        if (left < 1) return -1;
        const prefix = d[p]!;
        if (prefix > 128) return -1;
        const n = ((128 - prefix) >> 3) + (prefix % 8 !== 0 ? 1 : 0);
        if (left < 1 + n) return -1;
        sink.uint(prefix);
        sink.byte(0x20);
        if (n > 0) {
          const addr = new Uint8Array(16);
          addr.set(d.subarray(p + 1, p + 1 + n), 16 - n);
          writeIpv6(sink, addr, 0);
          sink.byte(0x20);
        }
        p += 1 + n;
        left -= 1 + n;
        break;
      }
      case Rdf.Salt:
      case Rdf.Hash: {
        // A length octet and that many bytes: a salt in hex (`-` when empty), a hash in
        // base32hex (`0` when empty).
        if (left < 1) return -1;
        const n = d[p]!;
        if (left < 1 + n) return -1;
        if (fields[fi] === Rdf.Salt) {
          if (n === 0) sink.byte(0x2d);
          for (let i = p + 1; i <= p + n; i++) sink.hex2(d[i]!, HEX_LOWER);
        } else if (n === 0) sink.byte(0x30);
        else writeBase32Hex(sink, d, p + 1, p + 1 + n);
        sink.byte(0x20);
        p += 1 + n;
        left -= 1 + n;
        break;
      }
      case Rdf.Int8:
      case Rdf.Int16:
      case Rdf.Int32:
      case Rdf.Ipv4:
      case Rdf.Ipv6:
      case Rdf.RrType: {
        const f = fields[fi]!;
        const n = FIXED_SIZE[f]!;
        if (left < n) return -1;
        if (f === Rdf.Int8) sink.uint(d[p]!);
        else if (f === Rdf.Int16) sink.uint((d[p]! << 8) | d[p + 1]!);
        else if (f === Rdf.Int32) {
          sink.uint(((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0);
        } else if (f === Rdf.Ipv4) writeIpv4(sink, d, p);
        else if (f === Rdf.Ipv6) writeIpv6(sink, d, p);
        else writeTypeText(sink, (d[p]! << 8) | d[p + 1]!);
        sink.byte(0x20);
        p += n;
        left -= n;
        break;
      }
      case Rdf.Eui48:
      case Rdf.Eui64: {
        const n = fields[fi] === Rdf.Eui48 ? 6 : 8;
        if (left < n) return -1;
        for (let i = 0; i < n; i++) {
          if (i !== 0) sink.byte(0x2d);
          sink.hex2(d[p + i]!, HEX_LOWER);
        }
        p += n;
        left -= n;
        break;
      }
      case Rdf.String:
      case Rdf.RepString: {
        // One character-string, or as many as the rdata holds.
        const repeat = fields[fi] === Rdf.RepString;
        if (!repeat && left < 1) return -1;
        while (left > 0) {
          const n = d[p]!;
          p += 1;
          left -= 1;
          if (left < n) return -1;
          writeQuoted(sink, d, p, p + n);
          p += n;
          left -= n;
          if (!repeat) break;
        }
        break;
      }
      case Rdf.TypeBitmap:
        if (left < 2) return -1;
        while (left >= 2) {
          const window = d[p]!;
          const n = d[p + 1]!;
          p += 2;
          left -= 2;
          if (left < n) return -1;
          for (let i = 0; i < n; i++) {
            const a = d[p + i]!;
            if (a === 0) continue;
            for (let j = 0; j < 8; j++) {
              if ((a & (0x80 >> j)) !== 0) {
                // wdns ORs the in-window bit index into the window base, so bitmaps longer
                // than 32 bytes spill into the bits of the window number.
                writeTypeText(sink, ((window << 8) | (i * 8 + j)) & 0xffff);
                sink.byte(0x20);
              }
            }
          }
          p += n;
          left -= n;
        }
        break;
      case Rdf.SvcParams:
      case Rdf.EdnsOptRdata: {
        // A list of (16-bit key, 16-bit length, value): SVCB parameters, or EDNS options
        // (one per line).
        const svc = fields[fi] === Rdf.SvcParams;
        while (left > 0) {
          if (left < 2) return -1;
          const key = (d[p]! << 8) | d[p + 1]!;
          if (!svc) writeOptionCode(sink, key);
          else if (key === 65535) return -1;
          else {
            writeSvcKeyName(sink, key);
            if (key !== 2) sink.byte(0x3d);
          }
          p += 2;
          left -= 2;
          if (left < 2) return -1;
          const n = (d[p]! << 8) | d[p + 1]!;
          p += 2;
          left -= 2;
          if (left < n) return -1;
          const ok = svc
            ? writeSvcValue(sink, key, d, p, n)
            : writeEdnsOptionData(sink, key, d, p, n);
          if (!ok) return RES_PARSE_ERROR;
          p += n;
          left -= n;
          if (!svc && left > 0) sink.byte(0x0a);
        }
        break;
      }
    }
  }
  return 0;
}

function writeOptionCode(sink: TextSink, code: number): void {
  if (code === 8) sink.ascii("CLIENT-SUBNET:");
  else if (code === 15) sink.ascii("EDE:");
  else {
    sink.ascii("OPT=");
    sink.uint(code);
    sink.byte(0x3a);
  }
}

function writeBase32Hex(sink: TextSink, d: Uint8Array, from: number, to: number): void {
  let acc = 0;
  let bits = 0;
  for (let i = from; i < to; i++) {
    acc = ((acc << 8) | d[i]!) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      sink.byte(BASE32HEX[(acc >> bits) & 31]!);
    }
  }
  if (bits > 0) sink.byte(BASE32HEX[(acc << (5 - bits)) & 31]!);
}

const scratch = new TextSink(1024);

/**
 * The text of one rdata exactly as `wdns_rdata_to_str` renders it (the `rdata:` lines of
 * presentation output and the `"rdata"` strings of JSON). Types without a wdns layout use
 * the generic form `\# <len> <hex byte + space>…` (it ends with a space); IN-only types in
 * another class give `""`; rdata too short for its layout ends with ` ### PARSE ERROR ###`
 * (or ` ### PARSE ERROR #<n> ###` for a bad name, SvcParam or EDNS option).
 *
 * @example
 * ```ts
 * import { rdataToText } from "./rdata_to_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(rdataToText(new Uint8Array([192, 0, 2, 1]), 1, 1), "192.0.2.1");
 * assert.equal(rdataToText(new Uint8Array([5, 0x48, 0x65, 0x6c, 0x6c, 0x6f]), 16, 1), '"Hello"');
 * assert.equal(rdataToText(new Uint8Array([10, 11, 12, 13]), 999, 1), "\\# 4 0a 0b 0c 0d ");
 * assert.equal(rdataToText(new Uint8Array([192, 0, 2, 1]), 1, 3), "");
 * ```
 *
 * @param rdata The rdata bytes (a view; not modified). Names inside must be uncompressed.
 * @param rrtype The RR type (taken modulo 2^16, as C passes it as `uint16_t`).
 * @param rrclass The RR class (taken modulo 2^16).
 * @returns The text.
 */
export function rdataToText(rdata: Uint8Array, rrtype: number, rrclass: number): string {
  scratch.clip(0);
  writeRdata(scratch, rdata, 0, rdata.length, rrtype & 0xffff, rrclass & 0xffff);
  return scratch.text();
}

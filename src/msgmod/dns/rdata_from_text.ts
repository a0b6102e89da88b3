/**
 * rdata text → wire as `wdns_str_to_rdata` parses it (the JSON input of `rdata` fields),
 * including its leniencies (missing trailing fields, ignored trailing text, hex pairs read
 * with `sscanf("%02hhx")`) and its refusals (OPT has no text parser).
 *
 * @module
 */

import { DESCRIPTOR_LIMIT, DESCRIPTORS, Rdf } from "./_descriptors.ts";
import { hexDigit, isCSpace, parseCNumber } from "./_cnum.ts";
import { base64Decode } from "./base64.ts";
import { DnsTextError, DnsUnsupportedError } from "./errors.ts";
import { parseIpv4, parseIpv6 } from "./ip.ts";
import { cString, parseName } from "./name.ts";
import { rrtypeFromName } from "./tables.ts";

/** A parse failure inside the field walk; turned into a {@linkcode DnsTextError}. */
class Fail {
  constructor(readonly reason: string) {}
}

/** A growable byte buffer. */
class Bytes {
  buf = new Uint8Array(256);
  len = 0;
  push(b: number): void {
    if (this.len === this.buf.length) this.grow(1);
    this.buf[this.len++] = b & 0xff;
  }
  append(src: Uint8Array): void {
    this.grow(src.length);
    this.buf.set(src, this.len);
    this.len += src.length;
  }
  grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Token end as C `strpbrk(s, " \t\r\n")`: -1 when none of those follows. */
function tokenEnd(s: Uint8Array, i: number): number {
  for (let k = i; k < s.length; k++) {
    const c = s[k]!;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) return k;
  }
  return -1;
}

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

/**
 * `sscanf(s + i, "%02hhx")`: skips whitespace, then reads a sign and hex digits within a
 * width of two (`0x` consumes the width and yields 0). Returns the byte, or -1 when no
 * number is there (including the end of the text).
 */
function scanHex2(s: Uint8Array, i: number): number {
  while (i < s.length && isCSpace(s[i]!)) i++;
  if (i >= s.length) return -1;
  let width = 2;
  let neg = false;
  if (s[i] === 0x2b || s[i] === 0x2d) {
    neg = s[i] === 0x2d;
    i++;
    width--;
  }
  if (width === 2 && s[i] === 0x30 && (s[i + 1]! | 0x20) === 0x78) return 0;
  let v = 0;
  let n = 0;
  for (; n < width && i < s.length; n++, i++) {
    const d = hexDigit(s[i]!);
    if (d < 0) break;
    v = v * 16 + d;
  }
  if (n === 0) return -1;
  return (neg ? -v : v) & 0xff;
}

/** `sscanf("%llu")` on a run of digits: the value, saturated like strtoull on overflow. */
function digitsValue(s: Uint8Array, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    v = v * 10 + (s[i]! - 0x30);
    if (v > 2 ** 64) return 2 ** 64;
  }
  return v;
}

/**
 * `rdata_from_str_string`: a `"…"` quoted string (escapes `\"`, `\\`, `\DDD`) or an
 * unquoted run up to whitespace; only printable ASCII. Appends the bytes and returns the
 * number of text bytes consumed, or 0 on failure (nothing appended).
 */
function readString(s: Uint8Array, i: number, out: Bytes): number {
  const start = i;
  const mark = out.len;
  const quoted = s[i] === 0x22;
  if (quoted) i++;
  while (i < s.length) {
    const c = s[i]!;
    if (quoted && c === 0x22) return i + 1 - start;
    if (!quoted && isCSpace(c)) break;
    if (c === 0x5c) {
      const e = s[++i];
      if (e === 0x22 || e === 0x5c) {
        out.push(e);
        i++;
      } else if (isDigit(e) && isDigit(s[i + 1]) && isDigit(s[i + 2])) {
        const v = (e! - 0x30) * 100 + (s[i + 1]! - 0x30) * 10 + (s[i + 2]! - 0x30);
        if (v > 255) return fail(out, mark);
        out.push(v);
        i += 3;
      } else {
        return fail(out, mark);
      }
    } else if (c >= 0x20 && c <= 0x7e) {
      out.push(c);
      i++;
    } else {
      return fail(out, mark);
    }
  }
  return quoted ? fail(out, mark) : i - start;
}

/** Drops what a failed string read appended; 0 is the failure value. */
function fail(out: Bytes, mark: number): number {
  out.len = mark;
  return 0;
}

/** A length-prefixed character string (`str_to_ubuf`); returns the text bytes consumed. */
function readCharString(s: Uint8Array, i: number, out: Bytes): number {
  const lenAt = out.len;
  out.push(0);
  const used = readString(s, i, out);
  if (used === 0) throw new Fail("bad character string");
  const n = out.len - lenAt - 1;
  if (n > 255) throw new Fail("character string longer than 255 bytes");
  out.buf[lenAt] = n;
  return used;
}

const BASE32_VALUES = new Int8Array(256).fill(-1);
for (let i = 0; i < 32; i++) {
  const c = "0123456789ABCDEFGHIJKLMNOPQRSTUV".charCodeAt(i);
  BASE32_VALUES[c] = i;
  BASE32_VALUES[c | 0x20] = i;
}

/** libmy `base32_decode` (base32hex, any case, `=` padding); undefined on a bad character. */
function base32Decode(s: Uint8Array, from: number, to: number): Uint8Array | undefined {
  const out: number[] = [];
  const q = [0, 0, 0, 0, 0, 0, 0, 0];
  let si = 0;
  let pad = 0;
  for (let i = from; i < to;) {
    const c = s[i++]!;
    if (c === 0x3d) {
      pad++;
    } else {
      const v = BASE32_VALUES[c]!;
      if (v < 0) return undefined;
      q[si++] = v;
    }
    if (si === 8 || pad > 0 || i === to) {
      q.fill(0, si);
      if (si >= 2) out.push(((q[0]! << 3) & 0xf8) | ((q[1]! >> 2) & 0x07));
      if (si >= 4) out.push(((q[1]! & 0x03) << 6) | ((q[2]! & 0x1f) << 1) | ((q[3]! >> 4) & 1));
      if (si >= 5) out.push(((q[3]! & 0x0f) << 4) | ((q[4]! >> 1) & 0x0f));
      if (si >= 7) out.push(((q[4]! & 1) << 7) | ((q[5]! & 0x1f) << 2) | ((q[6]! >> 3) & 0x03));
      if (si >= 8) out.push(((q[6]! & 0x07) << 5) | (q[7]! & 0x1f));
      si = 0;
    }
    if (out.length >= to - from) break;
  }
  return new Uint8Array(out.slice(0, to - from));
}

const SVC_KEYS: Record<string, number> = {
  "mandatory": 0,
  "alpn": 1,
  "no-default-alpn": 2,
  "port": 3,
  "ipv4hint": 4,
  "ech": 5,
  "ipv6hint": 6,
};
const SVC_INVALID = 65535;

/** `_wdns_str_to_svcparamkey`. */
function svcKey(name: string): number {
  const k = SVC_KEYS[name];
  if (k !== undefined) return k;
  if (name.startsWith("key") && name.length > 3) {
    const rest = name.slice(3);
    const r = parseCNumber(rest, 10, 2 ** 64);
    if (r.end !== rest.length || r.overflow) return SVC_INVALID;
    const v = r.value < 0 ? 2 ** 64 + r.value : r.value;
    return v >= SVC_INVALID ? SVC_INVALID : v;
  }
  return SVC_INVALID;
}

const latin1 = new TextDecoder("latin1");

/** Non-empty pieces of `v` split on `sep`, as repeated `strtok_r` yields them. */
function strtok(v: Uint8Array, sep: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= v.length; i++) {
    if (i === v.length || v[i] === sep) {
      if (i > start) out.push(v.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

/** `str_to_svcparam`: one key with its unescaped value (`undefined` for a bare key). */
function writeSvcParam(out: Bytes, key: number, val: Uint8Array | undefined): void {
  out.push(key >> 8);
  out.push(key);
  if (key === 2) {
    if (val !== undefined) throw new Fail("no-default-alpn takes no value");
    out.push(0);
    out.push(0);
    return;
  }
  const v = val ?? new Uint8Array(0);
  const lenAt = out.len;
  out.push(0);
  out.push(0);
  let n = 0;
  switch (key) {
    case 0: {
      const toks = strtok(v, 0x2c);
      if (toks.length === 0) throw new Fail("empty mandatory list");
      for (const t of toks) {
        const k = svcKey(latin1.decode(t));
        if (k === SVC_INVALID) throw new Fail("unknown key in mandatory list");
        out.push(k >> 8);
        out.push(k);
        n += 2;
      }
      break;
    }
    case 3: {
      const tok = strtok(v, 0x20)[0];
      if (tok === undefined) throw new Fail("empty port");
      const text = latin1.decode(tok);
      const r = parseCNumber(text, 10, 2 ** 64);
      if (r.end !== text.length || r.overflow || r.value < 0 || r.value > 65535) {
        // strtoul turns a negative number into a huge one, so it is out of range too.
        throw new Fail("bad port");
      }
      out.push(r.value >> 8);
      out.push(r.value);
      n = 2;
      break;
    }
    case 5: {
      const tok = strtok(v, 0x20)[0];
      if (tok === undefined) throw new Fail("empty ech");
      if (tok.length > 255) throw new Fail("ech value too long");
      const bytes = base64Decode(latin1.decode(tok));
      out.append(bytes);
      n = bytes.length;
      break;
    }
    case 4:
    case 6: {
      const toks = strtok(v, 0x2c);
      if (toks.length === 0) throw new Fail("empty address hint");
      const addr = new Uint8Array(16);
      for (const t of toks) {
        const ok = key === 4 ? parseIpv4(t, 0, t.length, addr, 0) : parseIpv6(t, 0, t.length, addr);
        if (!ok) throw new Fail("bad address hint");
        const size = key === 4 ? 4 : 16;
        out.append(addr.subarray(0, size));
        n += size;
      }
      break;
    }
    case 1: {
      let at = out.len;
      out.push(0);
      let idLen = 0;
      for (let i = 0; i < v.length; i++) {
        let c = v[i]!;
        if (c === 0x5c) {
          if (++i >= v.length) throw new Fail("bad escape in alpn");
          c = v[i]!;
          if (c !== 0x5c && c !== 0x2c) throw new Fail("bad escape in alpn");
          out.push(c);
          idLen++;
        } else if (c === 0x2c) {
          out.buf[at] = idLen;
          n += idLen + 1;
          at = out.len;
          idLen = 0;
          out.push(0);
        } else {
          out.push(c);
          idLen++;
        }
      }
      // wdns leaves a zero length octet after a trailing comma without counting it.
      if (idLen !== 0) {
        out.buf[at] = idLen & 0xff;
        n += idLen + 1;
      }
      break;
    }
    default:
      out.append(v);
      n = v.length;
  }
  out.buf[lenAt] = (n >> 8) & 0xff;
  out.buf[lenAt + 1] = n & 0xff;
}

/** The `rdf_svcparams` text loop; returns the end of the text. */
function readSvcParams(s: Uint8Array, i: number, out: Bytes): number {
  const eol = s.length;
  let start = i;
  while (start < eol) {
    if (s[start] === 0x20) {
      start++;
      continue;
    }
    let val = start;
    while (val !== eol && s[val] !== 0x3d && s[val] !== 0x20) val++;
    const k = svcKey(latin1.decode(s.subarray(start, val)));
    if (k === SVC_INVALID) throw new Fail("unknown SvcParam key");
    if (val === eol || s[val] === 0x20) {
      if (k !== 2) throw new Fail("SvcParam key needs a value");
      writeSvcParam(out, k, undefined);
      start = val;
      continue;
    }
    const tmp = new Bytes();
    const used = readString(s, val + 1, tmp);
    if (used === 0) throw new Fail("bad SvcParam value");
    writeSvcParam(out, k, tmp.result());
    start = val + 1 + used;
  }
  return eol;
}

/** The `rdf_type_bitmap` text loop: type names to RFC 4034 windows. */
function readTypeBitmap(s: Uint8Array, i: number, out: Bytes): number {
  const types: number[] = [];
  while (i >= 0 && i < s.length) {
    if (isCSpace(s[i]!)) {
      i++;
      continue;
    }
    const end = tokenEnd(s, i);
    const tok = latin1.decode(s.subarray(i, end < 0 ? s.length : end));
    const t = rrtypeFromName(tok);
    if (t === 0 && tok.toUpperCase() !== "TYPE0") throw new Fail("unknown type in type bitmap");
    types.push(t);
    i = end;
  }
  types.sort((a, b) => a - b);
  let window = -1;
  let bitmap = new Uint8Array(32);
  let bitmapLen = 0;
  const flush = (): void => {
    if (bitmapLen > 0) {
      out.push(window);
      out.push(bitmapLen);
      out.append(bitmap.subarray(0, bitmapLen));
    }
  };
  for (const t of types) {
    if (t >> 8 !== window) {
      flush();
      window = t >> 8;
      bitmap = new Uint8Array(32);
      bitmapLen = 0;
    }
    const off = t & 0xff;
    bitmap[off >> 3]! |= 0x80 >> (off & 7);
    bitmapLen = (off >> 3) + 1;
  }
  flush();
  return -1;
}

/** Parses the fields of a layout; returns nothing, throws Fail or DnsUnsupportedError. */
function readFields(s: Uint8Array, fields: readonly Rdf[], out: Bytes): void {
  // -1 stands for C's NULL cursor (a token ran to the end of the text).
  let i = 0;
  for (const f of fields) {
    if (i < 0) break;
    while (i < s.length && isCSpace(s[i]!)) i++;
    if (i >= s.length) break;
    const end = tokenEnd(s, i);
    const tokEnd = end < 0 ? s.length : end;
    switch (f) {
      case Rdf.Name:
      case Rdf.Uname: {
        const name = parseName(s.subarray(i, tokEnd), false);
        if (!(name instanceof Uint8Array)) {
          if (name.overflow) {
            throw new DnsUnsupportedError("Domain name in rdata is longer than 255 bytes");
          }
          throw new Fail(name.reason);
        }
        out.append(name);
        i = end;
        break;
      }
      case Rdf.Bytes:
        while (i < s.length) {
          if (i + 1 >= s.length) throw new Fail("odd number of hex digits");
          const v = scanHex2(s, i);
          if (v < 0) throw new Fail("bad hex byte");
          out.push(v);
          i += 2;
        }
        break;
      case Rdf.BytesB64:
        out.append(base64Decode(latin1.decode(s.subarray(i))));
        i = s.length;
        break;
      case Rdf.BytesStr: {
        const n = s.length - i;
        if (n < 3 || s[i] !== 0x22 || s[s.length - 1] !== 0x22) {
          throw new Fail("expected a quoted string");
        }
        if (readString(s, i, out) === 0) throw new Fail("bad quoted string");
        i = s.length;
        break;
      }
      case Rdf.Ipv6Prefix: {
        for (let k = i; k < tokEnd; k++) if (!isDigit(s[k])) throw new Fail("bad prefix length");
        const prefix = prefixValue(s, i, tokEnd);
        if (prefix > 128) throw new Fail("prefix length over 128");
        out.push(prefix);
        i = tokEnd;
        while (i < s.length && isCSpace(s[i]!)) i++;
        if (i >= s.length) throw new Fail("missing address");
        const aEnd = tokenEnd(s, i);
        const n = ((128 - prefix) >> 3) + (prefix % 8 !== 0 ? 1 : 0);
        const addr = new Uint8Array(16);
        if (parseIpv6(s, i, aEnd < 0 ? s.length : aEnd, addr)) {
          out.append(addr.subarray(16 - n));
          i = aEnd;
          if (prefix === 0 && i >= 0) {
            while (i < s.length && isCSpace(s[i]!)) i++;
            if (i < s.length) throw new Fail("text after a prefix-0 address");
            i = -1;
          }
        } else if (prefix !== 128) {
          throw new Fail("bad address");
        }
        break;
      }
      case Rdf.Salt:
        if (s[i] === 0x2d && tokEnd - i === 1) {
          out.push(0);
          i++;
        } else {
          const len = tokEnd - i;
          if (len > 510 || len % 2 === 1) throw new Fail("bad salt");
          out.push(len / 2);
          for (let k = len / 2; k > 0; k--) {
            const v = scanHex2(s, i);
            if (v < 0) throw new Fail("bad salt");
            out.push(v);
            i += 2;
          }
        }
        break;
      case Rdf.Hash: {
        if (tokEnd - i === 1) {
          out.push(0);
          i++;
          break;
        }
        const bytes = base32Decode(s, i, tokEnd);
        if (bytes === undefined || bytes.length > 255) throw new Fail("bad base32 hash");
        out.push(bytes.length);
        out.append(bytes);
        i = end;
        break;
      }
      case Rdf.Int8:
      case Rdf.Int16:
      case Rdf.Int32: {
        for (let k = i; k < tokEnd; k++) if (!isDigit(s[k])) throw new Fail("bad number");
        const v = digitsValue(s, i, tokEnd);
        const size = f === Rdf.Int8 ? 1 : f === Rdf.Int16 ? 2 : 4;
        if (v >= 2 ** (8 * size)) throw new Fail("number out of range");
        for (let k = size - 1; k >= 0; k--) out.push(Math.floor(v / 2 ** (8 * k)) & 0xff);
        i = tokEnd;
        break;
      }
      case Rdf.Ipv4: {
        const addr = new Uint8Array(4);
        if (!parseIpv4(s, i, tokEnd, addr, 0)) throw new Fail("bad IPv4 address");
        out.append(addr);
        i = tokEnd;
        break;
      }
      case Rdf.Ipv6: {
        const addr = new Uint8Array(16);
        if (!parseIpv6(s, i, tokEnd, addr)) throw new Fail("bad IPv6 address");
        out.append(addr);
        i = end;
        break;
      }
      case Rdf.Eui48:
      case Rdf.Eui64: {
        const groups = f === Rdf.Eui48 ? 6 : 8;
        if (s.length - i !== groups * 3 - 1) throw new Fail("bad EUI address");
        for (let g = 0; g < groups; g++) {
          const a = hexDigit(s[i + 3 * g]!);
          const b = hexDigit(s[i + 3 * g + 1]!);
          if (a < 0 || b < 0 || (g < groups - 1 && s[i + 3 * g + 2] !== 0x2d)) {
            throw new Fail("bad EUI address");
          }
          out.push(a * 16 + b);
        }
        i = s.length;
        break;
      }
      case Rdf.String:
        i += readCharString(s, i, out);
        break;
      case Rdf.RepString:
        while (i < s.length) {
          if (isCSpace(s[i]!)) {
            i++;
            continue;
          }
          i += readCharString(s, i, out);
        }
        break;
      case Rdf.RrType: {
        const t = rrtypeFromName(latin1.decode(s.subarray(i, tokEnd)));
        if (t === 0) throw new Fail("unknown type");
        out.push(t >> 8);
        out.push(t);
        i = end;
        break;
      }
      case Rdf.TypeBitmap:
        i = readTypeBitmap(s, i, out);
        break;
      case Rdf.SvcParams:
        i = readSvcParams(s, i, out);
        break;
      case Rdf.EdnsOptRdata:
        throw new DnsUnsupportedError("OPT rdata cannot be parsed from text");
    }
  }
}

/** `sscanf("%hhu")` of a digit run: strtoul saturating, then truncated to 8 bits. */
function prefixValue(s: Uint8Array, from: number, to: number): number {
  const v = digitsValue(s, from, to);
  return v >= 2 ** 64 ? 255 : Number(BigInt(v) & 0xffn);
}

/** The generic `\# <len> <hex>` form. */
function readGeneric(s: Uint8Array, out: Bytes): void {
  if (s[0] !== 0x5c || s[1] !== 0x23) throw new Fail("expected \\# generic rdata");
  let i = 2;
  if (i >= s.length || !isCSpace(s[i]!)) throw new Fail("expected \\# generic rdata");
  while (i < s.length && isCSpace(s[i]!)) i++;
  const start = i;
  while (i < s.length && !isCSpace(s[i]!)) {
    if (!isDigit(s[i])) throw new Fail("bad generic rdata length");
    i++;
  }
  if (i === start) throw new Fail("missing generic rdata length");
  const v = digitsValue(s, start, i);
  const rdlen = v >= 2 ** 64 ? 65535 : Number(BigInt(v) & 0xffffn);
  let n = 0;
  while (i < s.length) {
    if (isCSpace(s[i]!)) {
      i++;
      continue;
    }
    if (i + 1 >= s.length) throw new Fail("odd number of hex digits");
    const b = scanHex2(s, i);
    if (b < 0) throw new Fail("bad hex byte");
    out.push(b);
    n++;
    i += 2;
  }
  if (n !== rdlen) throw new Fail(`generic rdata holds ${n} bytes, not ${rdlen}`);
}

const shared = new Bytes();

/**
 * Parses rdata text the way `wdns_str_to_rdata` does for the JSON input of `rdata` fields.
 * Types without a wdns layout take the generic form `\# <len> <hex>` (whitespace between
 * byte pairs optional); an IN-only type in another class gives empty rdata; otherwise fields
 * are read in layout order separated by whitespace, missing trailing fields give shorter
 * rdata (`MX "10"` → 2 bytes) and extra trailing text is ignored. Names keep their case and
 * are not compressed; type bitmaps are sorted and de-duplicated.
 *
 * @example
 * ```ts
 * import { rdataFromText } from "./rdata_from_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(rdataFromText("10.11.12.13", 1, 1), new Uint8Array([10, 11, 12, 13]));
 * assert.deepEqual(rdataFromText("10 a.", 15, 1), new Uint8Array([0, 10, 1, 0x61, 0]));
 * assert.deepEqual(rdataFromText("\\# 2 0102", 999, 1), new Uint8Array([1, 2]));
 * assert.throws(() => rdataFromText("not an IP address", 1, 1), SyntaxError);
 * ```
 *
 * @param text The rdata text.
 * @param rrtype The RR type (taken modulo 2^16).
 * @param rrclass The RR class (taken modulo 2^16).
 * @returns The rdata in wire form.
 * @throws {DnsTextError} Where wdns reports a parse error (nmsgtool skips the JSON line).
 * @throws {DnsUnsupportedError} Where wdns fails otherwise — OPT rdata (no text parser) or a
 * name over 255 bytes — on which nmsgtool aborts.
 */
export function rdataFromText(text: string, rrtype: number, rrclass: number): Uint8Array {
  const t = rrtype & 0xffff;
  const descr = t < DESCRIPTOR_LIMIT ? DESCRIPTORS[t] : undefined;
  const s = cString(text);
  const out = shared;
  out.len = 0;
  try {
    if (descr === undefined) readGeneric(s, out);
    else if (descr.classIn && (rrclass & 0xffff) !== 1) return new Uint8Array(0);
    else readFields(s, descr.fields, out);
  } catch (e) {
    if (e instanceof Fail) throw new DnsTextError(e.reason, text);
    throw e;
  }
  return out.result();
}

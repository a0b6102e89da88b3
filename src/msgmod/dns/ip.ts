/**
 * IP address text as C `inet_ntop` (and wdns's fast_inet_ntop) writes it: dotted quad for
 * IPv4; for IPv6 lower-case hex groups, the first longest run of two or more zero groups as
 * `::`, and the embedded-IPv4 forms `::a.b.c.d` and `::ffff:a.b.c.d`.
 *
 * @module
 */

import { TextSink } from "./_sink.ts";

const HEX: Uint8Array = new TextEncoder().encode("0123456789abcdef");

// Each byte value's decimal digits (up to 3, from OCTET[3v]) and their count.
const OCTET = new Uint8Array(256 * 3);
const OCTET_LEN = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  const s = String(v);
  OCTET_LEN[v] = s.length;
  for (let k = 0; k < s.length; k++) OCTET[3 * v + k] = s.charCodeAt(k);
}

/** Writes the IPv4 address at `data[off..off+4)` into `sink`. */
export function writeIpv4(sink: TextSink, data: Uint8Array, off: number): void {
  if (sink.len + 15 > sink.buf.length) sink.reserve(15);
  const b = sink.buf;
  let q = sink.len;
  for (let k = 0; k < 4; k++) {
    if (k !== 0) b[q++] = 0x2e;
    const v = data[off + k]!;
    const at = 3 * v;
    const n = OCTET_LEN[v]!;
    b[q++] = OCTET[at]!;
    if (n > 1) b[q++] = OCTET[at + 1]!;
    if (n > 2) b[q++] = OCTET[at + 2]!;
  }
  sink.len = q;
}

const words = new Uint16Array(8);

/** Writes the IPv6 address at `data[off..off+16)` into `sink`. */
export function writeIpv6(sink: TextSink, data: Uint8Array, off: number): void {
  // The first longest run of two or more zero groups becomes "::".
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    const w = (data[off + 2 * i]! << 8) | data[off + 2 * i + 1]!;
    words[i] = w;
    if (w === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else {
        curLen++;
      }
    } else if (curBase !== -1) {
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && curLen > bestLen) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestLen < 2) bestBase = -1;
  if (
    bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))
  ) {
    // Embedded IPv4: "::a.b.c.d" or "::ffff:a.b.c.d".
    sink.byte(0x3a);
    sink.byte(0x3a);
    if (bestLen === 5) sink.ascii("ffff:");
    writeIpv4(sink, data, off + 12);
    return;
  }
  if (sink.len + 41 > sink.buf.length) sink.reserve(41);
  const b = sink.buf;
  let q = sink.len;
  for (let i = 0; i < 8; i++) {
    if (i === bestBase) {
      b[q++] = 0x3a;
      i += bestLen - 1;
      if (i === 7) b[q++] = 0x3a;
      continue;
    }
    if (i !== 0) b[q++] = 0x3a;
    const w = words[i]!;
    if (w >= 0x1000) b[q++] = HEX[w >> 12]!;
    if (w >= 0x100) b[q++] = HEX[(w >> 8) & 15]!;
    if (w >= 0x10) b[q++] = HEX[(w >> 4) & 15]!;
    b[q++] = HEX[w & 15]!;
  }
  sink.len = q;
}

const scratch = new TextSink(64);
/** The text being parsed, as bytes (reused; an address is short). */
let textBytes = new Uint8Array(64);

/**
 * Text of a 4-byte (IPv4) or 16-byte (IPv6) address, as `inet_ntop` writes it.
 *
 * @example
 * ```ts
 * import { ipToText } from "./ip.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ipToText(new Uint8Array([192, 0, 2, 1])), "192.0.2.1");
 * assert.equal(ipToText(new Uint8Array(16)), "::");
 * assert.equal(ipToText(new Uint8Array(3)), undefined);
 * ```
 *
 * @param data The address bytes.
 * @returns The text, or `undefined` if the length is neither 4 nor 16.
 */
export function ipToText(data: Uint8Array): string | undefined {
  scratch.clip(0);
  if (data.length === 4) writeIpv4(scratch, data, 0);
  else if (data.length === 16) writeIpv6(scratch, data, 0);
  else return undefined;
  return scratch.text();
}

/** `inet_pton(AF_INET)` (glibc): four decimal octets, no leading zeros, nothing else. */
export function parseIpv4(
  s: Uint8Array,
  from: number,
  to: number,
  out: Uint8Array,
  at: number,
): boolean {
  let sawDigit = false;
  let octets = 0;
  let cur = 0;
  let tp = at;
  for (let i = from; i < to; i++) {
    const ch = s[i]!;
    if (ch >= 0x30 && ch <= 0x39) {
      const v = cur * 10 + (ch - 0x30);
      if (sawDigit && cur === 0) return false;
      if (v > 255) return false;
      cur = v;
      if (!sawDigit) {
        if (++octets > 4) return false;
        sawDigit = true;
      }
    } else if (ch === 0x2e && sawDigit) {
      if (octets === 4) return false;
      out[tp++] = cur;
      cur = 0;
      sawDigit = false;
    } else {
      return false;
    }
  }
  if (octets < 4) return false;
  out[tp] = cur;
  return true;
}

/** `inet_pton(AF_INET6)` (glibc 2.26+ rules). */
export function parseIpv6(s: Uint8Array, from: number, to: number, out: Uint8Array): boolean {
  const tmp = new Uint8Array(16);
  let tp = 0;
  let colonp = -1;
  let src = from;
  if (src === to) return false;
  if (s[src] === 0x3a) {
    ++src;
    if (src === to || s[src] !== 0x3a) return false;
  }
  let curtok = src;
  let digits = 0;
  let val = 0;
  while (src < to) {
    const ch = s[src++]!;
    const d = hexValue(ch);
    if (d >= 0) {
      if (digits === 4) return false;
      val = (val << 4) | d;
      digits++;
      continue;
    }
    if (ch === 0x3a) {
      curtok = src;
      if (digits === 0) {
        if (colonp >= 0) return false;
        colonp = tp;
        continue;
      } else if (src === to) {
        return false;
      }
      if (tp + 2 > 16) return false;
      tmp[tp++] = val >> 8;
      tmp[tp++] = val & 0xff;
      digits = 0;
      val = 0;
      continue;
    }
    if (ch === 0x2e && tp + 4 <= 16 && parseIpv4(s, curtok, to, tmp, tp)) {
      tp += 4;
      digits = 0;
      break;
    }
    return false;
  }
  if (digits > 0) {
    if (tp + 2 > 16) return false;
    tmp[tp++] = val >> 8;
    tmp[tp++] = val & 0xff;
  }
  if (colonp >= 0) {
    if (tp === 16) return false;
    const n = tp - colonp;
    tmp.copyWithin(16 - n, colonp, tp);
    tmp.fill(0, colonp, 16 - n);
    tp = 16;
  }
  if (tp !== 16) return false;
  out.set(tmp);
  return true;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

/**
 * Parses an address like the C toolkit's `ip` field parsers: `inet_pton` for IPv4 first,
 * then IPv6 (glibc rules: no leading zeros in IPv4 octets, at most one `::`, an embedded
 * IPv4 tail allowed).
 *
 * @example
 * ```ts
 * import { ipFromText } from "./ip.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(ipFromText("192.0.2.1"), new Uint8Array([192, 0, 2, 1]));
 * assert.equal(ipFromText("::1")?.length, 16);
 * assert.equal(ipFromText("192.0.2.01"), undefined);
 * ```
 *
 * @param text The address text.
 * @returns 4 or 16 bytes, or `undefined` if neither form parses.
 */
export function ipFromText(text: string): Uint8Array | undefined {
  // Only ASCII can parse: other text is refused without encoding it (JSON and
  // presentation input parse an address or two per line).
  const n = text.length;
  if (n > textBytes.length) textBytes = new Uint8Array(n);
  const s = textBytes;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return undefined;
    s[i] = c;
  }
  const v4 = new Uint8Array(4);
  if (parseIpv4(s, 0, n, v4, 0)) return v4;
  const v6 = new Uint8Array(16);
  if (parseIpv6(s, 0, n, v6)) return v6;
  return undefined;
}

// Writing rendered output as bytes: text, C strings, JSON strings (libnmsg's UTF-8 repair
// and escaping) and numbers, appended to a TextSink.

import { JSON_ESCAPES, TextSink, writeBase64Range } from "./_dns_bytes.ts";
import { bytesText, ESCAPE_BASE } from "./_text.ts";
import { utcParts } from "./_number.ts";
import type { Aliases } from "./aliases.ts";

const encoder = new TextEncoder();

/** Encodes a string once, for constants written often. */
export function ascii(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * Appends text as UTF-8; lone surrogates U+DC80–U+DCFF (byte-faithful text) become the raw
 * bytes they stand for.
 */
export function writeText(out: TextSink, s: string): void {
  const n = s.length;
  out.reserve(n * 3);
  if (n > 32 && s.isWellFormed()) {
    // Native encoding beats a byte loop beyond a few characters.
    out.len += encoder.encodeInto(s, out.buf.subarray(out.len)).written;
    return;
  }
  const b = out.buf;
  let p = out.len;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      out.len = p;
      writeTextSlow(out, s, i);
      return;
    }
    b[p++] = c;
  }
  out.len = p;
}

function writeTextSlow(out: TextSink, s: string, from: number): void {
  const rest = s.slice(from);
  if (rest.isWellFormed()) {
    out.len += encoder.encodeInto(rest, out.buf.subarray(out.len)).written;
    return;
  }
  for (const ch of rest) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= ESCAPE_BASE + 0x80 && c <= ESCAPE_BASE + 0xff) {
      out.byte(c - ESCAPE_BASE);
    } else {
      out.len += encoder.encodeInto(ch, out.buf.subarray(out.len)).written;
    }
  }
}

// The last base64 written: its bytes, and where its text is in which sink.
let lastData: Uint8Array | undefined;
let lastSink: TextSink | undefined;
let lastAt = 0;
let lastLen = 0;

/** Forgets the last base64 text (bytes may change between messages). */
export function forgetBase64(): void {
  lastData = undefined;
  lastSink = undefined;
}

/** Appends standard base64 with padding. */
export function writeBase64(out: TextSink, data: Uint8Array): void {
  // dnsqr's `response` and `dns` are the same bytes, one after the other (the memory lasts
  // for one message: see forgetBase64): the second is a copy of the first's text.
  if (data === lastData && out === lastSink && lastAt + lastLen <= out.len) {
    out.reserve(lastLen);
    out.buf.copyWithin(out.len, lastAt, lastAt + lastLen);
    out.len += lastLen;
    return;
  }
  lastAt = out.len;
  writeBase64Range(out, data, 0, data.length);
  lastData = data;
  lastSink = out;
  lastLen = out.len - lastAt;
}

/** Appends bytes up to the first NUL (C `%.*s`). */
export function writeCString(out: TextSink, b: Uint8Array): void {
  const nul = b.indexOf(0);
  out.range(b, 0, nul < 0 ? b.length : nul);
}

/** Appends bytes JSON-escaped as libnmsg escapes them (`/`, DEL and bytes ≥ 0x80 kept). */
export function writeEscaped(out: TextSink, b: Uint8Array, start = 0, end = b.length): void {
  out.reserve((end - start) * 6);
  const buf = out.buf;
  let p = out.len;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    const e = JSON_ESCAPES[c];
    if (e === undefined) buf[p++] = c;
    else for (let k = 0; k < e.length; k++) buf[p++] = e[k]!;
  }
  out.len = p;
}

/** Appends a string as a JSON string literal (quotes included). */
export function writeJsonText(out: TextSink, s: string): void {
  out.byte(0x22);
  const start = out.len;
  writeText(out, s);
  out.escapeJsonSince(start);
  out.byte(0x22);
}

const REPLACEMENT = ascii("\ufffd");

/** Length of the sequence at `i` libnmsg's UTF-8 check accepts; negative if overlong; 0 if bad. */
function sequence(b: Uint8Array, i: number, end: number): number {
  const c = b[i]!;
  const cont = (k: number) => i + k < end && (b[i + k]! & 0xc0) === 0x80;
  if ((c & 0xe0) === 0xc0 && cont(1)) return c === 0xc0 || c === 0xc1 ? -2 : 2;
  if ((c & 0xf0) === 0xe0 && cont(1) && cont(2)) return c === 0xe0 && b[i + 1]! < 0xa0 ? -3 : 3;
  if ((c & 0xf8) === 0xf0 && cont(1) && cont(2) && cont(3)) {
    return c === 0xf0 && b[i + 1]! < 0x90 ? -4 : 4;
  }
  return 0;
}

/**
 * Appends a `string`/`mlstring` field as a JSON string literal: libnmsg's UTF-8 repair (one
 * U+FFFD per bad byte or per overlong sequence), each repaired segment cut at its first
 * NUL, then JSON escaping.
 */
export function writeJsonCString(out: TextSink, b: Uint8Array): void {
  out.byte(0x22);
  const end = b.length;
  let i = 0;
  while (i < end) {
    const c = b[i]!;
    if (c === 0 || c >= 0x80) break;
    i++;
  }
  writeEscaped(out, b, 0, i);
  let cut = false; // a NUL was seen in the current segment
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      if (c === 0) cut = true;
      else if (!cut) writeEscaped(out, b, i, i + 1);
      i++;
      continue;
    }
    const n = sequence(b, i, end);
    if (n > 0) {
      if (!cut) out.range(b, i, i + n);
      i += n;
    } else {
      out.lit(REPLACEMENT);
      i += n < 0 ? -n : 1;
      cut = false;
    }
  }
  out.byte(0x22);
}

function two(out: TextSink, sep: number, n: number): void {
  out.byte(sep);
  out.byte(0x30 + ((n / 10) | 0));
  out.byte(0x30 + (n % 10));
}

// Times repeat from payload to payload: a direct-mapped cache of their text.
const SLOTS = 1024;
const SLOT_SIZE = 32;
const cachedSec = new Float64Array(SLOTS).fill(NaN);
const cachedLen = new Uint8Array(SLOTS);
const cachedText = new Uint8Array(SLOTS * SLOT_SIZE);

/** Appends `strftime("%Y-%m-%d %T")` of `sec` seconds since the epoch, in UTC. */
export function writeUtc(out: TextSink, sec: number): void {
  const slot = (sec >>> 0) & (SLOTS - 1);
  const at = slot * SLOT_SIZE;
  if (cachedSec[slot] === sec) {
    const n = cachedLen[slot]!;
    out.reserve(n);
    const b = out.buf;
    let p = out.len;
    for (let i = at; i < at + n; i++) b[p++] = cachedText[i]!;
    out.len = p;
    return;
  }
  const start = out.len;
  const t = utcParts(sec);
  writeInt(out, t[0]!);
  two(out, 0x2d, t[1]!);
  two(out, 0x2d, t[2]!);
  two(out, 0x20, t[3]!);
  two(out, 0x3a, t[4]!);
  two(out, 0x3a, t[5]!);
  const n = out.len - start;
  if (n <= SLOT_SIZE) {
    const b = out.buf;
    for (let i = 0; i < n; i++) cachedText[at + i] = b[start + i]!;
    cachedLen[slot] = n;
    cachedSec[slot] = sec;
  }
}

const HEX = ascii("0123456789abcdef");

/** Appends a 32-bit number as eight lower-case hex digits (`%08x`). */
export function writeHex32(out: TextSink, n: number): void {
  out.reserve(8);
  const b = out.buf;
  let p = out.len;
  for (let shift = 28; shift >= 0; shift -= 4) b[p++] = HEX[(n >>> shift) & 15]!;
  out.len = p;
}

/**
 * The source, operator or group a record shows: the output's own (`--set*`) when
 * non-zero, else the payload's; 0 for none.
 */
export function shownId(override: number | undefined, own: number | undefined): number {
  return (override || own || 0) >>> 0;
}

/** The alias of an operator (or, with `group`, a group) id, if there is one. */
export function idAlias(
  aliases: Aliases | undefined,
  group: boolean,
  id: number,
): string | undefined {
  if (aliases === undefined) return undefined;
  return group ? aliases.groupName(id) : aliases.operatorName(id);
}

/** Appends an integer in decimal (negative numbers with a minus sign). */
export function writeInt(out: TextSink, n: number): void {
  if (n < 0) {
    out.byte(0x2d);
    out.uint(-n);
  } else out.uint(n);
}

/** The renderers' output buffer, shared by all of them (one render at a time). */
export const sink: TextSink = new TextSink(1 << 16);

/** Byte-faithful text of a sink's contents from `start`. */
export function sinkText(out: TextSink, start = 0): string {
  return bytesText(out.buf, start, out.len);
}

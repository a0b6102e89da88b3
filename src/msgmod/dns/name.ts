/**
 * Domain names: wire form → text (`wdns_domain_to_str`), text → wire
 * (`wdns_str_to_name` / `wdns_str_to_name_case`), and the name walks the message parser and
 * the dnsqr/dnstap header readers need.
 *
 * @module
 */

import { DnsTextError } from "./errors.ts";
import { TextSink } from "./_sink.ts";

/** Longest wire-form name wdns accepts, root label included. */
export const MAX_NAME_LENGTH = 255;

// Per byte: how it appears inside a label. `.` and `\` get a backslash, `!`..`~` stay,
// everything else (space included) becomes \DDD.
const LABEL_ESCAPES: Uint8Array[] = [];
for (let c = 0; c < 256; c++) {
  let s: string;
  if (c === 0x2e || c === 0x5c) s = "\\" + String.fromCharCode(c);
  else if (c >= 0x21 && c <= 0x7e) s = String.fromCharCode(c);
  else s = "\\" + String(c).padStart(3, "0");
  LABEL_ESCAPES.push(new TextEncoder().encode(s));
}
// 1 for the bytes written as they are and that JSON strings need not escape (`"` is
// written as it is, but takes the other path so that it is noticed).
const PLAIN = new Uint8Array(256);
for (let c = 0x21; c <= 0x7e; c++) PLAIN[c] = c === 0x2e || c === 0x5c || c === 0x22 ? 0 : 1;

/**
 * Writes the text of the name stored at `data[start..end)` the way `wdns_domain_to_str`
 * does: labels are taken as laid out (no compression pointers, no length-octet checks),
 * reading stops at a zero length octet or at `end`; a name with no label is `.`.
 *
 * @returns Whether the text holds a `\` or `"` (which a JSON string must escape).
 */
export function writeName(sink: TextSink, data: Uint8Array, start: number, end: number): boolean {
  let p = start;
  if (p >= end || data[p] === 0) {
    sink.byte(0x2e);
    return false;
  }
  // At most 4 text bytes per name byte (\DDD), and a dot per length octet.
  if (sink.len + (end - start) * 4 > sink.buf.length) sink.reserve((end - start) * 4);
  const b = sink.buf;
  let q = sink.len;
  let special = false;
  while (p < end) {
    const oclen = data[p++]!;
    if (oclen === 0) break;
    const stop = p + oclen < end ? p + oclen : end;
    for (; p < stop; p++) {
      const c = data[p]!;
      if (PLAIN[c] === 1) {
        b[q++] = c;
      } else {
        const e = LABEL_ESCAPES[c]!;
        for (let k = 0; k < e.length; k++) b[q++] = e[k]!;
        special = true;
      }
    }
    b[q++] = 0x2e;
  }
  sink.len = q;
  return special;
}

/** {@linkcode writeName}, JSON-escaped for inside a JSON string. */
export function writeNameEscaped(
  sink: TextSink,
  data: Uint8Array,
  start: number,
  end: number,
): void {
  // Most names have nothing to escape, and writeName says so without a second scan.
  const mark = sink.len;
  if (writeName(sink, data, start, end)) sink.escapeJsonSince(mark);
}

const scratch = new TextSink(1100);

/**
 * Text of an uncompressed wire-form name, exactly as `wdns_domain_to_str` writes it:
 * `.` and `\` escaped with a backslash, bytes `!`..`~` literal, every other byte (space
 * included) as `\DDD`; each label followed by `.`; the root (or an empty input) is `.`.
 * Case is kept. The bytes are not validated: labels run to the end of the view at most.
 *
 * @example
 * ```ts
 * import { nameToText } from "./name.ts";
 * import assert from "node:assert/strict";
 *
 * const wire = new Uint8Array([3, 0x61, 0x2e, 0x62, 4, 0x63, 0x20, 0x64, 1, 0]);
 * assert.equal(nameToText(wire), "a\\.b.c\\032d\\001.");
 * assert.equal(nameToText(new Uint8Array([0])), ".");
 * ```
 *
 * @param wire The name in wire form (a view; not modified).
 * @returns The presentation text.
 */
export function nameToText(wire: Uint8Array): string {
  scratch.clip(0);
  writeName(scratch, wire, 0, wire.length);
  return scratch.text();
}

/**
 * The text a name field hook (`dns_name_print` / `dns_name_format`, base and SIE alike)
 * renders: the name text, or `""` when the field is empty or longer than 255 bytes.
 * Presentation omits the whole `name: value` line for `""`; JSON emits `""`.
 *
 * @example
 * ```ts
 * import { nameFieldToText } from "./name.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(nameFieldToText(new Uint8Array([3, 0x63, 0x6f, 0x6d, 0])), "com.");
 * assert.equal(nameFieldToText(new Uint8Array(0)), "");
 * ```
 *
 * @param data The field bytes, or `undefined` when absent.
 * @returns The text, possibly empty.
 */
export function nameFieldToText(data: Uint8Array | undefined): string {
  if (data === undefined || data.length === 0 || data.length > MAX_NAME_LENGTH) return "";
  return nameToText(data);
}

const encoder = new TextEncoder();

/** Options of {@linkcode nameFromText}. */
export interface NameFromTextOptions {
  /** Lower-case unescaped `A`–`Z` (`wdns_str_to_name`); default false (`wdns_str_to_name_case`). */
  downcase?: boolean;
}

/**
 * Parses a domain name the way `wdns_str_to_name_case` (or, with `downcase`,
 * `wdns_str_to_name`) does. `""` and `"."` are the root; labels split on unescaped `.`;
 * `\c` is the character c, `\DDD` a byte (exactly three digits, at most 255); the final
 * dot may be omitted. Like wdns, a label longer than 63 bytes is not rejected (its length
 * octet is written as is). Non-ASCII text is taken as its UTF-8 bytes; text after a NUL
 * character is ignored, as a C string would end there.
 *
 * @example
 * ```ts
 * import { nameFromText, nameToText } from "./name.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(nameToText(nameFromText("WWW.Example.com")), "WWW.Example.com.");
 * assert.equal(nameToText(nameFromText("WWW.Example.com", { downcase: true })), "www.example.com.");
 * assert.deepEqual(nameFromText(""), new Uint8Array([0]));
 * ```
 *
 * @param text The name text.
 * @param options Case handling.
 * @returns The wire-form name (at most 255 bytes).
 * @throws {DnsTextError} On an empty label, a bad escape or a name over 255 bytes.
 */
export function nameFromText(text: string, options: NameFromTextOptions = {}): Uint8Array {
  const r = parseName(cString(text), options.downcase === true);
  if (r instanceof Uint8Array) return r;
  throw new DnsTextError(r.reason, text);
}

/** Why a name did not parse; `overflow` distinguishes wdns `name_overflow` from `parse_error`. */
export interface NameParseFailure {
  /** What is wrong. */
  reason: string;
  /** True for a name over 255 bytes. */
  overflow: boolean;
}

const cStringBuf = new Uint8Array(4096);

/**
 * The bytes a C string made from `text` would hold: UTF-8, cut at the first NUL. The
 * result may be a view of a buffer the next call overwrites: the parsers only read it.
 */
export function cString(text: string): Uint8Array {
  const n = text.length;
  // ASCII without NUL (the usual case) converts directly, into a reused buffer: a fresh
  // array per name or rdata was a measurable share of JSON input. Rare long texts get
  // their own array, so that the shared one stays small.
  const out = n <= cStringBuf.length ? cStringBuf.subarray(0, n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0 || c > 0x7f) return cStringSlow(text);
    out[i] = c;
  }
  return out;
}

function cStringSlow(text: string): Uint8Array {
  const nul = text.indexOf("\0");
  return encoder.encode(nul >= 0 ? text.slice(0, nul) : text);
}

const OVERFLOW: NameParseFailure = { reason: "domain name longer than 255 bytes", overflow: true };
const EMPTY_LABEL: NameParseFailure = { reason: "empty label in domain name", overflow: false };
const BAD_ESCAPE: NameParseFailure = { reason: "bad escape in domain name", overflow: false };

const nameBuf = new Uint8Array(MAX_NAME_LENGTH);

/** `_wdns_str_to_name` over C-string bytes. */
export function parseName(src: Uint8Array, downcase: boolean): Uint8Array | NameParseFailure {
  const n = src.length;
  if (n === 0 || (n === 1 && src[0] === 0x2e)) return new Uint8Array(1);
  const out = nameBuf;
  let lenPos = 0;
  let len = 1; // bytes of `out` in use, counting the pending length octet
  let labelLen = 0;
  let i = 0;
  while (i < n) {
    if (len >= MAX_NAME_LENGTH) return OVERFLOW;
    let c = src[i++]!;
    if (c === 0x5c) {
      if (i >= n) return BAD_ESCAPE;
      const d = src[i]!;
      if (d < 0x30 || d > 0x39) {
        out[len++] = d;
        i++;
      } else {
        if (i + 3 > n) return BAD_ESCAPE;
        const d1 = src[i + 1]!;
        const d2 = src[i + 2]!;
        if (d1 < 0x30 || d1 > 0x39 || d2 < 0x30 || d2 > 0x39) return BAD_ESCAPE;
        const v = (d - 0x30) * 100 + (d1 - 0x30) * 10 + (d2 - 0x30);
        if (v > 255) return BAD_ESCAPE;
        out[len++] = v;
        i += 3;
      }
      labelLen++;
    } else if (c === 0x2e) {
      if (labelLen === 0) return EMPTY_LABEL;
      out[lenPos] = labelLen;
      lenPos = len++;
      labelLen = 0;
      if (i === n) {
        out[lenPos] = 0;
        return out.slice(0, len);
      }
    } else {
      if (downcase && c >= 0x41 && c <= 0x5a) c |= 0x20;
      out[len++] = c;
      labelLen++;
    }
  }
  // End of text without a final dot: close the label and add the root.
  if (len === MAX_NAME_LENGTH) return OVERFLOW;
  out[lenPos] = labelLen;
  out[len++] = 0;
  return out.slice(0, len);
}

/**
 * Where a name laid out at `offset` ends, as `wdns_skip_name` finds it: after the zero
 * label, or after a two-byte compression pointer, without following pointers; clamped to
 * the end of `data`. The dnsqr capture engine and dnstap take the bytes in between as the
 * raw `qname`.
 *
 * @example
 * ```ts
 * import { skipName } from "./name.ts";
 * import assert from "node:assert/strict";
 *
 * const pkt = new Uint8Array([1, 0x61, 0, 0, 1, 0xc0, 0x0c, 9]);
 * assert.equal(skipName(pkt, 0), 3);
 * assert.equal(skipName(pkt, 5), 7);
 * ```
 *
 * @param data The buffer holding the name (e.g. a whole DNS message).
 * @param offset Where the name starts.
 * @param end Where the data ends (default: the end of `data`).
 * @returns The offset just past the name (at most `end`).
 */
export function skipName(data: Uint8Array, offset: number, end: number = data.length): number {
  let p = offset;
  while (p < end) {
    const c = data[p]!;
    if (c === 0) break;
    if (c >= 192) {
      p++;
      break;
    }
    p += c + 1;
  }
  p++;
  return p > end ? end : p;
}

// Bytes ↔ text for rendering. Output text is "byte-faithful": valid UTF-8 becomes the
// characters it encodes, and every byte that is not part of a valid sequence becomes the
// lone surrogate U+DC80 + (byte - 0x80), so encodeText() gets the exact bytes back.

const fatal = new TextDecoder("utf-8", { fatal: true });

/** Bytes that are not valid UTF-8 become U+DC00 + byte in rendered text. */
export const ESCAPE_BASE = 0xdc00;

/** Latin-1 text of bytes known to be ASCII. */
export function asciiText(b: Uint8Array, start = 0, end = b.length): string {
  const n = end - start;
  if (n <= 0) return "";
  if (n < 4096) {
    return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  }
  let s = "";
  for (let i = start; i < end; i += 4096) s += asciiText(b, i, Math.min(end, i + 4096));
  return s;
}

function isAscii(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i]! >= 0x80) return false;
  return true;
}

/** The code point of the valid UTF-8 sequence at `i` (WHATWG rules), or -1. */
function strictSequence(b: Uint8Array, i: number, end: number): number {
  const c = b[i]!;
  if (c >= 0xc2 && c <= 0xdf) {
    if (i + 1 < end && (b[i + 1]! & 0xc0) === 0x80) return ((c & 0x1f) << 6) | (b[i + 1]! & 0x3f);
    return -1;
  }
  if (c >= 0xe0 && c <= 0xef) {
    if (i + 2 >= end) return -1;
    const c1 = b[i + 1]!;
    const c2 = b[i + 2]!;
    if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return -1;
    const cp = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
    return cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) ? -1 : cp;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (i + 3 >= end) return -1;
    const c1 = b[i + 1]!;
    const c2 = b[i + 2]!;
    const c3 = b[i + 3]!;
    if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80 || (c3 & 0xc0) !== 0x80) return -1;
    const cp = ((c & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
    return cp < 0x10000 || cp > 0x10ffff ? -1 : cp;
  }
  return -1;
}

function sequenceLength(cp: number): number {
  return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Byte-faithful text of `b[start, end)`. */
export function bytesText(b: Uint8Array, start = 0, end = b.length): string {
  if (isAscii(b, start, end)) return asciiText(b, start, end);
  const sub = b.subarray(start, end);
  try {
    return fatal.decode(sub);
  } catch {
    let s = "";
    for (let i = start; i < end;) {
      const c = b[i]!;
      if (c < 0x80) {
        s += String.fromCharCode(c);
        i++;
        continue;
      }
      const cp = strictSequence(b, i, end);
      if (cp < 0) {
        s += String.fromCharCode(ESCAPE_BASE + c);
        i++;
      } else {
        s += String.fromCodePoint(cp);
        i += sequenceLength(cp);
      }
    }
    return s;
  }
}

/** Byte-faithful text of `b` up to its first NUL (C `%.*s`). */
export function cText(b: Uint8Array): string {
  const nul = b.indexOf(0);
  return bytesText(b, 0, nul < 0 ? b.length : nul);
}

const HEX = "0123456789abcdef";
const ESCAPES: string[] = [];
for (let c = 0; c < 0x20; c++) ESCAPES[c] = "\\u00" + HEX[c >> 4] + HEX[c & 15];
ESCAPES[0x08] = "\\b";
ESCAPES[0x0c] = "\\f";
ESCAPES[0x0a] = "\\n";
ESCAPES[0x0d] = "\\r";
ESCAPES[0x09] = "\\t";
ESCAPES[0x22] = '\\"';
ESCAPES[0x5c] = "\\\\";

/** `s` escaped as libnmsg escapes JSON strings (no quotes added; `/` and DEL kept). */
export function escapeJson(s: string): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) break;
  }
  if (i === s.length) return s;
  let out = "";
  let last = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) {
      out += s.slice(last, i) + ESCAPES[c];
      last = i + 1;
    }
  }
  return out + s.slice(last);
}

function plainAscii(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** Whether bytes `b[i…]` start a sequence libnmsg's UTF-8 check accepts; its length or 0. */
function lenientSequence(b: Uint8Array, i: number, end: number): number {
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
 * A `string`/`mlstring` field as a JSON string literal (quotes included): libnmsg's UTF-8
 * repair (one U+FFFD per bad byte or per overlong sequence), each repaired segment cut at
 * its first NUL, then JSON escaping.
 */
export function jsonStringLiteral(b: Uint8Array): string {
  const end = b.length;
  if (plainAscii(b, 0, end)) return '"' + asciiText(b, 0, end) + '"';
  let out = "";
  let cut = false; // a NUL was seen in the current segment
  for (let i = 0; i < end;) {
    const c = b[i]!;
    if (c < 0x80) {
      if (c === 0) cut = true;
      else if (!cut) {
        out += c < 0x20 || c === 0x22 || c === 0x5c ? ESCAPES[c] : String.fromCharCode(c);
      }
      i++;
      continue;
    }
    const n = lenientSequence(b, i, end);
    if (n > 0) {
      if (!cut) out += bytesText(b, i, i + n);
      i += n;
    } else {
      out += "\ufffd";
      i += n < 0 ? -n : 1;
      cut = false;
    }
  }
  return '"' + out + '"';
}

/** Any text as a JSON string literal with libnmsg's escaping. */
export function jsonQuote(s: string): string {
  return '"' + escapeJson(s) + '"';
}

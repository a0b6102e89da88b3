// Bytes → text for rendering. Output text is "byte-faithful": valid UTF-8 becomes the
// characters it encodes, and every byte that is not part of a valid sequence becomes the
// lone surrogate U+DC00 + byte, so encodeText() gets the exact bytes back.

const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** Bytes that are not valid UTF-8 become U+DC00 + byte in rendered text. */
export const ESCAPE_BASE = 0xdc00;

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
  const n = end - start;
  if (n <= 0) return "";
  if (n <= 32) {
    let plain = true;
    for (let i = start; i < end; i++) if (b[i]! >= 0x80) plain = false;
    if (plain) {
      return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
    }
  }
  // The lenient decoder is much faster than a fatal one; a U+FFFD in its output means the
  // bytes were invalid (or held a real U+FFFD), and only then is the exact path taken.
  const text = decoder.decode(b.subarray(start, end));
  if (!text.includes("\ufffd")) return text;
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

/** Byte-faithful text of `b` up to its first NUL (C `%.*s`). */
export function cText(b: Uint8Array): string {
  const nul = b.indexOf(0);
  return bytesText(b, 0, nul < 0 ? b.length : nul);
}

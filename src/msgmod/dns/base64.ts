/**
 * Base64 as the C toolkit's libb64 does it: standard alphabet with `=` padding and no line
 * breaks when encoding; when decoding every character outside the alphabet (spaces, `=`,
 * garbage) is skipped silently and a trailing partial byte is dropped.
 *
 * @module
 */

import { TextSink } from "./_sink.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const ENC = new TextEncoder().encode(ALPHABET);
const DEC = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) DEC[ALPHABET.charCodeAt(i)] = i;

// The two characters of each 12-bit value, as one little-endian 16-bit unit.
const PAIRS = new Uint16Array(4096);
for (let v = 0; v < 4096; v++) PAIRS[v] = ENC[v >> 6]! | (ENC[v & 63]! << 8);

/** Writes the base64 of `data[from..to)` into `sink`. */
export function writeBase64(sink: TextSink, data: Uint8Array, from: number, to: number): void {
  const n = to - from;
  sink.reserve(Math.ceil(n / 3) * 4);
  const b = sink.buf;
  let p = sink.len;
  let i = from;
  for (; i + 2 < to; i += 3) {
    const v = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
    const hi = PAIRS[v >> 12]!;
    const lo = PAIRS[v & 4095]!;
    b[p] = hi & 255;
    b[p + 1] = hi >> 8;
    b[p + 2] = lo & 255;
    b[p + 3] = lo >> 8;
    p += 4;
  }
  if (i < to) {
    const two = i + 1 < to;
    const v = (data[i]! << 16) | (two ? data[i + 1]! << 8 : 0);
    b[p++] = ENC[v >> 18]!;
    b[p++] = ENC[(v >> 12) & 63]!;
    b[p++] = two ? ENC[(v >> 6) & 63]! : 0x3d;
    b[p++] = 0x3d;
  }
  sink.len = p;
}

const scratch = new TextSink(256);

/**
 * Standard base64 with padding (the JSON rendering of `bytes` fields and of DNSKEY/RRSIG data).
 *
 * @example
 * ```ts
 * import { base64Encode } from "./base64.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(base64Encode(new Uint8Array([0, 1, 2])), "AAEC");
 * assert.equal(base64Encode(new Uint8Array([0xff])), "/w==");
 * ```
 *
 * @param data The bytes.
 * @returns The base64 text.
 */
export function base64Encode(data: Uint8Array): string {
  scratch.clip(0);
  writeBase64(scratch, data, 0, data.length);
  return scratch.text();
}

/**
 * Decodes base64 the lenient libb64 way: characters outside `A–Z a–z 0–9 + /` are skipped
 * (so padding and whitespace are ignored) and leftover bits that do not fill a byte are dropped.
 *
 * @example
 * ```ts
 * import { base64Decode } from "./base64.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(base64Decode("AA EC"), new Uint8Array([0, 1, 2]));
 * assert.deepEqual(base64Decode("/w=="), new Uint8Array([0xff]));
 * ```
 *
 * @param text The base64 text (only its UTF-16 code units below 256 can be alphabet characters).
 * @returns The decoded bytes.
 */
export function base64Decode(text: string): Uint8Array {
  // Text the native decoder accepts (the alphabet, ASCII blanks, padding only at the end)
  // decodes to the same bytes either way; anything else takes the lenient path.
  try {
    return Uint8Array.fromBase64(text);
  } catch {
    return lenientDecode(text);
  }
}

function lenientDecode(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 1);
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 256 ? DEC[c]! : -1;
    if (v < 0) continue;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

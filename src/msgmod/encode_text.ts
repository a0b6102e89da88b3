/**
 * Turning rendered text into the bytes nmsgtool writes.
 *
 * @module
 */

import { ESCAPE_BASE } from "./_text.ts";

const encoder = new TextEncoder();

/**
 * Encodes rendered text ({@linkcode formatPresentation}, {@linkcode formatJson}) to the exact
 * bytes the C tools write: UTF-8, except that the lone surrogates U+DC80–U+DCFF stand for
 * the raw bytes 0x80–0xFF of field data that is not valid UTF-8. For well-formed text this
 * is `TextEncoder`'s output.
 *
 * @param s Rendered text.
 * @returns The bytes to write.
 *
 * @example
 * ```ts
 * import { encodeText } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([...encodeText("é\udcff")], [0xc3, 0xa9, 0xff]);
 * ```
 */
export function encodeText(s: string): Uint8Array {
  if (s.isWellFormed()) return encoder.encode(s);
  const out = new Uint8Array(s.length * 3);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u < 0x80) out[n++] = u;
    else if (u < 0x800) {
      out[n++] = 0xc0 | (u >> 6);
      out[n++] = 0x80 | (u & 0x3f);
    } else if (u >= 0xd800 && u <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        const cp = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
        out[n++] = 0xf0 | (cp >> 18);
        out[n++] = 0x80 | ((cp >> 12) & 0x3f);
        out[n++] = 0x80 | ((cp >> 6) & 0x3f);
        out[n++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        n = put3(out, n, u);
      }
    } else if (u >= ESCAPE_BASE + 0x80 && u <= ESCAPE_BASE + 0xff) {
      out[n++] = u - ESCAPE_BASE;
    } else {
      n = put3(out, n, u);
    }
  }
  return out.slice(0, n);
}

function put3(out: Uint8Array, n: number, u: number): number {
  out[n++] = 0xe0 | (u >> 12);
  out[n++] = 0x80 | ((u >> 6) & 0x3f);
  out[n++] = 0x80 | (u & 0x3f);
  return n;
}

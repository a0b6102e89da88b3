/**
 * The zlib codec NMSG uses in Deno, from `node:zlib`.
 *
 * @module
 */

import { deflateSync, inflateSync } from "node:zlib";
import type { ZlibCodec } from "../wire/zlib.ts";

/**
 * zlib through `node:zlib`'s synchronous calls (the fastest option measured in Deno).
 * Inflation is capped at the declared size plus one byte, so a stream that lies about its
 * size fails instead of allocating.
 *
 * @example
 * ```ts
 * import { nodeZlib } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const data = new TextEncoder().encode("hello hello hello");
 * assert.deepEqual(nodeZlib.inflate(nodeZlib.deflate(data), data.length), data);
 * ```
 */
export const nodeZlib: ZlibCodec = {
  inflate(stream: Uint8Array, size: number): Uint8Array {
    return plain(inflateSync(stream, { maxOutputLength: size + 1 }));
  },
  deflate(data: Uint8Array): Uint8Array {
    return plain(deflateSync(data));
  },
};

// node:zlib returns Buffers; callers get plain Uint8Array views of the same memory.
function plain(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/**
 * Adapters between NMSG readers/writers and byte streams: Web Streams on one side,
 * `read(buf)`/`write(buf)` objects such as `Deno.FsFile` and `Deno.stdin` on the other.
 *
 * @module
 */

import type { ByteSource } from "./unit_reader.ts";

/** Anything that writes bytes and may write only part of them, like `Deno.FsFile`. */
export interface ByteSink {
  /** Writes some of `p`; resolves to the number of bytes written. */
  write(p: Uint8Array): Promise<number>;
}

/**
 * Reads a `ReadableStream<Uint8Array>` through the {@linkcode ByteSource} interface.
 *
 * @param stream The stream (e.g. `file.readable`, a `fetch` body, a `DecompressionStream`).
 * @returns A source for {@linkcode UnitReader} and friends.
 *
 * @example
 * ```ts
 * import { sourceFromStream } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const src = sourceFromStream(ReadableStream.from([new Uint8Array([1, 2, 3])]));
 * const buf = new Uint8Array(2);
 * assert.equal(await src.read(buf), 2);
 * assert.equal(await src.read(buf), 1);
 * assert.equal(await src.read(buf), null);
 * ```
 */
export function sourceFromStream(stream: ReadableStream<Uint8Array>): ByteSource {
  const reader = stream.getReader();
  let pending: Uint8Array | undefined;
  return {
    async read(p: Uint8Array): Promise<number | null> {
      while (pending === undefined || pending.length === 0) {
        const { done, value } = await reader.read();
        if (done) return null;
        pending = value;
      }
      const n = Math.min(p.length, pending.length);
      p.set(pending.subarray(0, n));
      pending = pending.subarray(n);
      return n;
    },
  };
}

/**
 * Writes through a `WritableStream<Uint8Array>` with the {@linkcode ByteSink} interface.
 * Each chunk is copied, since writers reuse their buffers.
 *
 * @param stream The stream (e.g. `file.writable`, a `CompressionStream`'s writable side).
 * @returns A sink, and `close()` to close the stream once done.
 *
 * @example
 * ```ts
 * import { sinkFromStream } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const chunks: Uint8Array[] = [];
 * const sink = sinkFromStream(new WritableStream({ write: (c) => void chunks.push(c) }));
 * await sink.write(new Uint8Array([7]));
 * await sink.close();
 * assert.deepEqual(chunks, [new Uint8Array([7])]);
 * ```
 */
export function sinkFromStream(
  stream: WritableStream<Uint8Array>,
): ByteSink & { close(): Promise<void> } {
  const writer = stream.getWriter();
  return {
    async write(p: Uint8Array): Promise<number> {
      await writer.write(p.slice());
      return p.length;
    },
    close(): Promise<void> {
      return writer.close();
    },
  };
}

/**
 * Writes all of `data` to a sink that may write partially.
 *
 * @param sink Where to write.
 * @param data The bytes.
 */
export async function writeAll(sink: ByteSink, data: Uint8Array): Promise<void> {
  for (let off = 0; off < data.length;) off += await sink.write(data.subarray(off));
}

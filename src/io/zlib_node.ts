/**
 * The zlib codec NMSG uses in Deno, from `node:zlib`.
 *
 * @module
 */

import { createInflate, deflateSync, inflateSync } from "node:zlib";
import type { ZlibCodec } from "../wire/zlib.ts";

const Z_FINISH = 4;

/** The part of node:zlib's native handle that inflates into a given buffer. */
interface ZlibHandle {
  reset(): void;
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  onerror: (message: string, errno: number) => void;
}

/**
 * One inflate stream, reset for each container, writing into the caller's buffer.
 * `inflateSync` allocates its output (in 16 KiB pieces, then a copy) for every container;
 * with 1 MiB containers that garbage only gets collected once 64 MiB of it has piled up,
 * which doubled nmsgtool's peak RSS. This goes through node:zlib's handle (`_handle`,
 * `_writeState`, as Node's own zlib.js drives it); where a runtime lacks it, `inflateSync`.
 */
class ReusedInflate {
  readonly #handle: ZlibHandle;
  /** [output bytes left, input bytes left] after each write. */
  readonly #state: Uint32Array;
  #error: string | undefined;

  private constructor(handle: ZlibHandle, state: Uint32Array) {
    this.#handle = handle;
    this.#state = state;
    handle.onerror = (message) => {
      this.#error = message;
    };
  }

  static create(): ReusedInflate | undefined {
    const inflate = createInflate() as unknown as { _handle?: ZlibHandle; _writeState?: unknown };
    const handle = inflate._handle;
    const state = inflate._writeState;
    if (typeof handle?.writeSync !== "function" || !(state instanceof Uint32Array)) {
      return undefined;
    }
    return new ReusedInflate(handle, state);
  }

  /** Inflates all of `stream` into `out` (at most `out.length` bytes); returns the view. */
  inflate(stream: Uint8Array, out: Uint8Array): Uint8Array {
    this.#error = undefined;
    this.#handle.reset();
    this.#handle.writeSync(Z_FINISH, stream, 0, stream.length, out, 0, out.length);
    if (this.#error !== undefined) throw new Error(this.#error);
    return out.subarray(0, out.length - this.#state[0]!);
  }
}

let reused: ReusedInflate | undefined | null;

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
  inflate(stream: Uint8Array, size: number, into?: Uint8Array): Uint8Array {
    if (into !== undefined && into.length > size) {
      if (reused === undefined) reused = ReusedInflate.create() ?? null;
      if (reused !== null) return reused.inflate(stream, into.subarray(0, size + 1));
    }
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

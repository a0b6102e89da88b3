/**
 * The zlib codec NMSG uses in Deno, from `node:zlib`.
 *
 * @module
 */

import { createDeflate, createInflate, deflateSync, inflateSync } from "node:zlib";
import type { ZlibCodec } from "../wire/zlib.ts";

const Z_FINISH = 4;

/** The part of node:zlib's native handle that processes into a given buffer. */
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
 * One zlib stream, reset for each container, writing into the caller's buffer.
 * `inflateSync`/`deflateSync` allocate their output (in 16 KiB pieces, then a copy) for
 * every container; with 1 MiB containers that garbage only gets collected once 64 MiB of
 * it has piled up, which doubled nmsgtool's peak RSS. This goes through node:zlib's handle
 * (`_handle`, `_writeState`, as Node's own zlib.js drives it); where a runtime lacks it,
 * the codec uses the `*Sync` calls.
 */
class ReusedStream {
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

  static create(stream: unknown): ReusedStream | null {
    const { _handle: handle, _writeState: state } = stream as {
      _handle?: ZlibHandle;
      _writeState?: unknown;
    };
    if (typeof handle?.writeSync !== "function" || !(state instanceof Uint32Array)) return null;
    return new ReusedStream(handle, state);
  }

  /**
   * Runs all of `input` through the stream into `out`.
   *
   * @returns The output, or undefined if it did not fit in `out` or input is left over.
   */
  run(input: Uint8Array, out: Uint8Array): Uint8Array | undefined {
    this.#error = undefined;
    this.#handle.reset();
    this.#handle.writeSync(Z_FINISH, input, 0, input.length, out, 0, out.length);
    if (this.#error !== undefined) throw new Error(this.#error);
    const left = this.#state[0]!;
    return left === 0 || this.#state[1] !== 0 ? undefined : out.subarray(0, out.length - left);
  }
}

let inflater: ReusedStream | null | undefined;
let deflater: ReusedStream | null | undefined;

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
      inflater ??= ReusedStream.create(createInflate());
      // A stream that fills all size + 1 bytes is too long: `left` is 0, the view is
      // undefined, and inflateSync below reports it the usual way.
      const out = inflater?.run(stream, into.subarray(0, size + 1));
      if (out !== undefined) return out;
    }
    try {
      return plain(inflateSync(stream, { maxOutputLength: size + 1 }));
    } catch (e) {
      // node:zlib words this as a Buffer it cannot create; say what it means here.
      if ((e as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
        throw new RangeError(`stream inflates to more than the ${size} bytes declared`, {
          cause: e,
        });
      }
      throw e;
    }
  },
  deflate(data: Uint8Array, into?: Uint8Array): Uint8Array {
    if (into !== undefined) {
      deflater ??= ReusedStream.create(createDeflate());
      const out = deflater?.run(data, into);
      if (out !== undefined) return out;
    }
    return plain(deflateSync(data));
  },
};

// node:zlib returns Buffers; callers get plain Uint8Array views of the same memory.
function plain(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

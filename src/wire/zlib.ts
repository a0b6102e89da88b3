/**
 * zlib framing of NMSG containers: a 4-byte big-endian uncompressed length, then a zlib
 * (RFC 1950) stream of the whole serialized `Nmsg`.
 *
 * The compression itself is injected ({@linkcode ZlibCodec}) so that this layer runs
 * anywhere; `nodeZlib` in the I/O layer is the implementation Deno uses.
 *
 * @module
 */

import { NmsgFormatError } from "./errors.ts";

/** Synchronous zlib (RFC 1950) compression, as NMSG needs it. */
export interface ZlibCodec {
  /**
   * Inflates a zlib stream that must produce exactly `size` bytes. Implementations must
   * not allocate more than `size + 1` bytes of output whatever the stream says.
   *
   * `into`, if given, is a buffer of at least `size + 1` bytes whose contents the caller no
   * longer needs: an implementation may inflate into it and return a view of it.
   */
  inflate(stream: Uint8Array, size: number, into?: Uint8Array): Uint8Array;
  /**
   * Deflates with the default compression level.
   *
   * `into`, if given, is a buffer whose contents the caller no longer needs: an
   * implementation may write the stream at its start and return a view of it (when it fits).
   */
  deflate(data: Uint8Array, into?: Uint8Array): Uint8Array;
}

// Deflate's densest code spends 2 bits (a 1-bit length and a 1-bit distance code) on 258
// bytes, so a stream never inflates to more than 1032 times its size. A larger declared size
// is a lie, rejected before a buffer of that size is allocated (the reused inflate buffer
// would keep it).
const MAX_INFLATE_RATIO = 1032;

/**
 * Inflates a compressed data part, enforcing its declared length.
 *
 * @param data The data part: 4-byte BE length + zlib stream.
 * @param codec The zlib implementation.
 * @param maxSize Largest declared length accepted.
 * @param scratch If given, returns a buffer of at least `size + 1` bytes that the codec may
 *   inflate into (once the declared size has passed the `maxSize` check).
 * @returns The serialized `Nmsg` (or fragment payload) it held.
 * @throws {NmsgFormatError} If the length is missing, above `maxSize` or more than the
 * stream could inflate to, or not what the stream inflates to, or if the stream is corrupt.
 */
export function inflateData(
  data: Uint8Array,
  codec: ZlibCodec,
  maxSize: number,
  scratch?: (size: number) => Uint8Array,
): Uint8Array {
  if (data.length < 4) {
    throw new NmsgFormatError("zlib", "compressed data is shorter than its 4-byte length");
  }
  const size = ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
  if (size > maxSize) {
    throw new NmsgFormatError(
      "zlib",
      `compressed container declares ${size} bytes, above the ${maxSize}-byte limit`,
    );
  }
  const streamLength = data.length - 4;
  if (size > streamLength * MAX_INFLATE_RATIO) {
    throw new NmsgFormatError(
      "zlib",
      `compressed container declares ${size} bytes, more than its ${streamLength}-byte zlib stream can hold`,
    );
  }
  let out: Uint8Array;
  try {
    out = scratch === undefined
      ? codec.inflate(data.subarray(4), size)
      : codec.inflate(data.subarray(4), size, scratch(size));
  } catch (e) {
    throw new NmsgFormatError("zlib", `inflate failed: ${e instanceof Error ? e.message : e}`, {
      cause: e,
    });
  }
  if (out.length !== size) {
    throw new NmsgFormatError(
      "zlib",
      `compressed container declares ${size} bytes but inflates to ${out.length}`,
    );
  }
  return out;
}

/**
 * Compresses a serialized `Nmsg` into a data part, leaving `headerRoom` bytes in front.
 *
 * @param data The serialized container.
 * @param codec The zlib implementation.
 * @param headerRoom Bytes to leave free at the start (for a unit header).
 * @param into A buffer to build the result in if it fits there (its contents are replaced);
 *   otherwise, and without it, the result is a new array.
 * @returns `headerRoom` bytes, the 4-byte BE length of `data`, then the zlib stream.
 */
export function deflateData(
  data: Uint8Array,
  codec: ZlibCodec,
  headerRoom = 0,
  into?: Uint8Array,
): Uint8Array {
  const at = headerRoom + 4;
  const room = into !== undefined && into.length > at ? into.subarray(at) : undefined;
  const z = codec.deflate(data, room);
  let out: Uint8Array;
  if (room !== undefined && z.buffer === room.buffer && z.byteOffset === room.byteOffset) {
    out = into!.subarray(0, at + z.length);
  } else {
    out = new Uint8Array(at + z.length);
    out.set(z, at);
  }
  const n = data.length;
  out[headerRoom] = n >>> 24;
  out[headerRoom + 1] = (n >>> 16) & 0xff;
  out[headerRoom + 2] = (n >>> 8) & 0xff;
  out[headerRoom + 3] = n & 0xff;
  return out;
}

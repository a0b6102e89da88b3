/**
 * The NMSG unit header: `"NMSG"`, flags, version, length.
 *
 * @module
 */

import { NMSG_HEADER_SIZE, NMSG_HEADER_SIZE_V1, NMSG_MAGIC, NMSG_VERSION } from "./constants.ts";
import { NmsgFormatError } from "./errors.ts";

/** A parsed unit header. */
export interface UnitHeader {
  /** Flag bits (`NMSG_FLAG_ZLIB`, `NMSG_FLAG_FRAGMENT`); always 0 for version 1. */
  flags: number;
  /** Protocol version: 1 (2-byte length, files only) or 2. */
  version: 1 | 2;
  /** Length of the data part that follows the header. */
  length: number;
  /** Size of the header itself: 8 (v1) or 10 (v2). */
  headerSize: number;
}

/**
 * Parses the header at `buf[pos]`. Needs 6 bytes to tell the version, then 8 or 10.
 *
 * @param buf Bytes holding the header.
 * @param pos Where the header starts.
 * @param allowV1 Accept version-1 headers (libnmsg does for files, not for sockets).
 * @returns The header, or `undefined` if `buf` holds too few bytes to parse it.
 * @throws {NmsgFormatError} On bad magic or an unknown version.
 *
 * @example
 * ```ts
 * import { parseHeader } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const h = parseHeader(new Uint8Array([0x4e, 0x4d, 0x53, 0x47, 1, 2, 0, 0, 1, 0]), 0, true);
 * assert.deepEqual(h, { flags: 1, version: 2, length: 256, headerSize: 10 });
 * ```
 */
export function parseHeader(
  buf: Uint8Array,
  pos: number,
  allowV1: boolean,
): UnitHeader | undefined {
  const avail = buf.length - pos;
  if (avail < 6) {
    checkMagic(buf, pos, avail);
    return undefined;
  }
  checkMagic(buf, pos, 4);
  const flags = buf[pos + 4]!;
  const version = buf[pos + 5]!;
  if (allowV1 && flags === 0 && version === 1) {
    if (avail < NMSG_HEADER_SIZE_V1) return undefined;
    return {
      flags: 0,
      version: 1,
      length: (buf[pos + 6]! << 8) | buf[pos + 7]!,
      headerSize: NMSG_HEADER_SIZE_V1,
    };
  }
  if (version !== NMSG_VERSION) {
    throw new NmsgFormatError("version", "incorrect version number in NMSG header");
  }
  if (avail < NMSG_HEADER_SIZE) return undefined;
  const length =
    ((buf[pos + 6]! << 24) | (buf[pos + 7]! << 16) | (buf[pos + 8]! << 8) | buf[pos + 9]!) >>> 0;
  return { flags, version: 2, length, headerSize: NMSG_HEADER_SIZE };
}

function checkMagic(buf: Uint8Array, pos: number, n: number): void {
  for (let i = 0; i < n && i < 4; i++) {
    if (buf[pos + i] !== NMSG_MAGIC[i]) {
      throw new NmsgFormatError("magic", "incorrect magic number in NMSG header");
    }
  }
}

/**
 * Writes a version-2 header at `buf[pos]`.
 *
 * @param buf Destination with at least 10 bytes free at `pos`.
 * @param pos Where to write.
 * @param flags Flag bits.
 * @param length Length of the data part.
 *
 * @example
 * ```ts
 * import { writeHeader } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const buf = new Uint8Array(10);
 * writeHeader(buf, 0, 0, 3);
 * assert.deepEqual([...buf], [0x4e, 0x4d, 0x53, 0x47, 0, 2, 0, 0, 0, 3]);
 * ```
 */
export function writeHeader(buf: Uint8Array, pos: number, flags: number, length: number): void {
  buf.set(NMSG_MAGIC, pos);
  buf[pos + 4] = flags;
  buf[pos + 5] = NMSG_VERSION;
  buf[pos + 6] = length >>> 24;
  buf[pos + 7] = (length >>> 16) & 0xff;
  buf[pos + 8] = (length >>> 8) & 0xff;
  buf[pos + 9] = length & 0xff;
}

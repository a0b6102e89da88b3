/**
 * The NMSG payload envelope (`NmsgPayload`): who, when and what type, around undecoded
 * message bytes.
 *
 * @module
 */

import { int64Size, ProtoReader, ProtoWriter, varintSize } from "./_protobuf.ts";
import { payloadFields, scanPayload, toPayload, writePayload } from "./_codec.ts";

/**
 * One NMSG payload. The module-specific message stays as bytes (`payload`) until something
 * decodes it; passing a payload from an input to an output never looks inside.
 *
 * `source`, `operator` and `group` are present only when set on the wire.
 */
export interface Payload {
  /** Vendor id (1 = base, 2 = SIE). */
  vid: number;
  /** Message type within the vendor. */
  msgtype: number;
  /** Seconds since the Unix epoch (may be negative). */
  timeSec: number;
  /** Nanoseconds within the second (not normalised; values above 1e9 are kept). */
  timeNsec: number;
  /** The serialized module message, if any. */
  payload?: Uint8Array;
  /** Source id. */
  source?: number;
  /** Operator id (see operator aliases). */
  operator?: number;
  /** Group id (see group aliases). */
  group?: number;
}

/**
 * Decodes a serialized `NmsgPayload`.
 *
 * @param bytes The serialized message.
 * @returns The payload; its `payload` bytes are a view into `bytes`.
 *
 * @example Round trip
 * ```ts
 * import { decodePayload, encodePayload } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const p = { vid: 1, msgtype: 4, timeSec: 1570806594, timeNsec: 163338057, source: 0xa1b2c3d4 };
 * assert.deepEqual(decodePayload(encodePayload(p)), p);
 * ```
 */
export function decodePayload(bytes: Uint8Array): Payload {
  const f = payloadFields();
  scanPayload(new ProtoReader(bytes), bytes.length, f);
  return toPayload(f, bytes);
}

/**
 * The serialized size of a payload's fields other than the `payload` bytes themselves.
 */
function envelopeSize(p: Payload): number {
  let n = 1 + varintSize(p.vid) + 1 + varintSize(p.msgtype) + 1 + int64Size(p.timeSec) + 5;
  if (p.source !== undefined) n += 1 + varintSize(p.source);
  if (p.operator !== undefined) n += 1 + varintSize(p.operator);
  if (p.group !== undefined) n += 1 + varintSize(p.group);
  return n;
}

/**
 * The exact serialized size of an `NmsgPayload`.
 *
 * @param p The payload.
 * @returns Its size in bytes.
 */
export function payloadSize(p: Payload): number {
  const n = envelopeSize(p);
  return p.payload === undefined ? n : n + 1 + varintSize(p.payload.length) + p.payload.length;
}

/**
 * libnmsg's size estimate for a payload in a container (`_nmsg_payload_size`): exact for
 * payloads below 2 MiB, one byte short above. Container filling must use this, not the
 * exact size, to cut containers where the C writer does.
 */
export function payloadEstimate(p: Payload): number {
  let n = envelopeSize(p);
  if (p.payload !== undefined) {
    const len = p.payload.length;
    n += 2 + len + (len >= 128 ? 1 : 0) + (len >= 16384 ? 1 : 0);
  }
  return n;
}

/**
 * Serializes a payload as an `NmsgPayload` message.
 *
 * @param p The payload.
 * @returns The serialized bytes.
 *
 * @example
 * ```ts
 * import { encodePayload } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodePayload({ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 });
 * assert.deepEqual([...bytes], [0x08, 1, 0x10, 6, 0x18, 0, 0x25, 0, 0, 0, 0]);
 * ```
 */
export function encodePayload(p: Payload): Uint8Array {
  const w = new ProtoWriter(payloadSize(p));
  writePayload(w, p);
  return w.finish();
}

/**
 * NMSG containers (`Nmsg`): decoding, encoding, and filling them the way libnmsg does.
 *
 * @module
 */

import { NMSG_HEADER_SIZE, NMSG_WBUFSZ_MAX, NMSG_WBUFSZ_MIN } from "./constants.ts";
import { payloadCrc } from "./crc32c.ts";
import { type Payload, payloadEstimate } from "./payload.ts";
import { ProtoReader, ProtoWriter } from "./_protobuf.ts";
import { fastNext, fastUint32, writeContainerTrailer, writePayloadEntry } from "./_codec.ts";
import { ContainerView } from "./container_view.ts";

/** A decoded container: its payloads and the fields that travel with them. */
export interface Container {
  /** The payloads, in wire order. */
  payloads: Payload[];
  /** `payload_crcs` as stored (`bswap32(crc32c(payload))`); may be shorter than `payloads`. */
  payloadCrcs: number[];
  /** Sequence number, set by sequenced (socket, ZMQ) writers. */
  sequence?: number;
  /** Random 64-bit id of the writer that set `sequence`. */
  sequenceId?: bigint;
}

/**
 * Decodes the data part of an unfragmented, uncompressed unit (an `Nmsg` message).
 *
 * @param data The serialized `Nmsg`.
 * @returns The container; payload bytes are views into `data`.
 * @throws {NmsgFormatError} If the bytes are not a valid `Nmsg` (offsets relative to `data`).
 *
 * @example
 * ```ts
 * import { decodeContainer, encodeContainer } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const payloads = [{ vid: 1, msgtype: 6, timeSec: 1, timeNsec: 2, payload: new Uint8Array([10, 0]) }];
 * const c = decodeContainer(encodeContainer(payloads));
 * assert.deepEqual(c.payloads, payloads);
 * assert.equal(c.payloadCrcs.length, 1);
 * ```
 */
export function decodeContainer(data: Uint8Array): Container {
  const view = new ContainerView().decode(data);
  const c: Container = { payloads: view.payloads, payloadCrcs: view.payloadCrcs };
  if (view.sequence !== undefined) c.sequence = view.sequence;
  if (view.sequenceId !== undefined) c.sequenceId = view.sequenceId;
  return c;
}

/** Sequence fields to stamp on a container, as sequenced writers do. */
export interface SequenceInfo {
  /** The container's sequence number (uint32). */
  sequence: number;
  /** The writer's random 64-bit id. */
  sequenceId: bigint;
}

/**
 * Serializes payloads as an `Nmsg` container, with a fresh CRC per payload (libnmsg always
 * regenerates them) and optional sequence fields.
 *
 * @param payloads The payloads, in order.
 * @param seq Sequence fields, for sequenced outputs.
 * @param headerRoom Bytes to leave free at the start of the result (for a unit header).
 * @returns The serialized container, preceded by `headerRoom` zero bytes.
 *
 * @example
 * ```ts
 * import { encodeContainer } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * // An empty sequenced container is 4 bytes (libnmsg's test_container_size: 14 with header).
 * assert.equal(encodeContainer([], { sequence: 1, sequenceId: 1n }).length, 4);
 * ```
 */
export function encodeContainer(
  payloads: readonly Payload[],
  seq?: SequenceInfo,
  headerRoom = 0,
): Uint8Array {
  const w = new ProtoWriter(headerRoom + 64 + payloads.length * 16);
  w.pos = headerRoom;
  for (const p of payloads) writePayloadEntry(w, p);
  const crcs = payloads.map((p) => payloadCrc(p.payload ?? EMPTY));
  writeContainerTrailer(w, crcs, crcs.length, seq);
  return w.finish();
}

const EMPTY = new Uint8Array(0);

/**
 * Counts the payloads of a serialized `Nmsg` without decoding them: a scan of its
 * top-level fields.
 *
 * @param data The serialized container.
 * @returns The number of `payloads` fields.
 * @throws {NmsgFormatError} If the container's framing is malformed.
 *
 * @example
 * ```ts
 * import { countPayloads, encodeContainer } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const p = { vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 };
 * assert.equal(countPayloads(encodeContainer([p, p, p])), 3);
 * ```
 */
export function countPayloads(data: Uint8Array): number {
  const end = data.length;
  const r = new ProtoReader(data);
  let n = 0;
  while (r.pos < end) {
    const at = r.pos;
    if (data[at] === 0x0a) {
      // A payloads entry with a minimal length, skipped without the cursor.
      const len = fastUint32(data, at + 1, end);
      const start = fastNext();
      if (len >= 0 && len <= end - start) {
        n++;
        r.pos = start + len;
        continue;
      }
    }
    const tag = r.uint32();
    if (tag === 0x0a) n++;
    r.skip(tag & 7);
  }
  return n;
}

/** What {@linkcode ContainerBuilder.add} did with a payload. */
export type AddResult =
  /** Added; the container has room for more. */
  | "added"
  /** Not added: the container is full. Emit it, then add the payload to a new one. */
  | "full"
  /** Added, but the container is now larger than its buffer: it must be fragmented. */
  | "overfull";

/**
 * Clamps a container size to NMSG's [512, 1048576] range, as libnmsg's outputs do.
 *
 * @param bufsz A requested container size.
 * @returns The size a writer will use.
 */
export function clampBufferSize(bufsz: number): number {
  return Math.min(NMSG_WBUFSZ_MAX, Math.max(NMSG_WBUFSZ_MIN, Math.trunc(bufsz) || 0));
}

/**
 * libnmsg's running size estimate for one container (`estsz`), which decides where
 * containers are cut. Following it exactly is what makes our files byte-identical to the
 * C writer's.
 *
 * @example Filling 1 MiB containers
 * ```ts
 * import { ContainerEstimate } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const est = new ContainerEstimate(1048576, false);
 * const p = { vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0, payload: new Uint8Array(100) };
 * assert.equal(est.add(p), "added");
 * assert.equal(est.count, 1);
 * ```
 */
export class ContainerEstimate {
  /** Payloads added since the last reset. */
  count = 0;
  /** The estimate, starting at the header size. */
  estimate: number = NMSG_HEADER_SIZE;
  readonly #bufsz: number;
  readonly #sequenced: boolean;

  /**
   * Starts an empty container.
   *
   * @param bufsz Container capacity in bytes (already clamped).
   * @param sequenced Whether sequence fields will be added (reserves 18 bytes).
   */
  constructor(bufsz: number, sequenced: boolean) {
    this.#bufsz = bufsz;
    this.#sequenced = sequenced;
  }

  /**
   * Accounts for adding a payload unless the container is full. The first payload always
   * fits, however large.
   *
   * @param p The payload.
   * @returns What the caller must do (see {@linkcode AddResult}).
   */
  add(p: Payload): AddResult {
    return this.addSize(payloadEstimate(p));
  }

  /**
   * {@linkcode add} for a payload whose libnmsg size estimate is known.
   *
   * @param np The payload's estimate (its serialized size, for payloads below 2 MiB).
   * @returns What the caller must do (see {@linkcode AddResult}).
   */
  addSize(np: number): AddResult {
    if (this.count > 0 && this.estimate + np + 32 >= this.#bufsz) return "full";
    this.count++;
    this.estimate += np + 2 + (np >= 128 ? 1 : 0) + (np >= 16384 ? 1 : 0) +
      (np >= 2097152 ? 1 : 0) +
      6;
    return this.estimate + (this.#sequenced ? 18 : 0) > this.#bufsz ? "overfull" : "added";
  }

  /** Starts over with an empty container. */
  reset(): void {
    this.count = 0;
    this.estimate = NMSG_HEADER_SIZE;
  }
}

/**
 * Fragments: containers too large for one unit, split into `NmsgFragment` units and put
 * back together by the reader.
 *
 * @module
 */

import { NMSG_FLAG_FRAGMENT, NMSG_HEADER_SIZE } from "./constants.ts";
import { payloadCrc } from "./crc32c.ts";
import { NmsgFormatError } from "./errors.ts";
import { writeHeader } from "./header.ts";
import { ProtoReader, ProtoWriter, varintSize, WT_LEN, WT_VARINT } from "./_protobuf.ts";

/** A decoded `NmsgFragment`. */
export interface Fragment {
  /** Random id shared by the fragments of one container. */
  id: number;
  /** This fragment's index, from 0. */
  current: number;
  /** Index of the final fragment. */
  last: number;
  /** This fragment's share of the container bytes (a view into the unit). */
  fragment: Uint8Array;
  /** `bswap32(crc32c(container bytes))`, if the writer set it. */
  crc?: number;
}

/**
 * Decodes the data part of a FRAGMENT unit.
 *
 * @param data The serialized `NmsgFragment`.
 * @returns The fragment.
 * @throws {NmsgFormatError} If malformed, a required field is missing, or `current > last`.
 */
export function decodeFragment(data: Uint8Array): Fragment {
  const r = new ProtoReader(data);
  let id = -1;
  let current = -1;
  let last = -1;
  let fragment: Uint8Array | undefined;
  let crc: number | undefined;
  while (r.pos < data.length) {
    const at = r.pos;
    const tag = r.uint32();
    const wt = tag & 7;
    const field = tag >>> 3;
    if (field >= 1 && field <= 5 && wt !== (field === 4 ? WT_LEN : WT_VARINT)) {
      throw new NmsgFormatError("protobuf", `NmsgFragment field ${field} has the wrong wire type`, {
        offset: at,
      });
    }
    switch (field) {
      case 1:
        id = r.uint32();
        break;
      case 2:
        current = r.uint32();
        break;
      case 3:
        last = r.uint32();
        break;
      case 4:
        fragment = r.bytes();
        break;
      case 5:
        crc = r.uint32();
        break;
      default:
        r.skip(wt);
    }
  }
  if (id < 0 || current < 0 || last < 0 || fragment === undefined) {
    throw new NmsgFormatError("fragment", "NmsgFragment is missing a required field");
  }
  if (current > last) {
    throw new NmsgFormatError(
      "fragment",
      `fragment ${current} is beyond the last fragment (${last})`,
    );
  }
  return crc === undefined ? { id, current, last, fragment } : { id, current, last, fragment, crc };
}

/** Limits that keep fragment reassembly bounded whatever the input claims. */
export interface ReassemblerOptions {
  /** Incomplete containers kept at once; the oldest is dropped beyond this. Default 1024. */
  maxEntries?: number;
  /**
   * Fragment bytes held at once, counting 256 bytes more per fragment for its bookkeeping;
   * the oldest containers are dropped beyond this. Default 64 MiB.
   */
  maxBytes?: number;
  /** Seconds after its first fragment that an incomplete container is dropped. Default 30. */
  expirySeconds?: number;
}

/** Counters kept by a {@linkcode FragmentReassembler}. */
export interface ReassemblerStats {
  /** Fragments accepted (duplicates excluded). */
  fragments: number;
  /** Containers completed. */
  completed: number;
  /** Incomplete containers dropped for age, count or memory limits. */
  expired: number;
  /** Incomplete containers held now. */
  pending: number;
}

interface Entry {
  last: number;
  firstSeen: number;
  bytes: number;
  /** `bytes` plus PART_COST per part: what counts against `maxBytes`. */
  cost: number;
  parts: Map<number, Uint8Array>;
}

// What holding one part costs beyond its bytes (the array object and its map entry), so
// that a flood of empty fragments counts against the memory limit too.
const PART_COST = 256;

const isIndex = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

/**
 * Reassembles fragmented containers. Entries are keyed by (id, crc, sender) as in libnmsg;
 * memory is bounded by entry count and bytes, and incomplete entries expire. Containers
 * from libnmsg's off-by-one `last` (an exact multiple of the fragment size) complete once
 * the fragments present match the container CRC. Fragment bytes are copied, so callers
 * may reuse their buffers.
 *
 * @example Two fragments, out of order
 * ```ts
 * import { FragmentReassembler } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const r = new FragmentReassembler();
 * const a = new Uint8Array([1, 2]), b = new Uint8Array([3]);
 * assert.equal(r.add({ id: 7, current: 1, last: 1, fragment: b }, "", 0), undefined);
 * assert.deepEqual(r.add({ id: 7, current: 0, last: 1, fragment: a }, "", 0), new Uint8Array([1, 2, 3]));
 * ```
 */
export class FragmentReassembler {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #expiry: number;
  #bytes = 0;
  #lastGc = 0;
  /** Counters since creation. */
  readonly stats: ReassemblerStats = { fragments: 0, completed: 0, expired: 0, pending: 0 };

  /**
   * Creates an empty reassembler.
   *
   * @param options Limits.
   */
  constructor(options: ReassemblerOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 1024;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#expiry = options.expirySeconds ?? 30;
  }

  /**
   * Adds a fragment.
   *
   * @param frag The fragment.
   * @param sender Who sent it (an address string; `""` for files).
   * @param now Current time in seconds, for expiry.
   * @returns The reassembled container bytes once every fragment has arrived.
   * @throws {NmsgFormatError} If the fragment's indexes are not integers with `current <= last`,
   * or it contradicts earlier ones of its container.
   */
  add(frag: Fragment, sender: string, now: number): Uint8Array | undefined {
    if (!isIndex(frag.current) || !isIndex(frag.last) || frag.current > frag.last) {
      throw new NmsgFormatError(
        "fragment",
        `fragment ${frag.current} of container ${frag.id} is not one of 0 to ${frag.last}`,
      );
    }
    const key = `${frag.id}/${frag.crc ?? ""}/${sender}`;
    let e = this.#entries.get(key);
    if (e === undefined) {
      e = { last: frag.last, firstSeen: now, bytes: 0, cost: 0, parts: new Map() };
      this.#entries.set(key, e);
    } else if (e.last !== frag.last) {
      this.#drop(key, e);
      throw new NmsgFormatError(
        "fragment",
        `fragment ${frag.current} of container ${frag.id} says the last fragment is ${frag.last}, earlier ones said ${e.last}`,
      );
    }
    if (e.parts.has(frag.current)) return undefined;
    // A copy: readers hand out views into buffers they reuse (recvmmsg slots, file chunks).
    e.parts.set(frag.current, frag.fragment.slice());
    e.bytes += frag.fragment.length;
    e.cost += frag.fragment.length + PART_COST;
    this.#bytes += frag.fragment.length + PART_COST;
    this.stats.fragments++;
    if (e.parts.size === e.last + 1) {
      this.#drop(key, e);
      this.stats.completed++;
      return concatParts(e, e.last);
    }
    if (e.parts.size === e.last && !e.parts.has(e.last) && frag.crc !== undefined) {
      // libnmsg 1.3.3 claims one fragment too many when the container is an exact
      // multiple of the fragment size, and never sends it. Its CRC of the whole container
      // tells whether what arrived is all there is.
      const whole = concatParts(e, e.last - 1);
      if (payloadCrc(whole) === frag.crc) {
        this.#drop(key, e);
        this.stats.completed++;
        return whole;
      }
    }
    this.#enforceLimits(key);
    this.stats.pending = this.#entries.size;
    return undefined;
  }

  /**
   * Drops incomplete containers whose first fragment is `expirySeconds` old. Runs at most
   * once per expiry period; call it as often as convenient.
   *
   * @param now Current time in seconds.
   * @returns How many containers were dropped.
   */
  expire(now: number): number {
    if (this.#entries.size === 0 || now - this.#lastGc < this.#expiry) return 0;
    this.#lastGc = now;
    let n = 0;
    for (const [key, e] of this.#entries) {
      if (now - e.firstSeen >= this.#expiry) {
        this.#drop(key, e);
        this.stats.expired++;
        n++;
      }
    }
    return n;
  }

  #enforceLimits(keep: string): void {
    const over = () => this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes;
    for (const [key, e] of this.#entries) {
      if (!over()) return;
      if (key === keep) continue;
      this.#drop(key, e);
      this.stats.expired++;
    }
    if (over()) {
      this.#drop(keep, this.#entries.get(keep)!);
      throw new NmsgFormatError(
        "fragment",
        `fragmented container exceeds the ${this.#maxBytes}-byte reassembly limit`,
      );
    }
  }

  #drop(key: string, e: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= e.cost;
    this.stats.pending = this.#entries.size;
  }
}

function concatParts(e: Entry, upTo: number): Uint8Array {
  const out = new Uint8Array(e.bytes);
  let pos = 0;
  for (let i = 0; i <= upTo; i++) {
    const part = e.parts.get(i)!;
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

/**
 * Splits a serialized container into FRAGMENT units of at most `maxFragment` data bytes
 * each. Unlike libnmsg, `last` is right when the length is an exact multiple of the size.
 *
 * @param data The serialized container (zlib-framed if `flags` has ZLIB).
 * @param maxFragment Container bytes per fragment (libnmsg: buffer size - 32).
 * @param id The fragment id shared by all pieces.
 * @param flags Extra header flags (ZLIB); FRAGMENT is added.
 * @returns One complete unit (header + `NmsgFragment`) per fragment.
 *
 * @example
 * ```ts
 * import { fragmentUnits } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fragmentUnits(new Uint8Array(960), 480, 1, 0).length, 2);
 * ```
 */
export function fragmentUnits(
  data: Uint8Array,
  maxFragment: number,
  id: number,
  flags: number,
): Uint8Array[] {
  const last = Math.max(0, Math.ceil(data.length / maxFragment) - 1);
  const crc = payloadCrc(data);
  const units: Uint8Array[] = [];
  for (let i = 0; i <= last; i++) {
    const piece = data.subarray(i * maxFragment, Math.min(data.length, (i + 1) * maxFragment));
    const bodySize = 1 + varintSize(id) + 1 + varintSize(i) + 1 + varintSize(last) + 1 +
      varintSize(piece.length) + piece.length + 1 + varintSize(crc);
    const w = new ProtoWriter(NMSG_HEADER_SIZE + bodySize);
    w.pos = NMSG_HEADER_SIZE;
    w.buf[w.pos++] = 0x08;
    w.varint(id);
    w.buf[w.pos++] = 0x10;
    w.varint(i);
    w.buf[w.pos++] = 0x18;
    w.varint(last);
    w.buf[w.pos++] = 0x22;
    w.lenBytes(piece);
    w.buf[w.pos++] = 0x28;
    w.varint(crc);
    writeHeader(w.buf, 0, flags | NMSG_FLAG_FRAGMENT, bodySize);
    units.push(w.finish());
  }
  return units;
}

/**
 * A container's payloads left where they are: offsets into its bytes and the envelope
 * fields, decoded into `Payload` objects only on request, checked against `payload_crcs` in
 * one pass, and copied verbatim by {@linkcode ContainerWriter.addEncoded}.
 *
 * @module
 */

import { bswap32, crcSpans } from "./crc32c.ts";
import { Uint32List } from "./_uint32_list.ts";
import { NmsgFormatError } from "./errors.ts";
import type { Payload } from "./payload.ts";
import { ProtoReader, varintSize, WT_LEN, WT_VARINT } from "./_protobuf.ts";
import {
  CANONICAL,
  fastNext,
  fastTime,
  fastUint32,
  HAS_GROUP,
  HAS_OPERATOR,
  HAS_PAYLOAD,
  HAS_SOURCE,
  payloadFields,
  scanPayload,
  toPayload,
} from "./_codec.ts";

const EMPTY = new Uint8Array(0);

// The packed per-payload records (see ContainerView's fields).
const POS_STRIDE = 6;
const ENTRY = 0; // the entry's tag
const START = 1; // the NmsgPayload bytes
const END = 2;
const PSTART = 3; // its payload bytes (the end of the message if absent)
const PLEN = 4;
const FLAGS = 5; // HAS_* and CANONICAL
const ENV_STRIDE = 6;
const VID = 0;
const MSGTYPE = 1;
const NSEC = 2;
const SOURCE = 3;
const OPERATOR = 4;
const GROUP = 5;

function wrongType(field: string, offset: number): NmsgFormatError {
  return new NmsgFormatError("protobuf", `Nmsg.${field} has the wrong wire type`, { offset });
}

/**
 * The payloads of one serialized `Nmsg` container, scanned but not decoded: the envelope
 * fields are kept in typed arrays and the payload bytes stay in the container's buffer.
 * `payload(i)` builds a {@linkcode Payload} when one is needed; writers copy the
 * serialized entries instead when they are in canonical form.
 *
 * A view can be reused: `decode()` replaces its contents, so decoded payloads and entries
 * are valid until then (and as long as the container's bytes are).
 *
 * @example Check CRCs and read one field without decoding the payloads
 * ```ts
 * import { ContainerView, encodeContainer } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const p = { vid: 1, msgtype: 6, timeSec: 1, timeNsec: 2, payload: new Uint8Array([10, 0]) };
 * const view = new ContainerView().decode(encodeContainer([p, { ...p, vid: 2 }]));
 * assert.equal(view.verify(), 0); // no payload dropped
 * assert.equal(view.vid(1), 2);
 * assert.deepEqual(view.payload(0), p);
 * ```
 */
export class ContainerView {
  #data: Uint8Array = EMPTY;
  #n = 0;
  #decoded = 0;
  // Per payload, packed: POS_STRIDE offsets and flags in #pos, ENV_STRIDE envelope fields
  // in #env, the time in #time and the CRC (once known) in #crc.
  #cap = 0;
  #pos = new Int32Array(0);
  #env = new Uint32Array(0);
  #time = new Float64Array(0);
  #crc = new Uint32Array(0);
  #index: Int32Array | undefined;
  // payload_crcs as stored.
  readonly #wire = new Uint32List();
  #wireList: number[] | undefined;
  #crcsKnown = false;
  #payloads: Payload[] | undefined;
  #crcList: number[] | undefined;
  #sequence: number | undefined;
  #sequenceId: bigint | undefined;
  readonly #fields = payloadFields();

  /**
   * Scans a serialized `Nmsg` (the data part of an unfragmented, uncompressed unit),
   * replacing what the view held.
   *
   * @param data The container bytes; payloads stay views into them.
   * @returns The view.
   * @throws {NmsgFormatError} If the bytes are not a valid `Nmsg` (offsets relative to `data`).
   */
  decode(data: Uint8Array): this {
    this.#data = data;
    this.#n = 0;
    this.#wire.length = 0;
    this.#wireList = undefined;
    this.#crcsKnown = false;
    this.#payloads = undefined;
    this.#crcList = undefined;
    this.#index = undefined;
    this.#sequence = undefined;
    this.#sequenceId = undefined;
    const r = new ProtoReader(data);
    const end = data.length;
    while (r.pos < end) {
      // The usual case first: canonical payloads entries, scanned without the cursor.
      r.pos = this.#scanRun(data, r.pos, end);
      if (r.pos >= end) break;
      const at = r.pos;
      const tag = r.uint32();
      const wt = tag & 7;
      switch (tag >>> 3) {
        case 1: {
          if (wt !== WT_LEN) throw wrongType("payloads", at);
          const lenAt = r.pos;
          const pend = r.lenEnd();
          const start = r.pos;
          this.#add(
            r,
            at,
            start,
            pend,
            lenAt - at === 1 && start - lenAt === varintSize(pend - start),
          );
          break;
        }
        case 2:
          if (wt === WT_VARINT) this.#wire.push(r.uint32());
          else if (wt === WT_LEN) {
            // Accept the packed form too; libnmsg never writes it but protobuf readers must.
            const pend = r.lenEnd();
            while (r.pos < pend) this.#wire.push(r.uint32());
          } else throw wrongType("payload_crcs", at);
          break;
        case 3:
          if (wt !== WT_VARINT) throw wrongType("sequence", at);
          this.#sequence = r.uint32();
          break;
        case 4:
          if (wt !== WT_VARINT) throw wrongType("sequence_id", at);
          this.#sequenceId = r.uint64Big();
          break;
        default:
          r.skip(wt);
      }
    }
    this.#decoded = this.#n;
    return this;
  }

  /**
   * Scans the `NmsgPayload` at `data[start, end)` of the entry whose tag is at `entry`,
   * on the general path; `minimal` tells whether the entry's tag and length are. Leaves
   * `r.pos` at `end`.
   */
  #add(r: ProtoReader, entry: number, start: number, end: number, minimal: boolean): void {
    const f = this.#fields;
    r.pos = start;
    scanPayload(r, end, f);
    r.pos = end;
    const i = this.#n;
    if (i === this.#cap) this.#grow();
    const pos = this.#pos;
    const o = i * POS_STRIDE;
    pos[o + ENTRY] = entry;
    pos[o + START] = start;
    pos[o + END] = end;
    pos[o + PSTART] = f.payloadStart;
    pos[o + PLEN] = f.payloadLength;
    pos[o + FLAGS] = minimal ? f.flags : f.flags & ~CANONICAL;
    const env = this.#env;
    const e = i * ENV_STRIDE;
    env[e + VID] = f.vid;
    env[e + MSGTYPE] = f.msgtype;
    env[e + NSEC] = f.timeNsec;
    env[e + SOURCE] = f.source;
    env[e + OPERATOR] = f.operator;
    env[e + GROUP] = f.group;
    this.#time[i] = f.timeSec;
    this.#n = i + 1;
  }

  /**
   * Scans consecutive `payloads` entries from `p` while they are in canonical form with a
   * non-negative time below 2^49 (what protobuf-c and we write); returns where it stopped:
   * `end`, or the first field left to the general path. One loop with the varints read
   * inline: 3x faster than the general cursor.
   */
  #scanRun(data: Uint8Array, p: number, end: number): number {
    let i = this.#n;
    let pos = this.#pos;
    let env = this.#env;
    let time = this.#time;
    while (p < end && data[p] === 0x0a) {
      const entry = p;
      let q = p + 1;
      let b = q < end ? data[q++]! : 0x80;
      let len = b;
      if (b >= 0x80) {
        len = fastUint32(data, q - 1, end);
        if (len < 0) break;
        q = fastNext();
      }
      if (len > end - q) break;
      const start = q;
      const stop = q + len;
      // vid and msgtype: usually one byte each, read here (fastUint32 is not inlined into
      // this loop: calling it for them costs 40% more per payload).
      if (q + 4 > stop || data[q] !== 0x08) break;
      let vid = data[q + 1]!;
      q += 2;
      if (vid >= 0x80) {
        vid = fastUint32(data, q - 1, stop);
        if (vid < 0) break;
        q = fastNext();
      }
      if (q + 2 > stop || data[q] !== 0x10) break;
      let msgtype = data[q + 1]!;
      q += 2;
      if (msgtype >= 0x80) {
        msgtype = fastUint32(data, q - 1, stop);
        if (msgtype < 0) break;
        q = fastNext();
      }
      if (q >= stop || data[q] !== 0x18) break;
      const timeSec = fastTime(data, q + 1, stop);
      if (timeSec < 0) break;
      q = fastNext();
      if (q + 5 > stop || data[q] !== 0x25) break;
      const nsec = (data[q + 1]! | (data[q + 2]! << 8) | (data[q + 3]! << 16) |
        (data[q + 4]! << 24)) >>> 0;
      q += 5;
      let flags = CANONICAL;
      let pstart = stop;
      let plen = 0;
      if (q < stop && data[q] === 0x2a) {
        b = q + 1 < stop ? data[q + 1]! : 0x80;
        q += 2;
        plen = b;
        if (b >= 0x80) {
          plen = fastUint32(data, q - 1, stop);
          if (plen < 0) break;
          q = fastNext();
        }
        if (plen > stop - q) break;
        pstart = q;
        q += plen;
        flags |= HAS_PAYLOAD;
      }
      let source = 0;
      let operator = 0;
      let group = 0;
      if (q < stop && data[q] === 0x38) {
        source = fastUint32(data, q + 1, stop);
        if (source < 0) break;
        q = fastNext();
        flags |= HAS_SOURCE;
      }
      if (q < stop && data[q] === 0x40) {
        operator = fastUint32(data, q + 1, stop);
        if (operator < 0) break;
        q = fastNext();
        flags |= HAS_OPERATOR;
      }
      if (q < stop && data[q] === 0x48) {
        group = fastUint32(data, q + 1, stop);
        if (group < 0) break;
        q = fastNext();
        flags |= HAS_GROUP;
      }
      if (q !== stop) break;
      if (i === this.#cap) {
        this.#n = i;
        this.#grow();
        pos = this.#pos;
        env = this.#env;
        time = this.#time;
      }
      const o = i * POS_STRIDE;
      pos[o + ENTRY] = entry;
      pos[o + START] = start;
      pos[o + END] = stop;
      pos[o + PSTART] = pstart;
      pos[o + PLEN] = plen;
      pos[o + FLAGS] = flags;
      const e = i * ENV_STRIDE;
      env[e + VID] = vid;
      env[e + MSGTYPE] = msgtype;
      env[e + NSEC] = nsec;
      env[e + SOURCE] = source;
      env[e + OPERATOR] = operator;
      env[e + GROUP] = group;
      time[i] = timeSec;
      // Stored here rather than after the loop: code first compiled mid-loop (on-stack
      // replacement) would otherwise meet the store without type feedback and deoptimize,
      // once per container.
      this.#n = ++i;
      p = stop;
    }
    return p;
  }

  #grow(): void {
    const cap = Math.max(64, this.#cap * 2);
    const n = this.#n;
    const pos = new Int32Array(cap * POS_STRIDE);
    pos.set(this.#pos.subarray(0, n * POS_STRIDE));
    const env = new Uint32Array(cap * ENV_STRIDE);
    env.set(this.#env.subarray(0, n * ENV_STRIDE));
    const time = new Float64Array(cap);
    time.set(this.#time.subarray(0, n));
    const crc = new Uint32Array(cap);
    crc.set(this.#crc.subarray(0, n));
    this.#pos = pos;
    this.#env = env;
    this.#time = time;
    this.#crc = crc;
    this.#cap = cap;
  }

  /** The container bytes. */
  get data(): Uint8Array {
    return this.#data;
  }

  /** How many payloads the view holds (after any dropped by `verify` or `retain`). */
  get length(): number {
    return this.#n;
  }

  /** How many payloads the container held when decoded. */
  get decodedLength(): number {
    return this.#decoded;
  }

  /** `payload_crcs` as stored (`bswap32(crc32c(payload))`), for the payloads as decoded. */
  get payloadCrcs(): number[] {
    this.#wireList ??= Array.from(this.#wire.values.subarray(0, this.#wire.length));
    return this.#wireList;
  }

  /** The container's sequence number, if set. */
  get sequence(): number | undefined {
    return this.#sequence;
  }

  /** The container's sequence id, if set. */
  get sequenceId(): bigint | undefined {
    return this.#sequenceId;
  }

  /**
   * Decodes payload `i`.
   *
   * @param i Its index in the view.
   * @returns A new payload object; its `payload` bytes are a view into the container.
   */
  payload(i: number): Payload {
    const f = this.#fields;
    const pos = this.#pos;
    const o = i * POS_STRIDE;
    const env = this.#env;
    const e = i * ENV_STRIDE;
    f.vid = env[e + VID]!;
    f.msgtype = env[e + MSGTYPE]!;
    f.timeSec = this.#time[i]!;
    f.timeNsec = env[e + NSEC]!;
    f.payloadStart = pos[o + PSTART]!;
    f.payloadLength = pos[o + PLEN]!;
    f.source = env[e + SOURCE]!;
    f.operator = env[e + OPERATOR]!;
    f.group = env[e + GROUP]!;
    f.flags = pos[o + FLAGS]!;
    return toPayload(f, this.#data);
  }

  /** Every payload of the view, decoded (once; the same array on later calls). */
  get payloads(): Payload[] {
    if (this.#payloads === undefined) {
      const out = new Array<Payload>(this.#n);
      for (let i = 0; i < this.#n; i++) out[i] = this.payload(i);
      this.#payloads = out;
    }
    return this.#payloads;
  }

  /**
   * Payload `i`'s CRC as `payload_crcs` holds it (`bswap32(crc32c(payload))`), computed
   * (for every payload at once) on first use.
   *
   * @param i Its index in the view.
   * @returns The CRC.
   */
  crc(i: number): number {
    if (!this.#crcsKnown) this.#computeCrcs();
    return this.#crc[i]!;
  }

  /** The CRCs of every payload of the view, as {@linkcode crc} gives them (once). */
  get crcs(): number[] {
    if (this.#crcList === undefined) {
      if (!this.#crcsKnown) this.#computeCrcs();
      this.#crcList = Array.from(this.#crc.subarray(0, this.#n));
    }
    return this.#crcList;
  }

  #computeCrcs(): void {
    crcSpans(this.#data, this.#pos.subarray(PSTART), this.#n, this.#crc, POS_STRIDE);
    this.#crcsKnown = true;
  }

  /**
   * Checks every payload against its `payload_crcs` entry and drops those that do not
   * match, as libnmsg's inputs do. Payloads beyond the end of `payload_crcs` are kept.
   * Call it right after `decode()`.
   *
   * @param onMismatch Called for each payload dropped, with its index in the container, the
   *   CRC-32C computed over it and the value stored in `payload_crcs` (libnmsg prints
   *   these two in this order).
   * @returns How many payloads were dropped.
   */
  verify(onMismatch?: (index: number, calculated: number, wire: number) => void): number {
    const wire = this.#wire.values;
    const checked = Math.min(this.#n, this.#wire.length);
    if (checked === 0) return 0;
    if (this.#index !== undefined || this.#n !== this.#decoded) {
      throw new Error("ContainerView.verify() must be called before payloads are dropped");
    }
    if (!this.#crcsKnown) this.#computeCrcs();
    const crc = this.#crc;
    let bad = 0;
    for (let i = 0; i < checked; i++) if (crc[i] !== wire[i]) bad++;
    if (bad === 0) return 0;
    return this.retain((i) => {
      if (i >= checked || crc[i] === wire[i]) return true;
      onMismatch?.(i, bswap32(crc[i]!), wire[i]!);
      return false;
    });
  }

  /**
   * Keeps only the payloads for which `keep(i)` is true (called once per payload, in order).
   *
   * @param keep The test.
   * @returns How many payloads were dropped.
   */
  retain(keep: (i: number) => boolean): number {
    const n = this.#n;
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (!keep(i)) continue;
      if (k !== i) this.#move(i, k);
      k++;
    }
    if (k !== n) {
      this.#payloads = undefined;
      this.#crcList = undefined;
    }
    this.#n = k;
    return n - k;
  }

  #move(from: number, to: number): void {
    if (this.#index === undefined) {
      this.#index = new Int32Array(this.#decoded);
      for (let i = 0; i < this.#decoded; i++) this.#index[i] = i;
    }
    this.#index[to] = this.#index[from]!;
    this.#pos.copyWithin(to * POS_STRIDE, from * POS_STRIDE, (from + 1) * POS_STRIDE);
    this.#env.copyWithin(to * ENV_STRIDE, from * ENV_STRIDE, (from + 1) * ENV_STRIDE);
    this.#time[to] = this.#time[from]!;
    this.#crc[to] = this.#crc[from]!;
  }

  #flags(i: number): number {
    return this.#pos[i * POS_STRIDE + FLAGS]!;
  }

  /**
   * Payload `i`'s index in the container as decoded (before payloads were dropped).
   *
   * @param i Its index in the view.
   * @returns The original index.
   */
  decodedIndex(i: number): number {
    return this.#index === undefined ? i : this.#index[i]!;
  }

  /**
   * Payload `i`'s vendor id.
   *
   * @param i Its index in the view.
   * @returns The vid.
   */
  vid(i: number): number {
    return this.#env[i * ENV_STRIDE + VID]!;
  }

  /**
   * Payload `i`'s message type.
   *
   * @param i Its index in the view.
   * @returns The msgtype.
   */
  msgtype(i: number): number {
    return this.#env[i * ENV_STRIDE + MSGTYPE]!;
  }

  /**
   * Payload `i`'s source id.
   *
   * @param i Its index in the view.
   * @returns The source, or `undefined` if not set.
   */
  source(i: number): number | undefined {
    return this.#flags(i) & HAS_SOURCE ? this.#env[i * ENV_STRIDE + SOURCE] : undefined;
  }

  /**
   * Payload `i`'s operator id.
   *
   * @param i Its index in the view.
   * @returns The operator, or `undefined` if not set.
   */
  operator(i: number): number | undefined {
    return this.#flags(i) & HAS_OPERATOR ? this.#env[i * ENV_STRIDE + OPERATOR] : undefined;
  }

  /**
   * Payload `i`'s group id.
   *
   * @param i Its index in the view.
   * @returns The group, or `undefined` if not set.
   */
  group(i: number): number | undefined {
    return this.#flags(i) & HAS_GROUP ? this.#env[i * ENV_STRIDE + GROUP] : undefined;
  }

  /**
   * The length of payload `i`'s module message bytes.
   *
   * @param i Its index in the view.
   * @returns The length; 0 if it has none.
   */
  payloadLength(i: number): number {
    return this.#pos[i * POS_STRIDE + PLEN]!;
  }

  /**
   * The size of payload `i`'s serialized `NmsgPayload` if its bytes are exactly what
   * encoding `payload(i)` would give (so they can be copied instead).
   *
   * @param i Its index in the view.
   * @returns The size, or -1 if the bytes are not in that canonical form.
   */
  canonicalSize(i: number): number {
    const o = i * POS_STRIDE;
    const pos = this.#pos;
    return pos[o + FLAGS]! & CANONICAL ? pos[o + END]! - pos[o + START]! : -1;
  }

  /**
   * Copies the serialized entries (`payloads` tag, length and `NmsgPayload`) of payloads
   * `[from, to)`, all of which must be canonical, into `dst` at `pos`.
   *
   * @param from First payload.
   * @param to One past the last.
   * @param dst Where to copy; must have room.
   * @param at Where in `dst`.
   * @returns The position after the copied bytes.
   */
  copyEntries(from: number, to: number, dst: Uint8Array, at: number): number {
    const data = this.#data;
    const p = this.#pos;
    let i = from;
    while (i < to) {
      // Entries that follow each other in the container go in one copy.
      const start = p[i * POS_STRIDE + ENTRY]!;
      let stop = p[i * POS_STRIDE + END]!;
      for (i++; i < to && p[i * POS_STRIDE + ENTRY] === stop; i++) stop = p[i * POS_STRIDE + END]!;
      dst.set(data.subarray(start, stop), at);
      at += stop - start;
    }
    return at;
  }
}

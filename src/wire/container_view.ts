/**
 * A container's payloads left where they are: offsets into its bytes and the envelope
 * fields, decoded into `Payload` objects only on request, checked against `payload_crcs` in
 * one pass, and copied verbatim by {@linkcode ContainerWriter.addEncoded}.
 *
 * @module
 */

import { bswap32, crcSpans } from "./crc32c.ts";
import { NmsgFormatError } from "./errors.ts";
import type { Payload } from "./payload.ts";
import { ProtoReader, varintSize, WT_LEN, WT_VARINT } from "./_protobuf.ts";
import {
  CANONICAL,
  fastNext,
  fastUint32,
  HAS_GROUP,
  HAS_OPERATOR,
  HAS_PAYLOAD,
  HAS_SOURCE,
  payloadFields,
  scanCanonical,
  scanPayload,
  toPayload,
} from "./_codec.ts";

const EMPTY = new Uint8Array(0);

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
  #entry = new Int32Array(0);
  #start = new Int32Array(0);
  #end = new Int32Array(0);
  // (payload start, payload length) pairs, as crcSpans takes them.
  #span = new Int32Array(0);
  #vid = new Uint32Array(0);
  #msgtype = new Uint32Array(0);
  #timeSec = new Float64Array(0);
  #timeNsec = new Uint32Array(0);
  #source = new Uint32Array(0);
  #operator = new Uint32Array(0);
  #group = new Uint32Array(0);
  #flags = new Uint8Array(0);
  #crc = new Uint32Array(0);
  #index: Int32Array | undefined;
  // payload_crcs as stored, in a buffer kept across decodes: #nWire of them.
  #wire = new Uint32Array(64);
  #nWire = 0;
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
    this.#nWire = 0;
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
      const at = r.pos;
      if (data[at] === 0x0a) {
        // A payloads entry with a minimal length: the usual case, read without the cursor.
        const len = fastUint32(data, at + 1, end);
        const start = fastNext();
        if (len >= 0 && len <= end - start) {
          this.#add(r, at, start, start + len, true);
          continue;
        }
      }
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
          if (wt === WT_VARINT) this.#addWire(r.uint32());
          else if (wt === WT_LEN) {
            // Accept the packed form too; libnmsg never writes it but protobuf readers must.
            const pend = r.lenEnd();
            while (r.pos < pend) this.#addWire(r.uint32());
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
   * Scans the `NmsgPayload` at `data[start, end)` of the entry whose tag is at `entry`;
   * `minimal` tells whether the entry's tag and length are. Leaves `r.pos` at `end`.
   */
  #add(r: ProtoReader, entry: number, start: number, end: number, minimal: boolean): void {
    const f = this.#fields;
    if (!scanCanonical(this.#data, start, end, f)) {
      r.pos = start;
      scanPayload(r, end, f);
    }
    r.pos = end;
    const i = this.#n;
    if (i === this.#entry.length) this.#grow();
    this.#entry[i] = entry;
    this.#start[i] = start;
    this.#end[i] = end;
    this.#span[2 * i] = f.payloadStart;
    this.#span[2 * i + 1] = f.payloadLength;
    this.#vid[i] = f.vid;
    this.#msgtype[i] = f.msgtype;
    this.#timeSec[i] = f.timeSec;
    this.#timeNsec[i] = f.timeNsec;
    this.#source[i] = f.source;
    this.#operator[i] = f.operator;
    this.#group[i] = f.group;
    this.#flags[i] = minimal ? f.flags : f.flags & ~CANONICAL;
    this.#n = i + 1;
  }

  #addWire(crc: number): void {
    if (this.#nWire === this.#wire.length) {
      const grown = new Uint32Array(this.#wire.length * 2);
      grown.set(this.#wire);
      this.#wire = grown;
    }
    this.#wire[this.#nWire++] = crc;
  }

  #grow(): void {
    const cap = Math.max(64, this.#entry.length * 2);
    const n = this.#n;
    const grown = <T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(
      a: T,
      make: (size: number) => T,
      width = 1,
    ): T => {
      const b = make(cap * width);
      b.set(a.subarray(0, n * width) as never);
      return b;
    };
    this.#entry = grown(this.#entry, (s) => new Int32Array(s));
    this.#start = grown(this.#start, (s) => new Int32Array(s));
    this.#end = grown(this.#end, (s) => new Int32Array(s));
    this.#span = grown(this.#span, (s) => new Int32Array(s), 2);
    this.#vid = grown(this.#vid, (s) => new Uint32Array(s));
    this.#msgtype = grown(this.#msgtype, (s) => new Uint32Array(s));
    this.#timeSec = grown(this.#timeSec, (s) => new Float64Array(s));
    this.#timeNsec = grown(this.#timeNsec, (s) => new Uint32Array(s));
    this.#source = grown(this.#source, (s) => new Uint32Array(s));
    this.#operator = grown(this.#operator, (s) => new Uint32Array(s));
    this.#group = grown(this.#group, (s) => new Uint32Array(s));
    this.#flags = grown(this.#flags, (s) => new Uint8Array(s));
    this.#crc = grown(this.#crc, (s) => new Uint32Array(s));
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
    this.#wireList ??= Array.from(this.#wire.subarray(0, this.#nWire));
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
    f.vid = this.#vid[i]!;
    f.msgtype = this.#msgtype[i]!;
    f.timeSec = this.#timeSec[i]!;
    f.timeNsec = this.#timeNsec[i]!;
    f.payloadStart = this.#span[2 * i]!;
    f.payloadLength = this.#span[2 * i + 1]!;
    f.source = this.#source[i]!;
    f.operator = this.#operator[i]!;
    f.group = this.#group[i]!;
    f.flags = this.#flags[i]!;
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
    crcSpans(this.#data, this.#span, this.#n, this.#crc);
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
    const wire = this.#wire;
    const checked = Math.min(this.#n, this.#nWire);
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
    this.#entry[to] = this.#entry[from]!;
    this.#start[to] = this.#start[from]!;
    this.#end[to] = this.#end[from]!;
    this.#span[2 * to] = this.#span[2 * from]!;
    this.#span[2 * to + 1] = this.#span[2 * from + 1]!;
    this.#vid[to] = this.#vid[from]!;
    this.#msgtype[to] = this.#msgtype[from]!;
    this.#timeSec[to] = this.#timeSec[from]!;
    this.#timeNsec[to] = this.#timeNsec[from]!;
    this.#source[to] = this.#source[from]!;
    this.#operator[to] = this.#operator[from]!;
    this.#group[to] = this.#group[from]!;
    this.#flags[to] = this.#flags[from]!;
    this.#crc[to] = this.#crc[from]!;
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
    return this.#vid[i]!;
  }

  /**
   * Payload `i`'s message type.
   *
   * @param i Its index in the view.
   * @returns The msgtype.
   */
  msgtype(i: number): number {
    return this.#msgtype[i]!;
  }

  /**
   * Payload `i`'s source id.
   *
   * @param i Its index in the view.
   * @returns The source, or `undefined` if not set.
   */
  source(i: number): number | undefined {
    return this.#flags[i]! & HAS_SOURCE ? this.#source[i] : undefined;
  }

  /**
   * Payload `i`'s operator id.
   *
   * @param i Its index in the view.
   * @returns The operator, or `undefined` if not set.
   */
  operator(i: number): number | undefined {
    return this.#flags[i]! & HAS_OPERATOR ? this.#operator[i] : undefined;
  }

  /**
   * Payload `i`'s group id.
   *
   * @param i Its index in the view.
   * @returns The group, or `undefined` if not set.
   */
  group(i: number): number | undefined {
    return this.#flags[i]! & HAS_GROUP ? this.#group[i] : undefined;
  }

  /**
   * The length of payload `i`'s module message bytes.
   *
   * @param i Its index in the view.
   * @returns The length; 0 if it has none.
   */
  payloadLength(i: number): number {
    return this.#flags[i]! & HAS_PAYLOAD ? this.#span[2 * i + 1]! : 0;
  }

  /**
   * The size of payload `i`'s serialized `NmsgPayload` if its bytes are exactly what
   * encoding `payload(i)` would give (so they can be copied instead).
   *
   * @param i Its index in the view.
   * @returns The size, or -1 if the bytes are not in that canonical form.
   */
  canonicalSize(i: number): number {
    return this.#flags[i]! & CANONICAL ? this.#end[i]! - this.#start[i]! : -1;
  }

  /**
   * Copies the serialized entries (`payloads` tag, length and `NmsgPayload`) of payloads
   * `[from, to)`, all of which must be canonical, into `dst` at `pos`.
   *
   * @param from First payload.
   * @param to One past the last.
   * @param dst Where to copy; must have room.
   * @param pos Where in `dst`.
   * @returns The position after the copied bytes.
   */
  copyEntries(from: number, to: number, dst: Uint8Array, pos: number): number {
    const data = this.#data;
    const entry = this.#entry;
    const end = this.#end;
    let i = from;
    while (i < to) {
      // Entries that follow each other in the container go in one copy.
      const start = entry[i]!;
      let stop = end[i]!;
      for (i++; i < to && entry[i] === stop; i++) stop = end[i]!;
      dst.set(data.subarray(start, stop), pos);
      pos += stop - start;
    }
    return pos;
  }
}

/**
 * Packing payloads into units the way libnmsg's stream outputs do: containers filled to
 * a buffer size, optional zlib, sequence numbers, and fragments for what does not fit.
 *
 * @module
 */

import { NMSG_FLAG_ZLIB, NMSG_HEADER_SIZE, NMSG_WBUFSZ_MAX } from "./constants.ts";
import { clampBufferSize, ContainerEstimate } from "./container.ts";
import { writeContainerTrailer, writePayloadEntry } from "./_codec.ts";
import { payloadCrc } from "./crc32c.ts";
import { fragmentUnits } from "./fragment.ts";
import { writeHeader } from "./header.ts";
import type { ContainerView } from "./container_view.ts";
import type { Payload } from "./payload.ts";
import { deflateData, type ZlibCodec } from "./zlib.ts";
import { ProtoWriter } from "./_protobuf.ts";
import { Uint32List } from "./_uint32_list.ts";

/** Options for {@linkcode ContainerWriter}. */
export interface ContainerWriterOptions {
  /** Container size in bytes, clamped to [512, 1048576]. Default 1048576 (files). */
  bufsz?: number | undefined;
  /** Compress containers with this codec (nmsgtool `-z`). */
  zlib?: ZlibCodec | undefined;
  /** Stamp `sequence`/`sequence_id` on containers (socket and ZMQ outputs). */
  sequenced?: boolean | undefined;
  /** The writer's sequence id. Default: 64 random bits. */
  sequenceId?: bigint | undefined;
  /** Emit one container per payload (nmsgtool `--unbuffered`). */
  unbuffered?: boolean | undefined;
  /** Split oversized containers into fragments (default); ZMQ sends them whole instead. */
  fragment?: boolean | undefined;
}

function randomUint32(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

function randomUint64(): bigint {
  return crypto.getRandomValues(new BigUint64Array(1))[0]!;
}

const EMPTY = new Uint8Array(0);

/** Room for any zlib stream of `n` input bytes at the default settings (zlib's deflateBound). */
function deflateBound(n: number): number {
  return n + (n >>> 12) + (n >>> 14) + (n >>> 25) + 64;
}

/**
 * Turns a stream of payloads into complete NMSG units (header included), cutting
 * containers exactly where libnmsg would. It does no I/O: `add` and `flush` return the
 * units ready to be written or sent, one datagram each.
 *
 * Payloads are serialized as they are added, so the caller may reuse their buffers at
 * once. The returned units are views into the writer's buffers: they are valid until the
 * next call to `add` or `flush` (copy them to keep them longer).
 *
 * @example Writing a file's worth of units
 * ```ts
 * import { ContainerWriter } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const w = new ContainerWriter();
 * const units = w.add({ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 });
 * assert.equal(units.length, 0); // buffered until full or flushed
 * assert.equal(w.flush().length, 1);
 * ```
 */
export class ContainerWriter {
  /** The buffer size in use (after clamping). */
  readonly bufsz: number;
  /** The id stamped on sequenced containers. */
  readonly sequenceId: bigint;
  #sequence = 0;
  readonly #estimate: ContainerEstimate;
  readonly #zlib: ZlibCodec | undefined;
  readonly #sequenced: boolean;
  readonly #unbuffered: boolean;
  readonly #fragment: boolean;
  // The open container is serialized into #w from offset 10 (room for the header); its
  // CRCs wait in #crcs. Emitting swaps to #spare, so a unit just returned survives the
  // payload that follows it into the next container.
  #w: ProtoWriter;
  #spare: ProtoWriter;
  #zbuf: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)];
  #zi = 0;
  readonly #crcs = new Uint32List(1024);

  /**
   * Creates a writer.
   *
   * @param options Size, compression, sequencing and buffering.
   */
  constructor(options: ContainerWriterOptions = {}) {
    this.bufsz = clampBufferSize(options.bufsz ?? NMSG_WBUFSZ_MAX);
    this.#zlib = options.zlib;
    this.#sequenced = options.sequenced ?? false;
    this.sequenceId = options.sequenceId ?? randomUint64();
    this.#unbuffered = options.unbuffered ?? false;
    this.#fragment = options.fragment ?? true;
    this.#estimate = new ContainerEstimate(this.bufsz, this.#sequenced);
    this.#w = new ProtoWriter(this.bufsz + 64);
    this.#spare = new ProtoWriter(this.bufsz + 64);
    this.#w.pos = NMSG_HEADER_SIZE;
  }

  /** Sequence number the next container will get (containers emitted so far). */
  get sequence(): number {
    return this.#sequence;
  }

  /** Payloads waiting in the open container. */
  get pending(): number {
    return this.#estimate.count;
  }

  /**
   * Adds a payload.
   *
   * @param p The payload; it is serialized now and not referenced afterwards.
   * @param crc Its `payload_crcs` value if already known (e.g. verified on input).
   * @returns Units completed by this payload (often none), valid until the next call.
   */
  add(p: Payload, crc?: number): Uint8Array[] {
    const res = this.#estimate.add(p);
    if (res === "full") {
      const units = this.#emit();
      units.push(...this.add(p, crc));
      return units;
    }
    writePayloadEntry(this.#w, p);
    this.#crcs.push(crc ?? payloadCrc(p.payload ?? EMPTY));
    if (res === "overfull") return this.#emitOversized();
    if (this.#unbuffered) return this.#emit();
    return [];
  }

  /**
   * Adds payloads `[from, to)` of a container view, as `add(view.payload(i), view.crc(i))`
   * would for each, but copies the entries that are in canonical form instead of decoding
   * and re-encoding them: the output bytes are the same.
   *
   * @param view The payloads.
   * @param from First payload.
   * @param to One past the last.
   * @param emit Called at once with each unit completed (valid only during the call).
   */
  addEncoded(
    view: ContainerView,
    from: number,
    to: number,
    emit: (unit: Uint8Array) => void,
  ): void {
    // Payloads [run, i) are accounted for but not copied yet; `bytes` is their entries' size.
    let run = from;
    let bytes = 0;
    for (let i = from; i < to; i++) {
      const size = view.canonicalSize(i);
      // libnmsg's estimate is the exact size below 2 MiB only; larger ones take add().
      if (size < 0 || view.payloadLength(i) >= 2097152) {
        this.#copy(view, run, i, bytes);
        for (const u of this.add(view.payload(i), view.crc(i))) emit(u);
        run = i + 1;
        bytes = 0;
        continue;
      }
      const res = this.#estimate.addSize(size);
      if (res === "full") {
        this.#copy(view, run, i, bytes);
        run = i;
        bytes = 0;
        for (const u of this.#emit()) emit(u);
        i--; // again, into the new container
        continue;
      }
      this.#crcs.push(view.crc(i));
      bytes += size + 2 + (size >= 128 ? 1 : 0) + (size >= 16384 ? 1 : 0) +
        (size >= 2097152 ? 1 : 0);
      if (res === "added" && !this.#unbuffered) continue;
      this.#copy(view, run, i + 1, bytes);
      run = i + 1;
      bytes = 0;
      for (const u of res === "overfull" ? this.#emitOversized() : this.#emit()) emit(u);
    }
    this.#copy(view, run, to, bytes);
  }

  #copy(view: ContainerView, from: number, to: number, bytes: number): void {
    if (from === to) return;
    const w = this.#w;
    w.ensure(bytes);
    w.pos = view.copyEntries(from, to, w.buf, w.pos);
  }

  /**
   * Closes the open container, if it holds any payload.
   *
   * @returns Its unit(s), valid until the next call; empty if nothing was pending.
   */
  flush(): Uint8Array[] {
    return this.#estimate.count === 0 ? [] : this.#emit();
  }

  /** Appends CRCs and sequence fields; returns the finished writer, starts a new container. */
  #close(): ProtoWriter {
    const w = this.#w;
    const sequence = this.#sequence;
    this.#sequence = (sequence + 1) >>> 0;
    writeContainerTrailer(
      w,
      this.#crcs.values,
      this.#crcs.length,
      this.#sequenced ? { sequence, sequenceId: this.sequenceId } : undefined,
    );
    this.#crcs.length = 0;
    this.#estimate.reset();
    this.#w = this.#spare;
    this.#spare = w;
    this.#w.pos = NMSG_HEADER_SIZE;
    return w;
  }

  #emit(): Uint8Array[] {
    const w = this.#close();
    if (this.#zlib === undefined) {
      writeHeader(w.buf, 0, 0, w.pos - NMSG_HEADER_SIZE);
      return [w.buf.subarray(0, w.pos)];
    }
    // Compressed units alternate between two buffers, like the plain ones (see #w).
    const size = NMSG_HEADER_SIZE + 4 + deflateBound(w.pos - NMSG_HEADER_SIZE);
    this.#zi ^= 1;
    if (this.#zbuf[this.#zi]!.length < size) this.#zbuf[this.#zi] = new Uint8Array(size);
    const unit = deflateData(
      w.buf.subarray(NMSG_HEADER_SIZE, w.pos),
      this.#zlib,
      NMSG_HEADER_SIZE,
      this.#zbuf[this.#zi],
    );
    writeHeader(unit, 0, NMSG_FLAG_ZLIB, unit.length - NMSG_HEADER_SIZE);
    return [unit];
  }

  #emitOversized(): Uint8Array[] {
    if (!this.#fragment) return this.#emit();
    const w = this.#close();
    const maxFragment = this.bufsz - 32;
    let data = w.buf.subarray(NMSG_HEADER_SIZE, w.pos);
    if (this.#zlib !== undefined) {
      data = deflateData(data, this.#zlib);
      if (data.length <= maxFragment) {
        // libnmsg sends this one without any header (a bug); a normal zlib unit is right.
        const unit = new Uint8Array(NMSG_HEADER_SIZE + data.length);
        writeHeader(unit, 0, NMSG_FLAG_ZLIB, data.length);
        unit.set(data, NMSG_HEADER_SIZE);
        return [unit];
      }
    }
    return fragmentUnits(data, maxFragment, randomUint32(), this.#zlib ? NMSG_FLAG_ZLIB : 0);
  }
}

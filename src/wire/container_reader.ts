/**
 * Reading NMSG streams (files, stdin, pipes, Web Streams) as containers and payloads, with
 * libnmsg's input checks: payload CRCs verified, bad payloads dropped with a warning.
 *
 * @module
 */

import type { Container } from "./container.ts";
import { bswap32, crc32c } from "./crc32c.ts";
import { NmsgFormatError } from "./errors.ts";
import type { Payload } from "./payload.ts";
import { sourceFromStream } from "./streams.ts";
import { UnitDecoder, type UnitDecoderOptions } from "./unit_decoder.ts";
import { type ByteSource, UnitReader, type UnitReaderOptions } from "./unit_reader.ts";

/** A payload whose CRC did not match, as libnmsg reports it. */
export interface CrcMismatch {
  /** CRC-32C computed over the payload (as libnmsg prints it first). */
  calculated: number;
  /** The value stored in `payload_crcs` (printed raw, second). */
  wire: number;
  /** The payload's index in its container. */
  index: number;
  /** Byte offset of the container's unit. */
  offset: number;
}

/** Options for {@linkcode ContainerReader}. */
export interface ContainerReaderOptions extends UnitReaderOptions, UnitDecoderOptions {
  /**
   * Called for each payload whose CRC does not match; the payload is dropped (libnmsg
   * prints `libnmsg: WARNING: crc mismatch (calculated != wire)` and drops it).
   */
  onCrcMismatch?: ((mismatch: CrcMismatch) => void) | undefined;
}

/** The payloads of one container that passed the CRC check. */
export interface ContainerBatch {
  /** Payloads in order, without those that failed their CRC. */
  payloads: Payload[];
  /** Their verified `payload_crcs` values, when the container carried a CRC for each. */
  crcs: number[] | undefined;
  /** The whole decoded container (all payloads, sequence fields). */
  container: Container;
  /** Byte offset of the container's unit (of its last fragment, if fragmented). */
  offset: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Reads containers from a byte stream, reassembling fragments and inflating zlib
 * containers, and checks every payload's CRC.
 *
 * @example Print every payload's type
 * ```ts
 * import { ContainerReader, nodeZlib } from "@nmsg-deno/nmsg";
 *
 * using file = await Deno.open("tests/testdata/sample.nmsg");
 * for await (const batch of new ContainerReader(file, { zlib: nodeZlib })) {
 *   for (const p of batch.payloads) console.log(p.vid, p.msgtype);
 * }
 * ```
 */
export class ContainerReader implements AsyncIterable<ContainerBatch> {
  readonly #units: UnitReader;
  readonly #decoder: UnitDecoder;
  readonly #name: string | undefined;
  readonly #onCrcMismatch: ((m: CrcMismatch) => void) | undefined;

  /**
   * Creates a reader.
   *
   * @param source A `read(buf)` source (`Deno.FsFile`, `Deno.stdin`) or a Web stream.
   * @param options zlib codec, limits, input name, CRC mismatch callback.
   */
  constructor(
    source: ByteSource | ReadableStream<Uint8Array>,
    options: ContainerReaderOptions = {},
  ) {
    const src = source instanceof ReadableStream ? sourceFromStream(source) : source;
    this.#units = new UnitReader(src, options);
    this.#decoder = new UnitDecoder(options);
    this.#name = options.name;
    this.#onCrcMismatch = options.onCrcMismatch;
  }

  /** Fragmented containers still waiting for pieces. */
  get pendingFragments(): number {
    return this.#decoder.reassembler.stats.pending;
  }

  /**
   * Reads the next container.
   *
   * @returns Its checked payloads, or `null` at the end of the input.
   * @throws {NmsgFormatError} On malformed input, naming the input and the unit's offset.
   */
  async next(): Promise<ContainerBatch | null> {
    while (true) {
      const unit = await this.#units.next();
      if (unit === null) return null;
      let container: Container | undefined;
      try {
        container = this.#decoder.decode(unit.flags, unit.data);
      } catch (e) {
        throw e instanceof NmsgFormatError ? e.at(this.#name, unit.offset) : e;
      }
      if (container !== undefined) return this.#check(container, unit.offset);
    }
  }

  #check(container: Container, offset: number): ContainerBatch {
    const { payloads: all, payloadCrcs: wire } = container;
    const checked = Math.min(all.length, wire.length);
    // Lists of the payloads kept and their CRCs, copied only once a mismatch shows up.
    let kept: Payload[] | undefined;
    let keptCrcs: number[] | undefined;
    for (let i = 0; i < checked; i++) {
      const p = all[i]!;
      const calculated = crc32c(p.payload ?? EMPTY);
      if (bswap32(calculated) === wire[i]) {
        kept?.push(p);
        keptCrcs?.push(wire[i]!);
        continue;
      }
      kept ??= all.slice(0, i);
      keptCrcs ??= wire.slice(0, i);
      this.#onCrcMismatch?.({ calculated, wire: wire[i]!, index: i, offset });
    }
    const payloads = kept === undefined ? all : kept.concat(all.slice(checked));
    const crcs = checked < all.length ? undefined : keptCrcs ?? wire.slice(0, checked);
    return { payloads, crcs, container, offset };
  }

  /** Iterates over the remaining containers. */
  async *[Symbol.asyncIterator](): AsyncGenerator<ContainerBatch> {
    for (let b = await this.next(); b !== null; b = await this.next()) yield b;
  }
}

/**
 * Reads every payload of an NMSG stream, one at a time (see {@linkcode ContainerReader}
 * for container-at-a-time reading, which is faster).
 *
 * @param source A `read(buf)` source or a Web stream.
 * @param options zlib codec, limits, input name, CRC mismatch callback.
 * @returns An async iterator of payloads whose CRCs passed.
 *
 * @example
 * ```ts
 * import { nodeZlib, readPayloads } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * using file = await Deno.open("tests/testdata/sample.nmsg");
 * const payloads = await Array.fromAsync(readPayloads(file, { zlib: nodeZlib }));
 * assert.equal(payloads.length, 32);
 * ```
 */
export async function* readPayloads(
  source: ByteSource | ReadableStream<Uint8Array>,
  options: ContainerReaderOptions = {},
): AsyncGenerator<Payload> {
  for await (const batch of new ContainerReader(source, options)) yield* batch.payloads;
}

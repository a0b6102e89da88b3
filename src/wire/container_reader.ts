/**
 * Reading NMSG streams (files, stdin, pipes, Web Streams) as containers and payloads, with
 * libnmsg's input checks: payload CRCs verified, bad payloads dropped with a warning.
 *
 * @module
 */

import { NMSG_FLAG_ZLIB } from "./constants.ts";
import { ContainerView } from "./container_view.ts";
import { NmsgFormatError } from "./errors.ts";
import type { Payload } from "./payload.ts";
import { sourceFromStream } from "./streams.ts";
import { UnitDecoder, type UnitDecoderOptions } from "./unit_decoder.ts";
import { type ByteSource, UnitReader, type UnitReaderOptions } from "./unit_reader.ts";
import type { ZlibCodec } from "./zlib.ts";

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
export interface ContainerReaderOptions
  extends UnitReaderOptions, Omit<UnitDecoderOptions, "zlib"> {
  /**
   * zlib implementation, or a function that loads one, called when the first compressed
   * unit shows up. Without it, compressed units are an error.
   */
  zlib?: ZlibCodec | (() => Promise<ZlibCodec>) | undefined;
  /**
   * Called for each payload whose CRC does not match; the payload is dropped (libnmsg
   * prints `libnmsg: WARNING: crc mismatch (calculated != wire)` and drops it).
   */
  onCrcMismatch?: ((mismatch: CrcMismatch) => void) | undefined;
}

/** The payloads of one container that passed the CRC check. */
export interface ContainerBatch {
  /** Payloads in order, without those that failed their CRC (decoded on first use). */
  readonly payloads: Payload[];
  /** Their CRCs (`payload_crcs` values), verified where the container carried them. */
  readonly crcs: number[];
  /** The same payloads still serialized: for filtering and copying without decoding. */
  readonly encoded: ContainerView;
  /** Byte offset of the container's unit (of its last fragment, if fragmented). */
  readonly offset: number;
  /** Size of that unit in the stream, header included. */
  readonly size: number;
}

/**
 * Reads containers from a byte stream, reassembling fragments and inflating zlib
 * containers, and checks every payload's CRC.
 *
 * With `reuseBuffer`, the reader reuses its buffers: a batch is valid only until the next
 * call to `next()`. Otherwise batches stay valid for good.
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
  readonly #reuse: boolean;
  readonly #onCrcMismatch: ((m: CrcMismatch) => void) | undefined;
  readonly #loadZlib: (() => Promise<ZlibCodec>) | undefined;
  #zlib: ZlibCodec | undefined;
  #view = new ContainerView();
  #ended = false;

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
    // Tested by shape: naming ReadableStream makes Deno load its streams code (~2 ms).
    const src = typeof (source as Partial<ByteSource>).read === "function"
      ? source as ByteSource
      : sourceFromStream(source as ReadableStream<Uint8Array>);
    this.#units = new UnitReader(src, options);
    const { zlib } = options;
    this.#loadZlib = typeof zlib === "function" ? zlib : undefined;
    this.#zlib = typeof zlib === "function" ? undefined : zlib;
    this.#decoder = new UnitDecoder({
      ...options,
      zlib: zlib === undefined ? undefined : {
        inflate: (stream, size, into) => this.#zlib!.inflate(stream, size, into),
        deflate: (data, into) => this.#zlib!.deflate(data, into),
      },
    });
    this.#name = options.name;
    this.#reuse = options.reuseBuffer ?? false;
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
   * @throws {NmsgFormatError} On malformed input, naming the input and the unit's offset; at
   * the end of an input that leaves fragmented containers incomplete (code `fragment`, once;
   * libnmsg drops them silently).
   */
  async next(): Promise<ContainerBatch | null> {
    while (true) {
      const unit = await this.#units.next();
      if (unit === null) {
        // Those still waiting, and those dropped to stay within the reassembly limits.
        const { pending, expired } = this.#decoder.reassembler.stats;
        const lost = pending + expired;
        if (lost === 0 || this.#ended) return null;
        this.#ended = true;
        throw new NmsgFormatError(
          "fragment",
          `input ends with ${lost} fragmented container${lost === 1 ? "" : "s"} incomplete`,
          { source: this.#name, offset: this.#units.offset },
        );
      }
      const { offset } = unit;
      if (unit.flags & NMSG_FLAG_ZLIB && this.#zlib === undefined && this.#loadZlib) {
        this.#zlib = await this.#loadZlib();
      }
      if (!this.#reuse) this.#view = new ContainerView();
      const view = this.#view;
      try {
        const data = this.#decoder.assemble(unit.flags, unit.data);
        if (data === undefined) continue;
        view.decode(data);
      } catch (e) {
        throw e instanceof NmsgFormatError ? e.at(this.#name, offset) : e;
      }
      const report = this.#onCrcMismatch;
      view.verify(
        report && ((index, calculated, wire) => report({ calculated, wire, index, offset })),
      );
      return new Batch(view, offset, this.#units.offset - offset);
    }
  }

  /** Iterates over the remaining containers. */
  async *[Symbol.asyncIterator](): AsyncGenerator<ContainerBatch> {
    for (let b = await this.next(); b !== null; b = await this.next()) yield b;
  }
}

class Batch implements ContainerBatch {
  constructor(readonly encoded: ContainerView, readonly offset: number, readonly size: number) {}

  get payloads(): Payload[] {
    return this.encoded.payloads;
  }

  get crcs(): number[] {
    return this.encoded.crcs;
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

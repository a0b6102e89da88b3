/**
 * Turning units into containers: inflating zlib data parts and reassembling fragments.
 *
 * @module
 */

import { NMSG_DEFAULT_MAX_SIZE, NMSG_FLAG_FRAGMENT, NMSG_FLAG_ZLIB } from "./constants.ts";
import { type Container, decodeContainer } from "./container.ts";
import { NmsgFormatError } from "./errors.ts";
import { decodeFragment, FragmentReassembler, type ReassemblerOptions } from "./fragment.ts";
import { inflateData, type ZlibCodec } from "./zlib.ts";

/** Options for {@linkcode UnitDecoder}. */
export interface UnitDecoderOptions {
  /** zlib implementation; without one, compressed units are an error. */
  zlib?: ZlibCodec | undefined;
  /** Largest inflated size accepted. Default 64 MiB. */
  maxSize?: number | undefined;
  /** Limits for fragment reassembly. */
  fragments?: ReassemblerOptions | undefined;
  /**
   * Inflate every container into one buffer: no allocation per container, but a container
   * is valid only until the next one is decoded. Default false.
   */
  reuseBuffer?: boolean | undefined;
}

/**
 * Decodes the data parts of units into containers, holding partial fragmented containers
 * until they complete.
 *
 * @example
 * ```ts
 * import { encodeContainer, UnitDecoder } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const data = encodeContainer([{ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 }]);
 * const c = new UnitDecoder().decode(0, data);
 * assert.equal(c?.payloads.length, 1);
 * ```
 */
export class UnitDecoder {
  /** The reassembler holding incomplete fragmented containers. */
  readonly reassembler: FragmentReassembler;
  readonly #zlib: ZlibCodec | undefined;
  readonly #maxSize: number;
  readonly #scratch: ((size: number) => Uint8Array) | undefined;
  #buf = new Uint8Array(0);

  /**
   * Creates a decoder.
   *
   * @param options zlib codec and limits.
   */
  constructor(options: UnitDecoderOptions = {}) {
    this.#zlib = options.zlib;
    this.#maxSize = options.maxSize ?? NMSG_DEFAULT_MAX_SIZE;
    this.reassembler = new FragmentReassembler({ maxBytes: this.#maxSize, ...options.fragments });
    this.#scratch = options.reuseBuffer ? (size) => this.#buffer(size + 1) : undefined;
  }

  #buffer(size: number): Uint8Array {
    if (this.#buf.length < size) this.#buf = new Uint8Array(size);
    return this.#buf;
  }

  /**
   * Returns the serialized `Nmsg` a unit carries: inflated if compressed, reassembled if a
   * fragment.
   *
   * @param flags The unit's header flags.
   * @param data The unit's data part.
   * @param sender Who sent it (fragments are keyed by sender); `""` for files.
   * @param now Current time in seconds (fragment expiry).
   * @returns The container bytes, or `undefined` while a fragmented container is incomplete.
   * @throws {NmsgFormatError} On malformed compressed data or fragments.
   */
  assemble(flags: number, data: Uint8Array, sender = "", now = 0): Uint8Array | undefined {
    if (flags & NMSG_FLAG_FRAGMENT) {
      const whole = this.reassembler.add(decodeFragment(data), sender, now);
      if (whole === undefined) return undefined;
      data = whole;
    }
    if (flags & NMSG_FLAG_ZLIB) {
      if (this.#zlib === undefined) {
        throw new NmsgFormatError("zlib", "compressed container but no zlib codec was given");
      }
      data = inflateData(data, this.#zlib, this.#maxSize, this.#scratch);
    }
    return data;
  }

  /**
   * Decodes a unit's data part into a container.
   *
   * @param flags The unit's header flags.
   * @param data The unit's data part.
   * @param sender Who sent it; `""` for files.
   * @param now Current time in seconds.
   * @returns The container, or `undefined` while a fragmented container is incomplete.
   * @throws {NmsgFormatError} On malformed data.
   */
  decode(flags: number, data: Uint8Array, sender = "", now = 0): Container | undefined {
    const bytes = this.assemble(flags, data, sender, now);
    return bytes === undefined ? undefined : decodeContainer(bytes);
  }
}

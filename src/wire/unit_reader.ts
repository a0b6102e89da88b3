/**
 * Splitting a byte stream (a file, stdin, a pipe) into NMSG units without reading it
 * whole.
 *
 * @module
 */

import { NMSG_DEFAULT_MAX_SIZE } from "./constants.ts";
import { NmsgFormatError } from "./errors.ts";
import { parseHeader } from "./header.ts";

/**
 * Anything that reads bytes into a buffer, like `Deno.FsFile` or `Deno.stdin`: resolves to
 * the number of bytes read, or `null` at end of input.
 */
export interface ByteSource {
  /** Reads up to `p.length` bytes into `p`. */
  read(p: Uint8Array): Promise<number | null>;
}

/** One NMSG unit as found in a stream. */
export interface Unit {
  /** Header flags (ZLIB, FRAGMENT). */
  flags: number;
  /** Protocol version (1 or 2). */
  version: 1 | 2;
  /** Byte offset of the unit's header in the stream. */
  offset: number;
  /** The data part: a view into the reader's buffer (see `reuseBuffer`). */
  data: Uint8Array;
}

/** Options for {@linkcode UnitReader}. */
export interface UnitReaderOptions {
  /** Name of the input, used in error messages. */
  name?: string | undefined;
  /** Largest declared unit length accepted. Default 64 MiB. */
  maxSize?: number | undefined;
  /** Bytes requested per read. Default 4 MiB. */
  chunkSize?: number | undefined;
  /**
   * Reuse one buffer: faster (no fresh pages to fault in), but each unit's `data` is valid
   * only until the next call to `next()`. Default false: views stay valid for good.
   */
  reuseBuffer?: boolean | undefined;
}

/**
 * Reads NMSG units one by one from a {@linkcode ByteSource}. Memory stays bounded by the
 * chunk size plus the largest unit; every declared length is checked against `maxSize`
 * before anything is allocated for it.
 *
 * @example Counting units in a file
 * ```ts
 * import { UnitReader } from "@nmsg-deno/nmsg";
 *
 * using file = await Deno.open("tests/testdata/sample.nmsg");
 * const reader = new UnitReader(file, { name: "dnsqr.nmsg" });
 * let n = 0;
 * while (await reader.next()) n++;
 * ```
 */
export class UnitReader {
  readonly #src: ByteSource;
  readonly #name: string | undefined;
  readonly #maxSize: number;
  readonly #chunkSize: number;
  readonly #reuse: boolean;
  #buf = new Uint8Array(0);
  #pos = 0;
  #end = 0;
  #offset = 0;
  #eof = false;

  /**
   * Creates a reader.
   *
   * @param src Where the bytes come from.
   * @param options Name and limits.
   */
  constructor(src: ByteSource, options: UnitReaderOptions = {}) {
    this.#src = src;
    this.#name = options.name;
    this.#maxSize = options.maxSize ?? NMSG_DEFAULT_MAX_SIZE;
    this.#chunkSize = options.chunkSize ?? 4 * 1024 * 1024;
    this.#reuse = options.reuseBuffer ?? false;
  }

  /** Byte offset of the next unit in the stream. */
  get offset(): number {
    return this.#offset;
  }

  /**
   * Reads the next unit.
   *
   * @returns The unit, or `null` at a clean end of input.
   * @throws {NmsgFormatError} On bad magic, unknown version, an oversized length, or a unit
   * cut short by the end of input (code `truncated`); the message names the input and offset.
   */
  async next(): Promise<Unit | null> {
    const offset = this.#offset;
    let avail = await this.#fill(10);
    if (avail === 0) return null;
    let header;
    try {
      header = parseHeader(this.#buf.subarray(this.#pos, this.#pos + avail), 0, true);
    } catch (e) {
      throw e instanceof NmsgFormatError ? e.at(this.#name, offset) : e;
    }
    if (header === undefined) {
      throw new NmsgFormatError(
        "truncated",
        `input ends inside a unit header (${avail} bytes)`,
        { source: this.#name, offset },
      );
    }
    if (header.length > this.#maxSize) {
      throw new NmsgFormatError(
        "length",
        `unit declares ${header.length} bytes, above the ${this.#maxSize}-byte limit`,
        { source: this.#name, offset },
      );
    }
    const total = header.headerSize + header.length;
    avail = await this.#fill(total);
    if (avail < total) {
      throw new NmsgFormatError(
        "truncated",
        `unit declares ${header.length} bytes but the input ends after ${
          avail - header.headerSize
        }`,
        { source: this.#name, offset },
      );
    }
    const start = this.#pos + header.headerSize;
    const data = this.#buf.subarray(start, start + header.length);
    this.#pos += total;
    this.#offset += total;
    return { flags: header.flags, version: header.version, offset, data };
  }

  /** Makes `n` bytes available from `#pos` if the input has them; returns how many are. */
  async #fill(n: number): Promise<number> {
    if (this.#end - this.#pos >= n || this.#eof) return this.#end - this.#pos;
    if (this.#buf.length - this.#pos < n) {
      const size = Math.max(this.#chunkSize, n);
      if (this.#reuse && this.#buf.length >= size) {
        this.#buf.copyWithin(0, this.#pos, this.#end);
      } else {
        // A fresh buffer, unless reusing: views handed out earlier must stay intact.
        const next = new Uint8Array(size);
        next.set(this.#buf.subarray(this.#pos, this.#end));
        this.#buf = next;
      }
      this.#end -= this.#pos;
      this.#pos = 0;
    }
    while (this.#end - this.#pos < n) {
      const got = await this.#src.read(this.#buf.subarray(this.#end));
      if (got === null) {
        this.#eof = true;
        break;
      }
      this.#end += got;
    }
    return this.#end - this.#pos;
  }
}

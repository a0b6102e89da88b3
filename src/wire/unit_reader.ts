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
  /**
   * Bytes requested per read. Default 1 MiB: larger chunks measured slower, as units are
   * then scanned after their bytes have left the cache.
   */
  chunkSize?: number | undefined;
  /**
   * Reuse the reader's buffers: faster (no copy of each unit, no fresh pages to fault in),
   * but each unit's `data` is valid only until the next call to `next()`. Default false:
   * every unit gets its own copy.
   */
  reuseBuffer?: boolean | undefined;
}

const EMPTY = new Uint8Array(0);

/**
 * Reads NMSG units one by one from a {@linkcode ByteSource}. Memory stays bounded by two
 * read chunks plus the largest unit; every declared length is checked against `maxSize`
 * before anything is allocated for it.
 *
 * The next chunk is read while the units of the current one are being used, so a source
 * whose reads complete on another thread (a file) is read in parallel. Units that lie in
 * one chunk are handed out where they are; one that straddles two chunks is assembled in
 * a buffer of its own.
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
  readonly #reuse: boolean;
  // Two chunk buffers: one holds the bytes being parsed, the other the read ahead.
  readonly #chunks: [Uint8Array, Uint8Array];
  #into = 0;
  #ahead: Promise<number | null> | undefined;
  #eof = false;
  // The bytes at hand: #cur[#pos, #end). #cur is a chunk, or #joint while a unit that
  // straddles chunks is assembled there; the rest of that chunk then waits in #rest.
  #cur: Uint8Array = EMPTY;
  #pos = 0;
  #end = 0;
  #joint: Uint8Array = EMPTY;
  #rest: Uint8Array | undefined;
  #offset = 0;

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
    const chunk = options.chunkSize ?? 1 << 20;
    this.#chunks = [new Uint8Array(chunk), new Uint8Array(chunk)];
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
      header = parseHeader(this.#cur.subarray(this.#pos, this.#pos + avail), 0, true);
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
    const data = this.#cur.subarray(start, start + header.length);
    this.#pos += total;
    this.#offset += total;
    return {
      flags: header.flags,
      version: header.version,
      offset,
      data: this.#reuse ? data : data.slice(),
    };
  }

  /** Makes `n` bytes available from `#pos` if the input has them; returns how many are. */
  async #fill(n: number): Promise<number> {
    while (this.#end - this.#pos < n) {
      let next = this.#rest;
      this.#rest = undefined;
      const fresh = next === undefined;
      if (next === undefined) {
        if (this.#eof) break;
        const got = await (this.#ahead ??= this.#read());
        this.#ahead = undefined;
        if (got === null) {
          this.#eof = true;
          break;
        }
        next = this.#chunks[this.#into]!.subarray(0, got);
        this.#into ^= 1;
      }
      const have = this.#end - this.#pos;
      if (have === 0) {
        this.#cur = next;
        this.#pos = 0;
        this.#end = next.length;
      } else {
        // A unit across chunks: what is at hand and what it still needs go into #joint.
        const take = Math.min(n - have, next.length);
        if (this.#joint.length < have + take) {
          // Doubling, so that a large unit arriving in small reads (a pipe) is copied a few
          // times, not once per read; never beyond twice what has arrived.
          const size = Math.max(
            have + take,
            this.#chunks[0].length,
            Math.min(n, 2 * this.#joint.length),
          );
          const joint = new Uint8Array(size);
          joint.set(this.#cur.subarray(this.#pos, this.#end));
          this.#joint = joint;
        } else if (this.#cur !== this.#joint) {
          this.#joint.set(this.#cur.subarray(this.#pos, this.#end));
        } else if (this.#pos > 0) this.#joint.copyWithin(0, this.#pos, this.#end);
        this.#joint.set(next.subarray(0, take), have);
        this.#cur = this.#joint;
        this.#pos = 0;
        this.#end = have + take;
        if (take < next.length) this.#rest = next.subarray(take);
      }
      // The other chunk's bytes are all used or copied by now: read ahead into it.
      if (fresh) this.#ahead = this.#read();
    }
    return this.#end - this.#pos;
  }

  /** Starts reading into the chunk `#into`. */
  #read(): Promise<number | null> {
    const p = this.#src.read(this.#chunks[this.#into]!);
    // A read ahead may fail unobserved if its result is never needed.
    p.catch(() => {});
    return p;
  }
}

// Reading the records of a classic pcap savefile in TypeScript, a large chunk at a time, so
// that a packet costs no FFI call. PcapHandle uses it only where it gives exactly what
// libpcap 1.10's sf-pcap.c reader gives: libpcap opens the file first (its checks and
// messages stand), then records are read here for version 2.4 files of the link types the
// capture modules read (libpcap rewrites pseudo-headers of others, and swaps some in
// byte-swapped files). Everything else, pcapng and standard input included, stays with
// libpcap.

import { PcapError } from "./errors.ts";

const MAGIC_USEC = 0xa1b2c3d4;
const MAGIC_NSEC = 0xa1b23c4d;
const FILE_HEADER_SIZE = 24;
const RECORD_HEADER_SIZE = 16;
/** libpcap's MAXIMUM_SNAPLEN: the largest record it accepts for these link types. */
const MAX_CAPLEN = 262144;
/** Several hundred records a read, and room for the largest one. */
const CHUNK_SIZE = 1 << 20;

/** Link types (DLT values) whose records libpcap hands over exactly as stored. */
const NATIVE_ORDER_LINKS = new Set([0, 1, 12, 108, 113]);
/** The same in byte-swapped files: libpcap rewrites DLT_LINUX_SLL (113) CAN headers there. */
const SWAPPED_ORDER_LINKS = new Set([0, 1, 12, 108]);

/** The records of one savefile; the current packet is `data[offset, offset + caplen)`. */
export class SavefileReader {
  readonly #file: Deno.FsFile;
  readonly #swapped: boolean;
  readonly #nano: boolean;
  readonly #snapshot: number;
  #buf = new Uint8Array(CHUNK_SIZE);
  #pos = 0;
  #end = 0;
  #eof = false;

  /** The buffer holding the current packet. */
  data: Uint8Array = this.#buf;
  /** Where the current packet starts in `data`. */
  offset = 0;
  /** Seconds of the current packet's timestamp (NaN, a double, until the first). */
  tsSec = NaN;
  /** Microseconds, as the low 32 bits of libpcap's `tv_usec`. */
  tsUsec = 0;
  /** Captured bytes of the current packet. */
  caplen = 0;
  /** Bytes on the wire. */
  length = 0;

  private constructor(file: Deno.FsFile, swapped: boolean, nano: boolean, snapshot: number) {
    this.#file = file;
    this.#swapped = swapped;
    this.#nano = nano;
    this.#snapshot = snapshot;
  }

  /**
   * A reader for a savefile libpcap has opened, if this file is one it can read exactly
   * as libpcap does; undefined otherwise (the caller keeps reading through libpcap).
   *
   * @param path The path libpcap opened.
   * @param datalink The link type libpcap reported.
   * @param snapshot The snapshot length libpcap reported.
   */
  static open(path: string, datalink: number, snapshot: number): SavefileReader | undefined {
    if (path === "-") return undefined; // libpcap reads standard input
    let file: Deno.FsFile;
    try {
      // Without read permission libpcap reads the records (and nobody is prompted for it).
      if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return undefined;
      file = Deno.openSync(path, { read: true });
    } catch {
      return undefined;
    }
    let header: { swapped: boolean; nano: boolean } | undefined;
    try {
      if (file.statSync().isFile) header = readFileHeader(file, datalink, snapshot);
    } catch {
      header = undefined;
    }
    if (header === undefined) {
      file.close();
      return undefined;
    }
    return new SavefileReader(file, header.swapped, header.nano, snapshot);
  }

  /**
   * Reads the next record.
   *
   * @returns True for a packet, false at the end of the file.
   * @throws {PcapError} With libpcap's text for a truncated or damaged file.
   */
  next(): boolean {
    if (this.#end - this.#pos < RECORD_HEADER_SIZE) {
      this.#fill(RECORD_HEADER_SIZE);
      const got = this.#end - this.#pos;
      if (got === 0) return false;
      if (got < RECORD_HEADER_SIZE) {
        this.#pos = this.#end;
        throw readError(
          `truncated dump file; tried to read ${RECORD_HEADER_SIZE} header bytes, only got ${got}`,
        );
      }
    }
    const b = this.#buf;
    const p = this.#pos;
    let sec: number;
    let usec: number;
    let caplen: number;
    if (this.#swapped) {
      sec = u32be(b, p) | 0;
      usec = u32be(b, p + 4) | 0;
      caplen = u32be(b, p + 8);
      this.length = u32be(b, p + 12);
    } else {
      sec = u32le(b, p) | 0;
      usec = u32le(b, p + 4) | 0;
      caplen = u32le(b, p + 8);
      this.length = u32le(b, p + 12);
    }
    this.#pos = p + RECORD_HEADER_SIZE;
    this.tsSec = sec;
    this.tsUsec = (this.#nano ? Math.trunc(usec / 1000) : usec) >>> 0;
    const snapshot = this.#snapshot;
    if (caplen > MAX_CAPLEN) {
      throw readError(
        caplen > snapshot
          ? `invalid packet capture length ${caplen}, bigger than snaplen of ${snapshot}`
          : `invalid packet capture length ${caplen}, bigger than maximum of ${MAX_CAPLEN}`,
      );
    }
    if (caplen > snapshot) return this.#cut(caplen);
    if (this.#end - this.#pos < caplen) {
      this.#fill(caplen);
      const got = this.#end - this.#pos;
      if (got < caplen) {
        this.#pos = this.#end;
        throw readError(
          `truncated dump file; tried to read ${caplen} captured bytes, only got ${got}`,
        );
      }
    }
    this.data = this.#buf;
    this.offset = this.#pos;
    this.caplen = caplen;
    this.#pos += caplen;
    return true;
  }

  /** A record longer than the snapshot length: its first `snapshot` bytes, the rest skipped. */
  #cut(caplen: number): boolean {
    const snapshot = this.#snapshot;
    this.#fill(snapshot);
    const got = this.#end - this.#pos;
    if (got < snapshot) {
      this.#pos = this.#end;
      throw readError(
        `truncated dump file; tried to read ${snapshot} captured bytes, only got ${got}`,
      );
    }
    // Skipping the rest may move the buffer's contents: the packet gets a copy.
    const packet = this.#buf.slice(this.#pos, this.#pos + snapshot);
    this.#pos += snapshot;
    let skipped = snapshot;
    while (skipped < caplen) {
      if (this.#end === this.#pos) this.#fill(1);
      const n = Math.min(caplen - skipped, this.#end - this.#pos);
      if (n === 0) {
        throw readError(
          `truncated dump file; tried to read ${caplen} captured bytes, only got ${skipped}`,
        );
      }
      this.#pos += n;
      skipped += n;
    }
    this.data = packet;
    this.offset = 0;
    this.caplen = snapshot;
    return true;
  }

  /** Makes `need` bytes available from `#pos` (at most a record), unless the file ends first. */
  #fill(need: number): void {
    if (this.#eof) return;
    const buf = this.#buf;
    // What is left of the last read moves to the front: the read after it is a whole chunk.
    if (this.#pos > 0) {
      buf.copyWithin(0, this.#pos, this.#end);
      this.#end -= this.#pos;
      this.#pos = 0;
    }
    while (this.#end < need) {
      let n: number | null;
      try {
        n = this.#file.readSync(buf.subarray(this.#end));
      } catch (e) {
        throw readError(`error reading dump file: ${osText(e)}`);
      }
      if (n === null || n === 0) {
        this.#eof = true;
        return;
      }
      this.#end += n;
    }
  }

  /** Closes the file. */
  close(): void {
    this.#file.close();
  }
}

/**
 * Reads a classic pcap file header: the byte order and timestamp unit, if the file is one
 * this reader handles (see the top of this file) and the one libpcap opened.
 */
function readFileHeader(
  file: Deno.FsFile,
  datalink: number,
  snapshot: number,
): { swapped: boolean; nano: boolean } | undefined {
  const h = new Uint8Array(FILE_HEADER_SIZE);
  for (let got = 0; got < h.length;) {
    const n = file.readSync(h.subarray(got));
    if (n === null || n === 0) return undefined;
    got += n;
  }
  const le = u32le(h, 0);
  const swapped = le !== MAGIC_USEC && le !== MAGIC_NSEC;
  const magic = swapped ? u32be(h, 0) : le;
  if (magic !== MAGIC_USEC && magic !== MAGIC_NSEC) return undefined;
  const u16 = (at: number) => swapped ? (h[at]! << 8) | h[at + 1]! : h[at]! | (h[at + 1]! << 8);
  // Versions before 2.4 may have their length fields swapped, which libpcap guesses at.
  if (u16(4) !== 2 || u16(6) !== 4) return undefined;
  const snaplen = swapped ? u32be(h, 16) : u32le(h, 16);
  // libpcap replaces a zero or negative snapshot length with the maximum.
  const adjusted = snaplen === 0 || snaplen > 0x7fffffff ? MAX_CAPLEN : snaplen;
  // A different snapshot length: the path no longer names the file libpcap opened.
  if (adjusted !== snapshot) return undefined;
  if (!(swapped ? SWAPPED_ORDER_LINKS : NATIVE_ORDER_LINKS).has(datalink)) return undefined;
  return { swapped, nano: magic === MAGIC_NSEC };
}

function readError(detail: string): PcapError {
  return new PcapError("pcap_next_ex", detail, -1);
}

/** strerror's text, as libpcap appends it: Deno's message without its "(os error N)". */
function osText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/ \(os error \d+\)$/, "");
}

function u32le(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

function u32be(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

/**
 * A libpcap capture handle (`pcap_t`): a savefile (pcap or pcapng), a live interface, or
 * a "dead" handle for compiling filters.
 *
 * @module
 */

import { AddressSlot, copyFromNative, cString, readCString } from "../ffi/libc_memory.ts";
import { waitReadable } from "../ffi/libc_poll.ts";
import { errbufText, pcap, statusText } from "./_library.ts";
import { SavefileReader } from "./_savefile_reader.ts";
import { BpfProgram } from "./bpf_program.ts";
import { PcapError } from "./errors.ts";
import { PCAP_ERRBUF_SIZE, PCAP_ERROR } from "./symbols.ts";

/** How to open a live capture. */
export interface LiveCaptureOptions {
  /** Bytes captured per packet; 0 = libpcap's default (262144). Default 65535. */
  snaplen?: number;
  /** Put the interface in promiscuous mode. Default false. */
  promiscuous?: boolean;
  /** Kernel capture buffer size in bytes. Default 16 MiB. */
  bufferSize?: number;
  /** Deliver packets as soon as they arrive rather than in blocks. Default true. */
  immediate?: boolean;
  /** Packet buffer timeout in milliseconds. Default 1000. */
  timeoutMs?: number;
}

/** What `pcap_next_ex` reported. */
export const NextResult = {
  /** A packet is ready: read its header fields and copy its bytes. */
  Packet: 1,
  /** No packet right now (live capture, nonblocking or timeout). */
  None: 0,
  /** End of the savefile, or `breakLoop()` was called. */
  End: -2,
} as const;

/** What `pcap_next_ex` reported: one of the {@linkcode NextResult} values. */
export type NextResult = typeof NextResult[keyof typeof NextResult];

/** Capture counters (`pcap_stats`). */
export interface CaptureStats {
  /** Packets received. */
  received: number;
  /** Packets dropped for lack of buffer space. */
  dropped: number;
  /** Packets dropped by the interface or its driver. */
  interfaceDropped: number;
}

// struct pcap_pkthdr: a struct timeval, then caplen and len. LP64 (Linux, macOS) has an
// 8-byte tv_sec and tv_usec (macOS: 4 bytes + padding); Windows has two 4-byte longs.
const WINDOWS = globalThis.Deno?.build.os === "windows";
const HDR_SIZE = WINDOWS ? 16 : 24;
const HDR_USEC = WINDOWS ? 1 : 2; // in 32-bit words
const HDR_CAPLEN = WINDOWS ? 2 : 4;

/**
 * An open libpcap handle. Read packets with {@linkcode PcapHandle.next}, then the header
 * fields and the bytes (`data` from `dataOffset`, or {@linkcode PcapHandle.copyPacket});
 * they are valid only until the next call. Close it with `close()` or a `using`
 * declaration.
 *
 * Works under a scoped `--allow-ffi=<libpcap path>,<libc path>`: pointers are handled as
 * integers and packet bytes copied with libc `memcpy`. The records of a classic pcap
 * savefile (version 2.4, Ethernet, raw IP, Linux cooked or loopback) are read in
 * TypeScript instead, after libpcap has opened the file, exactly as libpcap would read
 * them: no FFI call per packet (this needs read permission for the file; without it
 * libpcap reads them).
 *
 * @example The DNS responses of a savefile
 * ```ts
 * import { NextResult, PcapHandle } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * using h = PcapHandle.openOffline("tests/testdata/dig_response.pcap");
 * assert.equal(h.datalinkName, "EN10MB");
 * h.setFilter("udp src port 53");
 * const frame = new Uint8Array(h.snapshot);
 * let responses = 0;
 * while (h.next() === NextResult.Packet) {
 *   h.copyPacket(frame);
 *   assert.equal(frame[23], 17); // IPv4 protocol: UDP
 *   responses++;
 * }
 * assert.equal(responses, 6);
 * ```
 */
export class PcapHandle implements Disposable {
  #p: bigint;
  /** True for a live interface, false for a savefile or a dead handle. */
  readonly live: boolean;
  /** What the handle reads: a file path, an interface name, or `dead`. */
  readonly source: string;
  // The out-parameters of pcap_next_ex.
  readonly #hdrSlot = new AddressSlot();
  readonly #dataSlot = new AddressSlot();
  readonly #hdr = new Uint8Array(HDR_SIZE);
  readonly #hdrWords = new Uint32Array(this.#hdr.buffer);
  readonly #hdrInts = new Int32Array(this.#hdr.buffer);
  // Savefile records read in TypeScript, with the installed filter's instructions.
  #reader: SavefileReader | undefined;
  #filter: Uint8Array | undefined;
  #breakRequested = false;
  // Where packets that libpcap delivers are copied.
  #frame = new Uint8Array(2048);

  /** Seconds of the current packet's timestamp. */
  tsSec = 0;
  /** Microseconds of the current packet's timestamp. */
  tsUsec = 0;
  /** Captured length of the current packet. */
  caplen = 0;
  /** Original (wire) length of the current packet. */
  length = 0;
  /** The buffer holding the current packet's captured bytes (may be modified). */
  data: Uint8Array = this.#frame;
  /** Where the current packet starts in `data`. */
  dataOffset = 0;

  private constructor(p: bigint, live: boolean, source: string) {
    this.#p = p;
    this.live = live;
    this.source = source;
  }

  /**
   * Opens a savefile (pcap or pcapng).
   *
   * @param path The file.
   * @returns The handle.
   * @throws {PcapError} With libpcap's message, e.g. `x.pcap: No such file or directory`.
   */
  static openOffline(path: string): PcapHandle {
    const errbuf = new Uint8Array(PCAP_ERRBUF_SIZE);
    const p = pcap().pcap_open_offline(cString(path), errbuf);
    if (p === 0n) throw new PcapError("pcap_open_offline", errbufText(errbuf));
    const h = new PcapHandle(p, false, path);
    h.#reader = SavefileReader.open(path, h.datalink, h.snapshot);
    return h;
  }

  /**
   * Opens and activates a live capture on an interface.
   *
   * @param device The interface name, e.g. `eth0` or `lo`.
   * @param options Snap length, promiscuous mode, buffer size, immediate mode, timeout.
   * @returns The activated handle.
   * @throws {PcapError} If the interface cannot be opened or activated (e.g. no privilege).
   */
  static openLive(device: string, options: LiveCaptureOptions = {}): PcapHandle {
    const lib = pcap();
    const errbuf = new Uint8Array(PCAP_ERRBUF_SIZE);
    const p = lib.pcap_create(cString(device), errbuf);
    if (p === 0n) throw new PcapError("pcap_create", errbufText(errbuf));
    const h = new PcapHandle(p, true, device);
    try {
      h.#check("pcap_set_snaplen", lib.pcap_set_snaplen(p, options.snaplen ?? 65535));
      h.#check("pcap_set_promisc", lib.pcap_set_promisc(p, options.promiscuous ? 1 : 0));
      h.#check("pcap_set_timeout", lib.pcap_set_timeout(p, options.timeoutMs ?? 1000));
      h.#check(
        "pcap_set_buffer_size",
        lib.pcap_set_buffer_size(p, options.bufferSize ?? 16 * 1024 * 1024),
      );
      h.#check(
        "pcap_set_immediate_mode",
        lib.pcap_set_immediate_mode(p, options.immediate === false ? 0 : 1),
      );
      // Positive results are warnings (e.g. promiscuous mode unsupported): the capture works.
      const rc = lib.pcap_activate(p);
      if (rc < 0) {
        const detail = rc === PCAP_ERROR ? readCString(lib.pcap_geterr(p)) : "";
        throw new PcapError("pcap_activate", detail || statusText(rc), rc);
      }
    } catch (e) {
      h.close();
      throw e;
    }
    return h;
  }

  /**
   * Opens a handle that captures nothing, to compile filters for a link type.
   *
   * @param linktype The DLT value, e.g. 12 for raw IP.
   * @param snaplen The snap length the filters assume.
   * @returns The handle.
   */
  static openDead(linktype: number, snaplen: number): PcapHandle {
    const p = pcap().pcap_open_dead(linktype, snaplen);
    if (p === 0n) throw new PcapError("pcap_open_dead", "out of memory");
    return new PcapHandle(p, false, "dead");
  }

  #handle(): bigint {
    if (this.#p === 0n) throw new TypeError(`Cannot use closed pcap handle "${this.source}"`);
    return this.#p;
  }

  #check(operation: string, rc: number): void {
    if (rc !== 0) throw new PcapError(operation, statusText(rc), rc);
  }

  /** libpcap's last error message for this handle (`pcap_geterr`). */
  lastError(): string {
    return readCString(pcap().pcap_geterr(this.#handle()));
  }

  /** The link-layer type (`pcap_datalink`), e.g. 1 for Ethernet. */
  get datalink(): number {
    return pcap().pcap_datalink(this.#handle());
  }

  /** The link-layer type's name (`pcap_datalink_val_to_name`), e.g. `EN10MB`. */
  get datalinkName(): string {
    const ptr = pcap().pcap_datalink_val_to_name(this.datalink);
    return ptr === 0n ? `DLT_${this.datalink}` : readCString(ptr);
  }

  /** The snap length (`pcap_snapshot`). */
  get snapshot(): number {
    return pcap().pcap_snapshot(this.#handle());
  }

  /**
   * Compiles a filter expression for this handle's link type (`pcap_compile`, optimized,
   * netmask 0 as nmsgtool does).
   *
   * @param expression The filter, in pcap-filter(7) syntax.
   * @returns The compiled program; free it when done.
   * @throws {PcapError} With libpcap's message if the expression does not compile.
   */
  compile(expression: string): BpfProgram {
    const struct = new Uint8Array(16);
    const p = this.#handle();
    if (pcap().pcap_compile(p, struct, cString(expression), 1, 0) !== 0) {
      throw new PcapError("pcap_compile", this.lastError());
    }
    return new BpfProgram(expression, struct);
  }

  /**
   * Tells whether an expression compiles for this handle's link type.
   *
   * @param expression The filter.
   * @returns True if it compiles.
   */
  compiles(expression: string): boolean {
    try {
      this.compile(expression).free();
      return true;
    } catch (e) {
      if (e instanceof PcapError) return false;
      throw e;
    }
  }

  /**
   * Installs a filter (`pcap_setfilter`): only matching packets are delivered.
   *
   * @param filter A compiled program, or an expression to compile.
   * @throws {PcapError} If the expression does not compile or cannot be installed.
   */
  setFilter(filter: BpfProgram | string): void {
    const program = typeof filter === "string" ? this.compile(filter) : filter;
    try {
      if (pcap().pcap_setfilter(this.#handle(), program.struct) !== 0) {
        throw new PcapError("pcap_setfilter", this.lastError());
      }
      // libpcap keeps a copy of the instructions; so does the TypeScript reader.
      if (this.#reader !== undefined) this.#filter = program.instructions();
    } finally {
      if (program !== filter) program.free();
    }
  }

  /**
   * Switches nonblocking mode (`pcap_setnonblock`): `next()` then returns
   * {@linkcode NextResult.None} at once when no packet is waiting.
   *
   * @param nonblocking The mode.
   */
  setNonblocking(nonblocking: boolean): void {
    const errbuf = new Uint8Array(PCAP_ERRBUF_SIZE);
    if (pcap().pcap_setnonblock(this.#handle(), nonblocking ? 1 : 0, errbuf) < 0) {
      throw new PcapError("pcap_setnonblock", errbufText(errbuf));
    }
  }

  /** The descriptor to poll for packets (`pcap_get_selectable_fd`), -1 if there is none. */
  get selectableFd(): number {
    return pcap().pcap_get_selectable_fd(this.#handle());
  }

  /**
   * Waits, without blocking the event loop, until packets may be ready: polls the
   * selectable descriptor on a worker thread. Resolves at once for savefiles.
   *
   * @param timeoutMs The longest wait.
   * @returns True if the descriptor became readable.
   */
  async waitForPackets(timeoutMs: number): Promise<boolean> {
    const fd = this.live ? this.selectableFd : -1;
    if (fd < 0) return true;
    return await waitReadable(fd, timeoutMs);
  }

  /**
   * Reads the next packet (`pcap_next_ex`). On {@linkcode NextResult.Packet} the header
   * fields (`tsSec`, `tsUsec`, `caplen`, `length`) describe it and `copyPacket` copies its
   * bytes, until the next call.
   *
   * @returns What happened.
   * @throws {PcapError} If libpcap reports an error (e.g. a truncated savefile).
   */
  next(): NextResult {
    const lib = pcap();
    const p = this.#handle();
    if (this.#reader !== undefined) return this.#nextRecord(this.#reader);
    const rc = lib.pcap_next_ex(p, this.#hdrSlot.buffer, this.#dataSlot.buffer);
    if (rc === 1) {
      copyFromNative(this.#hdr, this.#hdrSlot.value, HDR_SIZE);
      const w = this.#hdrWords;
      this.tsSec = WINDOWS ? this.#hdrInts[0]! : w[0]! + this.#hdrInts[1]! * 4294967296;
      this.tsUsec = w[HDR_USEC]!;
      const caplen = this.caplen = w[HDR_CAPLEN]!;
      this.length = w[HDR_CAPLEN + 1]!;
      if (caplen > this.#frame.length) {
        this.#frame = new Uint8Array(Math.max(caplen, this.#frame.length * 2));
      }
      copyFromNative(this.#frame, this.#dataSlot.value, caplen);
      this.data = this.#frame;
      this.dataOffset = 0;
      return NextResult.Packet;
    }
    if (rc === 0) return NextResult.None;
    if (rc === PCAP_ERROR) throw new PcapError("pcap_next_ex", this.lastError(), rc);
    return NextResult.End;
  }

  // pcap_next_ex on a savefile: a requested break first, then the next record the filter
  // accepts (bpf_filter sees the wire length and the captured bytes, as in libpcap).
  #nextRecord(r: SavefileReader): NextResult {
    if (this.#breakRequested) {
      this.#breakRequested = false;
      return NextResult.End;
    }
    const filter = this.#filter;
    for (;;) {
      if (!r.next()) return NextResult.End;
      if (
        filter === undefined ||
        pcap().bpf_filter_copy(
            filter,
            r.data.subarray(r.offset, r.offset + r.caplen),
            r.length,
            r.caplen,
          ) !== 0
      ) {
        break;
      }
    }
    this.tsSec = r.tsSec;
    this.tsUsec = r.tsUsec;
    this.caplen = r.caplen;
    this.length = r.length;
    this.data = r.data;
    this.dataOffset = r.offset;
    return NextResult.Packet;
  }

  /**
   * Copies the current packet's captured bytes to the start of `dst`.
   *
   * @param dst Where to copy; must hold `caplen` bytes.
   * @throws {RangeError} If `dst` is shorter than `caplen`.
   */
  copyPacket(dst: Uint8Array): void {
    const start = this.dataOffset;
    dst.set(this.data.subarray(start, start + this.caplen));
  }

  /**
   * Makes a pending or the next `next()` return {@linkcode NextResult.End}
   * (`pcap_breakloop`), to stop a capture cleanly.
   */
  breakLoop(): void {
    if (this.#p === 0n) return;
    this.#breakRequested = true;
    pcap().pcap_breakloop(this.#p);
  }

  /** Capture counters (`pcap_stats`; live captures only). */
  stats(): CaptureStats {
    const buf = new Uint32Array(4);
    if (pcap().pcap_stats(this.#handle(), new Uint8Array(buf.buffer)) !== 0) {
      throw new PcapError("pcap_stats", this.lastError());
    }
    return { received: buf[0]!, dropped: buf[1]!, interfaceDropped: buf[2]! };
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#p === 0n;
  }

  /** Closes the handle (`pcap_close`). Idempotent. */
  close(): void {
    if (this.#p === 0n) return;
    const p = this.#p;
    this.#p = 0n;
    this.#reader?.close();
    this.#reader = undefined;
    pcap().pcap_close(p);
  }

  /** Closes the handle. */
  [Symbol.dispose](): void {
    this.close();
  }
}

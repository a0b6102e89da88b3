/**
 * NMSG over UDP, receiving (nmsgtool `-l`, `-C`): one datagram is one NMSG unit; fragments
 * are reassembled per sender, compressed containers inflated, payload CRCs verified, and
 * losses counted from sequence numbers per (sequence id, sender), as libnmsg does.
 *
 * Unlike libnmsg, whose socket input thread ends on the first malformed datagram, a bad
 * datagram is counted, reported and skipped: one stray packet does not stop a collector.
 *
 * @module
 */

import type { ContainerStats, Input, PayloadBatch } from "../engine/types.ts";
import type { ReassemblerOptions, ReassemblerStats } from "../wire/fragment.ts";
import type { SeqsrcSource } from "../wire/seqsrc.ts";
import type { ZlibCodec } from "../wire/zlib.ts";
import { MessageUnitDecoder } from "./_message_unit.ts";
import { decodeSockaddr, formatSocketAddress, type SocketAddress } from "./udp_address.ts";
import { DatagramReceiver } from "./udp_socket.ts";
import { parseSockspec } from "./udp_sockspec.ts";

/** Options for {@linkcode UdpInput}. */
export interface UdpInputOptions {
  /** How the input is named in messages. Default `addr/port`. */
  name?: string;
  /** Only payloads of this vendor id (with `msgtype`; nmsgtool `-V`). */
  vid?: number;
  /** Only payloads of this message type (with `vid`; nmsgtool `-T`). */
  msgtype?: number;
  /** Only payloads with this source id (nmsgtool `--getsource`). */
  source?: number;
  /** Only payloads with this operator id (nmsgtool `--getoperator`). */
  operator?: number;
  /** Only payloads with this group id (nmsgtool `--getgroup`). */
  group?: number;
  /**
   * Receive buffer to ask for, bytes (`SO_RCVBUFFORCE`, else `SO_RCVBUF`). Default 64 MiB,
   * four times nmsgtool's: this input spends more CPU per payload than libnmsg and rides
   * out a sender's burst in the kernel instead.
   */
  receiveBuffer?: number;
  /** Datagrams taken per `recvmmsg` call. Default 32. */
  batch?: number;
  /** Count losses from sequence numbers (libnmsg's `verify_seqsrc`). Default true. */
  verifySeqsrc?: boolean;
  /** Bounds on fragment reassembly (default: 30 s expiry, 1024 containers, 64 MiB). */
  fragments?: ReassemblerOptions;
  /** zlib implementation for compressed containers. Default `node:zlib`, loaded on first use. */
  zlib?: ZlibCodec;
  /** Warnings and debug lines, with nmsgtool's levels. */
  log?: (level: number, line: string) => void;
  /** The clock in seconds (for expiry). Default the wall clock. */
  now?: () => number;
}

/** A sender's sequence statistics, as {@linkcode UdpInput.stats} reports them. */
export interface UdpSourceStats extends SeqsrcSource {
  /** Loss in percent of the containers the source sent since its last reset. */
  lossPercent: number;
}

/** Counters of a {@linkcode UdpInput}. */
export interface UdpInputStats extends ContainerStats {
  /** Datagrams received. */
  datagrams: number;
  /** Datagrams dropped as malformed. */
  malformed: number;
  /** Payloads dropped for a CRC mismatch. */
  crcMismatches: number;
  /** Fragment reassembly counters. */
  fragments: ReassemblerStats;
  /** Per-sender sequence tracking, most recently seen first. */
  sources: UdpSourceStats[];
  /** The socket's receive buffer, bytes. */
  receiveBufferSize: number;
}

/** How long one wait for datagrams lasts, ms (libnmsg's `NMSG_RBUF_TIMEOUT`). */
const POLL_MS = 500;
/** Longest stretch of work without a turn of the event loop (signals, timers), ms. */
const YIELD_MS = 20;

/**
 * A UDP socket input. `read()` resolves with the payloads of every container that the
 * socket had queued (up to the batch size), so a busy input hands out large batches.
 *
 * @example Receiving from a sender on loopback
 * ```ts
 * import { UdpInput, UdpOutput } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const input = UdpInput.bind({ family: 4, address: new Uint8Array([127, 0, 0, 1]), port: 0 });
 * const output = UdpOutput.connect(input.localAddress);
 * output.write({ vid: 1, msgtype: 6, timeSec: 1, timeNsec: 0 });
 * await output.close();
 * const batch = await input.read();
 * assert.equal(batch?.payloads.length, 1);
 * assert.equal(input.stats().containersReceived, 1);
 * input.close();
 * ```
 */
export class UdpInput implements Input {
  /** How the input is named in messages (`addr/port`). */
  readonly name: string;
  /** The bound address (with the port the kernel chose, if 0 was asked for). */
  readonly localAddress: SocketAddress;
  readonly #rx: DatagramReceiver;
  readonly #units: MessageUnitDecoder;
  readonly #log: (level: number, line: string) => void;
  #datagrams = 0;
  #closed = false;
  #lastYield = 0;
  // The last sender seen, so a burst from one sender formats its address once.
  #senderBytes = new Uint8Array(0);
  #sender = "";

  private constructor(rx: DatagramReceiver, options: UdpInputOptions) {
    this.#rx = rx;
    this.localAddress = rx.localAddress;
    this.name = options.name ?? formatSocketAddress(rx.localAddress);
    this.#log = options.log ?? (() => {});
    const sequenced = options.verifySeqsrc !== false;
    this.#units = new MessageUnitDecoder(this.name, options, sequenced, "datagram");
    if (rx.forceFailure !== undefined) this.#log(2, `${this.name}: ${rx.forceFailure}`);
  }

  /**
   * Binds a socket and returns the input reading it.
   *
   * @param addr Where to listen (port 0: any free port).
   * @param options Filters, buffer sizes, logging.
   * @returns The input.
   * @throws {SocketError} If the socket cannot be set up (`bind: Address already in use`).
   * @throws {Deno.errors.NotCapable} Without `--allow-net` for the address.
   */
  static bind(addr: SocketAddress, options: UdpInputOptions = {}): UdpInput {
    return new UdpInput(DatagramReceiver.bind(addr, options), options);
  }

  /**
   * Reads the next batch: the payloads of the containers received since the last call,
   * waiting for datagrams if none are queued.
   *
   * @returns The payloads (views valid until the next `read()`), or `null` once closed.
   * @throws {SocketError} If receiving fails.
   */
  async read(): Promise<PayloadBatch | null> {
    const rx = this.#rx;
    while (!this.#closed) {
      const t = performance.now();
      if (t - this.#lastYield > YIELD_MS) {
        // A busy socket never makes us wait: let signals and timers in now and then.
        await rx.wait(0);
        this.#lastYield = performance.now();
        continue;
      }
      const n = rx.receive();
      if (n === 0) {
        await rx.wait(POLL_MS);
        this.#lastYield = performance.now();
        continue;
      }
      const batch = this.#units.batch();
      this.#datagrams += n;
      for (let i = 0; i < n; i++) {
        const d = rx.datagram(i);
        const loading = this.#units.prepare(d);
        if (loading !== undefined) await loading;
        this.#units.add(d, batch, this.#senderOf(rx.senderBytes(i)));
      }
      if (batch.payloads.length > 0) return batch;
    }
    return null;
  }

  /** Closes the socket; a pending `read()` resolves `null`. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#rx.close();
    this.#units.logClose();
  }

  /**
   * The input's counters: containers received and lost (the `-dd` totals), and the
   * details behind them.
   *
   * @returns A snapshot.
   */
  stats(): UdpInputStats {
    const units = this.#units;
    return {
      ...units.stats(),
      datagrams: this.#datagrams,
      malformed: units.malformed,
      crcMismatches: units.crcMismatches,
      fragments: units.fragments,
      sources: units.sources.map((src) => ({
        sequenceId: src.sequenceId,
        sender: src.sender,
        received: src.received,
        dropped: src.dropped,
        resets: src.resets,
        expected: src.expected,
        lastSeen: src.lastSeen,
        lossPercent: src.dropped === 0 ? 0 : (100 * src.dropped) / (src.dropped + src.received),
      })),
      receiveBufferSize: this.#rx.receiveBufferSize,
    };
  }

  #senderOf(bytes: Uint8Array): string {
    const last = this.#senderBytes;
    if (bytes.length === last.length) {
      let same = true;
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] !== last[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.#sender;
    }
    const addr = decodeSockaddr(bytes);
    this.#senderBytes = bytes.slice();
    this.#sender = addr === undefined ? "" : formatSocketAddress(addr);
    return this.#sender;
  }
}

/**
 * Opens one input per port of an nmsgtool `-l` spec (`addr/port` or `addr/lo..hi`).
 *
 * @param spec The spec.
 * @param options Options for every input (`name` is set per port).
 * @returns The inputs, in port order.
 * @throws {SockspecError} If the spec is malformed.
 * @throws {SocketError} If a socket cannot be bound (the ones opened are closed).
 *
 * @example
 * ```ts
 * import { openUdpInputs } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const inputs = openUdpInputs("127.0.0.1/48430..48431");
 * assert.deepEqual(inputs.map((i) => i.name), ["127.0.0.1/48430", "127.0.0.1/48431"]);
 * for (const input of inputs) input.close();
 * ```
 */
export function openUdpInputs(spec: string, options: UdpInputOptions = {}): UdpInput[] {
  const parsed = parseSockspec(spec, "-l");
  const inputs: UdpInput[] = [];
  try {
    for (const addr of parsed.addresses) {
      inputs.push(UdpInput.bind(addr, { ...options, name: `${parsed.host}/${addr.port}` }));
    }
  } catch (e) {
    for (const input of inputs) input.close();
    throw e;
  }
  return inputs;
}

/**
 * NMSG over UDP, sending (nmsgtool `-s`): containers of `-m` bytes (default 8192) with
 * sequence numbers and a random 64-bit sequence id per output, fragments for containers
 * too large for one datagram, optional zlib, and libnmsg's rate limiter.
 *
 * @module
 */

import type { Output } from "../engine/types.ts";
import { monotonicNow, sleepUntilMonotonic } from "../ffi/libc_time.ts";
import { NMSG_WBUFSZ_JUMBO } from "../wire/constants.ts";
import { ContainerWriter } from "../wire/container_writer.ts";
import type { Payload } from "../wire/payload.ts";
import type { ZlibCodec } from "../wire/zlib.ts";
import { type PayloadStamp, stampPayload } from "./nmsg_output.ts";
import { RateLimiter } from "./rate_limiter.ts";
import { WriteChain } from "./_write_chain.ts";
import { formatSocketAddress, type SocketAddress } from "./udp_address.ts";
import { DatagramSender } from "./udp_socket.ts";
import { parseSockspec } from "./udp_sockspec.ts";

/**
 * Paces datagrams with a {@linkcode RateLimiter} on the monotonic clock, sleeping off the
 * event loop's thread. One pacer may be shared by several outputs (nmsgtool shares one per
 * `-s` argument); their sleeps then take turns.
 *
 * @example 100 datagrams per second
 * ```ts
 * import { SendPacer } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const pacer = new SendPacer(100, 10);
 * const start = performance.now();
 * for (let i = 0; i < 5; i++) await pacer.tick();
 * assert.ok(performance.now() - start >= 30); // ticks 10 ms apart
 * ```
 */
export class SendPacer {
  /** The limiter's state. */
  readonly limiter: RateLimiter;
  // Outputs striped over a port range share the pacer: their ticks queue.
  readonly #chain = new WriteChain();

  /**
   * Creates a pacer.
   *
   * @param rate Datagrams per second.
   * @param freq Datagrams between rate adjustments (nmsgtool's default is 10).
   */
  constructor(rate: number, freq: number) {
    this.limiter = new RateLimiter(rate, freq);
  }

  /**
   * Accounts for one datagram sent.
   *
   * @returns A promise to wait for before sending the next one, or `undefined`.
   */
  tick(): Promise<void> | undefined {
    return this.#chain.run(() => {
      const until = this.limiter.event(monotonicNow());
      if (until === undefined) return undefined;
      return sleepUntilMonotonic(until).then(() => this.limiter.resume(monotonicNow()));
    });
  }
}

/** Options for {@linkcode UdpOutput}. */
export interface UdpOutputOptions {
  /** How the output is named in messages. Default `addr/port`. */
  name?: string;
  /** Set this source id on every payload (nmsgtool `--setsource`). */
  source?: number;
  /** Set this operator id on every payload (nmsgtool `--setoperator`). */
  operator?: number;
  /** Set this group id on every payload (nmsgtool `--setgroup`). */
  group?: number;
  /** Send buffer, bytes. Default 32 KiB (nmsgtool's). */
  sendBuffer?: number;
  /** Container size in bytes (nmsgtool `-m`), clamped to [512, 1048576]. Default 8192. */
  mtu?: number;
  /** Compress containers with this codec (nmsgtool `-z`; e.g. `nodeZlib`). */
  zlib?: ZlibCodec | undefined;
  /** One container per payload, sent at once (nmsgtool `--unbuffered`). */
  unbuffered?: boolean;
  /** Paces the datagrams (nmsgtool `-s addr/port,rate,freq`). */
  pacer?: SendPacer;
  /** The sequence id to stamp. Default: 64 random bits. */
  sequenceId?: bigint;
}

/** Counters of a {@linkcode UdpOutput}. */
export interface UdpOutputStats {
  /** Containers sent (a fragmented one counts once). */
  containers: number;
  /** Datagrams sent (each fragment counts). */
  datagrams: number;
  /** Bytes sent. */
  bytes: number;
}

/** How long one wait for room in the send buffer lasts, ms. */
const WRITABLE_MS = 500;

/**
 * A UDP socket output. Buffered containers go out when full, on `flush()` and on
 * `close()`, as in libnmsg (there is no timer). A send error, such as the
 * `ECONNREFUSED` a connected socket gets once nobody listens, fails the write.
 *
 * @example Container size (see {@linkcode UdpInput} for a loopback round trip)
 * ```ts
 * import { UdpOutput } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const out = UdpOutput.connect({ family: 4, address: new Uint8Array([127, 0, 0, 1]), port: 9 }, {
 *   mtu: 100,
 * });
 * assert.equal(out.bufsz, 512); // clamped, as nmsgtool -m does
 * await out.close();
 * ```
 */
export class UdpOutput implements Output {
  /** How the output is named in messages. */
  readonly name: string;
  readonly #tx: DatagramSender;
  readonly #writer: ContainerWriter;
  readonly #stamp: PayloadStamp;
  readonly #pacer: SendPacer | undefined;
  readonly #stats: UdpOutputStats = { containers: 0, datagrams: 0, bytes: 0 };
  readonly #chain = new WriteChain();
  #closed = false;
  #counted = 0;

  private constructor(tx: DatagramSender, options: UdpOutputOptions) {
    this.#tx = tx;
    this.name = options.name ?? formatSocketAddress(tx.remoteAddress);
    this.#writer = new ContainerWriter({
      bufsz: options.mtu || NMSG_WBUFSZ_JUMBO,
      zlib: options.zlib,
      sequenced: true,
      sequenceId: options.sequenceId,
      unbuffered: options.unbuffered ?? false,
    });
    this.#stamp = options;
    this.#pacer = options.pacer;
  }

  /**
   * Opens a socket connected to `addr`.
   *
   * @param addr The destination (unicast or broadcast).
   * @param options Container size, compression, buffering, pacing.
   * @returns The output.
   * @throws {SocketError} If the socket cannot be set up.
   * @throws {Deno.errors.NotCapable} Without `--allow-net` for the address.
   */
  static connect(addr: SocketAddress, options: UdpOutputOptions = {}): UdpOutput {
    return new UdpOutput(DatagramSender.connect(addr, options), options);
  }

  /** The container size in use (`-m` after clamping). */
  get bufsz(): number {
    return this.#writer.bufsz;
  }

  /** The sequence id stamped on this output's containers. */
  get sequenceId(): bigint {
    return this.#writer.sequenceId;
  }

  /**
   * Counters so far.
   *
   * @returns A snapshot.
   */
  stats(): UdpOutputStats {
    return { ...this.#stats };
  }

  /**
   * Adds a payload; sends the containers it completes.
   *
   * @param p The payload (serialized at once; not referenced afterwards).
   * @param crc Its wire CRC, if known.
   * @returns A promise while a send or the pacer is waiting, else `undefined`.
   * @throws {SocketError} If a send fails.
   */
  write(p: Payload, crc?: number): Promise<void> | undefined {
    return this.#chain.run(() => this.#add(p, crc));
  }

  /** Sends the open container, if it holds anything. */
  async flush(): Promise<void> {
    await this.#chain.idle();
    await this.#emitted(this.#writer.flush());
  }

  /** Flushes and closes the socket. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.flush();
    } finally {
      this.#closed = true;
      this.#tx.close();
    }
  }

  #add(p: Payload, crc: number | undefined): Promise<void> | undefined {
    const q = stampPayload(p, this.#stamp);
    return this.#emitted(this.#writer.add(q, q === p ? crc : undefined));
  }

  #emitted(units: Uint8Array[]): Promise<void> | undefined {
    if (units.length === 0) return undefined;
    // The writer numbers containers; a fragmented one takes one number for all its units.
    const seq = this.#writer.sequence;
    this.#stats.containers += (seq - this.#counted) >>> 0;
    this.#counted = seq;
    return this.#send(units, 0);
  }

  // Sends units[from..]; stays synchronous unless the socket is full or the pacer waits.
  // The units stay valid meanwhile: later writes queue behind this one.
  #send(units: Uint8Array[], from: number): Promise<void> | undefined {
    for (let i = from; i < units.length; i++) {
      const u = units[i]!;
      if (!this.#tx.trySend(u)) {
        return this.#tx.writable(WRITABLE_MS).then(() => this.#send(units, i));
      }
      this.#stats.datagrams++;
      this.#stats.bytes += u.length;
      const wait = this.#pacer?.tick();
      if (wait !== undefined) return wait.then(() => this.#send(units, i + 1));
    }
    return undefined;
  }
}

/**
 * Opens one output per port of an nmsgtool `-s` spec (`addr/port[..hi][,rate[,freq]]`);
 * with a rate, the outputs share one pacer.
 *
 * @param spec The spec.
 * @param options Options for every output (`name` and `pacer` are set from the spec).
 * @returns The outputs, in port order.
 * @throws {SockspecError} If the spec is malformed.
 * @throws {SocketError} If a socket cannot be set up (the ones opened are closed).
 *
 * @example Two ports, 1000 datagrams per second shared
 * ```ts
 * import { openUdpOutputs } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const outputs = openUdpOutputs("127.0.0.1/8430..8431,1000", { mtu: 1280 });
 * assert.deepEqual(outputs.map((o) => o.name), ["127.0.0.1/8430", "127.0.0.1/8431"]);
 * for (const o of outputs) await o.close();
 * ```
 */
export function openUdpOutputs(spec: string, options: UdpOutputOptions = {}): UdpOutput[] {
  const parsed = parseSockspec(spec, "-s");
  const pacer = parsed.rate > 0 ? new SendPacer(parsed.rate, parsed.freq) : undefined;
  const outputs: UdpOutput[] = [];
  try {
    for (const addr of parsed.addresses) {
      const name = `${parsed.host}/${addr.port}`;
      outputs.push(UdpOutput.connect(addr, { ...options, name, ...(pacer ? { pacer } : {}) }));
    }
  } catch (e) {
    for (const o of outputs) o.close().catch(() => {});
    throw e;
  }
  return outputs;
}

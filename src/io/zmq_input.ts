/**
 * NMSG over ZeroMQ, receiving (nmsgtool `-L`, `-Z`): one ZeroMQ message is one NMSG unit.
 * SUB sockets subscribe to the `NMSG` prefix; losses are counted from sequence numbers per
 * sequence id (ZeroMQ gives no sender address, so all senders share the address part of
 * the key, as in libnmsg).
 *
 * @module
 */

import type { ContainerStats, Input, PayloadBatch } from "../engine/types.ts";
import { NMSG_DEFAULT_MAX_SIZE, NMSG_HEADER_SIZE } from "../wire/constants.ts";
import {
  ZMQ_MAXMSGSIZE,
  ZMQ_PULL,
  ZMQ_RCVHWM,
  ZMQ_RCVTIMEO,
  ZMQ_SUB,
  ZMQ_SUBSCRIBE,
  type ZmqSocket,
} from "../ffi/zmq.ts";
import { MessageUnitDecoder } from "./_message_unit.ts";
import type { MessageInputOptions } from "./message_input_options.ts";
import { closeZmqSocket, openZmqSocket } from "./_zmq_context.ts";

/** Options for {@linkcode ZmqInput}. */
export interface ZmqInputOptions extends MessageInputOptions {
  /** How the input is named in messages. Default: the endpoint as given. */
  name?: string;
  /** Most messages taken into one batch. Default 64. */
  batch?: number;
}

/** Counters of a {@linkcode ZmqInput}. */
export interface ZmqInputStats extends ContainerStats {
  /** ZeroMQ messages received. */
  messages: number;
  /** Messages dropped as malformed. */
  malformed: number;
  /** Payloads dropped for a CRC mismatch. */
  crcMismatches: number;
}

/** How long one wait for a message lasts, ms (libnmsg's `NMSG_RBUF_TIMEOUT`). */
const WAIT_MS = 500;
/** Longest stretch of work without a turn of the event loop (signals, timers), ms. */
const YIELD_MS = 20;
const NMSG_PREFIX = new TextEncoder().encode("NMSG");

/**
 * A ZeroMQ input. `read()` resolves with the payloads of the messages waiting on the
 * socket (up to the batch size), and waits on a worker thread when there are none.
 *
 * @example PUSH/PULL on loopback
 * ```ts
 * import { ZmqInput, ZmqOutput } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const ep = `ipc://${await Deno.makeTempDir()}/zmq`;
 * const input = ZmqInput.open(`${ep},pushpull`);
 * const output = ZmqOutput.open(`${ep},pushpull`);
 * output.write({ vid: 1, msgtype: 6, timeSec: 1, timeNsec: 0 });
 * await output.close();
 * const batch = await input.read();
 * assert.equal(batch?.payloads.length, 1);
 * await input.close();
 * ```
 */
export class ZmqInput implements Input {
  /** How the input is named in messages. */
  readonly name: string;
  readonly #socket: ZmqSocket;
  readonly #units: MessageUnitDecoder;
  readonly #batch: number;
  #messages = 0;
  #closed: Promise<void> | undefined;

  private constructor(name: string, socket: ZmqSocket, options: ZmqInputOptions) {
    this.name = name;
    this.#socket = socket;
    this.#units = new MessageUnitDecoder(name, options, true);
    this.#batch = options.batch ?? 64;
  }

  /**
   * Opens the socket an endpoint describes: by default it binds and subscribes (SUB),
   * `,connect` connects, `,pushpull` makes it a PULL socket.
   *
   * @param spec `transport://address[,accept|connect][,pubsub|pushpull]`.
   * @param options Filters, zlib, logging.
   * @returns The input.
   * @throws {EndpointError} If the endpoint string is malformed.
   * @throws {ZmqError} If libzmq refuses the endpoint (e.g. "Address already in use").
   * @throws {LibraryNotFoundError} If libzmq is not installed.
   */
  static open(spec: string, options: ZmqInputOptions = {}): ZmqInput {
    const socket = openZmqSocket(spec, "input", (ep) => ({
      type: ep.pattern === "pubsub" ? ZMQ_SUB : ZMQ_PULL,
      options: (s) => {
        if (ep.pattern === "pubsub") s.setBytes(ZMQ_SUBSCRIBE, NMSG_PREFIX);
        s.setInt(ZMQ_RCVTIMEO, WAIT_MS);
        // Ten times libzmq's default: a burst waits in the queue rather than on the wire.
        s.setInt(ZMQ_RCVHWM, 10000);
        // libzmq buffers a whole message before we see it: a peer announcing a huge one is
        // disconnected instead, at the size of the largest unit a file may hold.
        s.setInt64(ZMQ_MAXMSGSIZE, BigInt(NMSG_HEADER_SIZE + NMSG_DEFAULT_MAX_SIZE));
      },
    }));
    return new ZmqInput(options.name ?? spec, socket, options);
  }

  /**
   * Reads the next batch: the payloads of the messages received since the last call,
   * waiting for one if none is queued.
   *
   * @returns The payloads, or `null` once closed.
   * @throws {ZmqError} If receiving fails.
   */
  async read(): Promise<PayloadBatch | null> {
    const socket = this.#socket;
    while (this.#closed === undefined) {
      const batch = this.#units.batch();
      const start = performance.now();
      for (let n = 0; n < this.#batch; n++) {
        const m = socket.tryRecv();
        if (m === null) break;
        await this.#add(m.slice(), batch);
        if (performance.now() - start > YIELD_MS) break;
      }
      if (batch.payloads.length > 0) return batch;
      const m = await socket.recv();
      if (m !== null && this.#closed === undefined) {
        await this.#add(m.slice(), batch);
        if (batch.payloads.length > 0) return batch;
      }
    }
    return null;
  }

  #add(message: Uint8Array, batch: PayloadBatch): Promise<void> | void {
    this.#messages++;
    const loading = this.#units.prepare(message);
    if (loading === undefined) return this.#units.add(message, batch);
    return loading.then(() => this.#units.add(message, batch));
  }

  /**
   * Counters so far: containers received and lost (the `-dd` totals), and more.
   *
   * @returns A snapshot.
   */
  stats(): ZmqInputStats {
    return {
      ...this.#units.stats(),
      messages: this.#messages,
      malformed: this.#units.malformed,
      crcMismatches: this.#units.crcMismatches,
    };
  }

  /**
   * Closes the socket; a pending `read()` resolves `null` (within half a second).
   * Idempotent.
   *
   * @returns When the socket is closed.
   */
  close(): Promise<void> {
    if (this.#closed === undefined) {
      this.#units.logClose();
      this.#closed = closeZmqSocket(this.#socket);
    }
    return this.#closed;
  }
}

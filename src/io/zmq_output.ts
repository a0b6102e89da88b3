/**
 * NMSG over ZeroMQ, sending (nmsgtool `-S`): containers of 8192 bytes with sequence
 * numbers and a random sequence id, one ZeroMQ message each; a container too large for
 * that is sent whole, never fragmented. PUB and PUSH sockets get libnmsg's
 * `ZMQ_SNDHWM` 1000 and `ZMQ_LINGER` 1000 ms.
 *
 * @module
 */

import type { Output } from "../engine/types.ts";
import {
  ZMQ_LINGER,
  ZMQ_PUB,
  ZMQ_PUSH,
  ZMQ_SNDHWM,
  ZMQ_SNDTIMEO,
  type ZmqSocket,
} from "../ffi/zmq.ts";
import { NMSG_WBUFSZ_JUMBO } from "../wire/constants.ts";
import { ContainerWriter } from "../wire/container_writer.ts";
import type { Payload } from "../wire/payload.ts";
import type { ZlibCodec } from "../wire/zlib.ts";
import { closeZmqSocket, openZmqSocket } from "./_zmq_context.ts";
import { WriteChain } from "./_write_chain.ts";
import { type PayloadStamp, stampPayload } from "./nmsg_output.ts";

/** Options for {@linkcode ZmqOutput}. */
export interface ZmqOutputOptions extends PayloadStamp {
  /** How the output is named in messages. Default: the endpoint as given. */
  name?: string;
  /** Compress containers with this codec (nmsgtool `-z`; e.g. `nodeZlib`). */
  zlib?: ZlibCodec | undefined;
  /** One container per payload, sent at once (nmsgtool `--unbuffered`). */
  unbuffered?: boolean;
  /** The sequence id to stamp. Default: 64 random bits. */
  sequenceId?: bigint;
}

/** Counters of a {@linkcode ZmqOutput}. */
export interface ZmqOutputStats {
  /** Messages (containers) handed to libzmq. */
  messages: number;
  /** Bytes handed to libzmq. */
  bytes: number;
  /** Containers given up on because the output was stopped while waiting to send. */
  abandoned: number;
}

/** How long one wait for room to send lasts, ms (libnmsg polls for 500 ms, then again). */
const SEND_WAIT_MS = 500;

/**
 * A ZeroMQ output. Buffered containers go out when full, on `flush()` and on `close()`,
 * as in libnmsg. A PUB socket drops messages at its high-water mark, as ZeroMQ does; a
 * PUSH socket with no peer (or a full queue) makes `write` wait until it can send, or until
 * {@linkcode ZmqOutput.stop} is called.
 *
 * @example (see {@linkcode ZmqInput} for a round trip)
 * ```ts
 * import { ZmqOutput } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const out = ZmqOutput.open("tcp://127.0.0.1:9");
 * assert.equal(out.name, "tcp://127.0.0.1:9");
 * await out.close();
 * ```
 */
export class ZmqOutput implements Output {
  /** How the output is named in messages. */
  readonly name: string;
  readonly #socket: ZmqSocket;
  readonly #writer: ContainerWriter;
  readonly #stamp: PayloadStamp;
  readonly #stats: ZmqOutputStats = { messages: 0, bytes: 0, abandoned: 0 };
  readonly #chain = new WriteChain();
  #stopped = false;
  #closed: Promise<void> | undefined;

  private constructor(name: string, socket: ZmqSocket, options: ZmqOutputOptions) {
    this.name = name;
    this.#socket = socket;
    this.#writer = new ContainerWriter({
      bufsz: NMSG_WBUFSZ_JUMBO,
      zlib: options.zlib,
      sequenced: true,
      sequenceId: options.sequenceId,
      unbuffered: options.unbuffered ?? false,
      fragment: false,
    });
    this.#stamp = options;
  }

  /**
   * Opens the socket an endpoint describes: by default it connects and publishes (PUB),
   * `,accept` binds, `,pushpull` makes it a PUSH socket.
   *
   * @param spec `transport://address[,accept|connect][,pubsub|pushpull]`.
   * @param options Compression, buffering, output-level source/operator/group.
   * @returns The output.
   * @throws {EndpointError} If the endpoint string is malformed.
   * @throws {ZmqError} If libzmq refuses the endpoint.
   * @throws {LibraryNotFoundError} If libzmq is not installed.
   */
  static open(spec: string, options: ZmqOutputOptions = {}): ZmqOutput {
    const socket = openZmqSocket(spec, "output", (ep) => ({
      type: ep.pattern === "pubsub" ? ZMQ_PUB : ZMQ_PUSH,
      options: (s) => {
        s.setInt(ZMQ_SNDHWM, 1000);
        s.setInt(ZMQ_LINGER, 1000);
        s.setInt(ZMQ_SNDTIMEO, SEND_WAIT_MS);
      },
    }));
    return new ZmqOutput(options.name ?? spec, socket, options);
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
  stats(): ZmqOutputStats {
    return { ...this.#stats };
  }

  /**
   * Adds a payload; sends the container it completes.
   *
   * @param p The payload (serialized at once; not referenced afterwards).
   * @param crc Its wire CRC, if known.
   * @returns A promise while a send waits for room, else `undefined`.
   * @throws {ZmqError} If sending fails.
   */
  write(p: Payload, crc?: number): Promise<void> | undefined {
    return this.#chain.run(() => this.#add(p, crc));
  }

  /** Sends the open container, if it holds anything. */
  async flush(): Promise<void> {
    await this.#chain.idle();
    await this.#send(this.#writer.flush(), 0);
  }

  /**
   * Gives up on sends that are waiting for room (nmsgtool's signal handling): their
   * containers are dropped, and later ones too. `close()` then finishes at once.
   */
  stop(): void {
    this.#stopped = true;
  }

  /**
   * Flushes, closes the socket and, with the last ZeroMQ socket of the process, lets
   * libzmq deliver what it still holds (up to the 1 s linger). Idempotent.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      try {
        await this.flush();
      } finally {
        await closeZmqSocket(this.#socket);
      }
    })();
    return this.#closed;
  }

  #add(p: Payload, crc: number | undefined): Promise<void> | undefined {
    const q = stampPayload(p, this.#stamp);
    return this.#send(this.#writer.add(q, q === p ? crc : undefined), 0);
  }

  // Sends units[from..]; stays synchronous unless the socket cannot take a message now.
  // The units stay valid meanwhile: later writes queue behind this one.
  #send(units: Uint8Array[], from: number): Promise<void> | undefined {
    for (let i = from; i < units.length; i++) {
      const u = units[i]!;
      if (this.#stopped) {
        this.#stats.abandoned++;
        continue;
      }
      if (!this.#socket.trySend(u)) return this.#sendWaiting(units, i);
      this.#stats.messages++;
      this.#stats.bytes += u.length;
    }
    return undefined;
  }

  async #sendWaiting(units: Uint8Array[], from: number): Promise<void> {
    const u = units[from]!;
    while (!this.#stopped) {
      if (await this.#socket.send(u)) {
        this.#stats.messages++;
        this.#stats.bytes += u.length;
        return this.#send(units, from + 1);
      }
    }
    return this.#send(units, from);
  }
}

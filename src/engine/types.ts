/**
 * The contracts between the I/O engine and its inputs, outputs and filters. Every kind of
 * input (file, socket, pcap, presentation, JSON, ZMQ, Kafka) and output implements these;
 * the engine knows them only through this interface.
 *
 * @module
 */

import type { ContainerView } from "../wire/container_view.ts";
import type { Payload } from "../wire/payload.ts";

/** Container counters of a stream input (socket, ZMQ, Kafka, file). */
export interface ContainerStats {
  /** Containers received and decoded. */
  containersReceived: number;
  /** Containers missing from sequence numbers (seqsrc); 0 where not tracked. */
  containersDropped: number;
}

/**
 * A batch of payloads from one input, usually one container's worth.
 *
 * `crcs[i]`, when present, is the verified `payload_crcs` value of `payloads[i]`, so that
 * NMSG outputs need not compute it again.
 */
export interface PayloadBatch {
  /** The payloads, in order. */
  payloads: Payload[];
  /** Known wire CRCs, parallel to `payloads`. */
  crcs?: number[] | undefined;
  /**
   * The same payloads still serialized, when the batch is one container read from an NMSG
   * stream: outputs with `writeEncoded` take them from there, and `payloads` need not be
   * decoded at all.
   */
  encoded?: ContainerView | undefined;
  /** Where the batch starts in its input (an NMSG container's unit), for messages. */
  offset?: number | undefined;
}

/** Where payloads come from. */
export interface Input {
  /** How the input is named in messages (a path, `-`, an address). */
  readonly name: string;
  /**
   * Reads the next batch. Resolves when payloads are available, with `null` at the end of
   * input or once `close()` has been called. Payload bytes may be views into buffers the
   * input reuses: they are valid until the next `read()`.
   *
   * @throws Errors for unreadable or malformed input ({@linkcode NmsgFormatError} etc.).
   */
  read(): Promise<PayloadBatch | null>;
  /** Stops the input: a pending or later `read()` resolves `null`. Idempotent. */
  close(): void | Promise<void>;
  /** Container counters, for stream inputs. */
  stats?(): ContainerStats;
}

/** Where payloads go. */
export interface Output {
  /** How the output is named in messages. */
  readonly name: string;
  /**
   * Writes one payload. Returns a promise only when the caller must wait (I/O under way or
   * back-pressure); otherwise `undefined`, so the hot path does not await per payload.
   * The output must not keep references to `p`'s bytes after returning (copy if needed).
   *
   * @param p The payload.
   * @param crc Its verified wire CRC, if known.
   */
  write(p: Payload, crc?: number): Promise<void> | undefined;
  /**
   * Writes payloads `[from, to)` of a container, exactly as `write(view.payload(i),
   * view.crc(i))` would for each, but without decoding them. Optional: the engine uses it
   * for batches that carry their container, when nothing between input and output needs
   * the decoded payloads.
   *
   * @param view The container.
   * @param from First payload.
   * @param to One past the last.
   */
  writeEncoded?(view: ContainerView, from: number, to: number): Promise<void> | undefined;
  /** Writes out anything buffered. */
  flush(): Promise<void>;
  /** Flushes and releases the output. Idempotent. */
  close(): Promise<void>;
  /**
   * Closes the current file and carries on in a fresh one (nmsgtool `-k` rotation at a
   * `-c`/`-t` boundary). Outputs that cannot rotate (sockets) leave it undefined.
   */
  rotate?(): Promise<void>;
  /**
   * The run is being interrupted (SIGINT/SIGTERM): give up waiting for peers that may never
   * come (a ZeroMQ PUSH without a puller) and bound the final flush (Kafka). `close()` still
   * follows. Outputs that never wait leave it undefined.
   */
  stop?(): void;
}

/** A filter's decision about one payload. */
export type FilterVerdict = "accept" | "drop" | "decline";

/**
 * A payload filter (nmsgtool `-F`): `accept` keeps the payload and skips the rest of the
 * chain, `drop` discards it, `decline` passes it to the next filter; at the end of the
 * chain the engine's policy decides. A filter may replace the payload it is given.
 */
export interface Filter {
  /** Decides about one payload; may return a replacement payload with the verdict. */
  filter(p: Payload): FilterVerdict | { verdict: FilterVerdict; payload: Payload };
  /**
   * Returns the filter another input should use, for filters that keep per-input state
   * (inputs run concurrently, like the C tool's threads). Without it, inputs share this one.
   */
  fork?(): Filter;
  /** Releases the filter's resources. */
  close?(): void | Promise<void>;
}

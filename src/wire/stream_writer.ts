/**
 * Writing payloads to an NMSG byte stream (a file, stdout, a Web stream).
 *
 * @module
 */

import { ContainerWriter, type ContainerWriterOptions } from "./container_writer.ts";
import type { Payload } from "./payload.ts";
import { type ByteSink, sinkFromStream, writeAll } from "./streams.ts";

/** Options for {@linkcode NmsgStreamWriter}. */
export interface NmsgStreamWriterOptions extends ContainerWriterOptions {
  /** How the output is named in messages. */
  name?: string | undefined;
}

/**
 * Writes payloads as NMSG units to a byte stream, filling containers exactly as libnmsg's
 * file outputs do (1 MiB by default). `write()` returns a promise only when a container
 * was completed and is being written; await it before the next call.
 *
 * @example Write a file and read it back
 * ```ts
 * import { NmsgStreamWriter, nodeZlib, readPayloads } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile();
 * {
 *   using file = await Deno.open(path, { write: true });
 *   const out = new NmsgStreamWriter(file);
 *   await out.write({ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0, payload: new Uint8Array([10, 1, 65]) });
 *   await out.close();
 * }
 * using file = await Deno.open(path);
 * assert.equal((await Array.fromAsync(readPayloads(file, { zlib: nodeZlib }))).length, 1);
 * await Deno.remove(path);
 * ```
 */
export class NmsgStreamWriter {
  /** How the output is named in messages. */
  readonly name: string;
  readonly #writer: ContainerWriter;
  readonly #sink: ByteSink;
  readonly #closeSink: (() => Promise<void>) | undefined;
  #closed = false;

  /**
   * Creates a writer.
   *
   * @param sink A `write(buf)` sink (`Deno.FsFile`, `Deno.stdout`) or a Web stream, which
   * `close()` closes.
   * @param options Container size, zlib, sequencing, buffering, name.
   */
  constructor(sink: ByteSink | WritableStream<Uint8Array>, options: NmsgStreamWriterOptions = {}) {
    this.name = options.name ?? "nmsg stream";
    this.#writer = new ContainerWriter(options);
    if (sink instanceof WritableStream) {
      const s = sinkFromStream(sink);
      this.#sink = s;
      this.#closeSink = s.close;
    } else {
      this.#sink = sink;
      this.#closeSink = undefined;
    }
  }

  /** The container writer underneath (sequence number, buffer size). */
  get containers(): ContainerWriter {
    return this.#writer;
  }

  /**
   * Adds a payload; writes a container when one fills up.
   *
   * @param p The payload (serialized at once; not referenced afterwards).
   * @param crc Its `payload_crcs` value, if already known.
   * @returns A promise while a completed container is being written, else `undefined`.
   */
  write(p: Payload, crc?: number): Promise<void> | undefined {
    const units = this.#writer.add(p, crc);
    return units.length === 0 ? undefined : this.#send(units);
  }

  /** Writes the open container, if any. */
  flush(): Promise<void> {
    return this.#send(this.#writer.flush());
  }

  /** Flushes, then closes the sink if it is a Web stream. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    await this.#closeSink?.();
  }

  async #send(units: Uint8Array[]): Promise<void> {
    for (const u of units) await writeAll(this.#sink, u);
  }
}

/**
 * NMSG stream output to a file or stdout (nmsgtool `-w`): 1 MiB containers filled exactly as
 * libnmsg fills them, optionally compressed, one container per payload when unbuffered.
 *
 * @module
 */

import type { Output } from "../engine/types.ts";
import type { ContainerView } from "../wire/container_view.ts";
import { ContainerWriter } from "../wire/container_writer.ts";
import { NMSG_WBUFSZ_MAX } from "../wire/constants.ts";
import type { Payload } from "../wire/payload.ts";
import type { ZlibCodec } from "../wire/zlib.ts";
import { ByteSink } from "./_byte_sink.ts";
import type { WritableFile } from "./files.ts";

/** Header fields an output stamps on every payload (nmsgtool `--set*`); 0 or absent = keep. */
export interface PayloadStamp {
  /** Source id. */
  source?: number;
  /** Operator id. */
  operator?: number;
  /** Group id. */
  group?: number;
}

/** Options for {@linkcode NmsgOutput}. */
export interface NmsgOutputOptions extends PayloadStamp {
  /** Compress containers with this codec (nmsgtool `-z`; e.g. `nodeZlib`). */
  zlib?: ZlibCodec | undefined;
  /** One container per payload, written at once (nmsgtool `--unbuffered`). */
  unbuffered?: boolean;
  /** Container size; default 1 MiB, as nmsgtool uses for files. */
  bufsz?: number;
}

/**
 * Returns `p` with the stamp's non-zero fields set (a copy; `p` is not modified).
 *
 * @param p A payload.
 * @param stamp The fields to set.
 * @returns `p` itself if there is nothing to set.
 *
 * @example
 * ```ts
 * import { stampPayload } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const p = { vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0, source: 1 };
 * assert.equal(stampPayload(p, { source: 0x0a }).source, 0x0a);
 * assert.equal(p.source, 1);
 * ```
 */
export function stampPayload(p: Payload, stamp: PayloadStamp): Payload {
  if (!stamp.source && !stamp.operator && !stamp.group) return p;
  const q = { ...p };
  if (stamp.source) q.source = stamp.source;
  if (stamp.operator) q.operator = stamp.operator;
  if (stamp.group) q.group = stamp.group;
  return q;
}

/**
 * Writes payloads as NMSG units to a file or stdout.
 *
 * @example
 * ```ts
 * import { NmsgOutput, openForWriting } from "@nmsg-deno/nmsg";
 *
 * const path = await Deno.makeTempFile();
 * const out = new NmsgOutput(path, openForWriting(path));
 * out.write({ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 });
 * await out.close();
 * await Deno.remove(path);
 * ```
 */
export class NmsgOutput implements Output {
  /** The path (or `-`). */
  readonly name: string;
  readonly #sink: ByteSink;
  readonly #writer: ContainerWriter;
  readonly #stamp: PayloadStamp;
  readonly #stamping: boolean;
  readonly #unbuffered: boolean;
  #closed = false;

  /**
   * Creates an output over an open file.
   *
   * @param name How the output is named in messages.
   * @param file The open file.
   * @param options Compression, buffering and stamped fields.
   */
  constructor(name: string, file: WritableFile, options: NmsgOutputOptions = {}) {
    this.name = name;
    this.#sink = new ByteSink(file);
    this.#writer = new ContainerWriter({
      bufsz: options.bufsz ?? NMSG_WBUFSZ_MAX,
      zlib: options.zlib,
      unbuffered: options.unbuffered,
    });
    this.#stamp = options;
    this.#stamping = Boolean(options.source || options.operator || options.group);
    this.#unbuffered = options.unbuffered ?? false;
  }

  /** Adds a payload; full containers are written at once. */
  write(p: Payload, crc?: number): undefined {
    for (const u of this.#writer.add(stampPayload(p, this.#stamp), crc)) this.#emit(u);
    return undefined;
  }

  /** Adds payloads of a container, copying them as they are unless fields are stamped. */
  writeEncoded(view: ContainerView, from: number, to: number): undefined {
    if (this.#stamping) {
      for (let i = from; i < to; i++) this.write(view.payload(i), view.crc(i));
    } else this.#writer.addEncoded(view, from, to, this.#emit);
    return undefined;
  }

  readonly #emit = (unit: Uint8Array): void => {
    this.#sink.write(unit);
    if (this.#unbuffered) this.#sink.flush();
  };

  /** Writes the open container and everything buffered. */
  flush(): Promise<void> {
    for (const u of this.#writer.flush()) this.#sink.write(u);
    this.#sink.flush();
    return Promise.resolve();
  }

  /** Flushes and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.flush();
    } finally {
      this.#sink.close();
    }
  }
}

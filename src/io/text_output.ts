/**
 * Presentation (nmsgtool `-o`) and JSON (`-J`) outputs to a file or stdout. Records are
 * rendered straight into the output's own buffer, which goes to the file in large writes.
 *
 * @module
 */

import type { Output } from "../engine/types.ts";
import { TextSink } from "../msgmod/_dns_bytes.ts";
import { writeJsonRecord } from "../msgmod/_json_writer.ts";
import { writePresentationRecord } from "../msgmod/_pres_writer.ts";
import type { ModuleRegistry } from "../msgmod/registry.ts";
import type { RenderOptions } from "../msgmod/render_options.ts";
import type { ContainerView } from "../wire/container_view.ts";
import type { Payload } from "../wire/payload.ts";
import type { WritableFile } from "./files.ts";

/** Buffered text goes to the file once it reaches this size. */
const FLUSH_AT = 1 << 20;

/** Options for the text outputs. */
export interface TextOutputOptions extends RenderOptions {
  /** Hand each record to the operating system at once (nmsgtool `--unbuffered`). */
  unbuffered?: boolean;
}

/** Appends one record to `out` (nothing when nmsgtool writes nothing for the payload). */
type RecordWriter = (
  out: TextSink,
  p: Payload,
  registry: ModuleRegistry,
  options: RenderOptions,
) => void;

/**
 * An output writing one text record per payload. Writes are synchronous, like the C tool's
 * stdio: a full pipe blocks the writer and nothing piles up in memory.
 */
class TextOutput implements Output {
  readonly name: string;
  readonly #file: WritableFile;
  readonly #out = new TextSink(FLUSH_AT + (FLUSH_AT >> 2));
  readonly #registry: ModuleRegistry;
  readonly #options: TextOutputOptions;
  readonly #record: RecordWriter;
  readonly #unbuffered: boolean;
  #closed = false;

  constructor(
    name: string,
    file: WritableFile,
    registry: ModuleRegistry,
    options: TextOutputOptions,
    record: RecordWriter,
  ) {
    this.name = name;
    this.#file = file;
    this.#registry = registry;
    this.#options = options;
    this.#record = record;
    this.#unbuffered = options.unbuffered ?? false;
  }

  write(p: Payload): undefined {
    const out = this.#out;
    const mark = out.len;
    try {
      this.#record(out, p, this.#registry, this.#options);
    } catch (e) {
      out.clip(mark); // nothing of a record that failed half way
      throw e;
    }
    if (this.#unbuffered || out.len >= FLUSH_AT) this.#flush();
    return undefined;
  }

  writeEncoded(view: ContainerView, from: number, to: number): undefined {
    // One payload object at a time, garbage as soon as it is rendered: nothing of the
    // container outlives its records, which keeps the young generation small.
    for (let i = from; i < to; i++) this.write(view.payload(i));
    return undefined;
  }

  flush(): Promise<void> {
    this.#flush();
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#flush();
      } finally {
        this.#file.close();
      }
    }
    return Promise.resolve();
  }

  #flush(): void {
    const out = this.#out;
    const n = out.len;
    if (n === 0) return;
    out.clip(0);
    for (let off = 0; off < n;) off += this.#file.writeSync(out.buf.subarray(off, n));
  }
}

/**
 * An output writing presentation records, as `nmsgtool -o` does; payloads the C tool
 * would print nothing for are skipped.
 *
 * @param name How the output is named in messages.
 * @param file The open file.
 * @param registry Message modules.
 * @param options Endline, aliases, output-level source/operator/group, buffering.
 * @returns The output.
 *
 * @example
 * ```ts
 * import { createPresOutput, defaultRegistry, openForWriting } from "@nmsg-deno/nmsg";
 *
 * const path = await Deno.makeTempFile();
 * const out = createPresOutput(path, openForWriting(path), defaultRegistry());
 * out.write({ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0, payload: new Uint8Array() });
 * await out.close();
 * await Deno.remove(path);
 * ```
 */
export function createPresOutput(
  name: string,
  file: WritableFile,
  registry: ModuleRegistry,
  options: TextOutputOptions = {},
): Output {
  return new TextOutput(name, file, registry, options, writePresentationRecord);
}

/**
 * An output writing one JSON object per line, as `nmsgtool -J` does. A payload that
 * cannot be rendered (no module for its type) makes `write` throw, which ends the run as
 * in the C tool.
 *
 * @param name How the output is named in messages.
 * @param file The open file.
 * @param registry Message modules.
 * @param options Aliases, output-level source/operator/group, buffering.
 * @returns The output.
 *
 * @example
 * ```ts
 * import { createJsonOutput, defaultRegistry, openForWriting } from "@nmsg-deno/nmsg";
 *
 * const path = await Deno.makeTempFile();
 * const out = createJsonOutput(path, openForWriting(path), defaultRegistry());
 * out.write({ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0, payload: new Uint8Array() });
 * await out.close();
 * await Deno.remove(path);
 * ```
 */
export function createJsonOutput(
  name: string,
  file: WritableFile,
  registry: ModuleRegistry,
  options: TextOutputOptions = {},
): Output {
  return new TextOutput(name, file, registry, options, writeJsonLine);
}

function writeJsonLine(
  out: TextSink,
  p: Payload,
  registry: ModuleRegistry,
  options: RenderOptions,
): void {
  writeJsonRecord(out, p, registry, options);
  out.byte(0x0a);
}

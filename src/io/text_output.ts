/**
 * Presentation (nmsgtool `-o`) and JSON (`-J`) outputs to a file or stdout. Records are
 * rendered straight to the bytes nmsgtool writes (no intermediate strings).
 *
 * @module
 */

import type { Output } from "../engine/types.ts";
import { formatJsonBytes } from "../msgmod/json.ts";
import { formatPresentationBytes } from "../msgmod/presentation.ts";
import type { ModuleRegistry } from "../msgmod/registry.ts";
import type { RenderOptions } from "../msgmod/render_options.ts";
import type { Payload } from "../wire/payload.ts";
import { ByteSink } from "./_byte_sink.ts";
import type { WritableFile } from "./files.ts";

const NEWLINE = new Uint8Array([0x0a]);

/** Options for the text outputs. */
export interface TextOutputOptions extends RenderOptions {
  /** Hand each record to the operating system at once (nmsgtool `--unbuffered`). */
  unbuffered?: boolean;
}

/** An output writing one text record per payload. */
class TextOutput implements Output {
  readonly name: string;
  readonly #sink: ByteSink;
  readonly #render: (p: Payload) => Uint8Array | undefined;
  readonly #newline: boolean;
  readonly #unbuffered: boolean;
  #closed = false;

  constructor(
    name: string,
    file: WritableFile,
    render: (p: Payload) => Uint8Array | undefined,
    newline: boolean,
    unbuffered: boolean,
  ) {
    this.name = name;
    this.#sink = new ByteSink(file);
    this.#render = render;
    this.#newline = newline;
    this.#unbuffered = unbuffered;
  }

  write(p: Payload): undefined {
    // A view into the renderer's buffer, valid until its next call: the sink copies it.
    const bytes = this.#render(p);
    if (bytes !== undefined) {
      this.#sink.write(bytes);
      if (this.#newline) this.#sink.write(NEWLINE);
      if (this.#unbuffered) this.#sink.flush();
    }
    return undefined;
  }

  flush(): Promise<void> {
    this.#sink.flush();
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#sink.close();
    }
    return Promise.resolve();
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
  return new TextOutput(
    name,
    file,
    (p) => formatPresentationBytes(p, registry, options),
    false,
    options.unbuffered ?? false,
  );
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
  return new TextOutput(
    name,
    file,
    (p) => formatJsonBytes(p, registry, options),
    true,
    options.unbuffered ?? false,
  );
}

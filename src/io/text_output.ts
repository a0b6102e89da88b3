/**
 * Presentation (nmsgtool `-o`) and JSON (`-J`) outputs to a file or stdout.
 *
 * @module
 */

import type { Output } from "../engine/types.ts";
import { formatJson } from "../msgmod/json.ts";
import { formatPresentation } from "../msgmod/presentation.ts";
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
  readonly #format: (p: Payload) => string | undefined;
  readonly #unbuffered: boolean;
  #closed = false;

  readonly #newline: boolean;

  constructor(
    name: string,
    file: WritableFile,
    format: (p: Payload) => string | undefined,
    unbuffered: boolean,
    newline: boolean,
  ) {
    this.name = name;
    this.#sink = new ByteSink(file);
    this.#format = format;
    this.#unbuffered = unbuffered;
    this.#newline = newline;
  }

  write(p: Payload): undefined {
    const text = this.#format(p);
    if (text !== undefined) {
      this.#sink.writeText(text);
      // Written apart: appending it to the text would copy every record once more.
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
    (p) => formatPresentation(p, registry, options),
    options.unbuffered ?? false,
    false,
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
    (p) => formatJson(p, registry, options),
    options.unbuffered ?? false,
    true,
  );
}

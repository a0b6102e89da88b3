/**
 * JSON-lines input (nmsgtool `-j`): one payload per line, lines nmsgtool cannot parse are
 * skipped (reported at debug level 2), a last line without a newline is ignored as libnmsg
 * ignores it.
 *
 * @module
 */

import type { Input, PayloadBatch } from "../engine/types.ts";
import type { Aliases } from "../msgmod/aliases.ts";
import { NmsgParseError } from "../msgmod/errors.ts";
import { parseJsonPayload } from "../msgmod/json_parser.ts";
import type { ModuleRegistry } from "../msgmod/registry.ts";
import type { Payload } from "../wire/payload.ts";
import { LineReader } from "./_line_reader.ts";
import type { ReadableFile } from "./files.ts";

/** Options for {@linkcode JsonInput}. */
export interface JsonInputOptions {
  /** Resolves operator and group names. */
  aliases?: Aliases;
  /** Where debug lines go, with their nmsgtool level. */
  log?: (level: number, line: string) => void;
}

/**
 * A line nmsgtool cannot read at all (not merely unparsable): the input stops. The
 * message names the input and line.
 *
 * @example
 * ```ts
 * import { JsonInputError } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new JsonInputError("in.json: line 3: x").name, "JsonInputError");
 * ```
 */
export class JsonInputError extends Error {
  /** Always `"JsonInputError"`. */
  override name = "JsonInputError";
}

/**
 * Reads payloads from JSON lines, a few dozen lines per batch.
 *
 * @example
 * ```ts
 * import { defaultRegistry, JsonInput, openForReading } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(
 *   path,
 *   '{"time":"2020-01-01 00:00:00.000000000","vname":"base","mname":"logline","message":{}}\n',
 * );
 * const input = new JsonInput(path, openForReading(path), defaultRegistry());
 * assert.equal((await input.read())?.payloads[0]?.msgtype, 6);
 * input.close();
 * await Deno.remove(path);
 * ```
 */
export class JsonInput implements Input {
  /** The path (or `-`). */
  readonly name: string;
  readonly #file: ReadableFile;
  readonly #lines: LineReader;
  readonly #registry: ModuleRegistry;
  readonly #aliases: Aliases | undefined;
  readonly #log: (level: number, line: string) => void;
  #closed = false;
  /** An error held back until the payloads before it are handed out. */
  #fault: JsonInputError | undefined;

  /**
   * Creates an input over an open file.
   *
   * @param name How the input is named in messages.
   * @param file The open file.
   * @param registry Message modules.
   * @param options Aliases and logging.
   */
  constructor(
    name: string,
    file: ReadableFile,
    registry: ModuleRegistry,
    options: JsonInputOptions = {},
  ) {
    this.name = name;
    this.#file = file;
    this.#lines = new LineReader(file);
    this.#registry = registry;
    this.#aliases = options.aliases;
    this.#log = options.log ?? (() => {});
  }

  /** Reads the payloads of the next lines; `null` at the end or once closed. */
  async read(): Promise<PayloadBatch | null> {
    const opts = this.#aliases === undefined ? {} : { aliases: this.#aliases };
    for (;;) {
      if (this.#fault !== undefined) throw this.#fault;
      if (this.#closed) return null;
      // A few dozen lines per batch: the payloads of more would outlive the young
      // generation and swell the heap.
      const lines = await this.#lines.next();
      if (lines === null || this.#closed) return null;
      const firstLine = this.#lines.lineCount - lines.length + 1;
      const payloads: Payload[] = [];
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (line === "") continue;
        try {
          payloads.push(parseJsonPayload(line, this.#registry, opts));
        } catch (e) {
          if (e instanceof NmsgParseError) {
            this.#log(2, `JSON parse error: "${line}"`);
            continue;
          }
          this.#fault = new JsonInputError(
            `${this.name}: line ${firstLine + i}: ${e instanceof Error ? e.message : e}`,
            { cause: e },
          );
          break;
        }
      }
      if (payloads.length > 0) return { payloads };
    }
  }

  /** Stops the input; a pending read ends with `null`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#file.close();
  }
}

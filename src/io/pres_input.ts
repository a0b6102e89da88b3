/**
 * Presentation input (nmsgtool `-f` with `-V`/`-T`): blocks of `key: value` lines, one
 * payload per block; the payload time is the time the block was read.
 *
 * @module
 */

import type { Input, PayloadBatch } from "../engine/types.ts";
import { NmsgParseError } from "../msgmod/errors.ts";
import type { MessageModule } from "../msgmod/module.ts";
import { PresentationParser } from "../msgmod/presentation_parser.ts";
import type { Payload } from "../wire/payload.ts";
import { LineReader } from "./_line_reader.ts";
import type { ReadableFile } from "./files.ts";

/**
 * A presentation line that does not parse: the input stops, as in the C tool. The message
 * names the input and line.
 *
 * @example
 * ```ts
 * import { PresInputError } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new PresInputError("in.pres: line 1: x").name, "PresInputError");
 * ```
 */
export class PresInputError extends Error {
  /** Always `"PresInputError"`. */
  override name = "PresInputError";
}

/**
 * Reads payloads of one message type from presentation text.
 *
 * @example
 * ```ts
 * import { defaultRegistry, openForReading, PresInput } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "category: auth\nmessage: hello\n\n");
 * const module = defaultRegistry().lookupByName("base", "logline")!;
 * const input = new PresInput(path, openForReading(path), module);
 * assert.equal((await input.read())?.payloads.length, 1);
 * input.close();
 * await Deno.remove(path);
 * ```
 */
export class PresInput implements Input {
  /** The path (or `-`). */
  readonly name: string;
  readonly #file: ReadableFile;
  readonly #lines: LineReader;
  readonly #parser: PresentationParser;
  #closed = false;
  #done = false;
  /** A parse error held back until the payloads before it are handed out. */
  #fault: PresInputError | undefined;

  /**
   * Creates an input over an open file.
   *
   * @param name How the input is named in messages.
   * @param file The open file.
   * @param module The message type of every block (`-V`/`-T`).
   */
  constructor(name: string, file: ReadableFile, module: MessageModule) {
    this.name = name;
    this.#file = file;
    this.#lines = new LineReader(file);
    this.#parser = new PresentationParser(module);
  }

  /** Reads the payloads of the next lines; `null` at the end or once closed. */
  async read(): Promise<PayloadBatch | null> {
    for (;;) {
      if (this.#fault !== undefined) throw this.#fault;
      if (this.#closed || this.#done) return null;
      const lines = await this.#lines.next();
      if (this.#closed) return null;
      const payloads: Payload[] = [];
      try {
        if (lines === null) {
          this.#done = true;
          const tail = this.#lines.tail;
          const last = tail === undefined ? undefined : this.#parser.pushLine(tail);
          if (last !== undefined) payloads.push(last);
          const rest = this.#parser.finish();
          if (rest !== undefined) payloads.push(rest);
        } else {
          for (const line of lines) {
            const p = this.#parser.pushLine(line);
            if (p !== undefined) payloads.push(p);
          }
        }
      } catch (e) {
        if (!(e instanceof NmsgParseError)) throw e;
        this.#fault = new PresInputError(`${this.name}: ${e.message}`, { cause: e });
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

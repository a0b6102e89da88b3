/**
 * NMSG stream input from a file or stdin (nmsgtool `-r`): units are read as they come,
 * inflated and reassembled, payload CRCs verified, and the `-V/-T`, `--getsource`,
 * `--getoperator` and `--getgroup` filters applied.
 *
 * @module
 */

import type { ContainerStats, Input, PayloadBatch } from "../engine/types.ts";
import { type ContainerBatch, ContainerReader } from "../wire/container_reader.ts";
import { NmsgFormatError } from "../wire/errors.ts";
import type { Payload } from "../wire/payload.ts";
import { BytePacer } from "./_byte_rate.ts";
import { PayloadSelector } from "./_payload_select.ts";
import type { ReadableFile } from "./files.ts";
import { loadZlib } from "./_lazy_zlib.ts";

/** Which payloads an NMSG input passes on; zero or absent fields do not filter. */
export interface NmsgInputFilter {
  /** Only this vendor id (with `msgtype`). */
  vid?: number;
  /** Only this message type (with `vid`). */
  msgtype?: number;
  /** Only this source id. */
  source?: number;
  /** Only this operator id. */
  operator?: number;
  /** Only this group id. */
  group?: number;
}

/** Options for {@linkcode NmsgInput}. */
export interface NmsgInputOptions extends NmsgInputFilter {
  /** Ingress limit in bytes per second (nmsgtool `-B`); 0 = none. */
  byteRate?: number;
  /** Where warnings (CRC mismatches) and debug lines go, with their level. */
  log?: (level: number, line: string) => void;
}

/**
 * Reads NMSG units from a file or stdin and hands out one batch per container.
 *
 * A payload whose `payload_crcs` entry does not match is dropped with libnmsg's warning
 * (`libnmsg: WARNING: crc mismatch (calculated != wire) [_input_nmsg_filter]`). A unit cut
 * short by the end of the file ends the input quietly, as in libnmsg (reported at debug
 * level 2); any other malformed data is an error naming the input and offset.
 *
 * Batches carry their container (`encoded`), so NMSG outputs can copy payloads without
 * decoding them. Payload bytes are views into a reused buffer: valid until the next
 * `read()`.
 *
 * @example
 * ```ts
 * import { NmsgInput, openForReading } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const input = new NmsgInput("sample.nmsg", openForReading("tests/testdata/sample.nmsg"));
 * let n = 0;
 * for (let b = await input.read(); b !== null; b = await input.read()) n += b.payloads.length;
 * input.close();
 * assert.ok(n > 0);
 * ```
 */
export class NmsgInput implements Input {
  /** The path (or `-`). */
  readonly name: string;
  readonly #file: ReadableFile;
  readonly #reader: ContainerReader;
  readonly #selector: PayloadSelector;
  readonly #pacer: BytePacer | undefined;
  readonly #log: (level: number, line: string) => void;
  #received = 0;
  #closed = false;
  #pending: Paced | undefined;

  /**
   * Creates an input over an open file.
   *
   * @param name How the input is named in messages.
   * @param file The open file.
   * @param options Filters, rate and logging.
   */
  constructor(name: string, file: ReadableFile, options: NmsgInputOptions = {}) {
    this.name = name;
    this.#file = file;
    this.#pacer = options.byteRate ? new BytePacer(options.byteRate) : undefined;
    this.#log = options.log ?? (() => {});
    this.#selector = new PayloadSelector(options, this.#log);
    this.#reader = new ContainerReader(file, {
      name,
      reuseBuffer: true,
      zlib: loadZlib,
      onCrcMismatch: (m) => this.#selector.crcMismatch(m.index, m.calculated, m.wire),
    });
  }

  /** Containers decoded so far; files never lose containers. */
  stats(): ContainerStats {
    return { containersReceived: this.#received, containersDropped: 0 };
  }

  /** Reads the next container's payloads; `null` at the end or once closed. */
  async read(): Promise<PayloadBatch | null> {
    if (this.#pending !== undefined) return this.#paced(this.#pending);
    for (;;) {
      if (this.#closed) return null;
      let batch: ContainerBatch | null;
      try {
        batch = await this.#reader.next();
      } catch (e) {
        if (this.#closed) return null;
        if (e instanceof NmsgFormatError && e.code === "truncated") {
          this.#log(2, `nmsgtool: ${e.message}`);
          return null;
        }
        throw e;
      }
      if (batch === null) return null;
      this.#received++;
      const view = batch.encoded;
      this.#selector.filter(view);
      if (this.#pacer !== undefined) {
        this.#pacer.start(batch.size, view.decodedLength);
        const index = Array.from({ length: view.length }, (_, i) => view.decodedIndex(i));
        return this.#paced({ payloads: batch.payloads, crcs: batch.crcs, index, pos: 0 });
      }
      if (view.length > 0) return batch;
    }
  }

  /** Stops the input; a pending read ends with `null`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#file.close();
  }

  /** Hands out the selected payloads of a container in paced steps (`-B`). */
  async #paced(state: Paced): Promise<PayloadBatch | null> {
    const pacer = this.#pacer!;
    const index = state.index;
    if (state.pos >= index.length) {
      this.#pending = undefined;
      pacer.done();
      return this.read();
    }
    this.#pending = state;
    const start = state.pos;
    let end = start + 1;
    while (end < index.length && !pacer.isStep(index[end]!)) end++;
    state.pos = end;
    const wait = pacer.delay(index[start]!);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait * 1000));
    if (this.#closed) return null;
    return { payloads: state.payloads.slice(start, end), crcs: state.crcs.slice(start, end) };
  }
}

/** A container being handed out in paced steps: its payloads, with their indexes in it. */
interface Paced {
  payloads: Payload[];
  crcs: number[];
  index: number[];
  pos: number;
}

/**
 * NMSG stream input from a file or stdin (nmsgtool `-r`): units are read as they come,
 * inflated and reassembled, payload CRCs verified, and the `-V/-T`, `--getsource`,
 * `--getoperator` and `--getgroup` filters applied.
 *
 * @module
 */

import type { ContainerStats, Input, PayloadBatch } from "../engine/types.ts";
import { NMSG_FLAG_ZLIB } from "../wire/constants.ts";
import { decodeContainer } from "../wire/container.ts";
import { NmsgFormatError } from "../wire/errors.ts";
import type { Payload } from "../wire/payload.ts";
import { UnitDecoder } from "../wire/unit_decoder.ts";
import { UnitReader } from "../wire/unit_reader.ts";
import { BytePacer } from "./_byte_rate.ts";
import { PayloadSelector } from "./_payload_select.ts";
import type { ReadableFile } from "./files.ts";
import { deferredZlib, loadedZlib, loadZlib } from "./_lazy_zlib.ts";

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
 * Payload bytes are views into a reused buffer: valid until the next `read()`.
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
  readonly #units: UnitReader;
  readonly #decoder = new UnitDecoder({ zlib: deferredZlib });
  readonly #selector: PayloadSelector;
  readonly #filtering: boolean;
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
    this.#units = new UnitReader(file, { name, reuseBuffer: true, chunkSize: 1 << 20 });
    this.#pacer = options.byteRate ? new BytePacer(options.byteRate) : undefined;
    this.#log = options.log ?? (() => {});
    this.#selector = new PayloadSelector(options, this.#log);
    this.#filtering = Boolean(
      (options.vid && options.msgtype) || options.source || options.operator || options.group,
    );
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
      let unit;
      try {
        unit = await this.#units.next();
      } catch (e) {
        if (this.#closed) return null;
        if (e instanceof NmsgFormatError && e.code === "truncated") {
          this.#log(2, `nmsgtool: ${e.message}`);
          return null;
        }
        throw e;
      }
      if (unit === null) return null;
      if (unit.flags & NMSG_FLAG_ZLIB && loadedZlib() === undefined) await loadZlib();
      let payloads: Payload[];
      let wireCrcs: number[];
      try {
        const data = this.#decoder.assemble(unit.flags, unit.data);
        if (data === undefined) continue;
        ({ payloads, payloadCrcs: wireCrcs } = decodeContainer(data));
      } catch (e) {
        throw e instanceof NmsgFormatError ? e.at(this.name, unit.offset) : e;
      }
      this.#received++;
      const batch = this.#select(payloads, wireCrcs);
      if (this.#pacer !== undefined) {
        this.#pacer.start(unit.data.length + 10, payloads.length);
        return this.#paced({ batch, pos: 0 });
      }
      if (batch.payloads.length > 0) return batch;
    }
  }

  /** Stops the input; a pending read ends with `null`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#file.close();
  }

  /**
   * Verifies CRCs and applies the filters; returns what passes, with its wire CRCs and,
   * when pacing, each payload's index in the container.
   */
  #select(payloads: Payload[], wireCrcs: number[]): SelectedBatch {
    const pacing = this.#pacer !== undefined;
    if (!this.#filtering && wireCrcs.length === 0) {
      return { payloads, crcs: undefined, index: pacing ? payloads.map((_, i) => i) : [] };
    }
    const out: Payload[] = [];
    const crcs: number[] = [];
    const index: number[] = [];
    const all = this.#selector.select(payloads, wireCrcs, out, crcs, pacing ? index : undefined);
    return { payloads: out, crcs: all ? crcs : undefined, index };
  }

  /** Hands out the selected payloads of a container in paced steps (`-B`). */
  async #paced(state: Paced): Promise<PayloadBatch | null> {
    const pacer = this.#pacer!;
    const { batch } = state;
    const index = batch.index;
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
    return { payloads: batch.payloads.slice(start, end), crcs: batch.crcs?.slice(start, end) };
  }
}

type SelectedBatch = PayloadBatch & { index: number[] };

interface Paced {
  batch: SelectedBatch;
  pos: number;
}

/**
 * The I/O engine behind nmsgtool: every input runs its own loop (as the C tool runs one
 * thread per input), payloads pass through the filter chain and go to the outputs, striped
 * (round robin, each input keeping its own position) or mirrored; `-c` counts and `-t`
 * intervals end the run or, with `-k`, rotate the outputs.
 *
 * @module
 */

import { NmsgRenderError } from "../msgmod/errors.ts";
import type { ContainerView } from "../wire/container_view.ts";
import type { Payload } from "../wire/payload.ts";
import type { Filter, FilterVerdict, Input, Output } from "./types.ts";

/** What ends a count or interval period. */
export type CloseKind = "count" | "interval";

/** Options for {@linkcode Engine}. */
export interface EngineOptions {
  /** Where payloads come from; each is read by its own loop. */
  inputs: readonly Input[];
  /** Where payloads go, in striping order. */
  outputs: readonly Output[];
  /** The filter chain (`-F`), in order. */
  filters?: readonly Filter[];
  /** What happens to a payload every filter declined (`--policy`). Default accept. */
  policy?: "accept" | "drop";
  /** Write every payload to every output instead of striping (`--mirror`). */
  mirror?: boolean;
  /** Payloads per output before a close event (`-c`); 0 = none. */
  count?: number;
  /** Seconds per wall-clock-aligned period (`-t`); 0 = none. */
  interval?: number;
  /** Shift the period boundaries by a random offset (`-R`). */
  randomizeInterval?: boolean;
  /**
   * Close events rotate the outputs that can rotate and leave the others alone (`-k`).
   * Otherwise the first close event ends the run.
   */
  rotate?: boolean;
  /** Called for each close event, before it takes effect. */
  onCloseEvent?: (output: Output, kind: CloseKind) => void | Promise<void>;
  /** Debug messages, with their nmsgtool level. */
  log?: (level: number, line: string) => void;
  /** The clock, in milliseconds since the epoch (tests replace it). */
  now?: () => number;
}

/** Counters of a run, as nmsgtool's `-dd` totals line shows them. */
export interface EngineStats {
  /** Payloads read from inputs that keep container counters (NMSG streams). */
  payloadsIn: number;
  /** Payloads written, counting each output a mirrored payload went to. */
  payloadsOut: number;
  /** Containers received by those inputs. */
  containersReceived: number;
  /** Containers lost, from sequence numbers. */
  containersDropped: number;
}

/** A failure that ended an input's loop or the whole run. */
export interface EngineFailure {
  /** The input or output at fault. */
  source: string;
  /** What went wrong. */
  error: unknown;
}

/** How a run ended. */
export interface EngineResult {
  /** Final counters. */
  stats: EngineStats;
  /** Read, write and close failures, in the order they happened. */
  failures: EngineFailure[];
  /** True when `stop()` was called (a signal). */
  interrupted: boolean;
}

const CHECK_PERIOD_MS = 500;

interface Slot {
  output: Output;
  /** Payloads offered to this output (the C tool counts the one that triggers a stop too). */
  offered: number;
  nextClose: number;
  /** Start of the current interval, in seconds. */
  last: number;
  /** Set while a rotation is under way: writers wait for it. */
  busy: Promise<void> | undefined;
}

interface InputState {
  input: Input;
  payloadsIn: number;
  /** The output this input's next payload goes to. */
  cursor: number;
  /** True while the loop waits for the input. */
  idle: boolean;
}

/** Marks a write refused because the run is stopping. */
const STOPPED = Symbol("stopped");

/**
 * Runs inputs into outputs until every input ends, a count or interval ends the run, a
 * write fails, or {@linkcode Engine.stop} is called; then closes every output.
 *
 * @example Copying payloads from one input to one output
 * ```ts
 * import { Engine, type Input, type Output } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const p = { vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 };
 * let batches = [{ payloads: [p, p, p] }];
 * const input: Input = { name: "mem", read: async () => batches.pop() ?? null, close() {} };
 * const seen: unknown[] = [];
 * const output: Output = {
 *   name: "list",
 *   write: (q) => void seen.push(q),
 *   flush: async () => {},
 *   close: async () => {},
 * };
 * const result = await new Engine({ inputs: [input], outputs: [output] }).run();
 * assert.equal(seen.length, 3);
 * assert.equal(result.stats.payloadsOut, 3);
 * ```
 */
export class Engine {
  readonly #opts: EngineOptions;
  readonly #slots: Slot[];
  readonly #inputs: InputState[];
  readonly #now: () => number;
  readonly #count: number;
  readonly #interval: number;
  #offset = 0;
  #stopping = false;
  #interrupted = false;
  #payloadsOut = 0;
  readonly #failures: EngineFailure[] = [];

  /**
   * Sets up a run.
   *
   * @param options Inputs, outputs, filters and limits.
   */
  constructor(options: EngineOptions) {
    this.#opts = options;
    this.#now = options.now ?? Date.now;
    this.#count = options.count ?? 0;
    this.#interval = options.interval ?? 0;
    this.#slots = options.outputs.map((output) => ({
      output,
      offered: 0,
      nextClose: this.#count,
      last: 0,
      busy: undefined,
    }));
    this.#inputs = options.inputs.map((input) => ({
      input,
      payloadsIn: 0,
      cursor: 0,
      idle: false,
    }));
  }

  /** The counters so far (for statistics modules). */
  stats(): EngineStats {
    let payloadsIn = 0;
    let containersReceived = 0;
    let containersDropped = 0;
    for (const s of this.#inputs) {
      const st = s.input.stats?.();
      if (st === undefined) continue;
      payloadsIn += s.payloadsIn;
      containersReceived += st.containersReceived;
      containersDropped += st.containersDropped;
    }
    return { payloadsIn, payloadsOut: this.#payloadsOut, containersReceived, containersDropped };
  }

  /** Stops reading (a signal): pending reads end, outputs are then flushed and closed. */
  stop(): void {
    this.#interrupted = true;
    this.#halt();
    for (const slot of this.#slots) slot.output.stop?.();
  }

  /**
   * Runs to the end.
   *
   * @returns Counters, failures and whether the run was interrupted.
   */
  async run(): Promise<EngineResult> {
    let timer: ReturnType<typeof setInterval> | undefined;
    if (this.#interval > 0) {
      const nowSec = Math.floor(this.#now() / 1000);
      if (this.#opts.randomizeInterval) {
        this.#offset = Math.floor(Math.random() * this.#interval);
      }
      const last = nowSec - (nowSec % this.#interval) + this.#offset;
      for (const slot of this.#slots) slot.last = last;
      // Idle inputs still end intervals: the C loop checks after every 500 ms poll timeout.
      timer = setInterval(() => this.#idleCheck(), CHECK_PERIOD_MS);
    }
    try {
      await Promise.all(this.#inputs.map((s, i) => this.#runInput(s, i)));
    } finally {
      if (timer !== undefined) clearInterval(timer);
    }
    for (const s of this.#inputs) {
      try {
        await s.input.close();
      } catch (e) {
        this.#failures.push({ source: s.input.name, error: e });
      }
    }
    for (const slot of this.#slots) {
      try {
        if (slot.busy !== undefined) await slot.busy;
        await slot.output.close();
      } catch (e) {
        this.#failures.push({ source: slot.output.name, error: e });
      }
    }
    for (const f of this.#opts.filters ?? []) await f.close?.();
    return { stats: this.stats(), failures: this.#failures, interrupted: this.#interrupted };
  }

  #log(level: number, line: string): void {
    this.#opts.log?.(level, line);
  }

  #halt(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    for (const s of this.#inputs) {
      try {
        const r = s.input.close();
        if (r instanceof Promise) r.catch(() => {});
      } catch {
        // A failing close still ends the input; its read reports the failure.
      }
    }
  }

  async #runInput(state: InputState, index: number): Promise<void> {
    const base = this.#opts.filters ?? [];
    const filters = base.map((f) => f.fork?.() ?? f);
    const acceptAll = this.#opts.policy !== "drop";
    const mirror = this.#opts.mirror ?? false;
    const slots = this.#slots;
    // Containers go to a lone output straight from their encoding when nothing in between
    // looks at payloads one by one (filters, interval checks, striping).
    const direct = filters.length === 0 && this.#interval === 0 && slots.length === 1 &&
      slots[0]!.output.writeEncoded !== undefined;
    let offset: number | undefined;
    try {
      while (!this.#stopping) {
        let batch;
        state.idle = true;
        try {
          batch = await state.input.read();
        } catch (e) {
          if (!this.#stopping) this.#failures.push({ source: state.input.name, error: e });
          break;
        } finally {
          state.idle = false;
        }
        if (batch === null || this.#stopping) break;
        offset = batch.offset;
        if (direct && batch.encoded !== undefined) {
          state.payloadsIn += await this.#writeEncoded(slots[0]!, batch.encoded);
          continue;
        }
        const { payloads, crcs } = batch;
        const n = payloads.length;
        for (let i = 0; i < n && !this.#stopping; i++) {
          let p = payloads[i]!;
          let crc = crcs?.[i];
          state.payloadsIn++;
          if (filters.length > 0) {
            let verdict: FilterVerdict = "decline";
            for (const f of filters) {
              const r = f.filter(p);
              if (typeof r === "string") verdict = r;
              else {
                verdict = r.verdict;
                if (r.payload !== p) {
                  p = r.payload;
                  crc = undefined;
                }
              }
              if (verdict !== "decline") break;
            }
            if (verdict === "drop" || (verdict === "decline" && !acceptAll)) continue;
          }
          if (mirror) {
            for (const slot of slots) {
              const r = this.#write(slot, p, crc);
              if (r === STOPPED) break;
              if (r !== undefined && await r === STOPPED) break;
            }
          } else {
            const r = this.#write(slots[state.cursor]!, p, crc);
            if (r === STOPPED) break;
            if (r !== undefined && await r === STOPPED) break;
            state.cursor = state.cursor + 1 === slots.length ? 0 : state.cursor + 1;
          }
        }
      }
    } catch (e) {
      // A write failed: like libnmsg, that stops the whole run. A payload an output cannot
      // render is the input's fault: the message names the input and where.
      const error = unwrap(e);
      const source = !(error instanceof NmsgRenderError)
        ? errorSource(e, state.input.name)
        : offset === undefined
        ? state.input.name
        : `${state.input.name}: offset ${offset}`;
      this.#failures.push({ source, error });
      this.#halt();
    }
    this.#log(
      2,
      `nmsg_io: iothr=${fakePointer(index + 1)} count_nmsg_payload_in=${state.payloadsIn}`,
    );
  }

  /** Writes one payload to one output, after the count and interval checks. */
  #write(
    slot: Slot,
    p: Payload,
    crc: number | undefined,
  ): Promise<void | typeof STOPPED> | undefined | typeof STOPPED {
    if (slot.busy !== undefined) return slot.busy.then(() => this.#write(slot, p, crc));
    const event = this.#closeEvent(slot, true);
    if (event !== undefined) {
      return event.then(() => (this.#stopping ? STOPPED : this.#write(slot, p, crc)));
    }
    slot.offered++;
    if (this.#stopping) return STOPPED;
    let r: Promise<void> | undefined;
    try {
      r = slot.output.write(p, crc);
    } catch (e) {
      throw new OutputFailure(slot.output.name, e);
    }
    if (r === undefined) {
      this.#payloadsOut++;
      return undefined;
    }
    return r.then(
      () => void this.#payloadsOut++,
      (e) => {
        throw new OutputFailure(slot.output.name, e);
      },
    );
  }

  /**
   * Writes a container's payloads to one output without decoding them, in runs cut at the
   * count boundaries.
   *
   * @returns How many payloads were taken in, counted as the payload-at-a-time loop does
   *   (including one that a count event stopped).
   */
  async #writeEncoded(slot: Slot, view: ContainerView): Promise<number> {
    const n = view.length;
    let from = 0;
    while (from < n) {
      if (this.#stopping) return from;
      if (slot.busy !== undefined) await slot.busy;
      const event = this.#closeEvent(slot, true);
      if (event !== undefined) {
        await event;
        if (this.#stopping) return from + 1;
        continue;
      }
      const to = this.#count > 0 ? Math.min(n, from + slot.nextClose - slot.offered) : n;
      slot.offered += to - from;
      try {
        await slot.output.writeEncoded!(view, from, to);
      } catch (e) {
        throw new OutputFailure(slot.output.name, e);
      }
      this.#payloadsOut += to - from;
      from = to;
    }
    return n;
  }

  /**
   * Checks the count (when writing) and the interval of one output; returns a promise if an
   * event is being handled. `offered` is bumped past the event so it fires once.
   */
  #closeEvent(slot: Slot, writing: boolean): Promise<void> | undefined {
    let kind: CloseKind | undefined;
    if (writing && this.#count > 0 && slot.offered === slot.nextClose) {
      slot.nextClose += this.#count;
      kind = "count";
    } else if (this.#interval > 0) {
      const nowSec = Math.floor(this.#now() / 1000);
      if (nowSec - slot.last >= this.#interval) {
        slot.last = nowSec - (nowSec % this.#interval) + this.#offset;
        kind = "interval";
      }
    }
    if (kind === undefined) return undefined;
    const handled = this.#handleEvent(slot, kind).finally(() => (slot.busy = undefined));
    slot.busy = handled;
    return handled;
  }

  async #handleEvent(slot: Slot, kind: CloseKind): Promise<void> {
    await this.#opts.onCloseEvent?.(slot.output, kind);
    if (!this.#opts.rotate) {
      this.#halt();
      return;
    }
    if (slot.output.rotate === undefined) return;
    try {
      await slot.output.rotate();
    } catch (e) {
      this.#failures.push({ source: slot.output.name, error: e });
      this.#halt();
    }
  }

  #idleCheck(): void {
    for (const s of this.#inputs) {
      if (!s.idle || this.#stopping) continue;
      const slot = this.#slots[s.cursor];
      if (slot !== undefined && slot.busy === undefined) this.#closeEvent(slot, false);
    }
  }
}

/** A write failure, carrying the output's name up through the input loop. */
class OutputFailure {
  constructor(readonly source: string, readonly error: unknown) {}
}

function errorSource(e: unknown, fallback: string): string {
  return e instanceof OutputFailure ? e.source : fallback;
}

function unwrap(e: unknown): unknown {
  return e instanceof OutputFailure ? e.error : e;
}

/** A stand-in for the C tool's thread pointers in debug messages. */
function fakePointer(n: number): string {
  return "0x" + (0x10000 + n * 0x100).toString(16);
}

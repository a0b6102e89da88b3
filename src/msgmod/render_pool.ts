/**
 * Rendering on several threads: batches of payloads go to Web Workers that render them with
 * the built-in modules, and come back as the bytes nmsgtool would write.
 *
 * @module
 */

import type { Payload } from "../wire/payload.ts";
import { defaultRegistry } from "./builtin.ts";
import type { ModuleRegistry } from "./registry.ts";
import type { RenderOptions } from "./render_options.ts";
import {
  packPayloads,
  plainOptions,
  renderBatch,
  type RenderedBatch,
  type RenderFormat,
} from "./_render_batch.ts";

/**
 * Options for {@linkcode RenderPool}.
 *
 * @example
 * ```ts
 * import type { RenderPoolOptions } from "@nmsg-deno/nmsg";
 *
 * const options: RenderPoolOptions = { format: "presentation", workers: 2, endline: "\n" };
 * ```
 */
export interface RenderPoolOptions extends RenderOptions {
  /** Presentation (`-o`) or JSON lines (`-J`). */
  format: "presentation" | "json";
  /**
   * Worker threads. 0 renders on the calling thread (no workers); default
   * `navigator.hardwareConcurrency`.
   */
  workers?: number;
}

/**
 * A rendered batch.
 *
 * @example Writing results in order
 * ```ts
 * import type { RenderPoolResult } from "@nmsg-deno/nmsg";
 *
 * function write(r: RenderPoolResult, out: Uint8Array[]): boolean {
 *   out.push(r.bytes);
 *   return r.error === undefined; // false: nmsgtool stops after these bytes
 * }
 * ```
 */
export interface RenderPoolResult {
  /** What nmsgtool writes for the batch, in payload order (JSON lines end with `\n`). */
  bytes: Uint8Array;
  /** How many payloads were rendered: all, unless JSON rendering failed at this index. */
  rendered: number;
  /** Why JSON rendering failed at payload `rendered` (nmsgtool stops there). */
  error?: string;
}

interface Reply {
  id: number;
  bytes?: Uint8Array;
  rendered?: number;
  error?: string;
  failure?: string;
}

/**
 * Renders batches of payloads in parallel, for outputs that write a whole stream: each
 * {@linkcode RenderPool.render} call packs its payloads (copying their bytes), hands them
 * to the next worker round-robin and resolves with the rendered bytes. Awaiting the
 * results in submission order keeps the output in order. Only the built-in modules are
 * available in workers.
 *
 * @example
 * ```ts
 * import { NmsgMessage, defaultRegistry, RenderPool } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const logline = defaultRegistry().lookupByName("base", "logline")!;
 * const p = new NmsgMessage(logline).set("category", "a").toPayload();
 * const pool = new RenderPool({ format: "json", workers: 1 });
 * try {
 *   const r = await pool.render([p, p]);
 *   assert.equal(r.rendered, 2);
 *   assert.equal(new TextDecoder().decode(r.bytes).split("\n").length, 3);
 * } finally {
 *   pool.close();
 * }
 * ```
 */
export class RenderPool {
  readonly #format: RenderFormat;
  readonly #options: RenderOptions;
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<number, (r: Reply) => void>();
  readonly #registry: ModuleRegistry;
  #id = 0;
  #next = 0;

  /**
   * Starts the workers.
   *
   * @param options Format, worker count and render options.
   */
  constructor(options: RenderPoolOptions) {
    const { format, workers, ...render } = options;
    this.#format = format;
    this.#options = render;
    this.#registry = defaultRegistry();
    const n = workers ?? globalThis.navigator?.hardwareConcurrency ?? 2;
    const url = new URL("./_render_worker.ts", import.meta.url);
    for (let i = 0; i < n; i++) {
      const w = new Worker(url, { type: "module" });
      w.onmessage = (e: MessageEvent<Reply>) => {
        const done = this.#pending.get(e.data.id);
        this.#pending.delete(e.data.id);
        done?.(e.data);
      };
      this.#workers.push(w);
    }
  }

  /**
   * Renders a batch.
   *
   * @param payloads The payloads (their bytes are copied before this returns).
   * @returns The bytes nmsgtool would write for them.
   */
  render(payloads: readonly Payload[]): Promise<RenderPoolResult> {
    if (this.#workers.length === 0) {
      const r: RenderedBatch = renderBatch(payloads, this.#registry, this.#format, this.#options);
      return Promise.resolve({ ...r, bytes: r.bytes.slice() });
    }
    const id = this.#id++;
    const buf = packPayloads(payloads);
    const worker = this.#workers[this.#next++ % this.#workers.length]!;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (r) => {
        if (r.failure !== undefined) reject(new Error(r.failure));
        else {
          resolve({
            bytes: r.bytes!,
            rendered: r.rendered!,
            ...(r.error === undefined ? {} : { error: r.error }),
          });
        }
      });
      worker.postMessage({ id, buf, format: this.#format, options: plainOptions(this.#options) }, [
        buf,
      ]);
    });
  }

  /** Stops the workers; pending renders never resolve. */
  close(): void {
    for (const w of this.#workers) w.terminate();
    this.#workers.length = 0;
  }
}

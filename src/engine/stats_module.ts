/**
 * Statistics modules for nmsgtool `-M name[,params]` (and `NMSG_STATSMOD_CONFIG`), and the
 * built-in `sample` module, which prints the C sample module's periodic report.
 *
 * A statistics module is a TypeScript or JavaScript file (given by a path starting with
 * `/` or `.`) that exports an `init` function:
 *
 * ```ts ignore
 * import type { StatsModule } from "@nmsg-deno/nmsg";
 *
 * export function init(param: string | undefined): StatsModule {
 *   let timer: number | undefined;
 *   return {
 *     start(ios) {
 *       timer = setInterval(() => {
 *         for (const io of ios) console.error(io.name, io.stats().payloadsOut);
 *       }, Number(param ?? 10) * 1000);
 *     },
 *     stop() {
 *       clearInterval(timer);
 *     },
 *   };
 * }
 * ```
 *
 * @module
 */

import type { EngineStats } from "./engine.ts";
import { loadPlugin, PluginError } from "./_plugin_loader.ts";

/** An engine a statistics module reports on. */
export interface StatsSource {
  /** Its name in reports (nmsgtool's is `nmsgtool_io`). */
  name: string;
  /** Its counters so far. */
  stats(): EngineStats;
}

/** A loaded statistics module. */
export interface StatsModule {
  /** Starts reporting on the engines (called once the run starts). */
  start(sources: readonly StatsSource[]): void;
  /** Stops reporting (called when the run ends); may write a last report. */
  stop(): void | Promise<void>;
}

/** What a statistics module's `init` returns. */
export type StatsInit = (param: string | undefined) => StatsModule | Promise<StatsModule>;

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** C `asctime(localtime(t))`, with its trailing newline. */
function asctime(d: Date): string {
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${WEEKDAYS[d.getDay()]} ${MONTHS[d.getMonth()]}${String(d.getDate()).padStart(3)} ` +
    `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${d.getFullYear()}\n`;
}

/** Where the sample module writes. */
interface ReportSink {
  write(text: string): void;
  close(): void;
}

function stderrSink(): ReportSink {
  const enc = new TextEncoder();
  return {
    write: (text) => {
      const data = enc.encode(text);
      for (let off = 0; off < data.length;) off += Deno.stderr.writeSync(data.subarray(off));
    },
    close: () => {},
  };
}

function fileSink(path: string): ReportSink {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { write: true, create: true, truncate: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    throw new PluginError(`parse_args: file "${path}" could not be opened for writing`);
  }
  const enc = new TextEncoder();
  return {
    write: (text) => {
      const data = enc.encode(text);
      for (let off = 0; off < data.length;) off += file.writeSync(data.subarray(off));
    },
    close: () => file.close(),
  };
}

/**
 * The built-in `sample` statistics module: every `secs` seconds (default 1) it writes to
 * `out` (default stderr) the totals and per-second averages of every engine, in the C
 * sample module's format; a last report is written when the run ends.
 *
 * @param param `out=FILE`, `secs=N`, comma-separated.
 * @returns The module.
 * @throws {PluginError} With the C module's message for a bad parameter.
 *
 * @example
 * ```ts
 * import { sampleStats } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => sampleStats("secs=0"), /invalid update frequency/);
 * ```
 */
export function sampleStats(param: string | undefined): StatsModule {
  let secs = 1;
  let outPath: string | undefined;
  for (const item of (param ?? "").split(",").filter((s) => s !== "")) {
    const eq = item.indexOf("=");
    const name = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? "" : item.slice(eq + 1);
    if (name === "out") outPath = value;
    else if (name === "secs") {
      secs = Number(/^\s*\+?(\d*)/.exec(value)![1] || 0);
      if (secs === 0) {
        throw new PluginError(
          `parse_args: invalid update frequency value "${value}" (must be a number greater than 0)`,
        );
      }
    } else throw new PluginError(`parse_args: invalid module parameter "${name}"`);
  }
  const sink = outPath === undefined ? stderrSink() : fileSink(outPath);
  let sources: readonly StatsSource[] = [];
  let updates = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const block = (s: EngineStats): string => {
    const avg = (n: number) => Math.floor(Math.floor(n / updates) / secs);
    return `Total payloads in:\t${s.payloadsIn}\nTotal payloads out:\t${s.payloadsOut}\n` +
      `Total container recvs:\t${s.containersReceived}\n` +
      `Total containers lost:\t${s.containersDropped}\n` +
      `Avg payloads in per second:\t${avg(s.payloadsIn)}\n` +
      `Avg payloads out per second:\t${avg(s.payloadsOut)}\n` +
      `Avg container recvs per second:\t${avg(s.containersReceived)}\n`;
  };
  const report = () => {
    updates++;
    const each = sources.map((io) => ({ name: io.name, s: io.stats() }));
    const total: EngineStats = {
      payloadsIn: 0,
      payloadsOut: 0,
      containersReceived: 0,
      containersDropped: 0,
    };
    for (const { s } of each) {
      total.payloadsIn += s.payloadsIn;
      total.payloadsOut += s.payloadsOut;
      total.containersReceived += s.containersReceived;
      total.containersDropped += s.containersDropped;
    }
    let text = "========================================\n" +
      `timestamp:\t${asctime(new Date())}` + block(total);
    for (const { name, s } of each) text += `===Metrics for IO: ${name}===\n` + block(s);
    sink.write(text);
  };
  return {
    start(ios) {
      sources = ios;
      timer = setInterval(report, secs * 1000);
    },
    stop() {
      if (timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
        report();
      }
      sink.close();
    },
  };
}

/** The statistics modules nmsgtool knows by short name. */
export const BUILTIN_STATS: Record<string, StatsInit> = { sample: sampleStats };

/**
 * Loads and initialises the module of an `-M name[,params]` argument.
 *
 * @param spec The argument.
 * @returns The module.
 * @throws {PluginError} If the module cannot be found or refuses its parameters.
 *
 * @example
 * ```ts
 * import { loadStatsModule, PluginError } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(loadStatsModule("sample,secs=x"), PluginError);
 * ```
 */
export function loadStatsModule(spec: string): Promise<StatsModule> {
  return loadPlugin(spec, BUILTIN_STATS, "stats", {
    isModule: (m) => typeof m?.start === "function" && typeof m.stop === "function",
    aModule: "a stats module",
  });
}

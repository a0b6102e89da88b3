/**
 * Filter modules for nmsgtool `-F name[,param]`, and the built-in `sample` filter.
 *
 * A filter module is a TypeScript or JavaScript file (given by a path starting with `/` or
 * `.`) that exports an `init` function:
 *
 * ```ts ignore
 * import type { Filter, Payload } from "@nmsg-deno/nmsg";
 *
 * // `param` is the text after the first comma of the -F argument, or undefined.
 * export function init(param: string | undefined): Filter {
 *   const vid = Number(param ?? 1);
 *   return {
 *     // "accept" keeps the payload and skips the rest of the chain, "drop" discards it,
 *     // "decline" passes it on; when every filter declines, --policy decides.
 *     filter: (p: Payload) => (p.vid === vid ? "decline" : "drop"),
 *   };
 * }
 * ```
 *
 * `init` may be async and may throw an `Error`, whose message nmsgtool prints before
 * exiting. A filter that keeps state per input (inputs run concurrently) implements
 * `fork()`, which the engine calls once per input.
 *
 * @module
 */

import type { Filter, FilterVerdict } from "./types.ts";
import { loadPlugin, PluginError } from "./_plugin_loader.ts";

/** What a filter module's `init` returns. */
export type FilterInit = (param: string | undefined) => Filter | Promise<Filter>;

const UINTMAX_MAX = "18446744073709551615";

/** C `strtod` on a whole string (decimal, hex, `inf`, `nan`), or undefined. */
function strtodWhole(s: string): number | undefined {
  const t = s.replace(/^[ \t\n\v\f\r]+/, "");
  if (/^[+-]?(inf(inity)?|nan)$/i.test(t)) {
    return /nan/i.test(t) ? NaN : t.startsWith("-") ? -Infinity : Infinity;
  }
  const hex = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(t);
  if (hex !== null && (hex[2] || hex[3])) {
    const mant = parseInt((hex[2] || "0") + (hex[3] ?? ""), 16);
    const v = mant * 2 ** (Number(hex[4] ?? 0) - 4 * (hex[3]?.length ?? 0));
    return hex[1] === "-" ? -v : v;
  }
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : undefined;
}

/** C `strtoumax(s, &end, 0)` on a whole string, or undefined. */
function strtoumaxWhole(s: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(s);
  if (m === null) return undefined;
  const digits = m[2]!;
  let v = BigInt(/^0[0-7]/.test(digits) ? "0o" + digits.slice(1) : digits);
  const max = BigInt(UINTMAX_MAX);
  if (v > max) v = max;
  return m[1] === "-" ? BigInt.asUintN(64, -v) : v;
}

/**
 * The built-in `sample` filter, like the C sample module: `count=K` keeps one payload in
 * every K (each input starting at a random phase), `random=P` keeps each payload with
 * probability P. Kept payloads are passed on (`decline`), the others dropped.
 *
 * @param param `count=K` or `random=P`.
 * @returns The filter.
 * @throws {PluginError} With the C module's message for a missing or bad parameter.
 *
 * @example
 * ```ts
 * import { sampleFilter } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const f = sampleFilter("count=3").fork!();
 * const p = { vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 };
 * const kept = Array.from({ length: 30 }, () => f.filter(p)).filter((v) => v === "decline");
 * assert.equal(kept.length, 10);
 * ```
 */
export function sampleFilter(param: string | undefined): Filter {
  if (param === undefined) throw new PluginError("module parameter is required but missing");
  const tokens = param.split(/[=,]/).filter((t) => t !== "");
  if (tokens.length !== 2) throw new PluginError(`error parsing module parameter '${param}'`);
  const [key, value] = tokens as [string, string];
  let decide: () => () => FilterVerdict;
  if (key.toLowerCase() === "count") {
    const k = strtoumaxWhole(value);
    if (k === undefined) {
      throw new PluginError(`error converting string to integer: '${value}'`);
    }
    if (k < 1n) throw new PluginError(`'count' value ${k} is out of range [1, ${UINTMAX_MAX}]`);
    const every = k > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(k);
    decide = () => {
      let count = Math.floor(Math.random() * every);
      return () => {
        if (++count >= every) {
          count = 0;
          return "decline";
        }
        return "drop";
      };
    };
  } else if (key.toLowerCase() === "random") {
    const p = strtodWhole(value);
    if (p === undefined) {
      throw new PluginError(`error converting string to floating point value: '${value}'`);
    }
    if (p < 0 || p > 1) throw new PluginError(`'random' value ${value} is out of range [0.0, 1.0]`);
    decide = () => () => Math.random() < p ? "decline" : "drop";
  } else {
    throw new PluginError(`unrecognized option '${key}'`);
  }
  const make = (): Filter => ({ filter: decide(), fork: make });
  return make();
}

/** The filters nmsgtool knows by short name. */
export const BUILTIN_FILTERS: Record<string, FilterInit> = { sample: sampleFilter };

/**
 * Loads and initialises the filter of an `-F name[,param]` argument.
 *
 * @param spec The argument.
 * @returns The filter.
 * @throws {PluginError} If the module cannot be found or refuses its parameter.
 *
 * @example
 * ```ts
 * import { loadFilter } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const f = (await loadFilter("sample,random=0")).fork!();
 * assert.equal(f.filter({ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 }), "drop");
 * ```
 */
export function loadFilter(spec: string): Promise<Filter> {
  return loadPlugin(spec, BUILTIN_FILTERS, "filter", {
    isModule: (f) => typeof f?.filter === "function",
    aModule: "a filter",
  });
}

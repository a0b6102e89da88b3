/**
 * Options shared by the presentation and JSON renderers.
 *
 * @module
 */

import type { Aliases } from "./aliases.ts";

/**
 * How a payload is rendered. `source`, `operator` and `group` are output-level overrides
 * (nmsgtool `--setsource`, `--setoperator`, `--setgroup`): when non-zero they replace the
 * payload's own values in the output, as libnmsg's presentation and JSON outputs do.
 *
 * @example `nmsgtool --setoperator FSI -e ' | '`
 * ```ts
 * import { Aliases, defaultRegistry, formatPresentation, type RenderOptions } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const options: RenderOptions = {
 *   endline: " | ",
 *   operator: 1,
 *   aliases: new Aliases(new Map([[1, "FSI"]])),
 * };
 * const text = formatPresentation({ vid: 9, msgtype: 9, timeSec: 0, timeNsec: 0 }, defaultRegistry(), options);
 * assert.match(text!, /\[FSI\] \[\]  \| <UNKNOWN NMSG 9:9> \| \n$/);
 * ```
 */
export interface RenderOptions {
  /** Presentation line terminator (nmsgtool `-e`); default `"\n"`. JSON ignores it. */
  endline?: string;
  /** Names for operator and group numbers. */
  aliases?: Aliases;
  /** Source id to show instead of the payload's; 0 or undefined = the payload's. */
  source?: number;
  /** Operator to show instead of the payload's; 0 or undefined = the payload's. */
  operator?: number;
  /** Group to show instead of the payload's; 0 or undefined = the payload's. */
  group?: number;
}

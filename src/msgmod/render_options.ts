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

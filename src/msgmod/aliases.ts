/**
 * Operator and group aliases: names for the numbers in a payload's `operator` and `group`
 * fields, from `nmsg.opalias` / `nmsg.gralias` files.
 *
 * @module
 */

import { scanInteger } from "./_cparse.ts";

/**
 * The entries of one alias file, and whether libnmsg would accept the whole file.
 *
 * @example
 * ```ts
 * import { type AliasFile, parseAliases } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const f: AliasFile = parseAliases("1 FSI\nbroken\n");
 * assert.deepEqual([f.names.get(1), f.complete], ["FSI", false]);
 * ```
 */
export interface AliasFile {
  /** Name by number, in file order (a later line replaces an earlier one). */
  readonly names: ReadonlyMap<number, string>;
  /**
   * False when a line has fewer than two fields or a non-numeric key: libnmsg then
   * rejects the file (the entries read before that line are kept in `names`).
   */
  readonly complete: boolean;
}

/**
 * Parses alias file text: one `NUMBER NAME` per line, separated by spaces or tabs; the
 * number is read like C `strtoul(…, 0)` (decimal, `0x` hex, `0` octal); fields after the
 * name are ignored. A blank line, a comment or a line without a name makes the file
 * incomplete, as in libnmsg.
 *
 * @param text The file's contents.
 * @returns The entries read and whether the file was complete.
 *
 * @example
 * ```ts
 * import { parseAliases } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const f = parseAliases("1 FSI\n2\tSomeVendor1\n");
 * assert.equal(f.names.get(2), "SomeVendor1");
 * assert.equal(f.complete, true);
 * assert.equal(parseAliases("# comment\n1 FSI\n").complete, false);
 * ```
 */
export function parseAliases(text: string): AliasFile {
  const names = new Map<number, string>();
  const lines = text.split("\n");
  // The text after the last newline is a line only if it is not empty.
  if (lines[lines.length - 1] === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    // strtok: the key is the first run of non-blanks; a newline belongs to it if it was
    // the only thing on the line, so a blank line becomes a key with no value.
    const line = lines[i]! + (i < lines.length - 1 || text.endsWith("\n") ? "\n" : "");
    const key = /^[ \t]*([^ \t]+)/.exec(line);
    const value = key && /^[ \t\n]*([^ \t\n]+)/.exec(line.slice(key[0].length));
    if (!key || !value) return { names, complete: false };
    const n = scanInteger(key[1]!, 0);
    if (n.end !== key[1]!.length) return { names, complete: false };
    names.set(Number(BigInt.asUintN(32, n.value)), value[1]!);
  }
  return { names, complete: true };
}

/**
 * Operator and group alias tables, for rendering (`[FSI]`, `"operator":"FSI"`) and for
 * reading names back (`--setoperator FSI`, JSON input).
 *
 * @example
 * ```ts
 * import { Aliases, parseAliases } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const aliases = new Aliases(parseAliases("1 FSI\n").names, new Map([[3, "trafficconverter"]]));
 * assert.equal(aliases.operatorName(1), "FSI");
 * assert.equal(aliases.operatorId("fsi"), 1);
 * assert.equal(aliases.groupId("nope"), 0);
 * ```
 */
export class Aliases {
  /** Operator names by number. */
  readonly operators: ReadonlyMap<number, string>;
  /** Group names by number. */
  readonly groups: ReadonlyMap<number, string>;

  /**
   * Creates the tables.
   *
   * @param operators Operator names by number.
   * @param groups Group names by number.
   */
  constructor(
    operators: ReadonlyMap<number, string> = new Map(),
    groups: ReadonlyMap<number, string> = new Map(),
  ) {
    this.operators = operators;
    this.groups = groups;
  }

  /**
   * The alias of an operator number.
   *
   * @param id The operator number.
   * @returns Its name, or undefined.
   */
  operatorName(id: number): string | undefined {
    return this.operators.get(id);
  }

  /**
   * The alias of a group number.
   *
   * @param id The group number.
   * @returns Its name, or undefined.
   */
  groupName(id: number): string | undefined {
    return this.groups.get(id);
  }

  /**
   * The number of an operator name (case-insensitive).
   *
   * @param name The alias.
   * @returns Its number, or 0 (never a valid operator) if unknown.
   */
  operatorId(name: string): number {
    return lookupName(this.operators, name);
  }

  /**
   * The number of a group name (case-insensitive).
   *
   * @param name The alias.
   * @returns Its number, or 0 if unknown.
   */
  groupId(name: string): number {
    return lookupName(this.groups, name);
  }
}

function lookupName(table: ReadonlyMap<number, string>, name: string): number {
  const want = name.toLowerCase();
  let best: number | undefined;
  // libnmsg scans from the lowest number up and takes the first match.
  for (const [id, n] of table) {
    if (n.toLowerCase() === want && (best === undefined || id < best)) best = id;
  }
  return best ?? 0;
}

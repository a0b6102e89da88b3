/**
 * Loading the operator and group alias files the way libnmsg does at start-up.
 *
 * @module
 */

import { Aliases, type AliasFile, parseAliases } from "../msgmod/aliases.ts";
import { NMSG_ETCDIR } from "./etc_dir.ts";

/**
 * Options for {@linkcode loadAliases}.
 *
 * @example Alias files from a directory of one's own
 * ```ts
 * import { loadAliases, type LoadAliasesOptions } from "@nmsg-deno/nmsg";
 *
 * const options: LoadAliasesOptions = { dir: "/usr/local/etc", env: () => undefined };
 * loadAliases({ ...options, readFile: () => undefined });
 * ```
 */
export interface LoadAliasesOptions {
  /** Reads an environment variable; default `Deno.env.get`. */
  env?: (name: string) => string | undefined;
  /** Directory of the default `nmsg.opalias` / `nmsg.gralias`; default {@linkcode NMSG_ETCDIR}. */
  dir?: string;
  /** Reads a file as text, or returns undefined if it cannot be read; default `Deno.readTextFileSync`. */
  readFile?: (path: string) => string | undefined;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Loads the alias tables: `$NMSG_OPALIAS_FILE` (else `<dir>/nmsg.opalias`) and
 * `$NMSG_GRALIAS_FILE` (else `<dir>/nmsg.gralias`). A file that cannot be read means no
 * aliases. libnmsg's strictness is kept: a file with a malformed line (a blank line or
 * comment included) is rejected, the default file is tried instead of a rejected
 * environment file, and when the operator file is rejected the group aliases are not
 * loaded at all.
 *
 * @param options Environment, directory and file reader (for tests).
 * @returns The alias tables.
 *
 * @example
 * ```ts
 * import { loadAliases } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const files: Record<string, string> = { "/etc/nmsg.opalias": "1 FSI\n" };
 * const aliases = loadAliases({ env: () => undefined, readFile: (p) => files[p] });
 * assert.equal(aliases.operatorName(1), "FSI");
 * ```
 */
export function loadAliases(options: LoadAliasesOptions = {}): Aliases {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const dir = options.dir ?? NMSG_ETCDIR;
  const read = options.readFile ?? readOrUndefined;
  const load = (file: string | undefined): AliasFile => {
    const text = file === undefined ? undefined : read(file);
    return text === undefined ? { names: new Map(), complete: true } : parseAliases(text);
  };
  const table = (variable: string, name: string): AliasFile => {
    const file = env(variable);
    if (file !== undefined) {
      const f = load(file);
      if (f.complete) return f;
    }
    return load(`${dir}/${name}`);
  };
  const operators = table("NMSG_OPALIAS_FILE", "nmsg.opalias");
  if (!operators.complete) return new Aliases(operators.names);
  return new Aliases(operators.names, table("NMSG_GRALIAS_FILE", "nmsg.gralias").names);
}

/**
 * Channel aliases (`-C channel`, `-Z zchannel`): names for lists of socket specs or ZMQ
 * endpoints, read from `nmsg.chalias` files as libnmsg's `nmsg_chalias_lookup` does.
 *
 * @module
 */

import { NMSG_ETCDIR } from "./etc_dir.ts";

/**
 * No channel alias file could be opened. The message is libnmsg's.
 *
 * @example
 * ```ts
 * import { ChannelAliasFileError, lookupChannelAlias } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => lookupChannelAlias("ch1", { file: undefined, etcDir: "/nonexistent" }),
 *   ChannelAliasFileError,
 * );
 * ```
 */
export class ChannelAliasFileError extends Error {
  /** Always `"ChannelAliasFileError"`. */
  override name = "ChannelAliasFileError";
}

/** Where {@linkcode lookupChannelAlias} looks. */
export interface ChannelAliasOptions {
  /** The file named by `NMSG_CHALIAS_FILE`, tried first. Default: that variable. */
  file?: string | undefined;
  /** Directory of the default files. Default {@linkcode NMSG_ETCDIR}. */
  etcDir?: string | undefined;
}

function readable(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) throw e;
    return undefined;
  }
}

function envFile(): string | undefined {
  try {
    return Deno.env.get("NMSG_CHALIAS_FILE");
  } catch {
    return undefined;
  }
}

/**
 * Parses chalias text: each line is `NAME ENTRY [ENTRY ...]` separated by blanks or tabs;
 * names compare case-sensitively, every matching line contributes its entries, and there
 * is no comment syntax.
 *
 * @param text The file's contents.
 * @param channel The name looked up.
 * @returns The entries, in file order (empty if the name is absent).
 *
 * @example
 * ```ts
 * import { parseChannelAliases } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const text = "ch202 10.32.202.255/8430..8437\nch42 10.32.42.255/8430 10.32.42.255/9430\n";
 * assert.deepEqual(parseChannelAliases(text, "ch42"), ["10.32.42.255/8430", "10.32.42.255/9430"]);
 * ```
 */
export function parseChannelAliases(text: string, channel: string): string[] {
  const entries: string[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    // The name ends at a blank or tab only, so a name alone on its line never matches.
    const name = /^[ \t]*([^ \t]+)/.exec(line);
    if (name === null || name[1] !== channel) continue;
    const rest = line.slice(name[0].length);
    for (const entry of rest.split(/[ \t\n]+/)) if (entry !== "") entries.push(entry);
  }
  return entries;
}

/**
 * Looks a channel up in the first chalias file that opens: `NMSG_CHALIAS_FILE`, then
 * `<etc>/nmsg.chalias`, then `<etc>/nmsgtool.chalias`.
 *
 * @param channel The channel name.
 * @param options Overrides for the file locations.
 * @returns The channel's entries (socket specs like `10.0.0.255/8430..8437`, or ZMQ
 *   endpoints); empty if the channel is not in the file.
 * @throws {ChannelAliasFileError} If none of the files can be opened.
 *
 * @example
 * ```ts
 * import { lookupChannelAlias } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const file = await Deno.makeTempFile();
 * await Deno.writeTextFile(file, "lab 127.0.0.1/8430..8431\n");
 * assert.deepEqual(lookupChannelAlias("lab", { file }), ["127.0.0.1/8430..8431"]);
 * await Deno.remove(file);
 * ```
 */
export function lookupChannelAlias(channel: string, options: ChannelAliasOptions = {}): string[] {
  const env = "file" in options ? options.file : envFile();
  const etc = options.etcDir ?? NMSG_ETCDIR;
  const defaults = [`${etc}/nmsg.chalias`, `${etc}/nmsgtool.chalias`];
  for (const path of env === undefined ? defaults : [env, ...defaults]) {
    const text = readable(path);
    if (text !== undefined) return parseChannelAliases(text, channel);
  }
  throw new ChannelAliasFileError(
    env === undefined
      ? `nmsg_chalias_lookup() failed: no chalias found at ${defaults[0]} or ${defaults[1]}`
      : `nmsg_chalias_lookup() failed: no chalias file found at (NMSG_CHALIAS_FILE=${env} / ${
        defaults[0]
      } / ${defaults[1]})`,
  );
}

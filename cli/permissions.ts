/**
 * The one definition of each CLI's permission set. `deno.json` tasks, the compile and
 * install scripts, and the end-to-end tests all take their `--allow-*` flags from here
 * (`scripts/sync_tasks.ts` writes the tasks; a test checks they match).
 *
 * @module
 */

import { libraryCandidates, type LibraryOs, type NativeLibrary } from "../src/ffi/library_paths.ts";

/** The three tools. */
export type ToolName = "nmsgtool" | "nmsgpcnt" | "nmsg-seqsrc";

/** A tool's entry point and what it may touch. */
export interface ToolSpec {
  /** Entry module, relative to the repository root. */
  entry: string;
  /** Native libraries the tool may load (scoped `--allow-ffi`). */
  ffi: NativeLibrary[];
  /** Other flags, beyond `--allow-ffi` and `--no-prompt`. */
  flags: string[];
}

/**
 * What each tool needs:
 * - nmsgpcnt only reads the file it is given.
 * - nmsgtool reads and writes user-named files, opens sockets to user-named addresses,
 *   reads `NMSG_*`/`DNSQR_*`/`ARGV_NMSGTOOL` settings, runs the `-k` kicker through
 *   `/bin/sh`, and binds libpcap, libzmq, librdkafka and libc (sockets, setuid, memcpy).
 * - nmsg-seqsrc reads alias files and opens UDP sockets (through libc).
 */
export const TOOLS: Record<ToolName, ToolSpec> = {
  "nmsgpcnt": { entry: "cli/nmsgpcnt.ts", ffi: [], flags: ["--allow-read"] },
  "nmsgtool": {
    entry: "cli/nmsgtool.ts",
    ffi: ["libc", "libpcap", "libzmq", "librdkafka"],
    flags: [
      "--allow-read",
      "--allow-write",
      "--allow-net",
      "--allow-env=NMSG_*,DNSQR_*,ARGV_NMSGTOOL,GLOBAL_ARGV",
      "--allow-run=/bin/sh",
      "--allow-sys=hostname",
    ],
  },
  "nmsg-seqsrc": {
    entry: "cli/nmsg_seqsrc.ts",
    ffi: ["libc"],
    flags: ["--allow-read", "--allow-net", "--allow-env=NMSG_*"],
  },
};

/**
 * The exact `deno run`/`deno compile` permission flags for a tool on a platform.
 *
 * @param tool The tool.
 * @param os Target operating system (default: this one).
 * @param arch Target architecture (default: this one).
 * @returns Flags, e.g. `["--allow-read", "--no-prompt"]`.
 */
export function permissionFlags(tool: ToolName, os?: LibraryOs, arch?: string): string[] {
  const spec = TOOLS[tool];
  const flags = [...spec.flags];
  const libs = spec.ffi.flatMap((lib) => libraryCandidates(lib, os, arch));
  if (libs.length > 0) flags.push(`--allow-ffi=${libs.join(",")}`);
  flags.push("--no-prompt");
  return flags;
}

// Small helpers shared by the benchmark scripts.

import { permissionFlags, TOOLS } from "../cli/permissions.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** Which nmsgtool a benchmark runs: the C reference or ours. */
export type Side = "C" | "ours";

/**
 * The argv that runs nmsgtool `args`: the C binary in `cBin`, or ours as users run it.
 *
 * @param side Which tool.
 * @param cBin Where the C tools are.
 * @param args Its arguments.
 * @returns The command line, program first.
 */
export function nmsgtoolCommand(side: Side, cBin: string, args: string[]): string[] {
  return side === "C" ? [`${cBin}/nmsgtool`, ...args] : [
    Deno.execPath(),
    "run",
    ...permissionFlags("nmsgtool"),
    ROOT + TOOLS.nmsgtool.entry,
    ...args,
  ];
}

/** The median of some samples. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** True if `path` exists. */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds `nmsgtool`, `nmsgpcnt` and `nmsg-seqsrc` as single-file binaries with
 * `deno compile`, for every target, each with exactly its permission set from
 * cli/permissions.ts, into dist/<target>/, with dist/SHA256SUMS.
 *
 * `deno compile` needs the `denort` runtime for each target: downloaded from dl.deno.land,
 * or a local binary named by DENORT_BIN (then only the target it was built for, by default
 * the host's). Where neither is available the script says so in one line and writes
 * `deno install` shims with the same permissions to dist/shims/ instead.
 *
 * Usage: deno run -A scripts/compile.ts [--target TRIPLE]... [--tool NAME]...
 *
 * @module
 */

import { parseArgs } from "node:util";
import { permissionFlags, type ToolName, TOOLS } from "../cli/permissions.ts";
import type { LibraryOs } from "../src/ffi/library_paths.ts";
import { installShims } from "./install.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DIST = `${ROOT}dist`;

/** A `deno compile` target and the platform its permissions are computed for. */
export interface Target {
  triple: string;
  os: LibraryOs;
  arch: string;
}

/** Every target `deno compile` supports. */
export const TARGETS: Target[] = [
  { triple: "x86_64-unknown-linux-gnu", os: "linux", arch: "x86_64" },
  { triple: "aarch64-unknown-linux-gnu", os: "linux", arch: "aarch64" },
  { triple: "x86_64-apple-darwin", os: "darwin", arch: "x86_64" },
  { triple: "aarch64-apple-darwin", os: "darwin", arch: "aarch64" },
  { triple: "x86_64-pc-windows-msvc", os: "windows", arch: "x86_64" },
  { triple: "aarch64-pc-windows-msvc", os: "windows", arch: "aarch64" },
];

/** The `deno compile` arguments for one tool and target. */
export function compileArgs(tool: ToolName, target: Target): string[] {
  const exe = target.os === "windows" ? `${tool}.exe` : tool;
  return [
    "compile",
    "--quiet",
    "--target",
    target.triple,
    "--output",
    `${DIST}/${target.triple}/${exe}`,
    ...permissionFlags(tool, target.os, target.arch),
    `${ROOT}${TOOLS[tool].entry}`,
  ];
}

function hostTriple(): string {
  return Deno.build.target;
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      target: { type: "string", multiple: true },
      tool: { type: "string", multiple: true },
    },
  });
  const tools = (values.tool ?? Object.keys(TOOLS)) as ToolName[];
  for (const t of tools) if (!(t in TOOLS)) throw new Error(`unknown tool: ${t}`);
  let triples = values.target ?? TARGETS.map((t) => t.triple);
  if (Deno.env.get("DENORT_BIN") && values.target === undefined) triples = [hostTriple()];
  const targets = triples.map((triple) => {
    const t = TARGETS.find((x) => x.triple === triple);
    if (t === undefined) throw new Error(`unknown target: ${triple}`);
    return t;
  });

  const built: string[] = [];
  for (const target of targets) {
    for (const tool of tools) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: compileArgs(tool, target),
        stdout: "null",
      })
        .output();
      if (!out.success) {
        const err = new TextDecoder().decode(out.stderr);
        if (/dl\.deno\.land|denort|error sending request/i.test(err) && built.length === 0) {
          await Deno.remove(`${DIST}/${target.triple}`, { recursive: true }).catch(() => {});
          const shims = await installShims(`${DIST}/shims`, tools);
          console.error(
            `compile: cannot get the denort runtime for ${target.triple} (dl.deno.land unreachable, DENORT_BIN unset); wrote deno install shims with the same permissions instead: ${
              shims.join(", ")
            }`,
          );
          return 0;
        }
        console.error(`compile: ${tool} for ${target.triple} failed:\n${err}`);
        return 1;
      }
      built.push(compileArgs(tool, target)[5]!);
    }
  }
  const sums = await Promise.all(
    built.map(async (p) => `${await sha256(p)}  ${p.slice(DIST.length + 1)}`),
  );
  await Deno.writeTextFile(`${DIST}/SHA256SUMS`, sums.join("\n") + "\n");
  for (const p of built) console.log(p);
  return 0;
}

if (import.meta.main) Deno.exit(await main());

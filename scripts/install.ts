/**
 * Installs the three tools as `deno install` shims with their permission sets baked in
 * (from cli/permissions.ts), for machines without compiled binaries. The shims need `deno`
 * on PATH.
 *
 * Usage: deno run -A scripts/install.ts [--root DIR]   (default root: ~/.deno)
 *
 * @module
 */

import { parseArgs } from "node:util";
import { permissionFlags, type ToolName, TOOLS } from "../cli/permissions.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** The `deno install` arguments that create one tool's shim under `root`. */
export function installArgs(tool: ToolName, root: string): string[] {
  return [
    "install",
    "--global",
    "--force",
    "--root",
    root,
    "--name",
    tool,
    "--config",
    `${ROOT}deno.json`,
    ...permissionFlags(tool),
    `${ROOT}${TOOLS[tool].entry}`,
  ];
}

/**
 * Writes a shim for each tool into `<root>/bin`.
 *
 * @returns The shim paths.
 */
export async function installShims(
  root: string,
  tools: ToolName[] = Object.keys(TOOLS) as ToolName[],
): Promise<string[]> {
  const paths = [];
  for (const tool of tools) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: installArgs(tool, root),
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(`deno install ${tool} failed: ${new TextDecoder().decode(out.stderr)}`);
    }
    paths.push(`${root}/bin/${tool}`);
  }
  return paths;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { root: { type: "string" } } });
  const root = values.root ?? `${Deno.env.get("HOME")}/.deno`;
  for (const path of await installShims(root)) console.log(path);
}

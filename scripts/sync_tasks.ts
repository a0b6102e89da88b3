/**
 * Writes the per-tool `deno task` entries in deno.json from cli/permissions.ts, so that the
 * tasks run each CLI with exactly the permissions its binary gets. `--check` only reports
 * whether deno.json is up to date (exit 1 if not).
 *
 * Usage: deno run --allow-read --allow-write=deno.json scripts/sync_tasks.ts [--check]
 *
 * @module
 */

import { permissionFlags, type ToolName, TOOLS } from "../cli/permissions.ts";

/** The task command line for a tool on this platform. */
export function taskCommand(tool: ToolName): string {
  return ["deno", "run", ...permissionFlags(tool), TOOLS[tool].entry].join(" ");
}

if (import.meta.main) {
  const path = new URL("../deno.json", import.meta.url);
  const config = JSON.parse(await Deno.readTextFile(path));
  let stale = false;
  for (const tool of Object.keys(TOOLS) as ToolName[]) {
    const cmd = taskCommand(tool);
    if (config.tasks[tool] !== cmd) stale = true;
    config.tasks[tool] = cmd;
  }
  if (Deno.args.includes("--check")) {
    if (stale) {
      console.error("deno.json tasks differ from cli/permissions.ts; run deno task sync-tasks");
    }
    Deno.exit(stale ? 1 : 0);
  }
  await Deno.writeTextFile(path, JSON.stringify(config, null, 2) + "\n");
}

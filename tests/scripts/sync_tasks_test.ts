import assert from "node:assert/strict";
import { type ToolName, TOOLS } from "../../cli/permissions.ts";
import { taskCommand } from "../../scripts/sync_tasks.ts";

Deno.test("deno.json tasks run each tool with the permission set of cli/permissions.ts", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  for (const tool of Object.keys(TOOLS) as ToolName[]) {
    assert.equal(config.tasks[tool], taskCommand(tool), `task ${tool}: run deno task sync-tasks`);
    assert.doesNotMatch(config.tasks[tool], /(^| )(-A|--allow-all)( |$)/);
  }
});

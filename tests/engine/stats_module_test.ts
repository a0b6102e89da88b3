import assert from "node:assert/strict";
import { loadStatsModule, sampleStats } from "../../src/engine/stats_module.ts";
import { PluginError } from "../../src/engine/_plugin_loader.ts";

Deno.test("sampleStats() refuses bad parameters with the C sample module's messages", () => {
  assert.throws(
    () => sampleStats("secs=0"),
    (e) =>
      e instanceof PluginError &&
      e.message ===
        'parse_args: invalid update frequency value "0" (must be a number greater than 0)',
  );
  assert.throws(
    () => sampleStats("bogus=1"),
    (e) => e instanceof PluginError && e.message === 'parse_args: invalid module parameter "bogus"',
  );
});

Deno.test("sampleStats() writes the C sample module's report", async () => {
  const path = await Deno.makeTempFile();
  try {
    const mod = await loadStatsModule(`sample,out=${path},secs=5`);
    const stats = { payloadsIn: 30, payloadsOut: 20, containersReceived: 3, containersDropped: 1 };
    mod.start([{ name: "nmsgtool_io", stats: () => stats }]);
    await mod.stop();
    const lines = (await Deno.readTextFile(path)).split("\n");
    assert.equal(lines[0], "========================================");
    assert.match(lines[1]!, /^timestamp:\t\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
    const block = [
      "Total payloads in:\t30",
      "Total payloads out:\t20",
      "Total container recvs:\t3",
      "Total containers lost:\t1",
      "Avg payloads in per second:\t6",
      "Avg payloads out per second:\t4",
      "Avg container recvs per second:\t0",
    ];
    assert.deepEqual(lines.slice(2), [...block, "===Metrics for IO: nmsgtool_io===", ...block, ""]);
  } finally {
    await Deno.remove(path);
  }
});

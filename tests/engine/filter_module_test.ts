import assert from "node:assert/strict";
import { loadFilter, sampleFilter } from "../../src/engine/filter_module.ts";
import { PluginError } from "../../src/engine/_plugin_loader.ts";

const p = { vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 };

Deno.test("sampleFilter() refuses bad parameters with the C sample module's messages", () => {
  for (
    const [param, message] of [
      [undefined, "module parameter is required but missing"],
      ["count=0", "'count' value 0 is out of range [1, 18446744073709551615]"],
      ["random=2", "'random' value 2 is out of range [0.0, 1.0]"],
      ["foo=1", "unrecognized option 'foo'"],
      ["count=x", "error converting string to integer: 'x'"],
      ["count=2,x", "error parsing module parameter 'count=2,x'"],
    ] as const
  ) {
    assert.throws(
      () => sampleFilter(param),
      (e) => e instanceof PluginError && e.message === message,
    );
  }
});

Deno.test("sampleFilter() keeps one in every K per input, or each with probability P", () => {
  const counter = sampleFilter("count=4");
  for (const f of [counter.fork!(), counter.fork!()]) {
    const kept = Array.from({ length: 400 }, () => f.filter(p)).filter((v) => v === "decline");
    assert.equal(kept.length, 100);
  }
  const none = sampleFilter("random=0").fork!();
  const all = sampleFilter("RANDOM=1.0").fork!();
  for (let i = 0; i < 50; i++) {
    assert.equal(none.filter(p), "drop");
    assert.equal(all.filter(p), "decline");
  }
});

Deno.test("loadFilter() loads a module file by path and passes the parameter", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/only_vid.ts`,
      `export function init(param) {
         if (param === undefined) throw new Error("need a vid");
         const vid = Number(param);
         return { filter: (p) => (p.vid === vid ? "accept" : "drop") };
       }`,
    );
    const f = await loadFilter(`${dir}/only_vid.ts,2`);
    assert.equal(f.filter(p), "drop");
    assert.equal(f.filter({ ...p, vid: 2 }), "accept");
    await assert.rejects(
      loadFilter(`${dir}/only_vid.ts`),
      (e) => e instanceof PluginError && /need a vid/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadFilter() names unknown modules", async () => {
  await assert.rejects(
    loadFilter("nosuch"),
    (e) => e instanceof PluginError && /nosuch/.test(e.message),
  );
  await assert.rejects(loadFilter("./nosuch.ts"), PluginError);
});

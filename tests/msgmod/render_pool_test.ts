// RenderPool: workers render batches exactly as the single-threaded renderers do.

import assert from "node:assert/strict";
import {
  Aliases,
  defaultRegistry,
  formatJsonBytes,
  formatPresentationBytes,
  RenderPool,
} from "../../mod.ts";
import { edgePayloads } from "./_edge_payloads.ts";
import { concat } from "./_util.ts";

const registry = defaultRegistry();

Deno.test("RenderPool renders presentation as formatPresentationBytes does, options included", async () => {
  const ps = edgePayloads().map((p) => ({ ...p, operator: 1 }));
  const options = {
    endline: " | ",
    source: 0xabc,
    aliases: new Aliases(new Map([[1, "FSI"]]), new Map()),
  };
  const want = concat(ps.flatMap((p) => {
    const b = formatPresentationBytes(p, registry, options);
    return b ? [b.slice()] : [];
  }));
  const pool = new RenderPool({ format: "presentation", workers: 1, ...options });
  try {
    const halves = await Promise.all([pool.render(ps.slice(0, 20)), pool.render(ps.slice(20))]);
    assert.deepEqual(concat(halves.map((h) => h.bytes)), want);
    assert.equal(halves[1]!.rendered, ps.length - 20);
  } finally {
    pool.close();
  }
});

Deno.test("RenderPool stops a JSON batch where nmsgtool -J stops", async () => {
  const ps = edgePayloads();
  const want: Uint8Array[] = [];
  let failAt = -1;
  for (let i = 0; i < ps.length && failAt < 0; i++) {
    try {
      want.push(formatJsonBytes(ps[i]!, registry).slice(), new Uint8Array([10]));
    } catch {
      failAt = i;
    }
  }
  for (const workers of [0, 1]) {
    const pool = new RenderPool({ format: "json", workers });
    try {
      const r = await pool.render(ps);
      assert.equal(r.rendered, failAt);
      assert.match(r.error ?? "", /cannot render base\/dns payload as JSON/);
      assert.deepEqual(r.bytes, concat(want));
    } finally {
      pool.close();
    }
  }
});

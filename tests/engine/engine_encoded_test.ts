import assert from "node:assert/strict";
import { Engine, type EngineResult } from "../../src/engine/engine.ts";
import type { Input, Output, PayloadBatch } from "../../src/engine/types.ts";
import { encodeContainer } from "../../src/wire/container.ts";
import { ContainerView } from "../../src/wire/container_view.ts";

/** An input handing out containers of `counts[i]` payloads (numbered from 1), encoded. */
function encodedInput(counts: number[]): Input {
  let next = 1;
  const batches: PayloadBatch[] = counts.map((c) => {
    const payloads = Array.from({ length: c }, () => ({
      vid: 1,
      msgtype: 6,
      timeSec: next++,
      timeNsec: 0,
    }));
    const view = new ContainerView().decode(encodeContainer(payloads));
    return { payloads: view.payloads, crcs: view.crcs, encoded: view };
  });
  return {
    name: "mem",
    read: () => Promise.resolve(batches.shift() ?? null),
    close() {},
    stats: () => ({ containersReceived: counts.length - batches.length, containersDropped: 0 }),
  };
}

/** An output recording payload numbers per file, and the runs writeEncoded was given. */
function recorder(encoded: boolean) {
  const files: number[][] = [[]];
  const runs: number[] = [];
  const out: Output & { files: number[][]; runs: number[] } = {
    name: "out",
    files,
    runs,
    write(p) {
      files.at(-1)!.push(p.timeSec);
      return undefined;
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
    rotate() {
      files.push([]);
      return Promise.resolve();
    },
  };
  if (encoded) {
    out.writeEncoded = (view, from, to) => {
      runs.push(to - from);
      for (let i = from; i < to; i++) files.at(-1)!.push(view.payload(i).timeSec);
      return from % 2 ? Promise.resolve() : undefined;
    };
  }
  return out;
}

async function run(encoded: boolean, counts: number[], options: {
  count?: number;
  rotate?: boolean;
}): Promise<{ files: number[][]; runs: number[]; result: EngineResult; events: number }> {
  const out = recorder(encoded);
  let events = 0;
  const result = await new Engine({
    inputs: [encodedInput(counts)],
    outputs: [out],
    onCloseEvent: () => void events++,
    ...options,
  }).run();
  return { files: out.files, runs: out.runs, result, events };
}

Deno.test("Engine hands whole containers to writeEncoded, with what write() would give", async () => {
  for (
    const options of [{}, { count: 3 }, { count: 5 }, { count: 4, rotate: true }, {
      count: 1,
      rotate: true,
    }]
  ) {
    const counts = [4, 7, 1, 5];
    const direct = await run(true, counts, options);
    const each = await run(false, counts, options);
    const what = JSON.stringify(options);
    assert.deepEqual(direct.files, each.files, what);
    assert.deepEqual(direct.result.stats, each.result.stats, what);
    assert.equal(direct.events, each.events, what);
    assert.ok(direct.runs.length > 0, what);
    if (!("count" in options)) assert.deepEqual(direct.runs, counts);
  }
});

Deno.test("Engine writes payload by payload when a filter looks at them", async () => {
  const out = recorder(true);
  await new Engine({
    inputs: [encodedInput([3, 3])],
    outputs: [out],
    filters: [{ filter: (p) => (p.timeSec % 2 ? "accept" : "drop") }],
  }).run();
  assert.deepEqual(out.files, [[1, 3, 5]]);
  assert.deepEqual(out.runs, []);
});

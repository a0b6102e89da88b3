import assert from "node:assert/strict";
import { Engine } from "../../src/engine/engine.ts";
import type { Filter, Input, Output, PayloadBatch } from "../../src/engine/types.ts";
import { NmsgRenderError } from "../../src/msgmod/errors.ts";
import type { Payload } from "../../src/wire/payload.ts";

const payload = (n: number): Payload => ({ vid: 1, msgtype: 6, timeSec: n, timeNsec: 0 });

/** An input handing out `counts[i]` payloads per batch, numbered from 1. */
function memInput(counts: number[], name = "mem"): Input & { closed: boolean } {
  let next = 1;
  const batches: PayloadBatch[] = counts.map((c) => ({
    payloads: Array.from({ length: c }, () => payload(next++)),
  }));
  const input = {
    name,
    closed: false,
    read: () => Promise.resolve(input.closed ? null : batches.shift() ?? null),
    close() {
      input.closed = true;
    },
    stats: () => ({ containersReceived: counts.length - batches.length, containersDropped: 0 }),
  };
  return input;
}

/** An output recording the payload numbers it got, per file when rotated. */
function memOutput(name: string, opts: { rotates?: boolean; async?: boolean } = {}) {
  const files: number[][] = [[]];
  let closed = 0;
  const out: Output & { files: number[][]; closes: () => number } = {
    name,
    files,
    closes: () => closed,
    write(p) {
      files[files.length - 1]!.push(p.timeSec);
      return opts.async ? new Promise((r) => setTimeout(r, 1)) : undefined;
    },
    flush: () => Promise.resolve(),
    close() {
      closed++;
      return Promise.resolve();
    },
  };
  if (opts.rotates) {
    out.rotate = () => {
      files.push([]);
      return Promise.resolve();
    };
  }
  return out;
}

Deno.test("Engine stripes payloads across outputs in order, starting at the first", async () => {
  // Golden opt-stripe_json: 15 payloads to two outputs give 1,3,5… and 2,4,6….
  const a = memOutput("a");
  const b = memOutput("b");
  const r = await new Engine({ inputs: [memInput([15])], outputs: [a, b] }).run();
  assert.deepEqual(a.files[0], [1, 3, 5, 7, 9, 11, 13, 15]);
  assert.deepEqual(b.files[0], [2, 4, 6, 8, 10, 12, 14]);
  assert.equal(r.stats.payloadsOut, 15);
  assert.equal(r.stats.payloadsIn, 15);
  assert.equal(a.closes(), 1);
});

Deno.test("Engine mirrors every payload to every output", async () => {
  const a = memOutput("a");
  const b = memOutput("b", { async: true });
  const r = await new Engine({ inputs: [memInput([10, 5])], outputs: [a, b], mirror: true }).run();
  assert.equal(a.files[0]!.length, 15);
  assert.deepEqual(b.files[0], a.files[0]);
  assert.equal(r.stats.payloadsOut, 30);
});

Deno.test("Engine stops after -c payloads per output", async () => {
  // Golden opt-count_two_outputs: -c 4 with two outputs gives 4 + 4, then exit 0.
  const a = memOutput("a");
  const b = memOutput("b");
  const input = memInput([15]);
  const r = await new Engine({ inputs: [input], outputs: [a, b], count: 4 }).run();
  assert.deepEqual(a.files[0], [1, 3, 5, 7]);
  assert.deepEqual(b.files[0], [2, 4, 6, 8]);
  assert.deepEqual(r.failures, []);
  assert.equal(r.interrupted, false);
  assert.ok(input.closed);
});

Deno.test("Engine rotates at every -c boundary with -k and loses nothing", async () => {
  // Golden README "Output rotation": 32 payloads with -c 5 give 5,5,5,5,5,5,2.
  const a = memOutput("a", { rotates: true });
  const events: string[] = [];
  await new Engine({
    inputs: [memInput([20, 12])],
    outputs: [a],
    count: 5,
    rotate: true,
    onCloseEvent: (_o, kind) => void events.push(kind),
  }).run();
  assert.deepEqual(a.files.map((f) => f.length), [5, 5, 5, 5, 5, 5, 2]);
  assert.deepEqual(a.files.flat(), Array.from({ length: 32 }, (_, i) => i + 1));
  assert.equal(events.length, 6);
});

Deno.test("Engine leaves outputs that cannot rotate alone with -k", async () => {
  const a = memOutput("a");
  await new Engine({ inputs: [memInput([12])], outputs: [a], count: 5, rotate: true }).run();
  assert.equal(a.files[0]!.length, 12);
});

Deno.test("Engine ends periods on wall-clock-aligned -t boundaries", async () => {
  let now = 1_000_000_003_000; // 3 s past a 10-s boundary
  const a = memOutput("a", { rotates: true });
  const input: Input = {
    name: "clock",
    read() {
      now += 4000;
      return Promise.resolve(now > 1_000_000_030_000 ? null : { payloads: [payload(now)] });
    },
    close() {},
  };
  await new Engine({ inputs: [input], outputs: [a], interval: 10, rotate: true, now: () => now })
    .run();
  // Reads at 7, 11, 15, 19, 23, 27 s: boundaries at 10 and 20.
  assert.deepEqual(a.files.map((f) => f.length), [1, 3, 2]);
});

Deno.test("Engine runs the filter chain with the policy at its end", async () => {
  const odd: Filter = { filter: (p) => (p.timeSec % 2 ? "accept" : "decline") };
  const small: Filter = { filter: (p) => (p.timeSec < 5 ? "decline" : "drop") };
  const a = memOutput("a");
  await new Engine({ inputs: [memInput([10])], outputs: [a], filters: [odd, small] }).run();
  assert.deepEqual(a.files[0], [1, 2, 3, 4, 5, 7, 9]);
  const b = memOutput("b");
  await new Engine({
    inputs: [memInput([10])],
    outputs: [b],
    filters: [odd, small],
    policy: "drop",
  }).run();
  assert.deepEqual(b.files[0], [1, 3, 5, 7, 9]);
});

Deno.test("Engine gives each input its own fork of a stateful filter", async () => {
  let forks = 0;
  const every2 = (): Filter => {
    let n = 0;
    return { filter: () => (++n % 2 ? "drop" : "decline"), fork: () => (forks++, every2()) };
  };
  const a = memOutput("a");
  await new Engine({
    inputs: [memInput([3], "x"), memInput([3], "y")],
    outputs: [a],
    filters: [every2()],
  }).run();
  assert.equal(forks, 2);
  assert.equal(a.files[0]!.length, 2);
});

Deno.test("Engine lets other inputs finish when one fails, and reports the failure", async () => {
  const bad: Input = { name: "bad", read: () => Promise.reject(new Error("boom")), close() {} };
  const a = memOutput("a");
  const r = await new Engine({ inputs: [bad, memInput([4])], outputs: [a] }).run();
  assert.equal(a.files[0]!.length, 4);
  assert.equal(r.failures.length, 1);
  assert.equal(r.failures[0]!.source, "bad");
});

Deno.test("Engine stops the run when a write fails, naming the output", async () => {
  const broken: Output = {
    name: "broken",
    write: () => Promise.reject(new Error("disk full")),
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  const input = memInput([5, 5]);
  const r = await new Engine({ inputs: [input], outputs: [broken] }).run();
  assert.equal(r.failures[0]!.source, "broken");
  assert.equal(r.stats.payloadsOut, 0);
  assert.ok(input.closed);
});

Deno.test("Engine names the input and offset of a payload an output cannot render", async () => {
  // Fuzz finding F3: `nmsgtool -r bad.nmsg -J -` named the output `-`.
  const unrenderable: Output = {
    name: "-",
    write(p) {
      if (p.timeSec === 3) throw new NmsgRenderError("cannot render SIE/delay payload as JSON");
      return undefined;
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  const input = memInput([2, 2]);
  const batches: PayloadBatch[] = [];
  for (let b = await input.read(); b !== null; b = await input.read()) batches.push(b);
  batches[0]!.offset = 0;
  batches[1]!.offset = 4242;
  const file: Input = {
    name: "bad.nmsg",
    read: () => Promise.resolve(batches.shift() ?? null),
    close() {},
  };
  const r = await new Engine({ inputs: [file], outputs: [unrenderable] }).run();
  assert.equal(r.failures.length, 1);
  assert.equal(r.failures[0]!.source, "bad.nmsg: offset 4242");
  assert.ok(r.failures[0]!.error instanceof NmsgRenderError);
  assert.equal(r.stats.payloadsOut, 2);
  // Without an offset, the input alone.
  const plain: Input = { ...memInput([3]), name: "in.json" };
  const r2 = await new Engine({ inputs: [plain], outputs: [unrenderable] }).run();
  assert.equal(r2.failures[0]!.source, "in.json");
});

Deno.test("Engine.stop() ends a pending read and still closes the outputs", async () => {
  let release: (v: null) => void = () => {};
  const idle: Input = {
    name: "idle",
    read: () => new Promise((r) => (release = r)),
    close: () => release(null),
  };
  const a = memOutput("a");
  const engine = new Engine({ inputs: [idle], outputs: [a] });
  const done = engine.run();
  setTimeout(() => engine.stop(), 10);
  const r = await done;
  assert.equal(r.interrupted, true);
  assert.equal(a.closes(), 1);
});

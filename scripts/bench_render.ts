// Library-level rendering benchmark: presentation and JSON output of every payload of
// bench-data/corpus-q.nmsg, and JSON input of bench-data/corpus-50k.jsonl, through the
// message-module API (no CLI, no I/O in the timed loops). Payloads are read into memory
// first; each job runs --runs times and the median is reported in payloads per second,
// with the time the whole corpus takes and the C tool's whole-process time beside it
// (../shared/bench/README.md: presentation 6.34 s, JSON 6.12 s, JSON in 0.938 s).
//
//   deno run -A scripts/bench_render.ts [--runs 5] [--only pres,json,…] [--data bench-data]

import { parseArgs } from "node:util";
import { nodeZlib } from "../src/io/zlib_node.ts";
import { median } from "./_bench_util.ts";
import {
  defaultRegistry,
  formatJson,
  formatJsonBytes,
  formatPresentation,
  formatPresentationBytes,
  NmsgParseError,
  parseJsonPayload,
  type Payload,
  readPayloads,
} from "../mod.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    only: { type: "string" },
    data: { type: "string", default: new URL("../bench-data", import.meta.url).pathname },
  },
});
const runs = Number(values.runs);
const only = values.only?.split(",");
const registry = defaultRegistry();

async function loadPayloads(path: string): Promise<Payload[]> {
  using file = await Deno.open(path);
  return await Array.fromAsync(readPayloads(file, { zlib: nodeZlib }));
}

interface Job {
  name: string;
  /** The C tool's whole-process median for the same work, seconds. */
  c: number;
  items: () => Promise<unknown[]>;
  run: (item: never) => number;
}

const encoder = new TextEncoder();
let sink = 0; // keeps results alive so nothing is optimised away

const JOBS: Job[] = [
  {
    name: "pres-bytes",
    c: 6.34,
    items: () => loadPayloads(`${values.data}/corpus-q.nmsg`),
    run: (p: Payload) => formatPresentationBytes(p, registry)?.length ?? 0,
  },
  {
    name: "pres-string",
    c: 6.34,
    items: () => loadPayloads(`${values.data}/corpus-q.nmsg`),
    run: (p: Payload) => {
      const s = formatPresentation(p, registry);
      return s === undefined ? 0 : encoder.encode(s).length;
    },
  },
  {
    name: "json-bytes",
    c: 6.12,
    items: () => loadPayloads(`${values.data}/corpus-q.nmsg`),
    run: (p: Payload) => formatJsonBytes(p, registry).length,
  },
  {
    name: "json-string",
    c: 6.12,
    items: () => loadPayloads(`${values.data}/corpus-q.nmsg`),
    run: (p: Payload) => encoder.encode(formatJson(p, registry)).length,
  },
  {
    name: "json-in",
    c: 0.938,
    items: async () =>
      (await Deno.readTextFile(`${values.data}/corpus-50k.jsonl`)).split("\n").filter((l) => l),
    run: (line: string) => {
      try {
        return parseJsonPayload(line, registry).payload?.length ?? 0;
      } catch (e) {
        if (e instanceof NmsgParseError) return 0;
        throw e;
      }
    },
  },
];

console.log("job          items    median s   payloads/s   C whole-process s   ratio");
for (const job of JOBS) {
  if (only && !only.includes(job.name)) continue;
  const items = await job.items();
  const times: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    for (const it of items) sink += job.run(it as never);
    if (r > 0) times.push((performance.now() - t0) / 1000); // run 0 warms up
  }
  const t = median(times);
  console.log(
    `${job.name.padEnd(12)} ${String(items.length).padStart(7)} ${t.toFixed(3).padStart(10)} ${
      String(Math.round(items.length / t)).padStart(12)
    } ${job.c.toFixed(3).padStart(19)} ${(t / job.c).toFixed(2).padStart(7)}`,
  );
}
if (sink < 0) console.log(sink);

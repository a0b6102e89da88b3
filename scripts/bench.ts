// Whole-process benchmarks of nmsgtool and nmsgpcnt against the C tools on the corpus in
// bench-data/ (see ../shared/bench/README.md). Each job runs once to warm up, then several
// times alternating ours and the C tool; the table gives median wall times, the ratio
// ours / C against the target, and peak RSS (from /usr/bin/time).
//
//   deno task bench [--runs N] [--only repack,json-in,…] [--data DIR] [--c-bin DIR]
//
// DIR for --c-bin holds the C nmsgtool and nmsgpcnt (default: env NMSG_C_BIN); without it
// only our tools are timed.
//
// The UDP receive cases (scripts/_bench_udp.ts) follow: `--only udp` runs only those.
// Then the ZeroMQ and Kafka cases (scripts/_bench_zmq_kafka.ts): `--only zmq,kafka`.
// In-process benchmarks of the codec (CRC-32C, container scan/verify/repack) are in bench/:
// `deno bench --allow-read bench/`.

import { parseArgs } from "node:util";
import { permissionFlags, type ToolName, TOOLS } from "../cli/permissions.ts";
import { benchUdp } from "./_bench_udp.ts";
import { benchZmqKafka } from "./_bench_zmq_kafka.ts";
import { exists, median } from "./_bench_util.ts";

const ROOT = new URL("../", import.meta.url).pathname;

interface Job {
  name: string;
  tool: ToolName;
  args: (d: string, tmp: string) => string[];
  /** Target ratio ours / C. */
  target: number;
}

const JOBS: Job[] = [
  { name: "count", tool: "nmsgpcnt", args: (d) => [`${d}/corpus-q.nmsg`], target: 0.5 },
  {
    name: "repack",
    tool: "nmsgtool",
    args: (d) => ["-r", `${d}/corpus-q.nmsg`, "-w", "/dev/null"],
    target: 0.5,
  },
  {
    name: "repack-file",
    tool: "nmsgtool",
    args: (d, t) => ["-r", `${d}/corpus-q.nmsg`, "-w", `${t}/repack.nmsg`],
    target: 1.0,
  },
  {
    name: "presentation",
    tool: "nmsgtool",
    args: (d) => ["-r", `${d}/corpus-q.nmsg`, "-o", "/dev/null"],
    target: 0.5,
  },
  {
    name: "json-out",
    tool: "nmsgtool",
    args: (d) => ["-r", `${d}/corpus-q.nmsg`, "-J", "/dev/null"],
    target: 0.5,
  },
  {
    name: "json-in",
    tool: "nmsgtool",
    args: (d) => ["-j", `${d}/corpus-50k.jsonl`, "-w", "/dev/null"],
    target: 1.0,
  },
  {
    name: "zlib-write",
    tool: "nmsgtool",
    args: (d, t) => ["-r", `${d}/corpus-q.nmsg`, "-z", "-w", `${t}/z.nmsg`],
    target: 1.0,
  },
  {
    name: "zlib-read",
    tool: "nmsgtool",
    args: (d) => ["-r", `${d}/corpus-q.z.nmsg`, "-w", "/dev/null"],
    target: 1.0,
  },
  {
    name: "pcap-dnsqr",
    tool: "nmsgtool",
    args: (d) => ["-p", `${d}/traffic-q.pcap`, "-V", "base", "-T", "dnsqr", "-w", "/dev/null"],
    target: 1.0,
  },
];

interface Sample {
  wall: number;
  rssKiB: number;
  code: number;
}

async function timed(cmd: string[]): Promise<Sample> {
  const start = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%M", ...cmd],
    stdout: "null",
    stderr: "piped",
    stdin: "null",
  }).output();
  const wall = (performance.now() - start) / 1000;
  const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
  return { wall, rssKiB: Number(lines.at(-1)), code: out.code };
}

function ours(tool: ToolName, args: string[]): string[] {
  return [Deno.execPath(), "run", ...permissionFlags(tool), ROOT + TOOLS[tool].entry, ...args];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      runs: { type: "string", default: "5" },
      only: { type: "string" },
      data: { type: "string", default: `${ROOT}bench-data` },
      "c-bin": { type: "string", default: Deno.env.get("NMSG_C_BIN") ?? "" },
    },
  });
  const runs = Number(values.runs);
  const data = values.data!;
  const only = values.only?.split(",");
  const cBin = values["c-bin"];
  const tmp = await Deno.makeTempDir({ prefix: "nmsg-bench-" });
  try {
    if (!exists(`${data}/corpus-q.z.nmsg`)) {
      // The zlib corpus is made with the tool under test, as the bench README says.
      console.error("making corpus-q.z.nmsg …");
      const [exe, ...rest] = ours("nmsgtool", [
        "-r",
        `${data}/corpus-q.nmsg`,
        "-z",
        "-w",
        `${data}/corpus-q.z.nmsg`,
      ]);
      await new Deno.Command(exe!, { args: rest }).output();
    }
    console.log(
      "| job | ours (s) | C (s) | ours / C | target | ours peak RSS (MiB) | C peak RSS (MiB) |",
    );
    console.log("|---|---|---|---|---|---|---|");
    for (const job of JOBS) {
      if (only !== undefined && !only.includes(job.name)) continue;
      const args = job.args(data, tmp);
      const cTool = `${cBin}/${job.tool}`;
      const haveC = cBin !== "" && exists(cTool);
      const mine: Sample[] = [];
      const theirs: Sample[] = [];
      await timed(ours(job.tool, args));
      if (haveC) await timed([cTool, ...args]);
      for (let i = 0; i < runs; i++) {
        mine.push(await timed(ours(job.tool, args)));
        if (haveC) theirs.push(await timed([cTool, ...args]));
      }
      const failed = mine.find((s) => s.code !== 0);
      if (failed !== undefined) console.error(`${job.name}: ours exited ${failed.code}`);
      const m = median(mine.map((s) => s.wall));
      const c = haveC ? median(theirs.map((s) => s.wall)) : NaN;
      const rss = (xs: Sample[]) => (Math.max(...xs.map((s) => s.rssKiB)) / 1024).toFixed(0);
      console.log(
        `| ${job.name} | ${m.toFixed(3)} | ${haveC ? c.toFixed(3) : "—"} | ${
          haveC ? (m / c).toFixed(2) : "—"
        } | ≤ ${job.target.toFixed(1)} | ${rss(mine)} | ${haveC ? rss(theirs) : "—"} |`,
      );
    }
    await benchUdp(data, runs, cBin, only);
    await benchZmqKafka(data, runs, cBin, only);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) await main();

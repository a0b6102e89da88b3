// Replays every golden nmsgtool case that needs no socket, ZMQ or Kafka (pcap cases when
// libpcap is installed) through the CLI as a user runs it, and compares exit status,
// stdout, @OUT and the recorded stderr.

import assert from "node:assert/strict";
import { runTool } from "../_cli.ts";
import { GOLDEN_DIR, goldenBytes, type GoldenCase, goldenCases } from "../_golden.ts";
import { findLibrary } from "../_native.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

const HAVE_LIBPCAP = findLibrary("libpcap") !== undefined;

/** Why a case cannot run here, or undefined if it can. */
function skipReason(c: GoldenCase): string | undefined {
  const args = c.argv.slice(1);
  // The -V/-T check comes before any pcap input is opened.
  if (c.id === "usage_pcap_needs_VT") return undefined;
  if (args.some((a) => ["-p", "-i", "--readpcap", "--readif"].includes(a)) && !HAVE_LIBPCAP) {
    return "needs libpcap";
  }
  return undefined;
}

/** Cases whose recorded stderr must match exactly: help, version, usage, CRC warnings. */
function stderrChecked(c: GoldenCase): boolean {
  return /^(usage_|opt-help|opt-version)/.test(c.id) || c.note.includes("crc mismatch");
}

const MASK = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9}/g;

interface Outcome {
  c: GoldenCase;
  problems: string[];
  notes: string[];
}

async function replay(c: GoldenCase): Promise<Outcome> {
  const problems: string[] = [];
  const notes: string[] = [];
  const tmp = await Deno.makeTempDir({ prefix: "nmsgtool-golden-" });
  try {
    const outPath = `${tmp}/out`;
    const args = c.argv.slice(1).map((a) => a === "@OUT" ? outPath : a);
    const stdin = c.stdin === "" ? undefined : goldenBytes(c.stdin);
    const res = await runTool("nmsgtool", args, {
      cwd: GOLDEN_DIR,
      env: c.env,
      ...(stdin ? { stdin } : {}),
    });
    if (res.code !== c.exit) problems.push(`exit ${res.code}, expected ${c.exit}: ${res.stderr}`);
    if (c.stdout !== "") {
      if (!bytesEqual(res.stdout, goldenBytes(c.stdout))) problems.push("stdout differs");
    } else {
      const masked = text(res.stdout).replace(MASK, "<TIME>");
      if (masked !== text(goldenBytes(`expected/${c.id}.masked`))) {
        problems.push("masked stdout differs");
      }
    }
    if (c.out.startsWith("pres:")) {
      const back = await runTool("nmsgtool", ["-r", outPath], { cwd: GOLDEN_DIR });
      if (!bytesEqual(back.stdout, goldenBytes(c.out.slice(5)))) {
        problems.push("@OUT read back differs");
      }
    } else if (c.out !== "") {
      let got: Uint8Array | undefined;
      try {
        got = await Deno.readFile(outPath);
      } catch {
        problems.push("@OUT missing");
      }
      if (got !== undefined && !bytesEqual(got, goldenBytes(c.out))) problems.push("@OUT differs");
    }
    if (c.stderr !== undefined && res.stderr !== text(goldenBytes(c.stderr))) {
      (stderrChecked(c) ? problems : notes).push(
        `stderr ${JSON.stringify(res.stderr.slice(0, 200))}, recorded ${
          JSON.stringify(text(goldenBytes(c.stderr)).slice(0, 200))
        }`,
      );
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  return { c, problems, notes };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Runs `jobs` two at a time (the machine has two cores shared with other work). */
async function pool<T, R>(items: T[], job: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

Deno.test("nmsgtool reproduces every golden case that needs no socket", async (t) => {
  const all = goldenCases().filter((c) => c.argv[0] === "nmsgtool");
  const runnable: GoldenCase[] = [];
  for (const c of all) {
    const why = skipReason(c);
    if (why === undefined) runnable.push(c);
    else console.log(`skipping ${c.id}: ${why}`);
  }
  const outcomes = await pool(runnable, replay);
  let passed = 0;
  for (const o of outcomes) {
    for (const n of o.notes) console.log(`note ${o.c.id}: ${n}`);
    if (o.problems.length === 0) passed++;
    await t.step(o.c.id, () => {
      assert.deepEqual(o.problems, [], o.c.note);
    });
  }
  console.log(`golden nmsgtool cases passing: ${passed} of ${runnable.length}`);
});

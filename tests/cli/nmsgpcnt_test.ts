import assert from "node:assert/strict";
import { GOLDEN_DIR, goldenBytes, goldenCases } from "../_golden.ts";
import { runDeno, runTool } from "../_cli.ts";
import { fragmentUnits } from "../../src/wire/fragment.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const counts = (c: number, p: number) => `containers:\t${c}\npayloads:\t${p}\n`;
/** Number of records in a golden presentation file (one header line each). */
const presRecords = (path: string) =>
  text(goldenBytes(path)).split("\n").filter((l) => /^\[\d+\] \[/.test(l)).length;

// Files the C tool stops at (it prints 0/0) but nmsgpcnt reads, and files C misreads
// (golden README bug 10): what a correct count is, derived from other golden facts.
const BEYOND_C: Record<string, { stdout: string; exit: number; stderr?: RegExp }> = {
  // v1 and zlib inputs hold the same payloads nmsgtool prints for them.
  "inputs/crafted_v1.nmsg": {
    stdout: counts(1, presRecords("expected/nmsg-pres_crafted_v1.stdout")),
    exit: 0,
  },
  "inputs/crafted_dnsqr.z.nmsg": {
    stdout: counts(1, presRecords("expected/nmsg-pres_crafted_dnsqr.z.stdout")),
    exit: 0,
  },
  // The mtu512 capture: payloads 1, 2 and 4 are fragmented, 3 is a plain container.
  "inputs/crafted_frag.nmsg": {
    stdout: counts(4, presRecords("expected/nmsg-pres_crafted_frag.stdout")),
    exit: 0,
  },
  // Not NMSG at all: C prints 0/0 and exits 0; the issue asks for one line and a failure.
  "inputs/crafted_badmagic.nmsg": {
    stdout: counts(0, 0),
    exit: 1,
    stderr:
      /^nmsgpcnt: inputs\/crafted_badmagic\.nmsg: offset 0: incorrect magic number in NMSG header\n$/,
  },
};

Deno.test("nmsgpcnt matches every golden case it can read, as the C tool prints it", async () => {
  const cases = goldenCases().filter((c) => c.argv[0] === "nmsgpcnt");
  assert.ok(cases.length >= 39);
  let checked = 0;
  for (const c of cases) {
    const beyond = BEYOND_C[c.argv[1] ?? ""];
    const res = await runTool("nmsgpcnt", c.argv.slice(1), { cwd: GOLDEN_DIR });
    if (beyond !== undefined) {
      assert.equal(text(res.stdout), beyond.stdout, c.id);
      assert.equal(res.code, beyond.exit, c.id);
      if (beyond.stderr) assert.match(res.stderr, beyond.stderr, c.id);
      else assert.equal(res.stderr, "", c.id);
      continue;
    }
    assert.deepEqual(res.stdout, goldenBytes(c.stdout), c.id);
    assert.equal(res.code, c.exit, c.id);
    if (c.stderr === "expected/empty") assert.equal(res.stderr, "", c.id);
    if (c.id === "pcnt_missing_file") assert.equal(res.stderr, text(goldenBytes(c.stderr!)));
    checked++;
  }
  assert.equal(checked + Object.keys(BEYOND_C).length, cases.length);
});

Deno.test("nmsgpcnt reports a truncated unit with file and offset after counting what came before", async () => {
  // Golden README bug 10: C reads past its buffer; the complete units are 0/0 and 1/6.
  const one = await runTool("nmsgpcnt", ["inputs/crafted_truncated.nmsg"], { cwd: GOLDEN_DIR });
  assert.equal(text(one.stdout), counts(0, 0));
  assert.equal(one.code, 1);
  assert.match(
    one.stderr,
    /^nmsgpcnt: inputs\/crafted_truncated\.nmsg: offset 0: unit declares \d+ bytes but the input ends after \d+\n$/,
  );
  const two = await runTool("nmsgpcnt", ["inputs/crafted_dns-plus-truncated.nmsg"], {
    cwd: GOLDEN_DIR,
  });
  assert.equal(
    text(two.stdout),
    counts(1, presRecords("expected/nmsg-pres_crafted_dns-plus-truncated.stdout")),
  );
  assert.equal(two.code, 1);
  assert.match(two.stderr, /offset 456: /);
});

Deno.test("nmsgpcnt names bad magic and versions in one line and exits non-zero", async () => {
  const res = await runTool("nmsgpcnt", ["inputs/crafted_badversion.nmsg"], { cwd: GOLDEN_DIR });
  assert.equal(text(res.stdout), counts(0, 0));
  assert.equal(res.code, 1);
  assert.equal(
    res.stderr,
    "nmsgpcnt: inputs/crafted_badversion.nmsg: offset 0: incorrect version number in NMSG header\n",
  );
});

Deno.test("nmsgpcnt reports an incomplete fragmented container", async () => {
  const frag = goldenBytes("inputs/crafted_frag.nmsg");
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeFile(path, frag.subarray(0, 509 * 2)); // the first two of four fragments
    const res = await runTool("nmsgpcnt", [path]);
    assert.equal(text(res.stdout), counts(0, 0));
    assert.equal(res.code, 1);
    assert.match(res.stderr, /1 fragmented container\(s\) incomplete at end of file/);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("nmsgpcnt counts incomplete fragmented containers beyond those it keeps", async () => {
  // The first fragment of 1,030 containers: more than the 1,024 kept at a time.
  const units = Array.from(
    { length: 1030 },
    (_, id) => fragmentUnits(new Uint8Array(600), 500, id, 0)[0]!,
  );
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeFile(path, new Uint8Array(units.flatMap((u) => [...u])));
    const res = await runTool("nmsgpcnt", [path]);
    assert.equal(text(res.stdout), counts(0, 0));
    assert.equal(res.code, 1);
    assert.match(res.stderr, /: 1030 fragmented container\(s\) incomplete at end of file\n$/);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("nmsgpcnt names the file and the system's reason when it cannot read it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const res = await runTool("nmsgpcnt", [dir]);
    assert.equal(text(res.stdout), counts(0, 0));
    assert.equal(res.code, 1);
    assert.equal(res.stderr, `nmsgpcnt: ${dir}: Is a directory\n`);
  } finally {
    await Deno.remove(dir);
  }
});

Deno.test("nmsgpcnt runs with read access only and says which flag is missing", async () => {
  const res = await runDeno([
    "run",
    "--no-prompt",
    new URL("../../cli/nmsgpcnt.ts", import.meta.url).pathname,
    "x.nmsg",
  ]);
  assert.equal(res.code, 1);
  assert.equal(
    res.stderr,
    'missing permission: read access to "x.nmsg"; run with --allow-read=x.nmsg\n',
  );
});

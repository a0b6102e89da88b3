// nmsgtool -k: output rotation at -c and -t boundaries, the file names, and the kicker.

import assert from "node:assert/strict";
import { runTool } from "../_cli.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";
import { startTool, waitUntil } from "./_background_tool.ts";
import { kicker, loglineUnits, payloadTimes } from "./_nmsgtool_files.ts";

const NAME = /^out\.(\d{8})\.(\d{4})\.(\d+)\.(\d{9})(\.nmsg|\.json)?$/;

function outFiles(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("out")).sort();
}

Deno.test("nmsgtool -c 5 -k rotates -w, -J and -o files as the C tool does", async () => {
  // Golden README "Output rotation": 32 payloads, -c 5 → 7 files of 5,5,5,5,5,5,2.
  for (
    const [opt, ext, suffix] of [["-w", "nmsg", ".nmsg"], ["-J", "json", ".json"], [
      "-o",
      "pres",
      "",
    ]]
  ) {
    const dir = await Deno.makeTempDir();
    try {
      const k = await kicker(dir);
      const res = await runTool("nmsgtool", [
        "-r",
        "inputs/generic-tests_dnsqr.nmsg",
        opt!,
        `${dir}/out`,
        "-c",
        "5",
        "-k",
        k.cmd,
      ], { cwd: GOLDEN_DIR });
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stderr, "");
      const files = outFiles(dir);
      assert.equal(files.length, 7, files.join(" "));
      let lastStamp = "";
      files.forEach((f, i) => {
        const m = NAME.exec(f);
        assert.ok(m, f);
        assert.equal(m[5] ?? "", suffix, f);
        // Date and time are the UTC rendering of the epoch seconds.
        const d = new Date(Number(m[3]) * 1000).toISOString();
        assert.equal(
          `${m[1]}.${m[2]}`,
          d.slice(0, 10).replaceAll("-", "") + "." + d.slice(11, 16).replace(":", ""),
        );
        assert.ok(`${m[3]!.padStart(12, "0")}.${m[4]}` > lastStamp);
        lastStamp = `${m[3]!.padStart(12, "0")}.${m[4]}`;
        const want = goldenBytes(`expected/rotate/c5_${opt![1]}_${i + 1}.${ext}`);
        assert.deepEqual(Deno.readFileSync(`${dir}/${f}`), want, f);
      });
      assert.deepEqual(await k.calls(7), files.map((f) => `${dir}/${f}`));
      assert.deepEqual([...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".part")), []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("nmsgtool -t 1 -k rotates on second boundaries without losing a payload", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const k = await kicker(dir);
    const pidfile = `${dir}/pid`;
    const child = startTool(
      "nmsgtool",
      ["-r", "-", "-w", `${dir}/out`, "-t", "1", "-k", k.cmd, "-P", pidfile],
      { stdin: true },
    );
    // The pid file is written as the run starts; from then on its clock rotates the file
    // every second, whether payloads come or not.
    await waitUntil("the tool runs", () => {
      try {
        return Deno.statSync(pidfile).size > 0;
      } catch {
        return false;
      }
    });
    // Four containers of 10 payloads, 700 ms apart: they span at least two boundaries.
    for (const u of loglineUnits(1, 40, 10)) {
      await child.write(u);
      await new Promise((r) => setTimeout(r, 700));
    }
    await child.closeStdin();
    const out = await child.done();
    assert.equal(out.code, 0, out.stderr);
    const files = outFiles(dir);
    assert.ok(files.length >= 2, files.join(" "));
    assert.ok(files.every((f) => NAME.test(f) && f.endsWith(".nmsg")), files.join(" "));
    const all: number[] = [];
    for (const f of files) all.push(...await payloadTimes(`${dir}/${f}`));
    assert.deepEqual(all, Array.from({ length: 40 }, (_, i) => i + 1));
    assert.deepEqual(await k.calls(files.length), files.map((f) => `${dir}/${f}`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("nmsgtool -k '' rotates without running anything, and -c without -k stops", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const res = await runTool("nmsgtool", [
      "-r",
      "inputs/generic-tests_lorem.nmsg",
      "-J",
      `${dir}/out`,
      "-c",
      "4",
      "-k",
      "",
    ], { cwd: GOLDEN_DIR });
    assert.equal(res.code, 0);
    assert.deepEqual(outFiles(dir).map((f) => f.endsWith(".json")), [true, true, true, true]);
    const stop = await runTool("nmsgtool", [
      "-r",
      "inputs/generic-tests_lorem.nmsg",
      "-J",
      `${dir}/plain`,
      "-c",
      "4",
    ], { cwd: GOLDEN_DIR });
    assert.equal(stop.code, 0);
    assert.equal(Deno.readTextFileSync(`${dir}/plain`).split("\n").length - 1, 4);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

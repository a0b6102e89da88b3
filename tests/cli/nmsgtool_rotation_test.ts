// nmsgtool -k: output rotation at -c and -t boundaries, the file names, and the kicker.

import assert from "node:assert/strict";
import { cleanEnv, runTool, toolCommand } from "../_cli.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";
import { openForReading } from "../../src/io/files.ts";
import { NmsgInput } from "../../src/io/nmsg_input.ts";
import { ContainerWriter } from "../../src/wire/container_writer.ts";

const NAME = /^out\.(\d{8})\.(\d{4})\.(\d+)\.(\d{9})(\.nmsg|\.json)?$/;

/** A kicker script that appends its argument to `log`. */
async function kicker(dir: string): Promise<{ cmd: string; calls: () => Promise<string[]> }> {
  const script = `${dir}/kick.sh`;
  await Deno.writeTextFile(script, `#!/bin/sh\necho "$1" >> ${dir}/kicked.log\n`);
  await Deno.chmod(script, 0o755);
  return {
    cmd: script,
    calls: async () => {
      // The kicker runs in the background (`cmd file &`): give it a moment to finish.
      for (let i = 0; i < 50; i++) {
        try {
          const lines = (await Deno.readTextFile(`${dir}/kicked.log`)).trim().split("\n");
          return lines.sort();
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      return [];
    },
  };
}

async function payloadsIn(path: string): Promise<number[]> {
  const input = new NmsgInput(path, openForReading(path));
  const seen: number[] = [];
  for (let b = await input.read(); b !== null; b = await input.read()) {
    for (const p of b.payloads) seen.push(p.timeSec);
  }
  input.close();
  return seen;
}

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
      assert.deepEqual(await k.calls(), files.map((f) => `${dir}/${f}`));
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
    const child = new Deno.Command(Deno.execPath(), {
      args: [...toolCommand("nmsgtool"), "-r", "-", "-w", `${dir}/out`, "-t", "1", "-k", k.cmd],
      env: cleanEnv(),
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    const w = new ContainerWriter();
    let n = 0;
    // Four containers of 10 payloads, 700 ms apart: they span at least two boundaries.
    for (let c = 0; c < 4; c++) {
      for (let i = 0; i < 10; i++) {
        w.add({ vid: 1, msgtype: 6, timeSec: ++n, timeNsec: 0, payload: new Uint8Array([10, 0]) });
      }
      for (const u of w.flush()) await writer.write(u.slice());
      await new Promise((r) => setTimeout(r, 700));
    }
    await writer.close();
    const out = await child.output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const files = outFiles(dir);
    assert.ok(files.length >= 2, files.join(" "));
    assert.ok(files.every((f) => NAME.test(f) && f.endsWith(".nmsg")), files.join(" "));
    const all: number[] = [];
    for (const f of files) all.push(...await payloadsIn(`${dir}/${f}`));
    assert.deepEqual(all, Array.from({ length: 40 }, (_, i) => i + 1));
    assert.deepEqual(await k.calls(), files.map((f) => `${dir}/${f}`));
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

import assert from "node:assert/strict";
import type { Output } from "../../src/engine/types.ts";
import { openForWriting } from "../../src/io/files.ts";
import { NmsgOutput } from "../../src/io/nmsg_output.ts";
import { RotatingOutput, rotationStamp, splitPath } from "../../src/io/rotating_output.ts";

const p = { vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0, payload: new Uint8Array([10, 0]) };

Deno.test("rotationStamp() formats YYYYmmdd.HHMM.<epoch>.<ns> in UTC", () => {
  // The golden README's example name: out.20261122.0215.1795313753.640563212.nmsg
  assert.equal(rotationStamp(1795313753, 640563212), "20261122.0215.1795313753.640563212");
  assert.equal(rotationStamp(0, 5), "19700101.0000.0.000000005");
});

Deno.test("splitPath() follows POSIX dirname and basename", () => {
  assert.deepEqual(splitPath("out"), [".", "out"]);
  assert.deepEqual(splitPath("-"), [".", "-"]);
  assert.deepEqual(splitPath("/tmp/x/out"), ["/tmp/x", "out"]);
  assert.deepEqual(splitPath("a/b/"), ["a", "b"]);
  assert.deepEqual(splitPath("/out"), ["/", "out"]);
});

Deno.test("RotatingOutput writes .part files, renames them and kicks each one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let clock = 1795313753;
    const kicked: string[] = [];
    const out = new RotatingOutput({
      base: `${dir}/out`,
      suffix: ".nmsg",
      kind: "nmsg",
      kicker: "echo",
      open: (path) => new NmsgOutput(path, openForWriting(path)),
      now: () => [clock++, 0],
      run: (cmd) => (kicked.push(cmd), Promise.resolve(0)),
    });
    const first = out.currentPath;
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [
      ".out.20261122.0215.1795313753.000000000.part",
    ]);
    out.write(p);
    await out.rotate();
    out.write(p);
    out.write(p);
    await out.close();
    await out.close();
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, [
      "out.20261122.0215.1795313753.000000000.nmsg",
      "out.20261122.0215.1795313754.000000000.nmsg",
    ]);
    assert.equal(first, `${dir}/${names[0]}`);
    assert.deepEqual(kicked, names.map((n) => `echo ${dir}/${n} &`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("RotatingOutput keeps names distinct within one clock tick, and runs no kicker for ''", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let runs = 0;
    const closed: string[] = [];
    const out = new RotatingOutput({
      base: `${dir}/o`,
      suffix: "",
      kind: "pres",
      kicker: "",
      open: (path): Output => {
        Deno.writeTextFileSync(path, "");
        return {
          name: path,
          write: () => undefined,
          flush: () => Promise.resolve(),
          close: () => (closed.push(path), Promise.resolve()),
        };
      },
      now: () => [100, 999_999_999],
      run: () => (runs++, Promise.resolve(0)),
    });
    await out.rotate();
    await out.close();
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["o.19700101.0001.100.999999999", "o.19700101.0001.101.000000000"]);
    assert.equal(closed.length, 2);
    assert.equal(runs, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("RotatingOutput warns when the kicker fails", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lines: string[] = [];
    const out = new RotatingOutput({
      base: `${dir}/o`,
      suffix: ".json",
      kind: "json",
      kicker: "false",
      open: (path) => new NmsgOutput(path, openForWriting(path)),
      log: (level, line) => lines.push(`${level} ${line}`),
      run: () => Promise.resolve(1),
    });
    await out.close();
    assert.deepEqual(lines, ["1 WARNING: system() failed", `2 nmsgtool: closed output: ${dir}/o`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

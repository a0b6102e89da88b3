// nmsgtool's ZeroMQ options as users run them: a file sent with -S and received with -L
// (or a -Z channel alias) in both socket patterns, compared with the golden rendering of
// the file, with the -dd totals showing no loss; and the endpoint errors. ipc:// endpoints
// in a temporary directory; every wait is bounded and every process is stopped.

import assert from "node:assert/strict";
import { encodeContainer } from "../../src/wire/container.ts";
import { writeHeader } from "../../src/wire/header.ts";
import { runTool } from "../_cli.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";
import { findLibrary } from "../_native.ts";
import { startTool, waitUntil } from "./_background_tool.ts";

const ignore = findLibrary("libzmq") === undefined;
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const DNSQR = GOLDEN_DIR + "inputs/generic-tests_dnsqr.nmsg";
const DNSQR_JSON = text(goldenBytes("expected/nmsg-json_generic-tests_dnsqr.stdout"));

function totals(stderr: string): { recvs: number; drops: number } {
  const m = /container_recvs (\d+) container_drops (\d+)/.exec(stderr);
  assert.ok(m, stderr);
  return { recvs: +m[1]!, drops: +m[2]! };
}

function lineCount(path: string): number {
  try {
    return Deno.readTextFileSync(path).split("\n").length - 1;
  } catch {
    return 0;
  }
}

Deno.test({
  name: "nmsgtool -S …,pushpull to -Z (alias of -L …,pushpull): golden JSON, 2 containers, 0 lost",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir();
    const ep = `ipc://${dir}/zmq`;
    const out = `${dir}/out.json`;
    await Deno.writeTextFile(`${dir}/chalias`, `zch ${ep},pushpull\n`);
    const rx = startTool("nmsgtool", ["-Z", "zch", "-J", out, "--unbuffered", "-dd"], {
      env: { NMSG_CHALIAS_FILE: `${dir}/chalias` },
    });
    try {
      const tx = await runTool("nmsgtool", ["-r", DNSQR, "-S", `${ep},pushpull`]);
      assert.deepEqual([tx.code, tx.stderr], [0, ""]);
      await waitUntil("the receiver has written 32 payloads", () => lineCount(out) >= 32);
    } finally {
      const r = await rx.stop("SIGTERM");
      assert.equal(r.code, 1);
      assert.match(r.stderr, /nmsgtool: nmsg ZMQ input: ipc:\/\/.*,pushpull\n/);
      assert.match(r.stderr, /nmsgtool: signalled break\n/);
      // dnsqr's 32 payloads are 2 containers of 8192 bytes (as the C tool's -s sends them).
      assert.deepEqual(totals(r.stderr), { recvs: 2, drops: 0 });
    }
    assert.equal(await Deno.readTextFile(out), DNSQR_JSON);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "nmsgtool -S (PUB) to -L (SUB), the defaults: golden JSON once subscribed, 0 lost",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir();
    const ep = `ipc://${dir}/zmq`;
    const out = `${dir}/out.json`;
    const rx = startTool("nmsgtool", ["-L", ep, "-J", out, "--unbuffered", "-dd"]);
    // PUB drops what it sends before the subscription arrives (ZeroMQ's slow joiner): the
    // sender reads stdin and gets probe containers (time 0) until one comes out.
    const tx = startTool("nmsgtool", ["-r", "-", "-S", ep, "--unbuffered"], { stdin: true });
    const probe = encodeContainer(
      [{ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0, payload: new Uint8Array(0) }],
      undefined,
      10,
    );
    writeHeader(probe, 0, 0, probe.length - 10);
    try {
      const end = Date.now() + 30000;
      while (lineCount(out) === 0) {
        await tx.write(probe);
        await new Promise((r) => setTimeout(r, 50));
        if (tx.exited() || rx.exited() || Date.now() > end) {
          throw new Error(`no probe arrived: ${tx.stderr()}${rx.stderr()}`);
        }
      }
      await tx.write(await Deno.readFile(DNSQR));
      await tx.closeStdin();
      const t = await tx.done();
      assert.deepEqual([t.code, t.stderr], [0, ""]);
      await waitUntil("the receiver has written the file", () => {
        const lines = Deno.readTextFileSync(out).split("\n");
        return lines.filter((l) => !l.startsWith('{"time":"1970-01-01')).length > 32;
      });
    } finally {
      if (!tx.exited()) await tx.stop("SIGKILL");
      const r = await rx.stop("SIGINT");
      assert.equal(r.code, 1);
      assert.equal(totals(r.stderr).drops, 0);
    }
    const lines = (await Deno.readTextFile(out)).split("\n");
    assert.equal(lines.filter((l) => !l.startsWith('{"time":"1970-01-01')).join("\n"), DNSQR_JSON);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "nmsgtool -L/-S: malformed endpoints and libzmq failures exit 1 with the reason",
  ignore,
  async fn() {
    const bad = await runTool("nmsgtool", ["-L", "ipc:///nonexistent-dir/x", "-o", "-"]);
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stderr,
      "nmsgtool: zmq_bind(ipc:///nonexistent-dir/x) failed: No such file or directory\n" +
        "nmsgtool: nmsg_input_open_zmq_endpoint() failed\n",
    );
    const twice = await runTool("nmsgtool", ["-r", DNSQR, "-S", "ipc:///tmp/x,accept,connect"]);
    assert.equal(twice.code, 1);
    assert.equal(
      twice.stderr,
      'nmsgtool: Invalid endpoint "ipc:///tmp/x,accept,connect": accept/connect given twice\n' +
        "nmsgtool: nmsg_output_open_zmq_endpoint() failed\n",
    );
  },
});

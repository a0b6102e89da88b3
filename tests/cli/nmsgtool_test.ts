// nmsgtool behaviour the golden corpus does not cover: signals, closed pipes, the deno
// task, filters, statistics, the pid file, the byte rate and unreadable inputs.

import assert from "node:assert/strict";
import { cleanEnv, runDeno, runTool, toolCommand } from "../_cli.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";
import { haveLibc, LOOPBACK4, sendAll } from "../io/_udp_util.ts";
import { startTool, waitUntil } from "./_background_tool.ts";
import { kicker, loglineUnits, payloadTimes } from "./_nmsgtool_files.ts";
import { freePort, listen } from "./_udp_listener.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
/** Records in presentation text (one `[size] [time] …` header line each). */
const records = (s: string) => s.split("\n").filter((l) => /^\[\d+\] \[/.test(l)).length;

Deno.test("deno task nmsgtool runs the tool as users run it", async () => {
  const out = await runDeno([
    "task",
    "-q",
    "nmsgtool",
    "-r",
    `${GOLDEN_DIR}inputs/generic-tests_lorem.nmsg`,
    "-J",
    "-",
  ]);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(
    text(out.stdout),
    text(goldenBytes("expected/nmsg-json_generic-tests_lorem.stdout")),
  );
});

Deno.test({
  name: "SIGINT mid-run flushes every output, runs the kicker, exits 1",
  ignore: !haveLibc,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const k = await kicker(dir);
      const port = freePort();
      const tool = await listen("nmsgtool", [
        "-l",
        `127.0.0.1/${port}`,
        "-w",
        `${dir}/out`,
        "-J",
        `${dir}/plain.json`,
        "--mirror",
        "-k",
        k.cmd,
      ], [port]);
      // Once it has read everything sent, the tool waits for more until the signal.
      sendAll({ ...LOOPBACK4, port }, loglineUnits(1, 500, 100));
      await tool.drained();
      const out = await tool.stop("SIGINT");
      assert.equal(out.code, 1);
      assert.equal(out.stderr, "nmsgtool: signalled break\n");
      const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      const nmsg = names.filter((n) => n.startsWith("out.") && n.endsWith(".nmsg"));
      const json = names.filter((n) => n.startsWith("plain.json."));
      assert.equal(nmsg.length, 1, names.join(" "));
      assert.equal(json.length, 1, names.join(" "));
      const times = Array.from({ length: 500 }, (_, i) => i + 1);
      assert.deepEqual(await payloadTimes(`${dir}/${nmsg[0]}`), times);
      const jsonLines = Deno.readTextFileSync(`${dir}/${json[0]}`).trimEnd().split("\n");
      assert.equal(jsonLines.length, 500);
      assert.ok(jsonLines.every((l) => JSON.parse(l).mname === "logline"));
      assert.deepEqual(await k.calls(2), [`${dir}/${nmsg[0]}`, `${dir}/${json[0]}`].sort());
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a closed stdout pipe ends the run quietly", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const input = `${dir}/big.nmsg`;
    const data = loglineUnits(1, 20000, 1000);
    Deno.writeFileSync(input, new Uint8Array(data.flatMap((u) => [...u])));
    const child = new Deno.Command(Deno.execPath(), {
      args: [...toolCommand("nmsgtool"), "-r", input],
      env: cleanEnv(),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.getReader();
    await reader.read();
    await reader.cancel();
    const status = await child.status;
    const err = text(new Uint8Array(await new Response(child.stderr).arrayBuffer()));
    assert.equal(status.code, 141);
    assert.equal(err, "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("-F sample,count=3 keeps a third; --policy DROP drops what every filter declines", async () => {
  const lorem = ["-r", "inputs/generic-tests_lorem.nmsg", "-F", "sample,count=3"];
  const kept = await runTool("nmsgtool", [...lorem, "-J", "-"], { cwd: GOLDEN_DIR });
  assert.equal(kept.code, 0, kept.stderr);
  assert.equal(text(kept.stdout).split("\n").length - 1, 5);
  const dropped = await runTool("nmsgtool", [...lorem, "--policy", "drop", "-J", "-"], {
    cwd: GOLDEN_DIR,
  });
  assert.equal(dropped.code, 0);
  assert.equal(text(dropped.stdout), "");
  const bad = await runTool("nmsgtool", [
    "-r",
    "inputs/generic-tests_lorem.nmsg",
    "-F",
    "sample,count=0",
  ], { cwd: GOLDEN_DIR });
  assert.equal(bad.code, 1);
  assert.match(
    bad.stderr,
    /^nmsgtool: .*'count' value 0 is out of range \[1, 18446744073709551615\]\n$/,
  );
});

Deno.test("-P writes the pid while running and removes the file at exit", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const pidfile = `${dir}/nmsgtool.pid`;
    const child = startTool("nmsgtool", ["-r", "-", "-w", "/dev/null", "-P", pidfile], {
      stdin: true,
    });
    await waitUntil("the pid file is written", () => {
      try {
        return Deno.readTextFileSync(pidfile).endsWith("\n");
      } catch {
        return false;
      }
    });
    assert.equal(Deno.readTextFileSync(pidfile), `${child.pid}\n`);
    await child.closeStdin();
    const out = await child.done();
    assert.equal(out.code, 0, out.stderr);
    assert.throws(() => Deno.statSync(pidfile), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("-M sample reports the C sample module's totals", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const res = await runTool("nmsgtool", [
      "-r",
      "inputs/generic-tests_dnsqr.nmsg",
      "-w",
      "/dev/null",
      "-M",
      `sample,out=${dir}/stats.txt`,
    ], { cwd: GOLDEN_DIR });
    assert.equal(res.code, 0, res.stderr);
    const report = Deno.readTextFileSync(`${dir}/stats.txt`);
    assert.match(report, /^=+\ntimestamp:\t/);
    assert.match(
      report,
      /\nTotal payloads in:\t32\nTotal payloads out:\t32\nTotal container recvs:\t1\n/,
    );
    assert.match(report, /\n===Metrics for IO: nmsgtool_io===\n/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("-B limits the ingress byte rate without losing payloads", async () => {
  const size = goldenBytes("inputs/generic-tests_dnsqr.nmsg").length;
  const start = performance.now();
  const res = await runTool("nmsgtool", [
    "-r",
    "inputs/generic-tests_dnsqr.nmsg",
    "-B",
    String(size * 2),
  ], { cwd: GOLDEN_DIR });
  const elapsed = performance.now() - start;
  assert.equal(res.code, 0, res.stderr);
  assert.equal(
    text(res.stdout),
    text(goldenBytes("expected/nmsg-pres_generic-tests_dnsqr.stdout")),
  );
  // Half a second of pacing at least; generous bounds, this is no timing test.
  assert.ok(elapsed > 300, `${elapsed} ms`);
});

Deno.test("an unreadable input is one line naming it and exit 1", async () => {
  const res = await runTool("nmsgtool", ["-r", "/", "-w", "/dev/null"]);
  assert.equal(res.code, 1);
  assert.equal(res.stderr, "nmsgtool: /: Is a directory\n");
  const pres = await runTool("nmsgtool", [
    "-f",
    "inputs/nmsg-dns-tests_test1-dns.pres",
    "-V",
    "base",
    "-T",
    "dns",
  ], { cwd: GOLDEN_DIR });
  assert.equal(pres.code, 1);
  assert.equal(records(text(pres.stdout)), 0);
  assert.match(pres.stderr, /^nmsgtool: inputs\/nmsg-dns-tests_test1-dns\.pres: line 1: [^\n]+\n$/);
});

Deno.test("-dd prints the C tool's per-input, per-output and totals lines", async () => {
  const res = await runTool("nmsgtool", [
    "-dd",
    "-r",
    "inputs/generic-tests_lorem.nmsg",
    "-w",
    "/dev/null",
  ], { cwd: GOLDEN_DIR });
  assert.equal(res.code, 0);
  const lines = res.stderr.split("\n");
  assert.ok(lines.includes("nmsgtool: version 1.3.3"));
  assert.ok(lines.includes("nmsgtool: nmsg file input: inputs/generic-tests_lorem.nmsg"));
  assert.ok(lines.includes("nmsgtool: nmsg file output: /dev/null"));
  assert.ok(lines.some((l) => /^nmsg_io: iothr=0x[0-9a-f]+ count_nmsg_payload_in=15$/.test(l)));
  assert.ok(
    lines.includes(
      "nmsgtool: totals: payloads_in 15 payloads_out 15 container_recvs 1 container_drops 0",
    ),
  );
});

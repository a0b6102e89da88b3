// nmsgtool behaviour the golden corpus does not cover: signals, closed pipes, the deno
// task, filters, statistics, the pid file, the byte rate and unreadable inputs.

import assert from "node:assert/strict";
import { cleanEnv, runTool, toolCommand } from "../_cli.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";
import { openForReading } from "../../src/io/files.ts";
import { NmsgInput } from "../../src/io/nmsg_input.ts";
import { ContainerWriter } from "../../src/wire/container_writer.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const text = (b: Uint8Array) => new TextDecoder().decode(b);
/** Records in presentation text (one `[size] [time] …` header line each). */
const records = (s: string) => s.split("\n").filter((l) => /^\[\d+\] \[/.test(l)).length;

/** NMSG units holding `n` logline payloads numbered from `first`, `per` to a container. */
function units(first: number, n: number, per = n): Uint8Array[] {
  const w = new ContainerWriter();
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    w.add({
      vid: 1,
      msgtype: 6,
      timeSec: first + i,
      timeNsec: 0,
      payload: new Uint8Array([10, 1, 0x61]),
    });
    if ((i + 1) % per === 0) out.push(...w.flush().map((u) => u.slice()));
  }
  out.push(...w.flush().map((u) => u.slice()));
  return out;
}

function spawn(args: string[], cwd = ROOT) {
  return new Deno.Command(Deno.execPath(), {
    args: [...toolCommand("nmsgtool"), ...args],
    cwd,
    env: cleanEnv(),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
}

async function countIn(path: string): Promise<number> {
  const input = new NmsgInput(path, openForReading(path));
  let n = 0;
  for (let b = await input.read(); b !== null; b = await input.read()) n += b.payloads.length;
  input.close();
  return n;
}

Deno.test("deno task nmsgtool runs the tool as users run it", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "-q",
      "nmsgtool",
      "-r",
      `${GOLDEN_DIR}inputs/generic-tests_lorem.nmsg`,
      "-J",
      "-",
    ],
    cwd: ROOT,
    env: cleanEnv(),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, text(out.stderr));
  assert.equal(
    text(out.stdout),
    text(goldenBytes("expected/nmsg-json_generic-tests_lorem.stdout")),
  );
});

Deno.test("SIGINT mid-run flushes every output, runs the kicker, exits 1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/kick.sh`, `#!/bin/sh\necho "$1" >> ${dir}/kicked.log\n`);
    await Deno.chmod(`${dir}/kick.sh`, 0o755);
    const child = spawn([
      "-r",
      "-",
      "-w",
      `${dir}/out`,
      "-J",
      `${dir}/plain.json`,
      "--mirror",
      "-k",
      `${dir}/kick.sh`,
    ]);
    const writer = child.stdin.getWriter();
    for (const u of units(1, 500, 100)) await writer.write(u);
    // stdin stays open: the tool waits for more until the signal.
    await new Promise((r) => setTimeout(r, 1000));
    child.kill("SIGINT");
    const out = await child.output();
    await writer.close().catch(() => {});
    assert.equal(out.code, 1);
    assert.equal(text(out.stderr), "nmsgtool: signalled break\n");
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    const nmsg = names.filter((n) => n.startsWith("out.") && n.endsWith(".nmsg"));
    const json = names.filter((n) => n.startsWith("plain.json."));
    assert.equal(nmsg.length, 1, names.join(" "));
    assert.equal(json.length, 1, names.join(" "));
    assert.equal(await countIn(`${dir}/${nmsg[0]}`), 500);
    assert.equal(Deno.readTextFileSync(`${dir}/${json[0]}`).split("\n").length - 1, 500);
    await waitFor(() => names.length > 0 && Deno.statSync(`${dir}/kicked.log`).isFile);
    const kicked = Deno.readTextFileSync(`${dir}/kicked.log`).trim().split("\n").sort();
    assert.deepEqual(kicked, [`${dir}/${nmsg[0]}`, `${dir}/${json[0]}`].sort());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a closed stdout pipe ends the run quietly", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const input = `${dir}/big.nmsg`;
    const data = units(1, 20000, 1000);
    Deno.writeFileSync(input, new Uint8Array(data.flatMap((u) => [...u])));
    const child = spawn(["-r", input]);
    await child.stdin.close();
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
    const child = spawn(["-r", "-", "-w", "/dev/null", "-P", pidfile]);
    await waitFor(() => {
      try {
        return Deno.readTextFileSync(pidfile).endsWith("\n");
      } catch {
        return false;
      }
    });
    assert.equal(Deno.readTextFileSync(pidfile), `${child.pid}\n`);
    await child.stdin.close();
    const out = await child.output();
    assert.equal(out.code, 0, text(out.stderr));
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

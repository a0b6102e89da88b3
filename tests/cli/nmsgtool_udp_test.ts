// nmsgtool's sockets as a user runs them: the golden UDP captures replayed to `-l`, the
// seqsrc patterns counted in the -dd totals line, and our `-s` sending to our `-l` over
// IPv4, IPv6, port ranges, fragments, zlib and a rate limit. Loopback only; every wait is
// bounded and every process is stopped.

import assert from "node:assert/strict";
import { UdpInput } from "../../src/io/udp_input.ts";
import { decodeContainer } from "../../src/wire/container.ts";
import { ContainerWriter } from "../../src/wire/container_writer.ts";
import type { Payload } from "../../src/wire/payload.ts";
import { runTool } from "../_cli.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";
import { haveIpv6, haveLibc, LOOPBACK4, sendAll } from "../io/_udp_util.ts";
import { readDgrams } from "../wire/_util.ts";
import { freePort, listen } from "./_udp_listener.ts";

const ignore = !haveLibc;
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const golden = (path: string) => text(goldenBytes(path));
const to = (port: number) => ({ ...LOOPBACK4, port });
const BREAK = "nmsgtool: signalled break\n";

/** Runs `nmsgtool -l 127.0.0.1/P extra…`, sends `datagrams`, stops it with SIGINT. */
async function listenAndSend(datagrams: Uint8Array[], extra: string[] = []) {
  const port = freePort();
  const tool = await listen("nmsgtool", ["-l", `127.0.0.1/${port}`, ...extra], [port]);
  sendAll(to(port), datagrams);
  await tool.drained();
  return await tool.stop("SIGINT");
}

/** The -dd totals line's numbers. */
function totals(
  stderr: string,
): { payloadsIn: number; payloadsOut: number; recvs: number; drops: number } {
  const m =
    /nmsgtool: totals: payloads_in (\d+) payloads_out (\d+) container_recvs (\d+) container_drops (\d+)/
      .exec(stderr);
  assert.ok(m, stderr);
  return { payloadsIn: +m[1]!, payloadsOut: +m[2]!, recvs: +m[3]!, drops: +m[4]! };
}

Deno.test({
  name: "nmsgtool -l prints the golden captures exactly as the C listener did",
  ignore,
  async fn() {
    for (const name of ["normal", "zlib", "unbuffered", "mtu512"]) {
      const out = await listenAndSend(readDgrams(`udp/${name}.dgrams`));
      assert.equal(text(out.stdout), golden(`expected/udp_${name}.pres`), name);
      assert.equal(out.stderr, BREAK, name);
      assert.equal(out.code, 1, name);
    }
  },
});

Deno.test({
  name: "nmsgtool -l recovers what the C sender's reference bugs 8 and 9 sent",
  ignore,
  async fn() {
    // Bug 8: compressed containers without their NMSG header; all four loglines arrive.
    const bug8 = await listenAndSend(readDgrams("udp/bug_mtu512_zlib.dgrams"));
    assert.equal(text(bug8.stdout), golden("expected/nmsg-pres_crafted_biglog.stdout"));
    assert.deepEqual([bug8.code, bug8.stderr], [1, BREAK]);
    // Bug 9: `last` one too high; the listener prints the logline message.
    const bug9 = await listenAndSend(readDgrams("udp/bug_frag_last.dgrams"), ["-J", "-"]);
    assert.deepEqual(
      JSON.parse(text(bug9.stdout)),
      JSON.parse(golden("inputs/crafted_fragbug.json")),
    );
    assert.deepEqual([bug9.code, bug9.stderr], [1, BREAK]);
  },
});

Deno.test({
  name: "nmsgtool -l counts the golden seqsrc patterns exactly as the C tool (-dd totals)",
  ignore,
  async fn() {
    const rows = golden("udp/seqsrc.tsv").trim().split("\n").slice(1);
    assert.equal(rows.length, 4);
    for (const row of rows) {
      const [, received, dropped, name, payloadsIn] = row.split("\t");
      const out = await listenAndSend(readDgrams(`udp/seqsrc_${name}.dgrams`), [
        "-dd",
        "-w",
        "/dev/null",
      ]);
      assert.deepEqual(totals(out.stderr), {
        payloadsIn: Number(payloadsIn),
        payloadsOut: Number(payloadsIn),
        recvs: Number(received),
        drops: Number(dropped),
      }, name);
      assert.equal(out.code, 1);
    }
  },
});

Deno.test({
  name: "nmsgtool -l -ddddd prints libnmsg's seqsrc lines",
  ignore,
  async fn() {
    // Golden pattern 0,9,3,10: gap of 8, reset, gap of 6 (udp/seqsrc.tsv "jumps").
    const dgrams = readDgrams("udp/seqsrc_jumps.dgrams");
    const c = decodeContainer(dgrams[0]!.subarray(10));
    const id = c.sequenceId!.toString(16).padStart(16, "0");
    const out = await listenAndSend(dgrams, ["-ddddd", "-w", "/dev/null"]);
    const lines = out.stderr.split("\n");
    // Formats from libnmsg's input_seqsrc.c (spec §1.9); fractions dropped/(dropped+count+1).
    for (
      const want of [
        `_input_seqsrc_update: source id= ${id}: expected sequence (1) != wire sequence (9), delta 8, drop fraction 0.7273`,
        `_input_seqsrc_update: source id= ${id}: expected sequence (4) != wire sequence (10), delta 6, drop fraction 0.7500`,
        `_input_seqsrc_destroy: source id= ${id}: count=1 dropped=6 (0.7500)`,
        `nmsgtool: totals: payloads_in 4 payloads_out 4 container_recvs 4 container_drops 14`,
      ]
    ) assert.ok(lines.includes(want), `missing ${want} in:\n${out.stderr}`);
    assert.ok(
      lines.some((l) =>
        /^_input_seqsrc_destroy: input=127\.0\.0\.1\/\d+ count_recv=4 count_drop=14 \(0\.7778\)$/
          .test(l)
      ),
    );
  },
});

Deno.test({
  name: "nmsgtool -l reports a malformed datagram and keeps listening",
  ignore,
  async fn() {
    const junk = new TextEncoder().encode("not an NMSG unit at all");
    const out = await listenAndSend([junk, ...readDgrams("udp/normal.dgrams")]);
    assert.equal(text(out.stdout), golden("expected/udp_normal.pres"));
    assert.match(
      out.stderr,
      /^127\.0\.0\.1\/\d+: dropped a malformed datagram from 127\.0\.0\.1\/\d+: incorrect magic number in NMSG header\n/,
    );
    assert.ok(out.stderr.endsWith(BREAK));
  },
});

/** Our sender to our listener: `nmsgtool -r input sendArgs… -s SPEC`, listener `-l SPEC`. */
async function ourSenderToOurListener(
  input: string,
  sendArgs: string[],
  listenArgs: string[],
  host = "127.0.0.1",
  ports = 1,
) {
  let port = freePort();
  // A range needs consecutive free ports; try a few places.
  for (let i = 0; ports > 1 && i < 20; i++) {
    const probes = [];
    try {
      for (let k = 0; k < ports; k++) {
        probes.push(UdpInput.bind({ ...LOOPBACK4, port: port + k }));
      }
      break;
    } catch {
      port = freePort();
    } finally {
      for (const p of probes) p.close();
    }
  }
  const spec = ports > 1 ? `${host}/${port}..${port + ports - 1}` : `${host}/${port}`;
  const all = Array.from({ length: ports }, (_, k) => port + k);
  const tool = await listen("nmsgtool", ["-l", spec, ...listenArgs], all);
  try {
    const sent = await runTool("nmsgtool", ["-r", input, ...sendArgs, "-s", spec], {
      cwd: GOLDEN_DIR,
    });
    assert.deepEqual([sent.code, sent.stderr], [0, ""]);
  } catch (e) {
    tool.kill();
    throw e;
  }
  await tool.drained();
  return await tool.stop("SIGINT");
}

Deno.test({
  name: "nmsgtool -s → nmsgtool -l over 127.0.0.1: the payloads arrive as sent",
  ignore,
  async fn() {
    const out = await ourSenderToOurListener("inputs/generic-tests_dnsqr.nmsg", [], []);
    assert.equal(text(out.stdout), golden("expected/nmsg-pres_generic-tests_dnsqr.stdout"));
    assert.deepEqual([out.code, out.stderr], [1, BREAK]);
  },
});

Deno.test({
  name: "nmsgtool -s → nmsgtool -l over ::1",
  ignore: ignore || !haveIpv6,
  async fn() {
    const out = await ourSenderToOurListener("inputs/generic-tests_dnsqr.nmsg", [], [], "::1");
    assert.equal(text(out.stdout), golden("expected/nmsg-pres_generic-tests_dnsqr.stdout"));
  },
});

Deno.test({
  name: "nmsgtool -s -m 512 fragments, -z compresses; the listener reassembles and inflates",
  ignore,
  async fn() {
    const frag = await ourSenderToOurListener("inputs/crafted_biglog.nmsg", ["-m", "512"], []);
    assert.equal(text(frag.stdout), golden("expected/nmsg-pres_crafted_biglog.stdout"));
    const z = await ourSenderToOurListener("inputs/crafted_biglog.nmsg", ["-z", "-m", "512"], []);
    assert.equal(text(z.stdout), golden("expected/nmsg-pres_crafted_biglog.stdout"));
    const lorem = await ourSenderToOurListener("inputs/generic-tests_lorem.nmsg", [
      "-z",
      "--unbuffered",
    ], ["-dd", "-o", "-"]);
    assert.equal(text(lorem.stdout), golden("expected/nmsg-pres_generic-tests_lorem.stdout"));
    assert.equal(totals(lorem.stderr).recvs, 15); // one container per payload
  },
});

Deno.test({
  name: "nmsgtool -s ADDR/LO..HI stripes over a port range that -l LO..HI reads",
  ignore,
  async fn() {
    const out = await ourSenderToOurListener(
      "inputs/generic-tests_dnsqr.nmsg",
      ["--unbuffered"],
      ["-J", "-", "-dd"],
      "127.0.0.1",
      3,
    );
    // Three inputs write to one output in arrival order: compare as sets of lines.
    const sorted = (s: string) => s.split("\n").filter((l) => l !== "").sort();
    assert.deepEqual(
      sorted(text(out.stdout)),
      sorted(golden("expected/nmsg-json_generic-tests_dnsqr.stdout")),
    );
    const t = totals(out.stderr);
    assert.deepEqual([t.recvs, t.drops], [32, 0]);
  },
});

/** A temporary NMSG file of `n` small logline payloads. */
function tempNmsg(n: number): string {
  const w = new ContainerWriter();
  const units: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const p: Payload = {
      vid: 1,
      msgtype: 6,
      timeSec: 1700000000 + i,
      timeNsec: 0,
      payload: new Uint8Array([0x0a, 1, 0x61]),
    };
    units.push(...w.add(p).map((u) => u.slice()));
  }
  units.push(...w.flush().map((u) => u.slice()));
  const path = Deno.makeTempFileSync({ suffix: ".nmsg" });
  Deno.writeFileSync(path, new Uint8Array(units.flatMap((u) => [...u])));
  return path;
}

Deno.test({
  name: "nmsgtool -s lossless at a modest rate: every container counted, none dropped",
  ignore,
  async fn() {
    const file = tempNmsg(20000);
    try {
      const out = await ourSenderToOurListener(file, [], ["-dd", "-w", "/dev/null"]);
      const t = totals(out.stderr);
      assert.deepEqual([t.payloadsIn, t.drops], [20000, 0]);
      assert.ok(t.recvs > 1);
    } finally {
      Deno.removeSync(file);
    }
  },
});

Deno.test({
  name: "nmsgtool -s ADDR/PORT,RATE paces the datagrams and loses none",
  ignore,
  async fn() {
    // 250 one-payload datagrams at 100/s take about 2.5 s to send, unpaced a fraction of
    // that. Only a lower bound is checked (a loaded machine only adds time); the limiter's
    // accuracy is tested with a fake clock in tests/io/rate_limiter_test.ts.
    const RATE = 100;
    const N = 250;
    const file = tempNmsg(N);
    const input = UdpInput.bind(LOOPBACK4);
    let received = 0;
    const receiving = (async () => {
      const timer = setTimeout(() => input.close(), 30000);
      while (received < N) {
        const b = await input.read();
        if (b === null) break;
        received += b.payloads.length;
      }
      clearTimeout(timer);
      input.close();
    })();
    const start = performance.now();
    const sent = await runTool("nmsgtool", [
      "-r",
      file,
      "--unbuffered",
      "-s",
      `127.0.0.1/${input.localAddress.port},${RATE}`,
    ]);
    const seconds = (performance.now() - start) / 1000;
    await receiving;
    Deno.removeSync(file);
    assert.deepEqual([sent.code, sent.stderr], [0, ""]);
    assert.equal(received, N);
    assert.ok(seconds >= 2, `${seconds} s`);
  },
});

Deno.test({
  name: "nmsgtool -C listens on every socket of a channel alias (NMSG_CHALIAS_FILE)",
  ignore,
  async fn() {
    const a = freePort();
    let b = freePort();
    while (b === a) b = freePort();
    const file = Deno.makeTempFileSync();
    Deno.writeTextFileSync(file, `other 127.0.0.1/1\nlab 127.0.0.1/${a}\nlab 127.0.0.1/${b}\n`);
    try {
      const tool = await listen("nmsgtool", ["-C", "lab", "-dd", "-J", "-"], [a, b], {
        NMSG_CHALIAS_FILE: file,
      });
      sendAll(to(a), readDgrams("udp/normal.dgrams"));
      sendAll(to(b), readDgrams("udp/unbuffered.dgrams"));
      await tool.drained();
      const out = await tool.stop("SIGINT");
      // Two inputs share one output: compare as sets of lines.
      const sorted = (s: string) => s.split("\n").filter((l) => l !== "").sort();
      assert.deepEqual(
        sorted(text(out.stdout)),
        sorted(
          golden("expected/nmsg-json_generic-tests_dnsqr.stdout") +
            golden("expected/nmsg-json_generic-tests_lorem.stdout"),
        ),
      );
      const lines = out.stderr.split("\n");
      assert.ok(lines.includes("nmsgtool: looking up channel 'lab'"), out.stderr);
      assert.ok(lines.includes(`nmsgtool: nmsg socket input: 127.0.0.1/${a}`));
      assert.ok(lines.includes(`nmsgtool: nmsg socket input: 127.0.0.1/${b}`));
      assert.deepEqual([totals(out.stderr).recvs, totals(out.stderr).drops], [17, 0]);
    } finally {
      Deno.removeSync(file);
    }
  },
});

import assert from "node:assert/strict";
import { encodeContainer } from "../../src/wire/container.ts";
import { writeHeader } from "../../src/wire/header.ts";
import { goldenBytes } from "../_golden.ts";
import { runDeno, runTool, toolCommand } from "../_cli.ts";
import { haveLibc, LOOPBACK4, sendAll } from "../io/_udp_util.ts";
import { readDgrams } from "../wire/_util.ts";
import { waitUntil } from "./_background_tool.ts";
import { freePort, listen } from "./_udp_listener.ts";

const ignore = !haveLibc;
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const to = (port: number) => ({ ...LOOPBACK4, port });

// The JSON lines of the lorem payloads the seqsrc captures carry (container i mod 15).
const LOREM_JSON = text(goldenBytes("expected/nmsg-json_generic-tests_lorem.stdout"))
  .split("\n").slice(0, 15);

Deno.test({
  name: "nmsg-seqsrc prints each payload as JSON and the C example's counts on SIGINT",
  ignore,
  async fn() {
    const port = freePort();
    const tool = await listen("nmsg-seqsrc", ["-l", `127.0.0.1/${port}`], [port]);
    // Golden pattern 0,9,3,10: 8 lost, a reset, then 6 lost (udp/seqsrc.tsv: 4 received, 14 dropped).
    sendAll(to(port), readDgrams("udp/seqsrc_jumps.dgrams"));
    await tool.drained();
    const out = await tool.stop("SIGINT");
    assert.equal(out.code, 0, out.stderr);
    assert.equal(text(out.stdout), LOREM_JSON.slice(0, 4).map((l) => l + "\n").join(""));
    assert.match(out.stderr, /\nreceived 4 containers\ndropped 14 containers\n/);
    // The source's counts since its reset, as libnmsg keeps them: 1 received, 6 dropped.
    assert.match(
      out.stderr,
      new RegExp(
        `127\\.0\\.0\\.1/${port}\\s+[0-9a-f]{16}\\s+127\\.0\\.0\\.1/\\d+\\s+1\\s+6\\s+85\\.71%`,
      ),
    );
  },
});

Deno.test({
  name: "nmsg-seqsrc counts an injected gap per sender, and reports JSON stats periodically",
  ignore,
  async fn() {
    const port = freePort();
    const tool = await listen(
      "nmsg-seqsrc",
      ["-l", `127.0.0.1,${port}`, "--stats", "0.2", "--json-stats"],
      [port],
    );
    // Sequences 0..19 without 3, 4 and 11 from one sender; 0..4 from a second one.
    const unit = (sequence: number, sequenceId: bigint) => {
      // base/logline {category: "a"}
      const payload = new Uint8Array([0x0a, 1, 0x61]);
      const u = encodeContainer([{ vid: 1, msgtype: 6, timeSec: sequence, timeNsec: 0, payload }], {
        sequence,
        sequenceId,
      }, 10);
      writeHeader(u, 0, 0, u.length - 10);
      return u;
    };
    const gaps = [...Array(20).keys()].filter((s) => ![3, 4, 11].includes(s));
    sendAll(to(port), gaps.map((s) => unit(s, 0xaan)));
    sendAll(to(port), [0, 1, 2, 3, 4].map((s) => unit(s, 0xbbn)));
    await tool.drained();
    const reports = () =>
      tool.stderr().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    await waitUntil(
      "a periodic report counts every container",
      () => reports().some((r) => r.received === 22),
    );
    const out = await tool.stop("SIGTERM");
    assert.equal(out.code, 0, out.stderr);
    assert.equal(text(out.stdout).split("\n").length - 1, 22, out.stderr);
    // The periodic reports, then the one at exit.
    const all = out.stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    assert.ok(all.length >= 2, out.stderr);
    const last = all.at(-1);
    assert.equal(last.received, 22);
    assert.equal(last.dropped, 3);
    assert.equal(last.payloads, 22);
    const sources = last.inputs[0].sources;
    assert.deepEqual(
      sources.map((s: { sequence_id: string; received: number; dropped: number }) => [
        s.sequence_id,
        s.received,
        s.dropped,
      ]).sort(),
      [["00000000000000aa", 17, 3], ["00000000000000bb", 5, 0]],
    );
    assert.ok(!out.stderr.includes("received 22 containers"), "JSON replaces the text report");
  },
});

Deno.test({
  name: "nmsg-seqsrc usage errors and missing permissions give one line",
  ignore,
  async fn() {
    const none = await runTool("nmsg-seqsrc", []);
    assert.deepEqual([none.code, none.stderr], [1, "-l must be specified\n"]);
    const bad = await runTool("nmsg-seqsrc", ["-l", "127.0.0.1/9000..9021"]);
    assert.deepEqual([bad.code, bad.stderr], [1, "nmsg-seqsrc: bad port range in -l argument\n"]);
    const unknown = await runTool("nmsg-seqsrc", ["-x"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^usage: nmsg-seqsrc/);
    // Without --allow-net: the tool's own flags minus that one.
    const port = freePort();
    const args = toolCommand("nmsg-seqsrc").filter((a) => a !== "--allow-net");
    const out = await runDeno([...args, "-l", `127.0.0.1/${port}`]);
    assert.equal(out.code, 1);
    assert.equal(
      out.stderr,
      `missing permission: net access to "127.0.0.1:${port}"; run with --allow-net=127.0.0.1:${port}\n`,
    );
  },
});

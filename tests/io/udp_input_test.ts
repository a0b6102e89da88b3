import assert from "node:assert/strict";
import { UdpInput } from "../../src/io/udp_input.ts";
import { encodeContainer } from "../../src/wire/container.ts";
import { writeHeader } from "../../src/wire/header.ts";
import { GOLDEN_DIR } from "../_golden.ts";
import { goldenContainers, readDgrams } from "../wire/_util.ts";
import { collect } from "./_collect.ts";
import { haveIpv6, haveLibc, LOOPBACK4, LOOPBACK6, sendAll } from "./_udp_util.ts";

const ignore = !haveLibc;

async function goldenPayloads(file: string) {
  return (await goldenContainers(`inputs/${file}`)).flatMap((c) => c.payloads);
}

// README "UDP": what each capture's sender read, and how many containers it sent.
const CAPTURES = [
  { name: "normal", input: "generic-tests_dnsqr.nmsg", containers: 2 },
  { name: "zlib", input: "generic-tests_dnsqr.nmsg", containers: 2 },
  { name: "unbuffered", input: "generic-tests_lorem.nmsg", containers: 15 },
  { name: "mtu512", input: "crafted_biglog.nmsg", containers: 4 },
  // Reference bug 8: three compressed containers sent without their NMSG header.
  { name: "bug_mtu512_zlib", input: "crafted_biglog.nmsg", containers: 4 },
];

Deno.test({
  name: "UdpInput delivers the C sender's captures with the payloads of the files sent",
  ignore,
  async fn() {
    for (const cap of CAPTURES) {
      const want = await goldenPayloads(cap.input);
      const input = UdpInput.bind(LOOPBACK4);
      sendAll(input.localAddress, readDgrams(`udp/${cap.name}.dgrams`));
      const got = await collect(input, want.length);
      const stats = input.stats();
      input.close();
      assert.deepEqual(got, want, cap.name);
      assert.equal(stats.containersReceived, cap.containers, cap.name);
      assert.equal(stats.containersDropped, 0, cap.name);
      assert.equal(stats.malformed, 0, cap.name);
      assert.equal(stats.sources.length, 1, cap.name);
    }
  },
});

Deno.test({
  name: "UdpInput completes the off-by-one fragments of reference bug 9",
  ignore,
  async fn() {
    const input = UdpInput.bind(LOOPBACK4);
    sendAll(input.localAddress, readDgrams("udp/bug_frag_last.dgrams"));
    const got = await collect(input, 1);
    input.close();
    assert.equal(got.length, 1);
    // inputs/crafted_fragbug.json holds one base/logline (vid 1, msgtype 6).
    const json = JSON.parse(Deno.readTextFileSync(GOLDEN_DIR + "inputs/crafted_fragbug.json"));
    const text = new TextDecoder().decode(got[0]!.payload);
    assert.deepEqual([got[0]!.vid, got[0]!.msgtype], [1, 6]);
    assert.ok(text.includes(json.message.category) && text.includes(json.message.message));
  },
});

Deno.test({
  name: "UdpInput counts the golden seqsrc patterns exactly as the C tool",
  ignore,
  async fn() {
    const rows = Deno.readTextFileSync(GOLDEN_DIR + "udp/seqsrc.tsv").trim().split("\n");
    assert.equal(rows.shift(), "pattern\treceived\tdropped\tname\tpayloads_in");
    assert.equal(rows.length, 4);
    for (const row of rows) {
      const [, received, dropped, name, payloadsIn] = row.split("\t");
      const input = UdpInput.bind(LOOPBACK4);
      sendAll(input.localAddress, readDgrams(`udp/seqsrc_${name}.dgrams`));
      const got = await collect(input, Number(payloadsIn));
      const stats = input.stats();
      input.close();
      assert.equal(got.length, Number(payloadsIn), name);
      assert.equal(stats.containersReceived, Number(received), name);
      assert.equal(stats.containersDropped, Number(dropped), name);
    }
  },
});

Deno.test({
  name: "UdpInput skips malformed datagrams, reports each, and keeps reading",
  ignore,
  async fn() {
    const lines: string[] = [];
    const input = UdpInput.bind(LOOPBACK4, {
      log: (level, line) => lines.push(`${level} ${line}`),
    });
    const good = encodeContainer([{ vid: 1, msgtype: 6, timeSec: 5, timeNsec: 6 }], {
      sequence: 0,
      sequenceId: 7n,
    }, 10);
    writeHeader(good, 0, 0, good.length - 10);
    const unit = (flags: number, body: number[]) => {
      const u = new Uint8Array(10 + body.length);
      writeHeader(u, 0, flags, body.length);
      u.set(body, 10);
      return u;
    };
    const badMagic = good.slice();
    badMagic[3] = 0x58;
    const badVersion = good.slice();
    badVersion[5] = 3;
    const bad = [
      new Uint8Array([1, 2, 3]), // shorter than a header
      badMagic,
      badVersion,
      good.subarray(0, good.length - 1), // header length != datagram
      unit(0, [0x0a, 0x05, 0x08]), // protobuf field longer than the data
      unit(1, [0, 0, 0, 9, 0x78, 0x9c, 1, 2]), // zlib garbage
      unit(2, [0x08, 1, 0x10, 5, 0x18, 1, 0x22, 0]), // fragment 5 of 0..1
      new Uint8Array(0), // empty datagram: libnmsg takes it for end of input
    ];
    sendAll(input.localAddress, [...bad, good]);
    const got = await collect(input, 1);
    const stats = input.stats();
    input.close();
    assert.deepEqual(got, [{ vid: 1, msgtype: 6, timeSec: 5, timeNsec: 6 }]);
    assert.equal(stats.malformed, bad.length);
    assert.equal(stats.datagrams, bad.length + 1);
    assert.equal(stats.containersReceived, 1);
    const reports = lines.filter((l) => l.startsWith(`1 ${input.name}: dropped a malformed`));
    assert.equal(reports.length, bad.length);
    assert.match(reports[1]!, /incorrect magic number in NMSG header$/);
    assert.match(reports[2]!, /incorrect version number in NMSG header$/);
  },
});

Deno.test({
  name: "UdpInput receives on ::1",
  ignore: ignore || !haveIpv6,
  async fn() {
    const input = UdpInput.bind(LOOPBACK6);
    assert.match(input.name, /^::1\/\d+$/);
    sendAll(input.localAddress, readDgrams("udp/normal.dgrams"));
    const got = await collect(input, 32);
    const stats = input.stats();
    input.close();
    assert.deepEqual(got, await goldenPayloads("generic-tests_dnsqr.nmsg"));
    assert.match(stats.sources[0]!.sender, /^::1\/\d+$/);
  },
});

Deno.test({
  name: "UdpInput.close() ends a pending read with null and frees the port",
  ignore,
  async fn() {
    const input = UdpInput.bind(LOOPBACK4);
    const pending = input.read();
    input.close();
    assert.equal(await pending, null);
    assert.equal(await input.read(), null);
    // The port can be bound again, by a socket without SO_REUSEPORT sharing.
    UdpInput.bind(input.localAddress).close();
  },
});

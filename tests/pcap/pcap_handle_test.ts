import assert from "node:assert/strict";
import type { BpfProgram } from "../../src/pcap/bpf_program.ts";
import { PcapError } from "../../src/pcap/errors.ts";
import { NextResult, PcapHandle } from "../../src/pcap/pcap_handle.ts";
import { runDeno } from "../_cli.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";
import { findLibrary } from "../_native.ts";

const ignore = findLibrary("libpcap") === undefined;
const DIG = GOLDEN_DIR + "inputs/generic-tests_dig_response.pcap";
const RAW = GOLDEN_DIR + "inputs/nmsg-dnsqr-tests_test1-dnsqr.pcap";

function base64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

/** The first golden dnsqr record of a pcap (what libnmsg made of it). */
function firstRecord(id: string) {
  const text = new TextDecoder().decode(goldenBytes(`expected/pcap-dnsqr-json_${id}.stdout`));
  return JSON.parse(text.split("\n")[0]!);
}

Deno.test({
  name: "PcapHandle reads a savefile: link type, timestamps and packet bytes",
  ignore,
  fn() {
    using h = PcapHandle.openOffline(DIG);
    assert.equal(h.datalink, 1);
    assert.equal(h.datalinkName, "EN10MB");
    assert.equal(h.live, false);
    const frame = new Uint8Array(h.snapshot);
    assert.equal(h.next(), NextResult.Packet);
    h.copyPacket(frame);
    // libnmsg stored this query from the IP header on, with the same timestamp.
    const rec = firstRecord("generic-tests_dig_response");
    const ip = base64(rec.message.query_packet[0]);
    assert.equal(h.caplen, ip.length + 14);
    assert.equal(h.length, h.caplen);
    assert.deepEqual(frame.subarray(14, h.caplen), ip);
    assert.equal(h.tsSec, rec.message.query_time_sec[0]);
    assert.equal(h.tsUsec * 1000, rec.message.query_time_nsec[0]);
    let n = 1;
    while (h.next() === NextResult.Packet) n++;
    assert.equal(n, 12);
    assert.equal(h.next(), NextResult.End);
  },
});

Deno.test({
  name: "PcapHandle.setFilter() filters a savefile; BpfProgram.matches() runs a filter",
  ignore,
  fn() {
    using h = PcapHandle.openOffline(DIG);
    h.setFilter("udp src port 53");
    let n = 0;
    while (h.next() === NextResult.Packet) n++;
    assert.equal(n, 6);

    using raw = PcapHandle.openOffline(RAW);
    assert.equal(raw.datalink, 12);
    using prog: BpfProgram = raw.compile("src host 208.94.148.13");
    const frame = new Uint8Array(raw.snapshot);
    const verdicts: boolean[] = [];
    while (raw.next() === NextResult.Packet) {
      raw.copyPacket(frame);
      verdicts.push(prog.matches(frame, raw.caplen));
    }
    // test1-dnsqr.pcap: 5 queries, each followed by its response; 208.94.148.13 answers
    // the third and fourth (as tcpdump shows).
    assert.deepEqual(verdicts, [
      false,
      false,
      false,
      false,
      false,
      true,
      false,
      true,
      false,
      false,
    ]);
  },
});

Deno.test({
  name: "PcapHandle reports libpcap's own error text",
  ignore,
  fn() {
    assert.throws(() => PcapHandle.openOffline("/nonexistent/x.pcap"), (e: unknown) => {
      assert.ok(e instanceof PcapError);
      assert.equal(e.operation, "pcap_open_offline");
      assert.match(e.detail, /No such file or directory/);
      return true;
    });
    using dead = PcapHandle.openDead(12, 1500);
    assert.throws(() => dead.compile("nonsense filter((("), (e: unknown) => {
      assert.ok(e instanceof PcapError);
      assert.match(e.detail, /syntax error/);
      return true;
    });
    assert.equal(dead.compiles("vlan and ip"), false);
    assert.throws(() => PcapHandle.openLive("nmsg-no-such-if0"), PcapError);
    dead.close();
    assert.ok(dead.closed);
    assert.throws(() => dead.datalink, TypeError);
  },
});

Deno.test({
  name: "PcapHandle works under scoped --allow-ffi=<libpcap>,<libc>",
  ignore: ignore || findLibrary("libc") === undefined,
  async fn() {
    const script = new URL("./_count_packets.ts", import.meta.url).pathname;
    const grant = [findLibrary("libpcap")!, findLibrary("libc")!].join(",");
    const stdin = await Deno.readFile(DIG);
    const run = async (ffi: string, path: string, read = ["--allow-read"]) => {
      const out = await runDeno(
        ["run", ...read, `--allow-ffi=${ffi}`, "--no-prompt", script, path],
        { stdin },
      );
      return { ...out, stdout: new TextDecoder().decode(out.stdout) };
    };
    assert.equal((await run(grant, DIG)).stdout, "12\n");
    // Standard input is read by libpcap, whose packets are copied out with libc memcpy.
    assert.equal((await run(grant, "-")).stdout, "12\n");
    const libpcapOnly = findLibrary("libpcap")!;
    const denied = await run(libpcapOnly, "-");
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /Requires ffi access to ".*libc/);
    // A savefile's records are read in TypeScript: no copy through libc.
    assert.equal((await run(libpcapOnly, DIG)).stdout, "12\n");
    // Without read permission for the file (and without a prompt), libpcap reads them.
    assert.equal((await run(grant, DIG, [])).stdout, "12\n");
  },
});

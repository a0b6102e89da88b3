import assert from "node:assert/strict";
import { captureFilter, moduleCaptureFilter } from "../../src/pcap/capture_filter.ts";
import { PcapHandle } from "../../src/pcap/pcap_handle.ts";
import { findLibrary } from "../_native.ts";

Deno.test("captureFilter() lets fragments, IPv6 and VLAN frames through", () => {
  const plan = captureFilter("host 192.0.2.1", () => true);
  const base = "(((ip) and (host 192.0.2.1)) or (ip[6:2] & 0x3fff != 0) or (ip6))";
  assert.equal(plan.filter, `${base} or (vlan and ${base})`);
  assert.deepEqual([plan.ip6, plan.ipv4Fragments, plan.vlan, plan.ipOnly], [
    true,
    true,
    true,
    true,
  ]);
});

Deno.test("captureFilter() leaves out the clauses that do not compile", () => {
  const compiles = (e: string) => !e.includes("vlan") && !e.startsWith("(ip) and");
  assert.equal(
    captureFilter("udp", compiles).filter,
    "(((udp)) or (ip[6:2] & 0x3fff != 0) or (ip6))",
  );
  assert.equal(captureFilter("x", () => false).filter, "(((x)))");
  assert.equal(moduleCaptureFilter("F", () => true), "(F) or (vlan and (F))");
  assert.equal(moduleCaptureFilter("F", () => false), "F");
});

Deno.test({
  name: "captureFilter() decisions depend on the link type (libpcap)",
  ignore: findLibrary("libpcap") === undefined,
  fn() {
    using ether = PcapHandle.openDead(1, 1500);
    using raw = PcapHandle.openDead(12, 1500);
    const onEther = captureFilter("udp port 53", (e) => ether.compiles(e));
    const onRaw = captureFilter("udp port 53", (e) => raw.compiles(e));
    assert.equal(onEther.vlan, true);
    assert.equal(onRaw.vlan, false); // no VLAN tags on raw IP
    assert.ok(ether.compiles(onEther.filter));
    assert.ok(raw.compiles(onRaw.filter));
  },
});

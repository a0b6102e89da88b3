import assert from "node:assert/strict";
import { DnsqrAddressError, dnsqrAddressFilter } from "../../../src/msgmod/capture/dnsqr_bpf.ts";

// The patterns, as libnmsg's dnsqr_pcap_init writes them (../shared/spec/message-modules.md §4.8).
const FRAGS = "(ip[6:2] & 0x3fff != 0)";

Deno.test("dnsqrAddressFilter() fills the authoritative-server patterns", () => {
  const src = "src 192.0.2.1 or src net 10.0.0.0/8";
  const dst = "dst 192.0.2.1 or dst net 10.0.0.0/8";
  assert.equal(
    dnsqrAddressFilter(" 192.0.2.1 , 10.0.0.0/8", undefined, undefined),
    `(((${dst}) and udp dst port 53) or ((${src}) and udp src port 53) or ((${src}) and ${FRAGS}))`,
  );
  assert.equal(
    dnsqrAddressFilter("192.0.2.1", undefined, 0),
    "((dst 192.0.2.1) and udp dst port 53 and (((udp[10:2] >> 15) & 0x01) == 0))",
  );
  assert.equal(
    dnsqrAddressFilter("192.0.2.1", undefined, 1),
    "(((src 192.0.2.1) and udp src port 53 and (((udp[10:2] >> 15) & 0x01) == 1)) or " +
      `((src 192.0.2.1) and ${FRAGS}))`,
  );
});

Deno.test("dnsqrAddressFilter() joins families and sides with or", () => {
  assert.equal(
    dnsqrAddressFilter("2001:db8::53", "192.0.2.1,2001:db8::1", undefined),
    "((dst 2001:db8::53) or (src 2001:db8::53)) or " +
      "(((src 192.0.2.1) and udp dst port 53) or ((dst 192.0.2.1) and udp src port 53) or " +
      `((dst 192.0.2.1) and ${FRAGS})) or ((src 2001:db8::1) or (dst 2001:db8::1))`,
  );
  assert.equal(dnsqrAddressFilter(undefined, undefined, undefined), undefined);
});

Deno.test("dnsqrAddressFilter() refuses a list without any address", () => {
  assert.throws(() => dnsqrAddressFilter("", undefined, undefined), DnsqrAddressError);
  assert.throws(
    () => dnsqrAddressFilter(undefined, "resolver.example, x", undefined),
    DnsqrAddressError,
  );
  // Entries that are not addresses are left out.
  assert.equal(
    dnsqrAddressFilter(undefined, "bogus,2001:db8::1", undefined),
    "((src 2001:db8::1) or (dst 2001:db8::1))",
  );
});

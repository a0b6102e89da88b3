// Payloads of every module with odd values, built with our encoder: invalid UTF-8, NULs,
// unknown enums, odd IP lengths, out-of-range numbers, glibc rounding ties, legacy ncap,
// dnstap and dnsqr records, and messages that cannot be rendered. Inputs only: what they
// must render as is stated where they are tested.

import { defaultRegistry, NmsgMessage, type Payload } from "../../mod.ts";
import { ProtoWriter } from "../../src/wire/_protobuf.ts";

const registry = defaultRegistry();

/** An empty message of `vname/mname` at 2020-01-01 00:00:00.000000123. */
export function edgeMessage(vname: string, mname: string): NmsgMessage {
  return new NmsgMessage(registry.lookupByName(vname, mname)!)
    .setEnvelope({ timeSec: 1577836800, timeNsec: 123 });
}

/** Bytes from hex digits (spaces ignored). */
export function hexBytes(s: string): Uint8Array {
  return Uint8Array.from(s.replaceAll(" ", "").match(/../g) ?? [], (h) => parseInt(h, 16));
}

const b = (...xs: number[]) => new Uint8Array(xs);
const enc = (s: string) => new TextEncoder().encode(s);
const m = edgeMessage;

/** Logline categories: invalid UTF-8 of every kind, NULs, control characters, a BOM. */
export const ODD_STRINGS: readonly Uint8Array[] = [
  hexBytes("61 e8 81 20 62"),
  hexBytes("c1 80 78"),
  hexBytes("e0 90 80"),
  hexBytes("f0 88 80 80"),
  hexBytes("ed a0 80"),
  hexBytes("f4 90 80 80"),
  hexBytes("f5 80 80 80"),
  hexBytes("61 00 62 ff 63 00 64"),
  hexBytes("01 02 1f 7f 2f 22 5c 08 0c"),
  hexBytes("c3"),
  hexBytes("e2 82"),
  hexBytes("80 80"),
  hexBytes("ef bb bf 41"),
  b(),
  b(0),
];

/** Doubles around glibc's `%f`/`%.18f` rounding: ties, tiny, huge and negative zero. */
export const ODD_DOUBLES: readonly number[] = [
  -0,
  0.1,
  2.5e-7,
  1e-300,
  -1.5,
  0.5,
  1.5,
  2.5,
  0.0078125,
  0.0234375,
  123456.0000005,
  9.999999999999999e43,
  1e21,
  2 ** 53 + 2,
];

/** A DNS query for `a.`/A. */
export const DNS_QUERY = hexBytes("0001 0100 0001 0000 0000 0000 0161 00 0001 0001");
/** An IPv4/TCP header 10.0.0.1:80 → 10.0.0.2:53 with no payload. */
export const TCP4 = hexBytes(
  "4500 0028 0000 0000 4006 0000 0a00 0001 0a00 0002 0050 0035 0000 0000 0000 0000 5000 0000" +
    "0000 0000",
);
/** The UDP datagram of DNS_QUERY, 10.0.0.1:40000 → 10.0.0.2:53, checksum 0 (not stored). */
const UDP_QUERY = Uint8Array.of(
  ...hexBytes("4500 002f 0000 0000 4011 0000 0a00 0001 0a00 0002 9c40 0035 001b 0000"),
  ...DNS_QUERY,
);
/** A response to UDP_QUERY with a made-up checksum. */
const UDP_RESPONSE = hexBytes(
  "4500 002f 0000 0000 4011 0000 0a00 0002 0a00 0001 0035 9c40 001b 1234" +
    "0001 8180 0001 0000 0000 0000 0161 00 0001 0001",
);

/** A dnstap payload setting every Message field we read, with an unparseable DNS message. */
function dnstapPayload(): Payload {
  const inner = new ProtoWriter();
  inner.varint(1 << 3);
  inner.varint(6); // type CLIENT_RESPONSE
  inner.varint((4 << 3) | 2);
  inner.lenBytes(b(192, 0, 2, 9));
  inner.varint(6 << 3);
  inner.varint(53000);
  inner.varint(8 << 3);
  inner.varint(1700000000);
  inner.varint((9 << 3) | 5);
  inner.fixed32(5);
  inner.varint((10 << 3) | 2);
  inner.lenBytes(DNS_QUERY);
  inner.varint((11 << 3) | 2);
  inner.lenBytes(hexBytes("03636f6d00"));
  inner.varint((14 << 3) | 2);
  inner.lenBytes(b(1, 2, 3));
  const w = new ProtoWriter();
  w.varint((1 << 3) | 2);
  w.lenBytes(enc("id"));
  w.varint((3 << 3) | 2);
  w.lenBytes(b());
  w.varint((14 << 3) | 2);
  w.lenBytes(inner.finish().slice());
  w.varint(15 << 3);
  w.varint(1);
  return { vid: 1, msgtype: 13, timeSec: 1577836800, timeNsec: 9, payload: w.finish().slice() };
}

/**
 * Every edge payload, in a fixed order. The last one cannot be rendered (dns `rdata`
 * without `rrclass`): presentation skips it and JSON output stops there.
 */
export function edgePayloads(): Payload[] {
  const ps: Payload[] = [];
  for (const s of ODD_STRINGS) {
    ps.push(m("base", "logline").setRaw("category", s).setRaw("message", enc("m")).toPayload());
  }
  ps.push(
    m("base", "email").setRaw("headers", hexBytes("61 0a 0d ff 0a")).setRaw("body", b())
      .set("srcip", "10.0.0.1").setRaw("rcpt", [b(0x78), b()]).toPayload(),
    m("base", "http").setRaw("type", 7).setRaw("srcip", b(1, 2, 3)).setRaw("srcport", 70000)
      .setRaw("p0f_dist", -32769).setRaw("p0f_score", 40000).setRaw("p0f_uptime", -2147483648)
      .setRaw("dstip", b()).toPayload(),
    m("base", "http").setRaw("type", -1).toPayload(),
  );
  for (const d of ODD_DOUBLES) {
    ps.push(
      m("SIE", "delay").set("query_ip", "192.0.2.1").set("response_ip", "2001:db8::1")
        .setRaw("delay", d).setRaw("response_time_sec", -9223372036854775808n).toPayload(),
    );
  }
  ps.push(
    m("base", "ipconn").setRaw("proto", 0xffffffff).setRaw(
      "srcip",
      hexBytes("00".repeat(15) + "01"),
    )
      .setRaw("dstip", hexBytes("00".repeat(10) + "ffff 01020304")).toPayload(),
    // Unknown rcode, type and class, an empty qname, a sensor id.
    m("base", "dnsobs").setRaw("time", 18446744073709551615n).set("response_ip", "::")
      .setRaw("qname", b()).setRaw("qtype", 999).setRaw("qclass", 1234).setRaw("rcode", 20)
      .setRaw("sensor_id", 0x12ab).setRaw("response", b(1, 2, 3)).toPayload(),
    // rdata without rrclass: the whole message fails.
    m("base", "dns").setRaw("rrname", b(1, 0x61, 0)).setRaw("rrtype", 16).setRaw("rrclass", 3)
      .setRaw("rdata", [b(), b(3, 0x61, 0x22, 0x5c)]).toPayload(),
    m("SIE", "dnsdedupe").setRaw("rrclass", 1234).setRaw("rrtype", 0).setRaw("time_first", 0)
      .setRaw("time_last", 4294967295).setRaw("response", b(0))
      .setRaw("bailiwick", new Uint8Array(300)).toPayload(),
    m("SIE", "newdomain").setRaw("new_domain", true).setRaw("new_rr", [true, false])
      .setRaw("keys", [enc("k1\0"), enc("k\x002")]).toPayload(),
  );
  for (
    const [type, data] of [
      [0, enc("a\0b\u00e9\xff")],
      [1, enc('{"a": [1,2]}')],
      [1, enc("nope")],
      [2, enc("y: 1\n")],
      [3, b(0x81, 0xa1)],
      [4, enc("<x/>")],
      [9, enc("?")],
    ] as const
  ) ps.push(m("base", "encode").setRaw("type", type).setRaw("payload", data).toPayload());
  ps.push(
    m("SIE", "qr").setRaw("type", 2).set("text", "some text").set("num_response", 5).toPayload(),
    m("SIE", "reputation").setRaw("type", 4).set("tag", "t").set("address", "1.2.3.4")
      .set("netmask", "255.255.255.0").set("port", 443).toPayload(),
    m("base", "xml").set("xmltype", "t").setRaw("xmlpayload", b()).toPayload(),
    m("base", "linkpair").setRaw("type", 1).set("src", "http://a/").set("dst", "http://b/")
      .setRaw("headers", enc("H: v\r\n")).toPayload(),
    m("base", "pkt").setRaw("payload", b(1, 2, 3)).set("len_frame", 99).toPayload(),
    m("base", "packet").setRaw("payload_type", 1).setRaw("payload", b(0x45)).toPayload(),
    m("base", "packet").setRaw("payload_type", 0).setRaw("payload", b()).toPayload(),
    m("base", "dnstap").setRaw("type", 1).toPayload(),
    m("base", "logline").set("category", "env")
      .setEnvelope({ source: 0xdeadbeef, operator: 7, group: 4294967295 }).toPayload(),
  );
  // ncap: legacy records (UDP with a DNS message, TCP, missing lints), an empty payload and
  // IPv4 TCP. (A legacy record without srcip is left out: the C tool prints uninitialised
  // memory for it.)
  const legacy = (ltype: number) =>
    m("base", "ncap").setRaw("type", 2).setRaw("ltype", ltype).set("srcip", "192.0.2.1");
  ps.push(
    legacy(0).set("dstip", "2001:db8::53").setRaw("lint0", 65535 + 54).setRaw("lint1", 53)
      .setRaw("payload", DNS_QUERY).toPayload(),
    legacy(0).set("dstip", "192.0.2.2").setRaw("lint0", 53).setRaw("lint1", 9)
      .setRaw("payload", b(1, 2, 3)).toPayload(),
    legacy(1).set("dstip", "192.0.2.2").setRaw("lint0", 80).setRaw("payload", b(1)).toPayload(),
    legacy(0).set("dstip", "192.0.2.2").setRaw("payload", b(1)).toPayload(),
    m("base", "ncap").setRaw("type", 0).setRaw("payload", b()).toPayload(),
    m("base", "ncap").setRaw("type", 0).setRaw("payload", TCP4).toPayload(),
  );
  ps.push(dnstapPayload());
  // dnsqr: a response whose checksum is not stored is checked when printed; a TCP record;
  // an unknown protocol and rcode.
  ps.push(
    m("base", "dnsqr").setRaw("type", 1).set("query_ip", "10.0.0.1").set("response_ip", "10.0.0.2")
      .setRaw("proto", 17).setRaw("query_port", 40000).setRaw("response_port", 53).setRaw("id", 1)
      .setRaw("query_packet", [UDP_QUERY]).setRaw("query_time_sec", [10])
      .setRaw("query_time_nsec", [900000000]).setRaw("response_packet", [UDP_RESPONSE])
      .setRaw("response_time_sec", [11]).setRaw("response_time_nsec", [100]).toPayload(),
    m("base", "dnsqr").setRaw("type", 4).setRaw("query_ip", b()).setRaw("response_ip", b())
      .setRaw("proto", 6).setRaw("tcp", TCP4).toPayload(),
    m("base", "dnsqr").setRaw("type", 2).set("query_ip", "10.0.0.1").set("response_ip", "10.0.0.2")
      .setRaw("proto", 250).setRaw("rcode", 20).setRaw("timeout", 5.5)
      .setRaw("resolver_address_zeroed", true).setRaw("response_packet", [UDP_RESPONSE])
      .toPayload(),
  );
  ps.push(
    m("base", "dns").setRaw("rrname", b(1, 0x61, 0)).setRaw("rrtype", 1)
      .setRaw("rdata", [b(1, 2, 3, 4)]).toPayload(),
  );
  return ps;
}

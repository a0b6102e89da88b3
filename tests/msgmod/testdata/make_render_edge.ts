// Writes render_edge.nmsg: payloads of every module with odd values (invalid UTF-8, NULs,
// unknown enums, odd IP lengths, out-of-range numbers, glibc rounding ties, a message that
// cannot be rendered…), built with our encoder. render_edge.pres and render_edge.jsonl are
// what the C reference made of it:
//   nmsgtool -r render_edge.nmsg > render_edge.pres
//   nmsgtool -r render_edge.nmsg -J render_edge.jsonl   (stops at the last payload, exit 1)
//
//   deno run -A tests/msgmod/testdata/make_render_edge.ts tests/msgmod/testdata/render_edge.nmsg

import { ContainerWriter, defaultRegistry, NmsgMessage, type Payload } from "../../../mod.ts";
import { ProtoWriter } from "../../../src/wire/_protobuf.ts";
const reg = defaultRegistry();
const m = (v: string, t: string) =>
  new NmsgMessage(reg.lookupByName(v, t)!).setEnvelope({ timeSec: 1577836800, timeNsec: 123 });
const b = (...xs: number[]) => new Uint8Array(xs);
const enc = (s: string) => new TextEncoder().encode(s);
const ps: Payload[] = [];
// logline: invalid UTF-8 variants, NULs, control chars
for (
  const bytes of [
    b(0x61, 0xe8, 0x81, 0x20, 0x62),
    b(0xc1, 0x80, 0x78),
    b(0xe0, 0x90, 0x80),
    b(0xf0, 0x88, 0x80, 0x80),
    b(0xed, 0xa0, 0x80),
    b(0xf4, 0x90, 0x80, 0x80),
    b(0xf5, 0x80, 0x80, 0x80),
    b(0x61, 0, 0x62, 0xff, 0x63, 0, 0x64),
    b(1, 2, 0x1f, 0x7f, 0x2f, 0x22, 0x5c, 8, 12),
    b(0xc3),
    b(0xe2, 0x82),
    b(0x80, 0x80),
    b(0xef, 0xbb, 0xbf, 0x41),
    b(),
    b(0),
  ]
) ps.push(m("base", "logline").setRaw("category", bytes).setRaw("message", enc("m")).toPayload());
// email mlstring with odd content
ps.push(
  m("base", "email").setRaw("headers", b(0x61, 0x0a, 0x0d, 0xff, 0x0a)).setRaw("body", b()).set(
    "srcip",
    "10.0.0.1",
  ).setRaw("rcpt", [b(0x78), b()]).toPayload(),
);
// http: unknown enum, odd ip length, truncated numbers
ps.push(
  m("base", "http").setRaw("type", 7).setRaw("srcip", b(1, 2, 3)).setRaw("srcport", 70000).setRaw(
    "p0f_dist",
    -32769,
  ).setRaw("p0f_score", 40000).setRaw("p0f_uptime", -2147483648).setRaw("dstip", b()).toPayload(),
);
ps.push(m("base", "http").setRaw("type", -1).toPayload());
// delay doubles
for (
  const d of [
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
  ]
) {
  ps.push(
    m("SIE", "delay").set("query_ip", "192.0.2.1").set("response_ip", "2001:db8::1").setRaw(
      "delay",
      d,
    ).setRaw("response_time_sec", -9223372036854775808n).toPayload(),
  );
}
// ipconn unusual
ps.push(
  m("base", "ipconn").setRaw("proto", 0xffffffff).setRaw(
    "srcip",
    b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
  ).setRaw("dstip", b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4)).toPayload(),
);
// dnsobs with unknown rcode/type/class, empty qname, sensor id
ps.push(
  m("base", "dnsobs").setRaw("time", 18446744073709551615n).set("response_ip", "::").setRaw(
    "qname",
    b(),
  ).setRaw("qtype", 999).setRaw("qclass", 1234).setRaw("rcode", 20).setRaw("sensor_id", 0x12ab)
    .setRaw("response", b(1, 2, 3)).toPayload(),
);
// dns with rdata but no rrclass -> whole message fails
ps.push(
  m("base", "dns").setRaw("rrname", b(1, 0x61, 0)).setRaw("rrtype", 16).setRaw("rrclass", 3).setRaw(
    "rdata",
    [b(), b(3, 0x61, 0x22, 0x5c)],
  ).toPayload(),
);
// SIE dnsdedupe: unknown class, times, bad response
ps.push(
  m("SIE", "dnsdedupe").setRaw("rrclass", 1234).setRaw("rrtype", 0).setRaw("time_first", 0).setRaw(
    "time_last",
    4294967295,
  ).setRaw("response", b(0)).setRaw("bailiwick", new Uint8Array(300)).toPayload(),
);
// newdomain bools
ps.push(
  m("SIE", "newdomain").setRaw("new_domain", true).setRaw("new_rr", [true, false]).setRaw("keys", [
    enc("k1\0"),
    enc("k\x002"),
  ]).toPayload(),
);
// encode
for (
  const [t, data] of [
    [0, enc("a\0b\u00e9\xff")],
    [1, enc('{"a": [1,2]}')],
    [1, enc("nope")],
    [2, enc("y: 1\n")],
    [3, b(0x81, 0xa1)],
    [4, enc("<x/>")],
    [9, enc("?")],
  ] as const
) {
  ps.push(m("base", "encode").setRaw("type", t).setRaw("payload", data).toPayload());
}
// qr / reputation / xml / linkpair / pkt / packet
ps.push(
  m("SIE", "qr").setRaw("type", 2).set("text", "some text").set("num_response", 5).toPayload(),
);
ps.push(
  m("SIE", "reputation").setRaw("type", 4).set("tag", "t").set("address", "1.2.3.4").set(
    "netmask",
    "255.255.255.0",
  ).set("port", 443).toPayload(),
);
ps.push(m("base", "xml").set("xmltype", "t").setRaw("xmlpayload", b()).toPayload());
ps.push(
  m("base", "linkpair").setRaw("type", 1).set("src", "http://a/").set("dst", "http://b/").setRaw(
    "headers",
    enc("H: v\r\n"),
  ).toPayload(),
);
ps.push(m("base", "pkt").setRaw("payload", b(1, 2, 3)).set("len_frame", 99).toPayload());
ps.push(m("base", "packet").setRaw("payload_type", 1).setRaw("payload", b(0x45)).toPayload());
ps.push(m("base", "packet").setRaw("payload_type", 0).setRaw("payload", b()).toPayload());
// dnstap with message having unknown socket family -> fails; and empty message
ps.push(m("base", "dnstap").setRaw("type", 1).toPayload());
// source/operator/group on envelope
ps.push(
  m("base", "logline").set("category", "env").setEnvelope({
    source: 0xdeadbeef,
    operator: 7,
    group: 4294967295,
  }).toPayload(),
);
// ncap: legacy records (UDP with a DNS message, TCP, missing lints), empty payload, IPv4 TCP.
// (A legacy record without srcip is left out: the C tool prints uninitialised memory.)
const dnsQuery = b(0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1);
ps.push(
  m("base", "ncap").setRaw("type", 2).setRaw("ltype", 0).set("srcip", "192.0.2.1").set(
    "dstip",
    "2001:db8::53",
  ).setRaw("lint0", 65535 + 54).setRaw("lint1", 53).setRaw("payload", dnsQuery).toPayload(),
);
ps.push(
  m("base", "ncap").setRaw("type", 2).setRaw("ltype", 0).set("srcip", "192.0.2.1").set(
    "dstip",
    "192.0.2.2",
  ).setRaw("lint0", 53).setRaw("lint1", 9).setRaw("payload", b(1, 2, 3)).toPayload(),
);
ps.push(
  m("base", "ncap").setRaw("type", 2).setRaw("ltype", 1).set("srcip", "192.0.2.1").set(
    "dstip",
    "192.0.2.2",
  ).setRaw("lint0", 80).setRaw("payload", b(1)).toPayload(),
);
ps.push(
  m("base", "ncap").setRaw("type", 2).setRaw("ltype", 0).set("srcip", "192.0.2.1").set(
    "dstip",
    "192.0.2.2",
  ).setRaw("payload", b(1)).toPayload(),
);
ps.push(m("base", "ncap").setRaw("type", 0).setRaw("payload", b()).toPayload());
const tcp4 = b(
  0x45,
  0,
  0,
  40,
  0,
  0,
  0,
  0,
  64,
  6,
  0,
  0,
  10,
  0,
  0,
  1,
  10,
  0,
  0,
  2,
  0,
  80,
  0,
  53,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0x50,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
);
ps.push(m("base", "ncap").setRaw("type", 0).setRaw("payload", tcp4).toPayload());
// dnstap: every Message getter, an unparseable DNS message, absent enums read as defaults
{
  const w = new ProtoWriter();
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
  inner.lenBytes(dnsQuery);
  inner.varint((11 << 3) | 2);
  inner.lenBytes(b(3, 0x63, 0x6f, 0x6d, 0));
  inner.varint((14 << 3) | 2);
  inner.lenBytes(b(1, 2, 3));
  w.varint((1 << 3) | 2);
  w.lenBytes(enc("id"));
  w.varint((3 << 3) | 2);
  w.lenBytes(b());
  w.varint((14 << 3) | 2);
  w.lenBytes(inner.finish().slice());
  w.varint(15 << 3);
  w.varint(1);
  ps.push({ vid: 1, msgtype: 13, timeSec: 1577836800, timeNsec: 9, payload: w.finish().slice() });
}
// dnsqr: a response whose checksum is not stored is checked when printed; TCP record
{
  const q = b(
    0x45,
    0,
    0,
    47,
    0,
    0,
    0,
    0,
    64,
    17,
    0,
    0,
    10,
    0,
    0,
    1,
    10,
    0,
    0,
    2,
    0x9c,
    0x40,
    0,
    53,
    0,
    27,
    0,
    0,
    ...dnsQuery,
  );
  const r = b(
    0x45,
    0,
    0,
    47,
    0,
    0,
    0,
    0,
    64,
    17,
    0,
    0,
    10,
    0,
    0,
    2,
    10,
    0,
    0,
    1,
    0,
    53,
    0x9c,
    0x40,
    0,
    27,
    0x12,
    0x34,
    0,
    1,
    0x81,
    0x80,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    1,
    0x61,
    0,
    0,
    1,
    0,
    1,
  );
  ps.push(
    m("base", "dnsqr").setRaw("type", 1).set("query_ip", "10.0.0.1").set("response_ip", "10.0.0.2")
      .setRaw("proto", 17).setRaw("query_port", 40000).setRaw("response_port", 53).setRaw("id", 1)
      .setRaw("query_packet", [q]).setRaw("query_time_sec", [10]).setRaw("query_time_nsec", [
        900000000,
      ]).setRaw("response_packet", [r]).setRaw("response_time_sec", [11]).setRaw(
        "response_time_nsec",
        [100],
      ).toPayload(),
  );
  ps.push(
    m("base", "dnsqr").setRaw("type", 4).setRaw("query_ip", b()).setRaw("response_ip", b()).setRaw(
      "proto",
      6,
    ).setRaw("tcp", tcp4).toPayload(),
  );
  ps.push(
    m("base", "dnsqr").setRaw("type", 2).set("query_ip", "10.0.0.1").set("response_ip", "10.0.0.2")
      .setRaw("proto", 250).setRaw("rcode", 20).setRaw("timeout", 5.5).setRaw(
        "resolver_address_zeroed",
        true,
      ).setRaw("response_packet", [r]).toPayload(),
  );
}
// Fails rendering (rdata without rrclass): pres skips it, JSON stops at it.
ps.push(
  m("base", "dns").setRaw("rrname", b(1, 0x61, 0)).setRaw("rrtype", 1).setRaw("rdata", [
    b(1, 2, 3, 4),
  ]).toPayload(),
);
const w = new ContainerWriter({ bufsz: 1048576 });
const out: Uint8Array[] = [];
for (const p of ps) for (const u of w.add(p)) out.push(u.slice());
for (const u of w.flush()) out.push(u.slice());
Deno.writeFileSync(Deno.args[0]!, new Uint8Array(out.flatMap((u) => [...u])));

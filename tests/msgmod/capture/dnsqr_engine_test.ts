import assert from "node:assert/strict";
import {
  type DnsQR,
  DnsqrEngine,
  type DnsqrEngineOptions,
  DnsQRType,
} from "../../../src/msgmod/capture/dnsqr_engine.ts";
import { DLT_RAW } from "../../../src/msgmod/capture/ip_datagram.ts";
import { UdpChecksum } from "../../../src/msgmod/capture/udp_checksum.ts";
import {
  CLIENT4,
  CLIENT6,
  dnsMessage,
  fragment4,
  ipv4,
  SERVER4,
  SERVER6,
  udp4,
  udp6,
} from "./_packets.ts";

interface Out {
  rec: DnsQR;
  sec: number;
  nsec: number;
}

/**
 * Runs packets `[seconds after T, packet]` through an engine; returns copies of the
 * records (the engine reuses its record and the frames' bytes).
 */
function run(packets: [number, Uint8Array][], options: DnsqrEngineOptions = {}): Out[] {
  const out: Out[] = [];
  const engine = new DnsqrEngine(DLT_RAW, options, (rec, sec, nsec) => {
    out.push({
      rec: {
        ...rec,
        queryIp: rec.queryIp.slice(),
        responseIp: rec.responseIp.slice(),
        qname: rec.qname?.slice(),
        queryPacket: rec.queryPacket.map((p) => p.slice()),
        queryTimeSec: [...rec.queryTimeSec],
        queryTimeNsec: [...rec.queryTimeNsec],
        responsePacket: rec.responsePacket.map((p) => p.slice()),
        responseTimeSec: [...rec.responseTimeSec],
        responseTimeNsec: [...rec.responseTimeNsec],
      },
      sec,
      nsec,
    });
  });
  for (const [t, p] of packets) {
    const sec = Math.floor(t);
    engine.packet(p.slice(), p.length, p.length, T + sec, Math.round((t - sec) * 1e9));
  }
  engine.end();
  return out;
}

const query = (id: number, qname: string, opts: { sport?: number; rd?: boolean } = {}) =>
  udp4(CLIENT4, SERVER4, opts.sport ?? 40000, 53, dnsMessage({ id, qname, rd: opts.rd }));
const response = (id: number, qname?: string, rcode = 0, sport = 40000) =>
  udp4(SERVER4, CLIENT4, 53, sport, dnsMessage({ id, qr: true, qname, rcode }));
const types = (out: Out[]) => out.map((o) => o.rec.type);
const T = 1_700_000_000;

Deno.test("DnsqrEngine pairs a query with its response", () => {
  const q = query(1, "example.com");
  const r = response(1, "example.com");
  const [o, ...rest] = run([[0.25, q], [0.5, r]]);
  assert.equal(rest.length, 0);
  assert.ok(o);
  assert.equal(o.rec.type, DnsQRType.UDP_QUERY_RESPONSE);
  assert.deepEqual(o.rec.queryIp, new Uint8Array(CLIENT4));
  assert.deepEqual(o.rec.responseIp, new Uint8Array(SERVER4));
  assert.equal(o.rec.queryPort, 40000);
  assert.equal(o.rec.responsePort, 53);
  assert.equal(o.rec.proto, 17);
  assert.equal(o.rec.id, 1);
  assert.equal(o.rec.qtype, 1);
  assert.equal(o.rec.qclass, 1);
  assert.equal(o.rec.rcode, 0);
  assert.deepEqual(o.rec.queryPacket, [q]);
  assert.deepEqual(o.rec.responsePacket, [r]);
  assert.deepEqual([o.rec.queryTimeSec, o.rec.queryTimeNsec], [[T], [250_000_000]]);
  assert.deepEqual([o.rec.responseTimeSec, o.rec.responseTimeNsec], [[T], [500_000_000]]);
  assert.equal(o.rec.udpChecksum, UdpChecksum.CORRECT);
  assert.deepEqual([o.sec, o.nsec], [T, 250_000_000]); // the query's time
});

Deno.test("DnsqrEngine matches question names byte for byte, case included", () => {
  const out = run([[0, query(1, "WWW.example.com")], [1, response(1, "www.example.com")]]);
  // The response goes out at once; the query waits until the end of input.
  assert.deepEqual(types(out), [
    DnsQRType.UDP_UNSOLICITED_RESPONSE,
    DnsQRType.UDP_UNANSWERED_QUERY,
  ]);
  assert.equal(out[1]!.rec.timeout, 1);
});

Deno.test("DnsqrEngine matches a response without question only for FORMERR/SERVFAIL/NOTIMP/REFUSED", () => {
  for (const [rcode, paired] of [[1, true], [2, true], [3, false], [4, true], [5, true]] as const) {
    const out = run([[0, query(1, "example.com")], [0, response(1, undefined, rcode)]]);
    assert.equal(
      out[0]!.rec.type,
      paired ? DnsQRType.UDP_QUERY_RESPONSE : DnsQRType.UDP_UNSOLICITED_RESPONSE,
    );
    if (paired) {
      // The question comes from the query.
      assert.deepEqual(
        out[0]!.rec.qname,
        new Uint8Array([7, ...new TextEncoder().encode("example"), 3, 99, 111, 109, 0]),
      );
    }
  }
});

Deno.test("DnsqrEngine takes a waiting query only once: a repeated response is unsolicited", () => {
  const out = run([[0, query(1, "a.example")], [0, response(1, "a.example")], [
    0,
    response(1, "a.example"),
  ]]);
  assert.deepEqual(types(out), [DnsQRType.UDP_QUERY_RESPONSE, DnsQRType.UDP_UNSOLICITED_RESPONSE]);
});

Deno.test("DnsqrEngine expires queries lazily, by the time of the packets it reads", () => {
  // No packet in between: the response still matches after 61.25 s.
  let out = run([[0, query(1, "a.example")], [61.25, response(1, "a.example")]]);
  assert.deepEqual(types(out), [DnsQRType.UDP_QUERY_RESPONSE]);

  // An unrelated packet 61 s later makes the query expire before the next packet is read.
  const other = udp4(CLIENT4, SERVER4, 1234, 5678, new Uint8Array(20));
  out = run([
    [0, query(1, "a.example")],
    [61, other],
    [62, query(2, "b.example")],
    [62.5, response(2, "b.example")],
  ]);
  assert.deepEqual(types(out), [DnsQRType.UDP_UNANSWERED_QUERY, DnsQRType.UDP_QUERY_RESPONSE]);
  assert.equal(out[0]!.rec.timeout, 61);

  // At the end of input the wait is measured to the last packet seen.
  out = run([[0, query(1, "a.example")], [5.5, other]]);
  assert.equal(out[0]!.rec.timeout, 5.5);
});

Deno.test("DnsqrEngine emits unanswered queries after the records of later packets", () => {
  const out = run([
    [0, query(1, "a.example")],
    [1, query(2, "b.example", { sport: 40001 })],
    [2, response(2, "b.example", 0, 40001)],
  ]);
  assert.deepEqual(out.map((o) => [o.rec.type, o.rec.id]), [
    [DnsQRType.UDP_QUERY_RESPONSE, 2],
    [DnsQRType.UDP_UNANSWERED_QUERY, 1],
  ]);
});

Deno.test("DnsqrEngine expires the oldest query when more than maxPending wait", () => {
  const out = run([
    [0, query(1, "a.example")],
    [0, query(2, "b.example")],
    [0, query(3, "c.example")],
  ], { maxPending: 1 });
  assert.deepEqual(out.map((o) => o.rec.id), [1, 2, 3]);
});

Deno.test("DnsqrEngine qname filters: include wins, exclude drops subdomains", () => {
  const packets: [number, Uint8Array][] = [
    [0, query(1, "www.Example.com")],
    [0, response(1, "www.Example.com")],
    [0, query(2, "example.net")],
    [0, response(2, "example.net")],
  ];
  const wire = (s: string) => {
    const out: number[] = [];
    for (const l of s.split(".").filter((x) => x)) {
      out.push(l.length, ...new TextEncoder().encode(l));
    }
    return new Uint8Array([...out, 0]);
  };
  assert.deepEqual(run(packets, { qnamesExclude: [wire("example.com")] }).map((o) => o.rec.id), [
    2,
  ]);
  assert.deepEqual(
    run(packets, { qnamesExclude: [wire("")], qnamesInclude: [wire("www.example.com")] }).map((o) =>
      o.rec.id
    ),
    [1],
  );
  // An include list alone drops nothing.
  assert.equal(run(packets, { qnamesInclude: [wire("nothing.example")] }).length, 2);
});

Deno.test("DnsqrEngine RD filter judges pairs by the query's RD bit", () => {
  const packets: [number, Uint8Array][] = [
    [0, query(1, "a.example", { rd: true })],
    [0, response(1, "a.example")],
    [0, query(2, "b.example")],
    [0, response(2, "b.example")],
  ];
  assert.deepEqual(run(packets, { captureRd: 1 }).map((o) => o.rec.id), [1]);
  assert.deepEqual(run(packets, { captureRd: 0 }).map((o) => o.rec.id), [2]);
});

Deno.test("DnsqrEngine without pairing emits one direction only (DNSQR_CAPTURE_QR)", () => {
  const packets: [number, Uint8Array][] = [[0, query(1, "a.example")], [
    0,
    response(1, "a.example"),
  ]];
  const q = run(packets, { captureQr: 0 });
  assert.deepEqual(types(q), [DnsQRType.UDP_QUERY_ONLY]);
  assert.equal(q[0]!.rec.responsePacket.length, 0);
  const r = run(packets, { captureQr: 1 });
  assert.deepEqual(types(r), [DnsQRType.UDP_RESPONSE_ONLY]);
  assert.equal(r[0]!.rec.rcode, 0);
  assert.equal(r[0]!.rec.udpChecksum, UdpChecksum.CORRECT);
});

Deno.test("DnsqrEngine zeroes the querier's address, IPv6 responses included", () => {
  const q = udp6(CLIENT6, SERVER6, 40000, 53, dnsMessage({ id: 5, qname: "a.example" }));
  const r = udp6(SERVER6, CLIENT6, 53, 40000, dnsMessage({ id: 5, qr: true, qname: "a.example" }));
  const [o] = run([[0, q], [0, r]], { zeroResolverAddress: true });
  assert.ok(o);
  assert.equal(o.rec.resolverAddressZeroed, true);
  assert.deepEqual(o.rec.queryIp, new Uint8Array(16));
  assert.deepEqual(o.rec.queryPacket[0]!.subarray(8, 24), new Uint8Array(16)); // source
  assert.deepEqual(o.rec.responsePacket[0]!.subarray(24, 40), new Uint8Array(16)); // destination
  assert.deepEqual(o.rec.responsePacket[0]!.subarray(8, 24), new Uint8Array(SERVER6));
  // Computed before zeroing.
  assert.equal(o.rec.udpChecksum, UdpChecksum.CORRECT);
});

Deno.test("DnsqrEngine records a fragmented response as its fragments, in offset order", () => {
  const r = udp4(
    SERVER4,
    CLIENT4,
    53,
    40000,
    dnsMessage({ id: 3, qr: true, qname: "a.example", extra: 120 }),
  );
  const frags = fragment4(r, 48);
  assert.equal(frags.length, 4);
  const out = run([
    [0, query(3, "a.example")],
    [0.1, frags[2]!],
    [0.2, frags[0]!],
    [0.3, frags[3]!],
    [0.4, frags[1]!],
  ]);
  assert.equal(out.length, 1);
  const rec = out[0]!.rec;
  assert.equal(rec.type, DnsQRType.UDP_QUERY_RESPONSE);
  assert.deepEqual(rec.responsePacket, frags);
  assert.deepEqual(rec.responseTimeNsec, [200_000_000, 400_000_000, 100_000_000, 300_000_000]);
  assert.equal(rec.udpChecksum, UdpChecksum.CORRECT);
});

Deno.test("DnsqrEngine records DNS over TCP and ICMP errors about DNS packets", () => {
  const tcp = ipv4({
    src: CLIENT4,
    dst: SERVER4,
    proto: 6,
    payload: [0x9c, 0x40, 0, 53, ...new Array(8).fill(0), 0x50, 0x18, 0, 0, 0, 0, 0, 0],
  });
  const quoted = udp4(CLIENT4, SERVER4, 40000, 53, dnsMessage({ id: 1 })).subarray(0, 28);
  const icmp = ipv4({
    src: SERVER4,
    dst: CLIENT4,
    proto: 1,
    payload: [3, 3, 0, 0, 0, 0, 0, 0, ...quoted],
  });
  const out = run([[0, tcp], [1, icmp]]);
  assert.deepEqual(types(out), [DnsQRType.TCP, DnsQRType.ICMP]);
  assert.deepEqual(out[0]!.rec.tcp, tcp);
  assert.equal(out[0]!.rec.queryIp.length, 0);
  assert.deepEqual(out[1]!.rec.icmp, icmp);
  assert.deepEqual([out[1]!.sec, out[1]!.nsec], [T + 1, 0]);
});

Deno.test("DnsqrEngine ignores truncated captures and non-DNS ports", () => {
  const q = query(1, "a.example");
  const out: DnsQR[] = [];
  const engine = new DnsqrEngine(DLT_RAW, {}, (rec) => out.push(rec));
  engine.packet(q, q.length, q.length + 1, T, 0);
  const other = udp4(CLIENT4, SERVER4, 40000, 54, dnsMessage({ id: 1, qname: "a.example" }));
  engine.packet(other, other.length, other.length, T, 0);
  engine.end();
  assert.equal(out.length, 0);
});

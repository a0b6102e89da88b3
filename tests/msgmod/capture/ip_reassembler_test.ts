import assert from "node:assert/strict";
import { IpReassembler } from "../../../src/msgmod/capture/ip_reassembler.ts";
import {
  CLIENT4,
  CLIENT6,
  dnsMessage,
  fragment4,
  fragment6,
  SERVER4,
  SERVER6,
  udp4,
  udp6,
} from "./_packets.ts";

const PAYLOAD = dnsMessage({ id: 9, qr: true, qname: "example.org", extra: 150 });

function add(r: IpReassembler, p: Uint8Array, sec = 100, nsec = 0) {
  return r.add(p, 0, p.length, sec, nsec);
}

Deno.test("IpReassembler rebuilds an IPv4 datagram from fragments in any order", () => {
  const whole = udp4(SERVER4, CLIENT4, 53, 40000, PAYLOAD);
  const frags = fragment4(whole, 64);
  assert.equal(frags.length, 3);
  const r = new IpReassembler(60);
  assert.equal(add(r, frags[2]!, 100, 1), null);
  assert.equal(add(r, frags[0]!, 100, 2), null);
  const done = add(r, frags[1]!, 100, 3);
  assert.ok(done);
  // The header (total length, offset and checksum rewritten) equals the unfragmented one.
  assert.deepEqual(done.assemble(), whole);
  // Fragments come in offset order, each with its own time.
  assert.deepEqual(done.fragments.map((f) => f.tsNsec), [2, 3, 1]);
  assert.deepEqual(done.fragments.map((f) => f.offset), [0, 64, 128]);
  assert.equal(r.pending, 0);
});

Deno.test("IpReassembler rebuilds an IPv6 datagram and removes the Fragment header", () => {
  const whole = udp6(SERVER6, CLIENT6, 53, 40000, PAYLOAD);
  const r = new IpReassembler(60);
  let done;
  for (const f of fragment6(whole, 48).reverse()) done = add(r, f);
  assert.ok(done);
  assert.equal(done.version, 6);
  assert.deepEqual(done.assemble(), whole);
});

Deno.test("IpReassembler ignores packets that are not fragments", () => {
  const r = new IpReassembler(60);
  assert.equal(add(r, udp4(CLIENT4, SERVER4, 40000, 53, PAYLOAD)), undefined);
  assert.equal(add(r, udp6(CLIENT6, SERVER6, 40000, 53, PAYLOAD)), undefined);
});

Deno.test("IpReassembler gives up on a datagram with overlapping fragments", () => {
  const frags = fragment4(udp4(SERVER4, CLIENT4, 53, 40000, PAYLOAD), 64);
  const r = new IpReassembler(60);
  assert.equal(add(r, frags[0]!), null);
  assert.equal(add(r, frags[0]!), null); // overlap: invalid until it times out
  assert.equal(add(r, frags[1]!), null);
  assert.equal(add(r, frags[2]!), null);
  assert.equal(r.pending, 1);
});

Deno.test("IpReassembler with timeout 0 needs all fragments within one second", () => {
  const frags = fragment4(udp4(SERVER4, CLIENT4, 53, 40000, PAYLOAD), 64);
  const r = new IpReassembler(0);
  add(r, frags[0]!, 100, 900_000_000);
  add(r, frags[1]!, 100, 950_000_000);
  assert.equal(add(r, frags[2]!, 101, 100_000_000), null); // the first two were dropped
  const again = new IpReassembler(0);
  add(again, frags[0]!, 100, 1);
  add(again, frags[1]!, 100, 2);
  assert.ok(add(again, frags[2]!, 100, 3));
});

Deno.test("IpReassembler keeps entries until their timeout passes", () => {
  const frags = fragment4(udp4(SERVER4, CLIENT4, 53, 40000, PAYLOAD), 64);
  const r = new IpReassembler(60);
  add(r, frags[0]!, 100);
  add(r, frags[1]!, 160);
  assert.ok(add(r, frags[2]!, 160));
  const late = new IpReassembler(60);
  add(late, frags[0]!, 100);
  assert.equal(add(late, frags[1]!, 161), null);
  assert.equal(late.pending, 1); // only the new entry
});

Deno.test("IpReassembler caps the datagrams waiting at once", () => {
  const r = new IpReassembler(60, 2);
  for (let id = 1; id <= 5; id++) {
    const p = udp4(SERVER4, CLIENT4, 53, 40000, PAYLOAD);
    p[5] = id;
    add(r, fragment4(p, 64)[0]!);
  }
  assert.equal(r.pending, 2);
});

Deno.test("IpReassembler keeps the fragments it holds within its byte budget", () => {
  // Two 65,000-byte halves of 4,096 datagrams sharing one second (fuzz finding F2): without
  // a budget every first half stays, about 266 MB.
  const frag = (id: number, offUnits: number, size: number): Uint8Array => {
    const b = new Uint8Array(20 + size);
    const total = 20 + size;
    b.set([0x45, 0, total >> 8, total & 0xff, id >> 8, id & 0xff, 0x20 | (offUnits >> 8)]);
    b.set([offUnits & 0xff, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 7);
    return b;
  };
  const r = new IpReassembler(0);
  assert.equal(r.maxBytes, 64 << 20);
  for (let id = 0; id < 4096; id++) {
    assert.equal(r.add(frag(id, 0, 65000), 0, 65020, 5, 0), null);
    assert.ok(r.bytes <= r.maxBytes);
  }
  assert.equal(r.pending, Math.floor((64 << 20) / 65020));
  // The newest datagrams are still whole once their second half comes.
  const last = frag(4095, 8125, 1000);
  last[6] = last[6]! & ~0x20; // no more fragments
  const done = r.add(last, 0, 1020, 5, 0);
  assert.ok(done);
  assert.equal(done.fragments.length, 2);
});

Deno.test("IpReassembler releases the fragments of a datagram made invalid", () => {
  const r = new IpReassembler(60);
  const a = new Uint8Array(28 + 8);
  a.set([0x45, 0, 0, 36, 0, 1, 0x20, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
  assert.equal(r.add(a, 0, 36, 0, 0), null);
  assert.equal(r.bytes, 36);
  // The same offset again overlaps: the datagram is invalid and holds nothing more.
  assert.equal(r.add(a, 0, 36, 0, 0), null);
  assert.equal(r.bytes, 0);
  assert.equal(r.pending, 1);
});

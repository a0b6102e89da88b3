import assert from "node:assert/strict";
import {
  decodeContainer,
  decodeFragment,
  type Fragment,
  FragmentReassembler,
  fragmentUnits,
  NmsgFormatError,
  parseHeader,
  UnitDecoder,
} from "../../mod.ts";
import { goldenBytes } from "../_golden.ts";
import { readDgrams } from "./_util.ts";

const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 31 + seed) & 0xff);

function split(data: Uint8Array, size: number, id = 9): Fragment[] {
  return fragmentUnits(data, size, id, 0).map((u) => decodeFragment(u.subarray(10)));
}

Deno.test("fragmentUnits() splits into units with a correct `last`", () => {
  const data = bytes(1000);
  const units = fragmentUnits(data, 480, 77, 0);
  assert.equal(units.length, 3);
  for (const [i, u] of units.entries()) {
    const h = parseHeader(u, 0, false)!;
    assert.equal(h.flags, 2);
    assert.equal(h.length, u.length - 10);
    const f = decodeFragment(u.subarray(10));
    assert.deepEqual([f.id, f.current, f.last], [77, i, 2]);
  }
  // An exact multiple of the fragment size: libnmsg says last = 2 and never completes
  // (golden README bug 9); the right answer is 1.
  assert.equal(split(bytes(960), 480).at(-1)!.last, 1);
  assert.equal(split(bytes(960), 480).length, 2);
});

Deno.test("FragmentReassembler completes in order, out of order, and ignores duplicates", () => {
  const data = bytes(2000);
  const frags = split(data, 480);
  for (const order of [[0, 1, 2, 3, 4], [4, 2, 0, 3, 1], [1, 1, 0, 4, 4, 2, 3]]) {
    const r = new FragmentReassembler();
    let out: Uint8Array | undefined;
    for (const [k, i] of order.entries()) {
      const res = r.add(frags[i]!, "a", 0);
      if (k < order.length - 1) assert.equal(res, undefined);
      else out = res;
    }
    assert.deepEqual(out, data);
    assert.equal(r.stats.pending, 0);
    assert.equal(r.stats.completed, 1);
  }
});

Deno.test("FragmentReassembler keys by id, crc and sender", () => {
  const r = new FragmentReassembler();
  const a = split(bytes(600, 1), 480, 5);
  const b = split(bytes(600, 2), 480, 5); // same id, different crc
  assert.equal(r.add(a[0]!, "x", 0), undefined);
  assert.equal(r.add(b[1]!, "x", 0), undefined);
  assert.equal(r.add(a[1]!, "y", 0), undefined); // other sender
  assert.deepEqual(r.add(a[1]!, "x", 0), bytes(600, 1));
  assert.deepEqual(r.add(b[0]!, "x", 0), bytes(600, 2));
  assert.equal(r.stats.pending, 1);
});

Deno.test("FragmentReassembler expires incomplete containers 30 s old, checking every 30 s", () => {
  const r = new FragmentReassembler();
  const f = split(bytes(1000), 480);
  r.add(f[0]!, "", 100);
  assert.equal(r.expire(129), 0); // a check runs: 29 s old, kept
  assert.equal(r.expire(130), 0); // too soon for the next check (libnmsg: every 30 s)
  assert.equal(r.expire(159), 1);
  assert.equal(r.stats.pending, 0);
  assert.equal(r.stats.expired, 1);
  // The missing pieces arriving later start a new, incomplete container.
  assert.equal(r.add(f[1]!, "", 131), undefined);
});

Deno.test("FragmentReassembler bounds entries and bytes whatever the input claims", () => {
  const r = new FragmentReassembler({ maxEntries: 3, maxBytes: 10_000 });
  for (let id = 0; id < 10; id++) {
    r.add({ id, current: 0, last: 0xffffffff, fragment: bytes(100) }, "", 0);
  }
  assert.equal(r.stats.pending, 3);
  assert.equal(r.stats.expired, 7);
  // One container that alone exceeds the byte limit is an error, not an allocation.
  const big = new FragmentReassembler({ maxBytes: 1000 });
  big.add({ id: 1, current: 0, last: 5, fragment: bytes(600) }, "", 0);
  assert.throws(
    () => big.add({ id: 1, current: 1, last: 5, fragment: bytes(600) }, "", 0),
    (e) => e instanceof NmsgFormatError && e.code === "fragment",
  );
  assert.equal(big.stats.pending, 0);
});

Deno.test("FragmentReassembler rejects a `last` that contradicts earlier fragments", () => {
  const r = new FragmentReassembler();
  r.add({ id: 1, current: 0, last: 2, fragment: bytes(10) }, "", 0);
  assert.throws(() => r.add({ id: 1, current: 1, last: 3, fragment: bytes(10) }, "", 0), {
    message: /says the last fragment is 3, earlier ones said 2/,
  });
  assert.equal(r.stats.pending, 0);
});

Deno.test("decodeFragment() rejects current beyond last and missing fields", () => {
  const unit = fragmentUnits(bytes(100), 480, 1, 0)[0]!;
  const body = unit.slice(10);
  // id 1, current 0, last 0: 08 01 10 00 18 00 …
  assert.deepEqual([...body.subarray(0, 6)], [0x08, 1, 0x10, 0, 0x18, 0]);
  body[3] = 4; // current = 4
  assert.throws(() => decodeFragment(body), {
    message: "fragment 4 is beyond the last fragment (0)",
  });
  assert.throws(() => decodeFragment(new Uint8Array([0x08, 1])), {
    message: /missing a required field/,
  });
});

Deno.test("UnitDecoder reassembles the C sender's fragments (golden mtu512 capture)", () => {
  const decoder = new UnitDecoder();
  const containers = [];
  for (const d of readDgrams("udp/mtu512.dgrams")) {
    const h = parseHeader(d, 0, false)!;
    const c = decoder.decode(h.flags, d.subarray(10, 10 + h.length), "127.0.0.1/1");
    if (c !== undefined) containers.push(c);
  }
  // README: 4 payloads of 1515, 715, 104 and 3015 bytes, as in crafted_biglog.nmsg.
  const biglog = decodeContainer(goldenBytes("inputs/crafted_biglog.nmsg").subarray(10));
  assert.deepEqual(containers.flatMap((c) => c.payloads), biglog.payloads);
  assert.deepEqual(containers.map((c) => c.sequence), [0, 1, 2, 3]);
});

Deno.test("FragmentReassembler completes libnmsg's off-by-one `last` from the CRC (golden bug_frag_last)", () => {
  // README bug 9: two full 480-byte fragments that claim a third one (`last` = 2).
  const frags = readDgrams("udp/bug_frag_last.dgrams").map((d) => {
    const h = parseHeader(d, 0, false)!;
    return decodeFragment(d.subarray(10, 10 + h.length));
  });
  assert.deepEqual(frags.map((f) => [f.current, f.last, f.fragment.length]), [[0, 2, 480], [
    1,
    2,
    480,
  ]]);
  const r = new FragmentReassembler();
  assert.equal(r.add(frags[0]!, "s", 0), undefined);
  const whole = r.add(frags[1]!, "s", 0);
  assert.ok(whole !== undefined);
  const c = decodeContainer(whole);
  assert.equal(c.payloads.length, 1);
  // The one logline of inputs/crafted_fragbug.json: category and message in the payload.
  const json = JSON.parse(new TextDecoder().decode(goldenBytes("inputs/crafted_fragbug.json")));
  const text = new TextDecoder().decode(c.payloads[0]!.payload);
  assert.ok(text.includes(json.message.category) && text.includes(json.message.message));
  assert.equal(r.stats.pending, 0);
  // Fragments that do not make up the CRC'd container keep waiting for the last one.
  const data = bytes(960);
  const [a, b, last] = split(data, 400);
  assert.equal(r.add(a!, "t", 0), undefined);
  assert.equal(r.add(b!, "t", 0), undefined);
  assert.deepEqual(r.add(last!, "t", 0), data);
});

Deno.test("FragmentReassembler copies fragments, so readers may reuse their buffers", () => {
  const data = bytes(900);
  const [a, b] = split(data, 450);
  const r = new FragmentReassembler();
  assert.equal(r.add(a!, "", 0), undefined);
  a!.fragment.fill(0); // the reader reuses its buffer
  assert.deepEqual(r.add(b!, "", 0), data);
});

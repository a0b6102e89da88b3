// Hostile input at the wire layer: whatever lengths, zlib sizes and fragment fields a file
// or datagram claims, decoding ends in success or a one-line NmsgFormatError, quickly and
// without allocating for what the bytes merely declare.

import assert from "node:assert/strict";
import {
  ContainerReader,
  FragmentReassembler,
  NmsgFormatError,
  nodeZlib,
  SeqsrcTracker,
  UnitDecoder,
  type ZlibCodec,
} from "../../mod.ts";
import { goldenBytes } from "../_golden.ts";
import { bytesSource, readUnits } from "./_util.ts";

/** A zlib data part: 4-byte BE declared size, then `stream`. */
function zlibPart(size: number, stream: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + stream.length);
  new DataView(out.buffer).setUint32(0, size);
  out.set(stream, 4);
  return out;
}

/** A codec that records the output room each inflate call was given. */
function spyCodec(): ZlibCodec & { rooms: number[] } {
  const rooms: number[] = [];
  return {
    rooms,
    inflate(stream, size, into) {
      rooms.push(into?.length ?? size + 1);
      return nodeZlib.inflate(stream, size, into);
    },
    deflate: (data, into) => nodeZlib.deflate(data, into),
  };
}

Deno.test("UnitDecoder rejects a zlib size its stream cannot hold before allocating it", () => {
  // An empty zlib stream (8 bytes) that declares 64 MiB - 1.
  const stream = nodeZlib.deflate(new Uint8Array(0));
  const codec = spyCodec();
  const decoder = new UnitDecoder({ zlib: codec, reuseBuffer: true });
  assert.throws(
    () => decoder.assemble(1, zlibPart(0x3ffffff, stream)),
    (e: unknown) => e instanceof NmsgFormatError && e.code === "zlib" && /can hold/.test(e.message),
  );
  assert.deepEqual(codec.rooms, []);
});

Deno.test("UnitDecoder inflates the densest stream deflate can make", () => {
  // 1 MiB of zeros compresses about 1000:1, close to deflate's limit, and still decodes.
  const data = new Uint8Array(1 << 20);
  const stream = nodeZlib.deflate(data);
  assert.ok(stream.length * 900 < data.length, `ratio ${data.length / stream.length}`);
  const out = new UnitDecoder({ zlib: nodeZlib, reuseBuffer: true })
    .assemble(1, zlibPart(data.length, stream));
  assert.deepEqual(out, data);
});

Deno.test("FragmentReassembler refuses fragment indexes outside 0..last", () => {
  const bad = [
    { current: 3, last: 0 },
    { current: -1, last: 1 },
    { current: 0.5, last: 1 },
    { current: 0, last: NaN },
    { current: 0, last: 2 ** 32 },
  ];
  for (const { current, last } of bad) {
    const r = new FragmentReassembler();
    // A first fragment that the bad one would complete if it were counted.
    if (Number.isInteger(last) && last === 1) {
      r.add({ id: 1, current: 1, last, fragment: new Uint8Array([2]) }, "", 0);
    }
    assert.throws(
      () => r.add({ id: 1, current, last, fragment: new Uint8Array([1]) }, "", 0),
      (e: unknown) => e instanceof NmsgFormatError && e.code === "fragment",
      `current ${current}, last ${last}`,
    );
  }
});

Deno.test("FragmentReassembler counts empty fragments against its memory limit", () => {
  const r = new FragmentReassembler({ maxBytes: 1 << 20 });
  const empty = new Uint8Array(0);
  let refused = -1;
  for (let i = 0; i < 100_000 && refused < 0; i++) {
    try {
      r.add({ id: 1, current: i, last: 0xffffffff, fragment: empty }, "", 0);
    } catch (e) {
      assert.ok(e instanceof NmsgFormatError && e.code === "fragment");
      refused = i;
    }
  }
  // Refused long before 100,000 parts, and nothing is held after.
  assert.ok(refused > 0 && refused < 10_000, `refused at ${refused}`);
  assert.equal(r.stats.pending, 0);
});

Deno.test("UnitDecoder says a zlib stream is longer than declared in those words", () => {
  const stream = nodeZlib.deflate(new Uint8Array(100));
  for (const reuseBuffer of [false, true]) {
    const decoder = new UnitDecoder({ zlib: nodeZlib, reuseBuffer });
    assert.throws(
      () => decoder.assemble(1, zlibPart(50, stream)),
      (e: unknown) =>
        e instanceof NmsgFormatError && e.code === "zlib" &&
        e.message === "inflate failed: stream inflates to more than the 50 bytes declared",
    );
  }
});

/** xorshift32: the suite's fixed-seed PRNG. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

Deno.test("SeqsrcTracker keeps at most maxSources, and the senders that keep sending", () => {
  const t = new SeqsrcTracker({ maxSources: 64 });
  let seq = 0;
  for (let i = 0; i < 10_000; i++) {
    // One forged sequence id per container, and a real sender in between.
    t.update(BigInt(1000 + i), "10.0.0.9/9", 0, 0);
    if (i % 100 === 0) t.update(7n, "10.0.0.1/8430", seq++, 0);
  }
  assert.equal(t.sources.length, 64);
  const real = t.sources.find((s) => s.sequenceId === 7n);
  assert.equal(real?.received, seq);
  assert.equal(real?.dropped, 0);
});

Deno.test("SeqsrcTracker finds, moves and expires sources as libnmsg's list walk does", () => {
  // The walk as libnmsg does it: from the head, freeing idle sources passed over; a source
  // found moves to the head, a new one joins at the end.
  type Model = { id: bigint; sender: string; lastSeen: number };
  const walk = (list: Model[], id: bigint, sender: string, now: number, log: string[]) => {
    for (let i = 0; i < list.length;) {
      const s = list[i]!;
      if (s.id === id && s.sender === sender) {
        list.splice(i, 1);
        list.unshift(s);
        s.lastSeen = now;
        return;
      }
      if (s.lastSeen < now - 120) {
        list.splice(i, 1);
        log.push(`expire ${s.id}/${s.sender}`);
      } else i++;
    }
    list.push({ id, sender, lastSeen: now });
    log.push(`new ${id}/${sender}`);
  };
  const random = prng(20261122);
  const events: string[] = [];
  const t = new SeqsrcTracker({
    onEvent: (e) => {
      if (e.type === "new" || e.type === "expire") {
        events.push(`${e.type} ${e.source.sequenceId}/${e.source.sender}`);
      }
    },
  });
  const model: Model[] = [];
  const expected: string[] = [];
  let now = 0;
  for (let i = 0; i < 5000; i++) {
    now += Math.floor(random() * 4);
    const id = BigInt(Math.floor(random() * 40));
    const sender = `s${Math.floor(random() * 3)}`;
    walk(model, id, sender, now, expected);
    t.update(id, sender, i, now);
  }
  // The pattern has both: sources found again and sources forgotten while idle.
  assert.ok(expected.filter((e) => e.startsWith("expire")).length > 50);
  assert.deepEqual(events, expected);
  assert.deepEqual(
    t.sources.map((s) => `${s.sequenceId}/${s.sender}`),
    model.map((s) => `${s.id}/${s.sender}`),
  );
});

/** Payload counts and unit offsets of each container of a file, read intact. */
async function containersOf(data: Uint8Array): Promise<{ offset: number; payloads: number }[]> {
  const out = [];
  for await (const b of new ContainerReader(bytesSource(data), { zlib: nodeZlib })) {
    out.push({ offset: b.offset, payloads: b.payloads.length });
  }
  return out;
}

/** What a reader delivers before it stops, and the error it stops with, if any. */
async function readUntilFault(data: Uint8Array): Promise<{ payloads: number; error: unknown }> {
  let payloads = 0;
  try {
    const reader = new ContainerReader(bytesSource(data, 997), { zlib: nodeZlib, name: "in" });
    for await (const b of reader) payloads += b.payloads.length;
    return { payloads, error: undefined };
  } catch (error) {
    return { payloads, error };
  }
}

Deno.test("ContainerReader reports fragmented containers left incomplete, after the others", async () => {
  const data = goldenBytes("inputs/crafted_frag.nmsg");
  const containers = await containersOf(data);
  const units = await readUnits(data);
  assert.ok(containers.length >= 2);
  for (const unit of units.filter((u) => u.flags & 2)) {
    const end = unit.offset + 10 + unit.data.length;
    const damaged = new Uint8Array([...data.subarray(0, unit.offset), ...data.subarray(end)]);
    // The container the dropped fragment belonged to: the first to end at or after it.
    const lost = containers.find((c) => c.offset >= unit.offset)!;
    const want = containers.reduce((n, c) => n + c.payloads, 0) - lost.payloads;
    const got = await readUntilFault(damaged);
    assert.equal(got.payloads, want, `without the fragment at ${unit.offset}`);
    assert.ok(got.error instanceof NmsgFormatError && got.error.code === "fragment");
    assert.equal(
      got.error.message,
      `in: offset ${damaged.length}: input ends with 1 fragmented container incomplete`,
    );
  }
});

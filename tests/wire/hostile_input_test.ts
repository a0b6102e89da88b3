// Hostile input at the wire layer: whatever lengths, zlib sizes and fragment fields a file
// or datagram claims, decoding ends in success or a one-line NmsgFormatError, quickly and
// without allocating for what the bytes merely declare.

import assert from "node:assert/strict";
import {
  ContainerReader,
  ContainerView,
  countPayloads,
  crc32c,
  defaultRegistry,
  encodeContainer,
  formatJson,
  formatPresentation,
  FragmentReassembler,
  fragmentUnits,
  NmsgFormatError,
  NmsgRenderError,
  nodeZlib,
  SeqsrcTracker,
  UnitDecoder,
  UnitReader,
  writeHeader,
  type ZlibCodec,
} from "../../mod.ts";
import { MessageUnitDecoder } from "../../src/io/_message_unit.ts";
import { goldenBytes } from "../_golden.ts";
import { bytesSource, readDgrams, readUnits } from "./_util.ts";
import {
  below,
  concat,
  isOneLine,
  mutateBytes,
  mutateUnit,
  pick,
  prng,
  unitOffsets,
} from "./_mutate.ts";

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

const NMSG_INPUTS = [
  ...Deno.readDirSync(new URL("../../../shared/golden/inputs/", import.meta.url)),
]
  .map((e) => e.name).filter((n) => n.endsWith(".nmsg")).sort()
  .map((n) => ({ name: n, data: goldenBytes(`inputs/${n}`) }));
const registry = defaultRegistry();

/** A codec that checks no inflate is asked for more than its stream can give. */
const boundedCodec: ZlibCodec = {
  inflate(stream, size, into) {
    assert.ok(size <= stream.length * 1032, `inflate of ${stream.length} bytes into ${size}`);
    return nodeZlib.inflate(stream, size, into);
  },
  deflate: (data, into) => nodeZlib.deflate(data, into),
};

/** Reads a stream the way nmsgtool -r does, rendering every payload as text and JSON. */
async function readAndRender(data: Uint8Array, step: number): Promise<number> {
  const reader = new ContainerReader(bytesSource(data, step), {
    zlib: boundedCodec,
    name: "in",
    reuseBuffer: step % 2 === 1,
  });
  let n = 0;
  for await (const batch of reader) {
    for (const p of batch.payloads) {
      n++;
      const text = formatPresentation(p, registry);
      assert.ok(text === undefined || typeof text === "string");
      try {
        formatJson(p, registry);
      } catch (e) {
        if (!(e instanceof NmsgRenderError) || !isOneLine(e)) throw e;
      }
    }
  }
  return n;
}

/** Reads a stream the way nmsgpcnt does: units, zlib and fragments, then a count. */
async function countUnits(data: Uint8Array): Promise<number> {
  const units = new UnitReader(bytesSource(data), { name: "in", reuseBuffer: true });
  const decoder = new UnitDecoder({
    zlib: boundedCodec,
    reuseBuffer: true,
    fragments: { maxBytes: 1 << 20 },
  });
  const view = new ContainerView();
  let n = 0;
  for (let u = await units.next(); u !== null; u = await units.next()) {
    try {
      const c = decoder.assemble(u.flags, u.data);
      if (c === undefined) continue;
      n += countPayloads(c);
      view.decode(c).verify();
    } catch (e) {
      throw e instanceof NmsgFormatError ? e.at("in", u.offset) : e;
    }
  }
  return n;
}

/** Asserts that `e` is a one-line NmsgFormatError located in the input. */
function assertFormatError(e: unknown, data: Uint8Array, what: string): void {
  if (!(e instanceof NmsgFormatError)) throw e;
  assert.ok(isOneLine(e), what);
  assert.ok(e.offset !== undefined && e.offset <= data.length, `${what}: ${e.message}`);
  assert.ok(e.message.startsWith(`in: offset ${e.offset}: `), `${what}: ${e.message}`);
}

Deno.test("damaged NMSG files give payloads or one NmsgFormatError naming input and offset", async () => {
  const random = prng(0x6e6d7367);
  let faults = 0;
  for (let i = 0; i < 1500; i++) {
    const { name, data: intact } = pick(random, NMSG_INPUTS);
    const units = unitOffsets(intact);
    let data = intact;
    for (let k = 1 + below(random, 3); k > 0; k--) {
      data = units.length > 0 && random() < 0.35
        ? mutateUnit(random, data, pick(random, units))
        : mutateBytes(random, data);
    }
    const what = `case ${i} (${name})`;
    for (
      const read of [
        () => readAndRender(data, pick(random, [1, 7, 997, Infinity])),
        () => countUnits(data),
      ]
    ) {
      try {
        await read();
      } catch (e) {
        assertFormatError(e, data, what);
        faults++;
      }
    }
  }
  // The mutations reach the decoders: most cases fail somewhere.
  assert.ok(faults > 1000, `${faults} faults`);
});

/**
 * Each container of a file: where its (last) unit ends, and its payloads; undefined for the
 * golden inputs that are damaged on purpose.
 */
async function layout(data: Uint8Array): Promise<{ end: number; payloads: number }[] | undefined> {
  const out = [];
  try {
    for await (const b of new ContainerReader(bytesSource(data), { zlib: nodeZlib })) {
      out.push({ end: b.offset + b.size, payloads: b.payloads.length });
    }
  } catch {
    return undefined;
  }
  return out;
}

Deno.test("a file cut or damaged at any unit still delivers every container before the fault", async () => {
  const random = prng(20261122);
  let cases = 0;
  for (const { name, data } of NMSG_INPUTS) {
    const units = unitOffsets(data);
    const containers = await layout(data);
    if (units.length === 0 || containers === undefined) continue;
    const before = (at: number) =>
      containers.filter((c) => c.end <= at).reduce((n, c) => n + c.payloads, 0);
    // Cut anywhere: only a cut right after a complete container is a clean end.
    for (let k = 0; k < 20; k++) {
      const cut = below(random, data.length);
      const got = await readUntilFault(data.subarray(0, cut));
      assert.equal(got.payloads, before(cut), `${name} cut at ${cut}`);
      const clean = cut === 0 || containers.some((c) => c.end === cut);
      if (clean) assert.equal(got.error, undefined, `${name} cut at ${cut}`);
      else {
        assertFormatError(got.error, data, `${name} cut at ${cut}`);
        assert.ok(["truncated", "fragment"].includes((got.error as NmsgFormatError).code));
      }
      cases++;
    }
    // A unit whose magic is damaged stops the input there.
    for (const at of units) {
      const damaged = data.slice();
      damaged[at] = 0x58;
      const got = await readUntilFault(damaged);
      assert.equal(got.payloads, before(at), `${name} damaged at ${at}`);
      assertFormatError(got.error, damaged, `${name} damaged at ${at}`);
      assert.equal((got.error as NmsgFormatError).offset, at);
      cases++;
    }
  }
  assert.ok(cases > 300, `${cases} cases`);
});

Deno.test("damaged, repeated and reordered datagrams are dropped one by one, never thrown", () => {
  const random = prng(0xd9a);
  const captures = [...Deno.readDirSync(new URL("../../../shared/golden/udp/", import.meta.url))]
    .map((e) => e.name).filter((n) => n.endsWith(".dgrams")).sort()
    .map((n) => readDgrams(`udp/${n}`));
  let malformed = 0;
  let payloads = 0;
  for (let i = 0; i < 300; i++) {
    let clock = 0;
    const lines: string[] = [];
    const decoder = new MessageUnitDecoder(
      "in",
      {
        zlib: boundedCodec,
        fragments: { maxEntries: 16, maxBytes: 1 << 20 },
        log: (_, line) => lines.push(line),
        now: () => clock,
      },
      true,
      "datagram",
    );
    const dgrams = pick(random, captures).slice();
    if (random() < 0.3) dgrams.reverse();
    if (random() < 0.3) dgrams.push(...dgrams.slice(0, below(random, dgrams.length)));
    for (let d of dgrams) {
      if (random() < 0.5) {
        d = random() < 0.4 ? mutateUnit(random, d, 0) : mutateBytes(random, d);
      }
      clock += below(random, 3);
      const batch = decoder.batch();
      decoder.add(d, batch, pick(random, ["10.0.0.1/8430", "10.0.0.2/8430", ""]));
      payloads += batch.payloads.length;
    }
    for (const line of lines) assert.ok(!line.includes("\n") && line.length > 0, line);
    assert.ok(decoder.fragments.pending <= 16);
    malformed += decoder.malformed;
  }
  assert.ok(malformed > 300 && payloads > 1000, `${malformed} malformed, ${payloads} payloads`);
});

Deno.test("ContainerReader counts fragmented containers dropped for its limits as incomplete", async () => {
  // The first fragment of each of three containers, with room for two at a time.
  const firsts = [1, 2, 3].map((id) =>
    fragmentUnits(new Uint8Array(2000).fill(id), 900, id, 0)[0]!
  );
  const whole = encodeContainer([{ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 }], undefined, 10);
  writeHeader(whole, 0, 0, whole.length - 10);
  const data = new Uint8Array([...firsts[0]!, ...firsts[1]!, ...whole, ...firsts[2]!]);
  const reader = new ContainerReader(bytesSource(data), {
    name: "in",
    fragments: { maxEntries: 2 },
  });
  const batch = await reader.next();
  assert.equal(batch?.payloads.length, 1);
  await assert.rejects(
    () => reader.next(),
    (e: unknown) =>
      e instanceof NmsgFormatError &&
      e.message === `in: offset ${data.length}: input ends with 3 fragmented containers incomplete`,
  );
  assert.equal(await reader.next(), null);
});

Deno.test("UnitReader assembles a large unit arriving in small reads, copying it a few times", async () => {
  // 16 MiB in 1 KiB reads (a slow pipe): copied once per read, as before, this took minutes.
  const payload = new Uint8Array(16 << 20);
  for (let i = 0; i < payload.length; i += 4096) payload[i] = i >>> 12;
  const unit = encodeContainer(
    [{ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0, payload }],
    undefined,
    10,
  );
  writeHeader(unit, 0, 0, unit.length - 10);
  const data = concat(unit, unit.subarray(0, 10 + 20));
  const units = new UnitReader(bytesSource(data, 1024), { name: "in", reuseBuffer: true });
  const first = await units.next();
  assert.equal(first?.data.length, unit.length - 10);
  assert.equal(crc32c(first.data), crc32c(unit.subarray(10)));
  await assert.rejects(
    () => units.next(),
    (e: unknown) => e instanceof NmsgFormatError && e.code === "truncated",
  );
});

import assert from "node:assert/strict";
import {
  ContainerReader,
  ContainerView,
  ContainerWriter,
  crc32c,
  decodePayload,
  encodeContainer,
  encodePayload,
  NMSG_WBUFSZ_MAX,
  NmsgFormatError,
  nodeZlib,
  type Payload,
  payloadCrc,
} from "../../mod.ts";
import { goldenBytes, goldenCases } from "../_golden.ts";
import { bytesSource, readUnits } from "./_util.ts";

const p = (over: Partial<Payload> = {}): Payload => ({
  vid: 1,
  msgtype: 6,
  timeSec: 1570806594,
  timeNsec: 163338057,
  payload: new Uint8Array([10, 3, 0x61, 0x62, 0x63]),
  ...over,
});

/** A container from raw `NmsgPayload` encodings (one `payloads` entry each), no CRCs. */
function rawContainer(entries: number[][]): Uint8Array {
  return new Uint8Array(entries.flatMap((e) => [0x0a, e.length, ...e]));
}

/** The `NmsgPayload` bytes of the leading `payloads` entries of a container. */
function entryBytes(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < data.length && data[i] === 0x0a) {
    let len = 0;
    let shift = 0;
    let b;
    i++;
    do {
      b = data[i++]!;
      len |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    out.push(data.subarray(i, i + len));
    i += len;
  }
  return out;
}

/** The payloads and CRCs that a stream of units reads back as. */
async function readBack(stream: Uint8Array): Promise<{ payloads: Payload[]; crcs: number[] }> {
  const payloads: Payload[] = [];
  const crcs: number[] = [];
  for await (const b of new ContainerReader(bytesSource(stream), { zlib: nodeZlib })) {
    payloads.push(...b.payloads);
    crcs.push(...b.crcs);
  }
  return { payloads, crcs };
}

/** Units a writer makes of a view's payloads, through addEncoded or through add. */
function units(view: ContainerView, encoded: boolean, opts = {}): Uint8Array {
  const w = new ContainerWriter({ sequenceId: 7n, ...opts });
  const out: number[] = [];
  const emit = (u: Uint8Array) => out.push(...u);
  if (encoded) w.addEncoded(view, 0, view.length, emit);
  else for (let i = 0; i < view.length; i++) w.add(view.payload(i), view.crc(i)).forEach(emit);
  w.flush().forEach(emit);
  return new Uint8Array(out);
}

Deno.test("ContainerView decodes what decodePayload decodes, payload by payload", async () => {
  for (const path of ["generic-tests_dnsqr.nmsg", "crafted_mixed.nmsg", "crafted_modules.nmsg"]) {
    for (const unit of await readUnits(goldenBytes(`inputs/${path}`))) {
      const view = new ContainerView().decode(unit.data);
      const entries = entryBytes(unit.data);
      assert.ok(entries.length > 0);
      assert.equal(view.length, entries.length, path);
      entries.forEach((e, i) => {
        assert.deepEqual(view.payload(i), decodePayload(e), `${path} #${i}`);
        assert.equal(view.canonicalSize(i), e.length);
      });
    }
  }
});

Deno.test("ContainerView marks payloads canonical only when re-encoding gives their bytes", () => {
  const base = [...encodePayload(p({ source: 5, operator: 6, group: 7 }))];
  const time = base.indexOf(0x18);
  const cases: [string, number[], boolean][] = [
    ["as written", base, true],
    ["no payload bytes", [...encodePayload({ vid: 1, msgtype: 2, timeSec: 3, timeNsec: 4 })], true],
    ["empty payload bytes", [...encodePayload(p({ payload: new Uint8Array(0) }))], true],
    ["negative time", [...encodePayload(p({ timeSec: -5 }))], true],
    ["vid as a 2-byte varint", [0x08, 0x81, 0x00, ...base.slice(2)], false],
    ["a field out of order", [...base.slice(2, 4), ...base.slice(0, 2), ...base.slice(4)], false],
    ["an unknown field", [...base, 0x30, 0x01], false],
    ["vid with bits past 32", [0x08, 0x81, 0x80, 0x80, 0x80, 0x10, ...base.slice(2)], false],
    ["a 2-byte tag", [0x88, 0x00, ...base.slice(1)], false],
    [
      "time past 2^53",
      [
        ...base.slice(0, time),
        0x18,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0x7f,
        ...base
          .slice(time + 6),
      ],
      false,
    ],
  ];
  for (const [name, bytes, canonical] of cases) {
    const view = new ContainerView().decode(rawContainer([bytes]));
    assert.equal(view.canonicalSize(0) >= 0, canonical, name);
    assert.deepEqual(view.payload(0), decodePayload(new Uint8Array(bytes)), name);
    if (canonical) assert.deepEqual(encodePayload(view.payload(0)), new Uint8Array(bytes), name);
  }
  // An entry length with a redundant byte: the payload is fine, the entry is not.
  const padded = new Uint8Array([0x0a, 0x80 | base.length, 0x00, ...base]);
  assert.equal(new ContainerView().decode(padded).canonicalSize(0), -1);
});

Deno.test("ContainerWriter.addEncoded() writes the same units as add()", async () => {
  const base = [...encodePayload(p())];
  const odd = [0x08, 0x81, 0x00, ...base.slice(2)]; // not canonical: takes the add() path
  const big = [...encodePayload(p({ payload: new Uint8Array(3000).fill(9) }))];
  const entries = [base, odd, base, big, base, odd, odd, big, big, base];
  const many = Array.from({ length: 40 }, (_, i) => entries[i % entries.length]!);
  const view = new ContainerView().decode(rawContainer(many.filter((e) => e.length < 128)));
  const withBig = new ContainerView().decode(
    encodeContainer(many.map((e) => decodePayload(new Uint8Array(e)))),
  );
  for (const v of [view, withBig]) {
    for (const opts of [{}, { unbuffered: true }, { bufsz: 4096, zlib: nodeZlib }]) {
      assert.deepEqual(units(v, true, opts), units(v, false, opts), JSON.stringify(opts));
    }
    // Fragments carry random ids: compare what reads back.
    for (const opts of [{ bufsz: 512 }, { bufsz: 2048, sequenced: true }]) {
      const back = await readBack(units(v, true, opts));
      assert.deepEqual(back, await readBack(units(v, false, opts)));
      assert.deepEqual(back.payloads.length, v.length);
    }
  }
});

Deno.test("ContainerView.verify() drops payloads whose CRC mismatches, keeping their indexes", () => {
  const data = encodeContainer([p(), p({ vid: 2 }), p({ vid: 3 }), p({ vid: 4 })]);
  // Corrupt the payload bytes of the second payload (its last byte).
  const view = new ContainerView().decode(data);
  const second = view.payload(1).payload!;
  second[second.length - 1]! ^= 1;
  const seen: number[][] = [];
  assert.equal(view.verify((i, calc, wire) => seen.push([i, calc, wire])), 1);
  assert.equal(view.length, 3);
  assert.deepEqual([0, 1, 2].map((i) => view.vid(i)), [1, 3, 4]);
  assert.deepEqual([0, 1, 2].map((i) => view.decodedIndex(i)), [0, 2, 3]);
  assert.equal(view.decodedLength, 4);
  const [[index, calc, wire]] = seen as [[number, number, number]];
  assert.equal(index, 1);
  assert.equal(wire, view.payloadCrcs[1]);
  assert.equal(calc, crc32c(second));
  assert.notEqual(payloadCrc(second), wire);
  // CRCs of what is left are the wire values.
  assert.deepEqual(view.crcs, [0, 2, 3].map((i) => view.payloadCrcs[i]));
});

Deno.test("ContainerView.retain() filters on envelope fields without decoding", () => {
  const view = new ContainerView().decode(
    encodeContainer([p({ source: 1 }), p(), p({ source: 2, operator: 3, group: 4 })]),
  );
  assert.deepEqual([0, 1, 2].map((i) => view.source(i)), [1, undefined, 2]);
  assert.equal(view.operator(2), 3);
  assert.equal(view.group(2), 4);
  assert.equal(view.retain((i) => view.source(i) !== undefined), 1);
  assert.deepEqual(view.payloads.map((q) => q.source), [1, 2]);
  assert.deepEqual(view.crcs, [0, 2].map((i) => view.payloadCrcs[i]));
});

Deno.test("ContainerView rejects malformed containers with the decoder's errors, whatever the damage", () => {
  const good = encodeContainer([p(), p({ source: 9 }), p({ payload: new Uint8Array(200) })]);
  let seed = 1;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  for (let k = 0; k < 1000; k++) {
    const bad = good.slice(0, good.length - rand(8));
    for (let m = rand(4); m >= 0; m--) bad[rand(bad.length)] = rand(256);
    let view: ContainerView;
    try {
      view = new ContainerView().decode(bad);
    } catch (e) {
      assert.ok(e instanceof NmsgFormatError, String(e));
      continue;
    }
    // What decodes must decode the same way on the slow path, and copy verbatim only if exact.
    for (let i = 0; i < view.length; i++) {
      const q = view.payload(i);
      const size = view.canonicalSize(i);
      if (size >= 0) assert.equal(encodePayload(q).length, size);
    }
    assert.deepEqual(units(view, true), units(view, false));
  }
});

Deno.test("ContainerView's fast path agrees with decodePayload() on damaged payloads", () => {
  const good = encodePayload(p({ source: 300, operator: 70000, group: 1 << 30 }));
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  for (let k = 0; k < 5000; k++) {
    const bad = good.slice(0, good.length - rand(3));
    for (let m = rand(3); m >= 0; m--) bad[rand(bad.length)] = rand(256);
    let slow: Payload | Error;
    try {
      slow = decodePayload(bad);
    } catch (e) {
      slow = e as Error;
    }
    let fast: Payload | Error;
    let view: ContainerView | undefined;
    try {
      view = new ContainerView().decode(rawContainer([[...bad]]));
      fast = view.payload(0);
    } catch (e) {
      fast = e as Error;
    }
    if (slow instanceof Error) {
      assert.ok(fast instanceof NmsgFormatError, `${bad}: ${fast}`);
      continue;
    }
    assert.deepEqual(fast, slow, String(bad));
    const size = view!.canonicalSize(0);
    if (size >= 0) assert.deepEqual(encodePayload(slow), bad, String(bad));
    else assert.notDeepEqual(encodePayload(slow), bad, String(bad));
  }
});

Deno.test("ContainerReader + addEncoded repack every golden `-r F -w OUT` case byte for byte", async () => {
  const cases = goldenCases().filter((c) =>
    c.argv.length === 5 && c.argv[0] === "nmsgtool" && c.argv[1] === "-r" && c.argv[3] === "-w" &&
    c.argv[4] === "@OUT" && Object.keys(c.env).length === 0
  );
  assert.ok(cases.length >= 30);
  for (const c of cases) {
    const out: number[] = [];
    const emit = (u: Uint8Array) => out.push(...u);
    const writer = new ContainerWriter({ bufsz: NMSG_WBUFSZ_MAX });
    const reader = new ContainerReader(bytesSource(goldenBytes(c.argv[2]!), 700), {
      zlib: nodeZlib,
      reuseBuffer: true,
    });
    try {
      for await (const b of reader) writer.addEncoded(b.encoded, 0, b.encoded.length, emit);
    } catch (e) {
      // Inputs cut short end where the C tool ends them.
      if (!(e instanceof NmsgFormatError && e.code === "truncated")) throw e;
    }
    writer.flush().forEach(emit);
    assert.deepEqual(new Uint8Array(out), goldenBytes(c.out), c.id);
  }
});

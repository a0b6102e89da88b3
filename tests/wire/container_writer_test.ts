import assert from "node:assert/strict";
import {
  ContainerWriter,
  decodeContainer,
  NMSG_WBUFSZ_MAX,
  nodeZlib,
  parseHeader,
  type Payload,
  payloadCrc,
  UnitDecoder,
} from "../../mod.ts";
import { goldenBytes, goldenCases } from "../_golden.ts";
import { readUnits } from "./_util.ts";

const payload = (len: number, fill = 0x61): Payload => ({
  vid: 1,
  msgtype: 6,
  timeSec: 1,
  timeNsec: 2,
  payload: new Uint8Array(len).fill(fill),
});

/** Reads units back through a decoder and returns every payload. */
function readBack(units: Uint8Array[]): Payload[] {
  const decoder = new UnitDecoder({ zlib: nodeZlib });
  return units.flatMap((u) => {
    const h = parseHeader(u, 0, false)!;
    assert.equal(h.length, u.length - 10);
    return decoder.decode(h.flags, u.subarray(10))?.payloads ?? [];
  });
}

/** Repacks a file through the library the way `nmsgtool -r F -w OUT` does (1 MiB buffers). */
async function repack(path: string): Promise<Uint8Array> {
  const decoder = new UnitDecoder({ zlib: nodeZlib });
  const writer = new ContainerWriter({ bufsz: NMSG_WBUFSZ_MAX });
  const out: number[] = [];
  const emit = (units: Uint8Array[]) => units.forEach((u) => out.push(...u));
  for (const u of await readUnits(goldenBytes(path))) {
    const c = decoder.decode(u.flags, u.data);
    if (c === undefined) continue;
    c.payloads.forEach((p, i) => {
      const crc = c.payloadCrcs[i];
      if (crc !== undefined && crc !== payloadCrc(p.payload ?? new Uint8Array(0))) return; // C drops it
      emit(writer.add(p, crc));
    });
  }
  emit(writer.flush());
  return new Uint8Array(out);
}

Deno.test("ContainerWriter repacks every golden `-r F -w OUT` case byte for byte", async () => {
  const cases = goldenCases().filter((c) =>
    c.argv.length === 5 && c.argv[0] === "nmsgtool" && c.argv[1] === "-r" && c.argv[3] === "-w" &&
    c.argv[4] === "@OUT" &&
    Object.keys(c.env).length === 0
  );
  assert.ok(cases.length >= 30, `only ${cases.length} repack cases`);
  for (const c of cases) {
    assert.deepEqual(await repack(c.argv[2]!), goldenBytes(c.out), c.id);
  }
});

Deno.test("ContainerWriter cuts containers at the buffer size and keeps every payload", () => {
  const w = new ContainerWriter({ bufsz: 1024 });
  const units: Uint8Array[] = [];
  const sent = Array.from({ length: 50 }, (_, i) => payload(100 + i, i));
  for (const p of sent) units.push(...w.add(p).map((u) => u.slice()));
  units.push(...w.flush().map((u) => u.slice()));
  assert.ok(units.length > 5);
  for (const u of units) assert.ok(u.length <= 1024, `unit of ${u.length} bytes`);
  assert.deepEqual(readBack(units), sent);
});

Deno.test("ContainerWriter fragments an oversized payload with bufsz - 32 bytes per fragment", () => {
  const w = new ContainerWriter({ bufsz: 512 });
  const big = payload(3000);
  const units = w.add(big);
  assert.equal(units.length, 7);
  for (const u of units.slice(0, -1)) {
    assert.equal(u[4], 2); // FRAGMENT
    assert.ok(u.length <= 512);
  }
  assert.deepEqual(readBack(units), [big]);
});

Deno.test("ContainerWriter with zlib: compressed units, and an overfull container that compresses small gets a header", () => {
  const w = new ContainerWriter({ bufsz: 512, zlib: nodeZlib });
  // 3000 bytes of one value compress far below 480: libnmsg would send them without an NMSG
  // header (golden README bug 8); a correct writer sends a normal ZLIB unit.
  const units = w.add(payload(3000));
  assert.equal(units.length, 1);
  assert.deepEqual([...units[0]!.subarray(0, 6)], [0x4e, 0x4d, 0x53, 0x47, 1, 2]);
  assert.deepEqual(readBack(units), [payload(3000)]);
  const noisy = { ...payload(0), payload: crypto.getRandomValues(new Uint8Array(3000)) };
  const frags = w.add(noisy);
  assert.ok(frags.length > 1);
  for (const u of frags) assert.equal(u[4], 3); // ZLIB | FRAGMENT
  assert.deepEqual(readBack(frags), [noisy]);
});

Deno.test("ContainerWriter stamps sequence numbers from 0 and one id per writer", () => {
  const w = new ContainerWriter({
    bufsz: 8192,
    sequenced: true,
    unbuffered: true,
    sequenceId: 0xfedcba9876543210n,
  });
  const seqs = [];
  for (let i = 0; i < 3; i++) {
    const [u] = w.add(payload(10));
    const c = decodeContainer(u!.subarray(10));
    seqs.push([c.sequence, c.sequenceId]);
  }
  assert.deepEqual(seqs, [[0, 0xfedcba9876543210n], [1, 0xfedcba9876543210n], [
    2,
    0xfedcba9876543210n,
  ]]);
  // Fragments of one container share one sequence number.
  const frags = w.add(payload(20000));
  const decoder = new UnitDecoder();
  const c = frags.map((u) => decoder.decode(u[4]!, u.subarray(10))).find((x) => x !== undefined);
  assert.equal(c?.sequence, 3);
});

Deno.test("ContainerWriter emits nothing for an empty flush and one unit per payload when unbuffered", () => {
  assert.deepEqual(new ContainerWriter().flush(), []);
  const w = new ContainerWriter({ unbuffered: true });
  assert.equal(w.add(payload(5)).length, 1);
  assert.equal(w.pending, 0);
});

import assert from "node:assert/strict";
import { NmsgFormatError, UnitReader } from "../../mod.ts";
import { goldenBytes } from "../_golden.ts";
import { bytesSource, readUnits } from "./_util.ts";

const failure = (code: string, offset: number, text: RegExp) => (e: unknown) =>
  e instanceof NmsgFormatError && e.code === code && e.offset === offset && e.source === "test" &&
  text.test(e.message);

Deno.test("UnitReader yields the same units whatever the read sizes and chunk size", async () => {
  const data = goldenBytes("inputs/crafted_mixed.nmsg");
  const whole = await readUnits(data);
  assert.equal(whole.length, 6);
  for (const [step, chunk] of [[1, 16], [7, 64], [1000, 100], [Infinity, 1 << 20]] as const) {
    const units = await readUnits(data, step, chunk);
    assert.deepEqual(
      units.map((u) => [u.offset, u.flags, u.data]),
      whole.map((u) => [u.offset, u.flags, u.data]),
    );
  }
  // Offsets add up: each unit's offset is the sum of the previous units' sizes.
  let off = 0;
  for (const u of whole) {
    assert.equal(u.offset, off);
    off += 10 + u.data.length;
  }
  assert.equal(off, data.length);
});

Deno.test("UnitReader keeps earlier views intact unless asked to reuse its buffer", async () => {
  const data = goldenBytes("inputs/crafted_mixed.nmsg");
  const reader = new UnitReader(bytesSource(data, 100), { chunkSize: 64 });
  const first = await reader.next();
  const copy = first!.data.slice();
  while (await reader.next());
  assert.deepEqual(first!.data, copy);
});

Deno.test("UnitReader reads version-1 units from files", async () => {
  const units = await readUnits(goldenBytes("inputs/crafted_v1.nmsg"));
  assert.equal(units.length, 1);
  assert.equal(units[0]!.version, 1);
});

Deno.test("UnitReader reports an empty input as a clean end", async () => {
  assert.deepEqual(await readUnits(new Uint8Array(0)), []);
});

Deno.test("UnitReader names the input and offset of bad magic and versions", async () => {
  const good = goldenBytes("inputs/nmsg-dns-tests_test1-dns.nmsg");
  await assert.rejects(
    readUnits(goldenBytes("inputs/crafted_badmagic.nmsg")),
    failure("magic", 0, /^test: offset 0: incorrect magic/),
  );
  await assert.rejects(
    readUnits(goldenBytes("inputs/crafted_badversion.nmsg")),
    failure("version", 0, /incorrect version/),
  );
  const twice = new Uint8Array([...good, ...goldenBytes("inputs/crafted_badmagic.nmsg")]);
  await assert.rejects(
    readUnits(twice),
    failure("magic", good.length, /offset \d+: incorrect magic/),
  );
});

Deno.test("UnitReader reports truncated units, after delivering the complete ones", async () => {
  const reader = new UnitReader(
    bytesSource(goldenBytes("inputs/crafted_dns-plus-truncated.nmsg")),
    { name: "test" },
  );
  assert.notEqual(await reader.next(), null);
  await assert.rejects(
    reader.next(),
    failure("truncated", 456, /declares 11166 bytes but the input ends after 90/),
  );
  await assert.rejects(
    readUnits(new Uint8Array([0x4e, 0x4d, 0x53, 0x47, 0, 2, 0])),
    failure("truncated", 0, /inside a unit header/),
  );
});

Deno.test("UnitReader refuses a 4 GiB length without allocating it", async () => {
  const hostile = new Uint8Array([0x4e, 0x4d, 0x53, 0x47, 0, 2, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
  await assert.rejects(
    readUnits(hostile),
    failure("length", 0, /declares 4294967295 bytes, above the 67108864-byte limit/),
  );
  const reader = new UnitReader(bytesSource(hostile), { name: "test", maxSize: 100 });
  await assert.rejects(reader.next(), failure("length", 0, /above the 100-byte limit/));
});

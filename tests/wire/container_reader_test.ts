import assert from "node:assert/strict";
import {
  ContainerReader,
  type CrcMismatch,
  NmsgFormatError,
  NmsgStreamWriter,
  nodeZlib,
  readPayloads,
} from "../../mod.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";

Deno.test("ContainerReader drops a payload whose CRC mismatches and reports C's numbers", async () => {
  const seen: CrcMismatch[] = [];
  using file = await Deno.open(
    GOLDEN_DIR + "inputs/payload-crc32c-tests_test_crc32c_incorrect.nmsg",
  );
  const batches = await Array.fromAsync(
    new ContainerReader(file, { onCrcMismatch: (m) => seen.push(m) }),
  );
  assert.equal(batches.length, 1);
  assert.deepEqual(batches[0]!.payloads, []);
  // Golden README: "libnmsg: WARNING: crc mismatch (80258ab4 != ff73c91a)".
  assert.deepEqual(seen.map((m) => [m.calculated.toString(16), m.wire.toString(16), m.index]), [[
    "80258ab4",
    "ff73c91a",
    0,
  ]]);
});

Deno.test("ContainerReader passes verified CRCs along, and computes those a container lacks", async () => {
  using correct = await Deno.open(
    GOLDEN_DIR + "inputs/payload-crc32c-tests_test_crc32c_correct.nmsg",
  );
  const [ok] = await Array.fromAsync(new ContainerReader(correct));
  assert.deepEqual(ok!.crcs, [0xff73c91a]);
  using absent = await Deno.open(
    GOLDEN_DIR + "inputs/payload-crc32c-tests_test_crc32c_absent.nmsg",
  );
  const [none] = await Array.fromAsync(new ContainerReader(absent));
  assert.equal(none!.payloads.length, 1);
  // The same payload as in the file with CRCs (golden README: crc32c 1ac973ff).
  assert.deepEqual(none!.crcs, [0xff73c91a]);
});

Deno.test("ContainerReader reads Web streams, zlib and fragments", async () => {
  const expected = await Array.fromAsync(
    readPayloads(ReadableStream.from([goldenBytes("inputs/crafted_biglog.nmsg")])),
  );
  assert.equal(expected.length, 4);
  // crafted_frag.nmsg: the same four payloads in 14 FRAGMENT units, fed in odd-sized chunks.
  const frag = goldenBytes("inputs/crafted_frag.nmsg");
  const chunks = [frag.subarray(0, 3), frag.subarray(3, 1000), frag.subarray(1000)];
  assert.deepEqual(await Array.fromAsync(readPayloads(ReadableStream.from(chunks))), expected);
  const z = await Array.fromAsync(
    readPayloads(ReadableStream.from([goldenBytes("inputs/crafted_lorem.z.nmsg")]), {
      zlib: nodeZlib,
    }),
  );
  const plain = await Array.fromAsync(
    readPayloads(ReadableStream.from([goldenBytes("inputs/generic-tests_lorem.nmsg")])),
  );
  assert.deepEqual(z, plain);
});

Deno.test("ContainerReader names the input and offset of a malformed container", async () => {
  const good = goldenBytes("inputs/generic-tests_lorem.nmsg");
  const bad = new Uint8Array([0x4e, 0x4d, 0x53, 0x47, 0, 2, 0, 0, 0, 3, 0x0a, 0x05, 0x08]);
  const reader = new ContainerReader(ReadableStream.from([good, bad]), { name: "in.nmsg" });
  assert.ok(await reader.next());
  await assert.rejects(
    reader.next(),
    (e) =>
      e instanceof NmsgFormatError && e.code === "protobuf" &&
      e.message.startsWith(`in.nmsg: offset ${good.length}: `),
  );
});

Deno.test("NmsgStreamWriter writes a golden repack through a WritableStream", async () => {
  const chunks: Uint8Array[] = [];
  const out = new NmsgStreamWriter(new WritableStream({ write: (c) => void chunks.push(c) }));
  for await (
    const batch of new ContainerReader(
      ReadableStream.from([goldenBytes("inputs/crafted_sock-seq.nmsg")]),
    )
  ) {
    batch.payloads.forEach((p, i) => out.write(p, batch.crcs?.[i]));
  }
  await out.close();
  // Golden: the two sequenced socket containers repack into generic dnsqr.nmsg exactly.
  const written = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((off, c) => (written.set(c, off), off + c.length), 0);
  assert.deepEqual(written, goldenBytes("expected/nmsg-repack_crafted_sock-seq.out"));
});

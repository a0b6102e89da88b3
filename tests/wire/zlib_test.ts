import assert from "node:assert/strict";
import {
  decodeContainer,
  deflateData,
  inflateData,
  NmsgFormatError,
  nodeZlib,
  type ZlibCodec,
} from "../../mod.ts";
import { goldenBytes } from "../_golden.ts";
import { goldenContainers } from "./_util.ts";

const isZlib = (e: unknown) => e instanceof NmsgFormatError && e.code === "zlib";

Deno.test("inflateData() reads the C writer's zlib containers", async () => {
  // crafted_lorem.z.nmsg is the C tool's `-r generic-tests_lorem.nmsg -z -w` (golden README).
  const file = goldenBytes("inputs/crafted_lorem.z.nmsg");
  assert.equal(file[4], 1); // flags = ZLIB
  const data = file.subarray(10);
  assert.deepEqual([...data.subarray(4, 6)], [0x78, 0x9c]);
  const size = new DataView(data.buffer, data.byteOffset).getUint32(0);
  const inflated = inflateData(data, nodeZlib, 1 << 20);
  assert.equal(inflated.length, size);
  const plain = await goldenContainers("inputs/generic-tests_lorem.nmsg");
  assert.deepEqual(decodeContainer(inflated).payloads, plain.flatMap((c) => c.payloads));
});

Deno.test("deflateData() frames a container as 4-byte length + zlib stream", () => {
  const input = new TextEncoder().encode("NMSG ".repeat(100));
  const framed = deflateData(input, nodeZlib, 10);
  assert.deepEqual([...framed.subarray(10, 14)], [0, 0, 1, 0xf4]);
  assert.deepEqual(inflateData(framed.subarray(10), nodeZlib, 1000), input);
});

Deno.test("inflateData() refuses a declared size above the limit without allocating it", () => {
  const calls: number[] = [];
  const spy: ZlibCodec = {
    inflate(s, n) {
      calls.push(n);
      return nodeZlib.inflate(s, n);
    },
    deflate: nodeZlib.deflate,
  };
  const lie = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x78, 0x9c, 3, 0, 0, 0, 0, 1]);
  assert.throws(
    () => inflateData(lie, spy, 64 << 20),
    (e) => isZlib(e) && /above the 67108864-byte limit/.test((e as Error).message),
  );
  assert.deepEqual(calls, []);
});

Deno.test("inflateData() rejects a stream that inflates to more or less than declared", () => {
  const body = deflateData(new Uint8Array(1000).fill(1), nodeZlib);
  const small = body.slice();
  small[3] = 100;
  small[2] = 0; // declares 100 bytes
  assert.throws(() => inflateData(small, nodeZlib, 1 << 20), isZlib);
  const big = body.slice();
  big[2] = 0x10;
  big[3] = 0; // declares 4096 bytes
  assert.throws(
    () => inflateData(big, nodeZlib, 1 << 20),
    (e) => isZlib(e) && /inflates to 1000/.test((e as Error).message),
  );
});

Deno.test("inflateData() rejects corrupt and truncated streams", () => {
  const body = deflateData(new Uint8Array(5000).map((_, i) => i * 7), nodeZlib);
  assert.throws(() => inflateData(body.subarray(0, body.length - 10), nodeZlib, 1 << 20), isZlib);
  const bad = body.slice();
  bad[8] = bad[8]! ^ 0xff;
  assert.throws(() => inflateData(bad, nodeZlib, 1 << 20), isZlib);
  assert.throws(() => inflateData(new Uint8Array(3), nodeZlib, 1 << 20), isZlib);
});

Deno.test("inflateData() into a reused buffer accepts and rejects what it does without one", () => {
  let buf = new Uint8Array(0);
  const scratch = (size: number) => (buf.length > size ? buf : (buf = new Uint8Array(size + 1)));
  const data = new Uint8Array(5000).map((_, i) => i * 7);
  const body = deflateData(data, nodeZlib);
  const short = body.subarray(0, body.length - 2); // the adler32 check cut
  const bad = body.slice();
  bad[8] = bad[8]! ^ 0xff;
  const small = deflateData(new Uint8Array(1000), nodeZlib);
  small[2] = 0x10; // declares 4096 bytes
  for (let round = 0; round < 2; round++) {
    assert.deepEqual(inflateData(body, nodeZlib, 1 << 20, scratch), data);
    assert.equal(inflateData(body, nodeZlib, 1 << 20, scratch).buffer, buf.buffer);
    for (const broken of [short, bad, small]) {
      assert.throws(() => inflateData(broken, nodeZlib, 1 << 20), isZlib);
      assert.throws(() => inflateData(broken, nodeZlib, 1 << 20, scratch), isZlib);
    }
  }
});

Deno.test("deflateData() builds its result in the buffer given when it fits", () => {
  let seed = 3;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const buf = new Uint8Array(1 << 21);
  for (const size of [0, 1, 100, 70000, 1 << 20]) {
    for (const noisy of [false, true]) {
      const data = new Uint8Array(size).map((_, i) => (noisy ? rand() : i % 7));
      // zlib builds may cut blocks differently with a different output buffer: compare the
      // framing and what inflates back, not the stream bytes.
      const out = deflateData(data, nodeZlib, 10, buf);
      assert.equal(out.buffer, buf.buffer);
      assert.deepEqual(out.subarray(10, 14), deflateData(data, nodeZlib, 10).subarray(10, 14));
      assert.deepEqual(inflateData(out.subarray(10), nodeZlib, 1 << 21), data, `${size}`);
    }
  }
  // Too small a buffer: a new array.
  const data = new Uint8Array(5000).map(() => rand());
  const small = new Uint8Array(100);
  const out = deflateData(data, nodeZlib, 10, small);
  assert.notEqual(out.buffer, small.buffer);
  assert.deepEqual(inflateData(out.subarray(10), nodeZlib, 1 << 21), data);
});

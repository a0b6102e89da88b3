import assert from "node:assert/strict";
import { bswap32, crc32c, payloadCrc } from "../../mod.ts";
import { crcSpans } from "../../src/wire/crc32c.ts";
import { goldenContainers } from "./_util.ts";

const text = (s: string) => new TextEncoder().encode(s);

/** Reference: the plain bitwise definition. */
function slow(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

Deno.test("crc32c() matches the libnmsg test vectors", () => {
  // libmy/crc32c_test.c vectors, as listed in spec nmsg-behaviour.md §1.4.
  assert.equal(crc32c(text("a")), 0xc1d04330);
  assert.equal(crc32c(text("foo")), 0xcfc4ae1d);
  assert.equal(crc32c(text("hello world")), 0xc99465aa);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(text("123456789")), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
});

Deno.test("crc32c() gives the same result for every length and alignment", () => {
  const data = new Uint8Array(300).map((_, i) => (i * 131 + 7) & 0xff);
  for (let start = 0; start < 17; start++) {
    for (const len of [0, 1, 15, 16, 17, 31, 32, 33, 100, 283 - start]) {
      const view = data.subarray(start, start + len);
      assert.equal(crc32c(view), slow(view), `start ${start} len ${len}`);
    }
  }
});

Deno.test("payloadCrc() is the byte-swapped CRC stored by C writers", async () => {
  // test_crc32c_correct.nmsg: crc32c = 1ac973ff, stored = ff73c91a (spec §1.4, verified).
  const [c] = await goldenContainers("inputs/payload-crc32c-tests_test_crc32c_correct.nmsg");
  const p = c!.payloads[0]!;
  assert.equal(crc32c(p.payload!), 0x1ac973ff);
  assert.equal(c!.payloadCrcs[0], 0xff73c91a);
  assert.equal(payloadCrc(p.payload!), 0xff73c91a);
  assert.equal(bswap32(0xff73c91a), 0x1ac973ff);
});

Deno.test("crcSpans() checks spans in batches, across its window and list limits", () => {
  // 6 MiB: above the 4 MiB window; 20,000 spans: above the 16,384 per call.
  const data = new Uint8Array(6 << 20).map((_, i) => (i * 2654435761) >>> 24);
  const spans: number[] = [];
  for (let i = 0; i < 20000; i++) spans.push(i * 37, i % 50);
  spans.push(1 << 20, 5 << 20); // one span larger than the window
  spans.push(6 << 20, 0); // an empty one at the very end
  const at = new Int32Array(spans);
  const n = spans.length / 2;
  const out = new Uint32Array(n);
  crcSpans(data, at, n, out);
  for (let i = 0; i < n; i++) {
    const view = data.subarray(at[2 * i]!, at[2 * i]! + at[2 * i + 1]!);
    if (out[i] !== payloadCrc(view)) assert.fail(`span ${i}`);
  }
  // The whole 6 MiB goes through the window in pieces.
  assert.equal(crc32c(data), slow(data));
});

Deno.test("the committed WebAssembly module is what scripts/crc32c.wat assembles to", async () => {
  const { assemble, render } = await import("../../scripts/build_crc32c_wasm.ts");
  const committed = await Deno.readTextFile(
    new URL("../../src/wire/_crc32c_module.ts", import.meta.url),
  );
  assert.equal(committed, render(await assemble()));
});

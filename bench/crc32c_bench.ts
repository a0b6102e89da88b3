// CRC-32C throughput: one payload at a time and a whole container's payloads in one call.
//
//   deno bench bench/crc32c_bench.ts

import { crc32c, crcSpans, payloadCrc } from "../src/wire/crc32c.ts";

const data = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24);

for (const size of [64, 330, 1500, 65536]) {
  const views = Array.from({ length: 64 }, (_, i) => data.subarray(i * 7, i * 7 + size));
  Deno.bench(`crc32c() ${size}-byte inputs (x64)`, { group: `crc32c ${size}` }, () => {
    for (const v of views) crc32c(v);
  });
}

// A 1 MiB container's worth of ~330-byte payloads, as verify() checks them.
const spans: number[] = [];
for (let off = 0; off + 330 <= data.length; off += 335) spans.push(off, 330);
const at = new Int32Array(spans);
const n = spans.length / 2;
const out = new Uint32Array(n);
Deno.bench(`crcSpans() ${n} payloads of 330 bytes, one call`, { group: "container" }, () => {
  crcSpans(data, at, n, out);
});
Deno.bench(`payloadCrc() ${n} payloads of 330 bytes, one call each`, { group: "container" }, () => {
  for (let i = 0; i < n; i++) out[i] = payloadCrc(data.subarray(at[2 * i]!, at[2 * i]! + 330));
});

import assert from "node:assert/strict";
import { LineReader, LineTooLongError } from "../../src/io/_line_reader.ts";
import { encodeText } from "../../src/msgmod/encode_text.ts";

/** A file handing out `data` a few bytes per read. */
function source(data: Uint8Array, step: number) {
  let pos = 0;
  return {
    read(p: Uint8Array): Promise<number | null> {
      if (pos >= data.length) return Promise.resolve(null);
      const n = Math.min(step, p.length, data.length - pos);
      p.set(data.subarray(pos, pos + n));
      pos += n;
      return Promise.resolve(n);
    },
    close() {},
  };
}

async function all(r: LineReader): Promise<string[]> {
  const out: string[] = [];
  for (let l = await r.next(); l !== null; l = await r.next()) out.push(...l);
  return out;
}

Deno.test("LineReader splits lines across reads and keeps the unterminated tail apart", async () => {
  const r = new LineReader(source(new TextEncoder().encode("a\n\nbcd\néé\ntail"), 3));
  assert.deepEqual(await all(r), ["a", "", "bcd", "éé"]);
  assert.equal(r.tail, "tail");
  assert.equal(r.lineCount, 4);
});

Deno.test("LineReader keeps invalid UTF-8 byte-faithfully", async () => {
  const bytes = new Uint8Array([0x61, 0xff, 0x62, 0x0a, 0xc3, 0xa9, 0x0a]);
  const lines = await all(new LineReader(source(bytes, 100)));
  assert.deepEqual(encodeText(lines[0]!), bytes.subarray(0, 3));
  assert.equal(lines[1], "é");
});

Deno.test("LineReader refuses a line longer than its limit", async () => {
  const r = new LineReader(source(new Uint8Array(5000).fill(0x61), 1000), 4096);
  await assert.rejects(all(r), LineTooLongError);
});

Deno.test("LineReader takes a line of exactly its limit and refuses one byte more", async () => {
  const line = (n: number) => "x".repeat(n) + "\n";
  // 3 MiB lines: the buffer grows past the 1 MiB chunk on the way. In 61-byte reads (a slow
  // pipe) too: each read scans only the bytes it added, not the whole line again.
  for (const step of [61, 4096, Infinity]) {
    const limit = 3 << 20;
    const ok = new LineReader(source(new TextEncoder().encode(line(limit) + "y"), step), limit);
    assert.deepEqual((await all(ok)).map((l) => l.length), [limit]);
    assert.equal(ok.tail, "y");
    const long = new TextEncoder().encode(line(10) + line(limit + (1 << 19)));
    await assert.rejects(
      all(new LineReader(source(long, step), limit)),
      (e: unknown) =>
        e instanceof LineTooLongError && e.message === `line 2 is longer than ${limit} bytes`,
    );
    // A limit below the chunk size is just as exact.
    const small = new TextEncoder().encode(line(10) + line(11));
    await assert.rejects(all(new LineReader(source(small, step), 10)), LineTooLongError);
  }
});

// The private byte buffer behind the DNS writers (also used by the renderers).

import assert from "node:assert/strict";
import { HEX_UPPER, TextSink } from "../../../src/msgmod/dns/_sink.ts";

Deno.test("TextSink.uint() writes decimal like String()", () => {
  const s = new TextSink(4);
  for (
    const v of [0, 9, 10, 99, 100, 65535, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1, 1e15]
  ) {
    s.clip(0);
    s.uint(v);
    assert.equal(s.text(), String(v));
  }
});

Deno.test("TextSink grows and decodes short and long text", () => {
  const s = new TextSink(2);
  s.ascii("abc");
  s.byte(0x2d);
  s.hex2(0xaf, HEX_UPPER);
  s.lit(new TextEncoder().encode("xyz"));
  s.bytes(new Uint8Array([0x21]));
  assert.equal(s.text(), "abc-AFxyz!");
  assert.equal(s.text(3), "-AFxyz!");
  const long = "0123456789".repeat(20);
  s.clip(0);
  s.ascii(long);
  assert.equal(s.text(), long);
  s.clip(0);
  assert.equal(s.text(), "");
});

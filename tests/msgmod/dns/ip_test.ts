import assert from "node:assert/strict";
import { ipFromText } from "../../../src/msgmod/dns/ip.ts";

Deno.test("ipFromText() reads what inet_pton reads, and nothing else", () => {
  assert.deepEqual(ipFromText("192.0.2.1"), new Uint8Array([192, 0, 2, 1]));
  assert.deepEqual(
    ipFromText("2001:db8::1"),
    new Uint8Array([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
  );
  assert.deepEqual(
    ipFromText("::ffff:192.0.2.1")?.subarray(10),
    new Uint8Array([255, 255, 192, 0, 2, 1]),
  );
  // A shorter address after a longer one: no bytes of the earlier text are read.
  assert.equal(ipFromText("1.2.3"), undefined);
  for (
    const bad of [
      "",
      "192.0.2.01",
      "192.0.2.1x",
      "١٩٢.0.2.1",
      "192.0.2.\u00b9",
      "1:2:3:4:5:6:7:8:9",
    ]
  ) {
    assert.equal(ipFromText(bad), undefined, bad);
  }
  // Longer than any address: still refused, not misread.
  assert.equal(ipFromText("1".repeat(100)), undefined);
  assert.deepEqual(ipFromText("10.0.0.1"), new Uint8Array([10, 0, 0, 1]));
});

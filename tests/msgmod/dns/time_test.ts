// SIE time fields (message-modules.md §2.6).

import assert from "node:assert/strict";
import { DnsTextError, sieTimeFromText, sieTimeToText } from "../../../src/msgmod/dns/mod.ts";

Deno.test("sieTimeToText() formats UTC seconds", () => {
  assert.equal(sieTimeToText(0), "1970-01-01 00:00:00");
  assert.equal(sieTimeToText(4294967295), "2106-02-07 06:28:15");
  assert.equal(sieTimeToText(1519304318), "2018-02-22 12:58:38");
});

Deno.test("sieTimeFromText() parses like strptime + timegm", () => {
  assert.equal(sieTimeFromText("2018-02-22 12:58:38"), 1519304318);
  assert.equal(sieTimeFromText("1970-01-01 00:00:00"), 0);
  assert.equal(sieTimeFromText("2106-02-07 06:28:15"), 4294967295);
  assert.equal(sieTimeFromText("2018-02-22 12:58:38 and more"), 1519304318);
  assert.equal(sieTimeFromText("2018-2-22 1:2:3"), Date.UTC(2018, 1, 22, 1, 2, 3) / 1000);
  // Out-of-range days roll over as timegm normalizes them; the result wraps to 32 bits.
  assert.equal(sieTimeFromText("2018-02-31 00:00:00"), Date.UTC(2018, 2, 3) / 1000);
  assert.equal(sieTimeFromText("1969-12-31 23:59:59"), 4294967295);
  for (
    const bad of [
      "",
      "2018-02-22",
      "2018/02/22 12:58:38",
      "2018-13-01 00:00:00",
      "2018-02-22T12:58:38",
    ]
  ) {
    assert.throws(() => sieTimeFromText(bad), DnsTextError, bad);
  }
});

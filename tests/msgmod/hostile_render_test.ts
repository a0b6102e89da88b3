// Hostile input at the message layer: presentation and JSON text and payload bytes that
// claim or hold anything end in a payload, a rendering, or a typed one-line error.

import assert from "node:assert/strict";
import { defaultRegistry, NmsgParseError, PresentationParser } from "../../mod.ts";

Deno.test("PresentationParser stops a multi-line value that never ends at 64 Mi characters", () => {
  const http = defaultRegistry().lookupByName("base", "http")!;
  const parser = new PresentationParser(http, { now: () => ({ sec: 0, nsec: 0 }) });
  parser.pushLine("type: sinkhole");
  parser.pushLine("request:");
  const mib = "x".repeat((1 << 20) - 1);
  let line = 2;
  assert.throws(
    () => {
      // No "." line: without a limit, the whole input would pile up in the value.
      for (; line < 200; line++) parser.pushLine(mib);
    },
    (e: unknown) =>
      e instanceof NmsgParseError &&
      e.message === `line ${line + 1}: multi-line field request is longer than 67108864 characters`,
  );
  assert.equal(line, 66);
});

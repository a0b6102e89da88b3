import assert from "node:assert/strict";
import { SeqsrcTracker } from "../../mod.ts";
import { GOLDEN_DIR } from "../_golden.ts";

Deno.test("SeqsrcTracker counts the golden seqsrc patterns exactly as libnmsg", () => {
  const rows = Deno.readTextFileSync(GOLDEN_DIR + "udp/seqsrc.tsv").trim().split("\n").slice(1);
  assert.equal(rows.length, 4);
  for (const row of rows) {
    const [pattern, received, dropped, name] = row.split("\t");
    const t = new SeqsrcTracker();
    for (const s of pattern!.split(",").map(Number)) t.update(0x1234n, "127.0.0.1/5000", s, 1000);
    assert.deepEqual(t.totals, { received: Number(received), dropped: Number(dropped) }, name);
  }
});

Deno.test("SeqsrcTracker keeps sources apart by id and sender, and forgets idle ones", () => {
  const t = new SeqsrcTracker();
  t.update(1n, "a", 0, 0);
  t.update(2n, "a", 10, 0);
  t.update(1n, "b", 20, 0);
  t.update(1n, "a", 2, 0); // one lost from (1, a)
  assert.deepEqual(t.totals, { received: 4, dropped: 1 });
  assert.equal(t.sources.length, 3);
  // Lookups expire the idle sources they pass over (libnmsg walks its list from the most
  // recently seen): (1, a) is first, so nothing else is examined.
  t.update(1n, "a", 3, 121);
  assert.equal(t.sources.length, 3);
  // Finding (1, b) passes over (1, a), seen now, and stops; (2, a) lies beyond it.
  t.update(1n, "b", 21, 121);
  assert.deepEqual(t.sources.map((s) => `${s.sequenceId}/${s.sender}`), ["1/b", "1/a", "2/a"]);
  // Finding (2, a) passes over both, which are fresh, and moves it first; at t = 300,
  // finding (1, a) passes over (2, a) and (1, b), last seen at 121 < 300 - 120: forgotten.
  t.update(2n, "a", 11, 121);
  t.update(1n, "a", 4, 300);
  assert.deepEqual(t.sources.map((s) => `${s.sequenceId}/${s.sender}`), ["1/a"]);
  assert.deepEqual(t.totals, { received: 8, dropped: 1 });
});

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
  // libnmsg appends new sources and moves a source found to the head of its list.
  const order = () => t.sources.map((s) => `${s.sequenceId}/${s.sender}`);
  assert.deepEqual(order(), ["1/a", "2/a", "1/b"]);
  // Lookups expire the idle sources they pass over: (1, a) is first, nothing else is seen.
  t.update(1n, "a", 3, 121);
  assert.equal(t.sources.length, 3);
  // Finding (1, b) passes over (1, a), seen now, and (2, a), last seen at 0 < 121 - 120:
  // (2, a) is forgotten and (1, b) moves first.
  t.update(1n, "b", 21, 121);
  assert.deepEqual(order(), ["1/b", "1/a"]);
  assert.deepEqual(t.totals, { received: 6, dropped: 1 });
  // A forgotten source starts afresh: its first container counts no loss.
  t.update(2n, "a", 500, 121);
  assert.deepEqual(order(), ["1/b", "1/a", "2/a"]);
  assert.deepEqual(t.totals, { received: 7, dropped: 1 });
});

Deno.test("SeqsrcTracker.record() counts containers without sequence fields as libnmsg does", () => {
  const t = new SeqsrcTracker();
  // Counted, and given a source with id 0 (protobuf's default), but never checked for gaps.
  t.record("a", undefined, undefined, 0);
  t.record("a", 5, undefined, 0);
  t.record("a", 7, undefined, 0);
  assert.deepEqual(t.totals, { received: 3, dropped: 0 });
  assert.deepEqual(t.sources.map((s) => [s.sequenceId, s.received]), [[0n, 0]]);
});

Deno.test("SeqsrcTracker reports new sources, gaps and resets with the counts libnmsg prints", () => {
  const events: string[] = [];
  const t = new SeqsrcTracker({
    onEvent: (e) =>
      events.push(
        e.type === "gap"
          ? `gap ${e.expected}->${e.sequence} delta ${e.delta} (${e.source.received}/${e.source.dropped})`
          : e.type === "reset"
          ? `reset ${e.reason} (${e.received}/${e.dropped})`
          : e.type,
      ),
  });
  // The golden "jumps" pattern: 8 lost, then 3 resets the source, then 6 lost.
  for (const s of [0, 9, 3, 10]) t.update(0xf1n, "127.0.0.1/1", s, 0);
  assert.deepEqual(events, [
    "new",
    "gap 1->9 delta 8 (2/8)",
    "reset implausibly large delta (3/8)",
    "gap 4->10 delta 6 (1/6)",
  ]);
  assert.deepEqual(t.totals, { received: 4, dropped: 14 });
  const [src] = t.sources;
  assert.deepEqual([src!.received, src!.dropped, src!.resets], [1, 6, 1]);
});

// libnmsg's debug lines about sequence tracking (`input_seqsrc.c`), word for word, with
// the levels nmsgtool prints them at (`-dddd` and up).

import { formatFixed } from "../msgmod/_number.ts";
import type { SeqsrcEvent, SeqsrcSource, SeqsrcTotals } from "../wire/seqsrc.ts";

function id(s: Readonly<SeqsrcSource>): string {
  return s.sequenceId.toString(16).padStart(16, "0");
}

// The per-source loss fraction libnmsg prints: dropped / (dropped + count + 1).
function sourceFraction(s: Readonly<SeqsrcSource>): string {
  return formatFixed(s.dropped / (s.dropped + s.received + 1), 4);
}

/**
 * The line libnmsg prints for a tracker event, and its debug level.
 *
 * @param e The event.
 * @returns Level and text.
 */
export function seqsrcEventLine(e: SeqsrcEvent): [number, string] {
  const s = e.source;
  switch (e.type) {
    case "new":
      return [6, `_input_seqsrc_get: initialized new seqsrc id= ${id(s)}`];
    case "gap":
      return [
        5,
        `_input_seqsrc_update: source id= ${id(s)}: expected sequence (${e.expected}) != ` +
        `wire sequence (${e.sequence}), delta ${e.delta}, drop fraction ${sourceFraction(s)}`,
      ];
    case "reset":
      return [
        6,
        `reset_seqsrc: resetting source id= ${id(s)}: ${e.reason}: count= ${e.received} ` +
        `count_dropped= ${e.dropped}`,
      ];
    case "expire":
      return [
        6,
        `_input_seqsrc_get: freeing old source id= ${id(s)}: count= ${s.received} ` +
        `count_dropped= ${s.dropped}`,
      ];
  }
}

/**
 * The lines libnmsg prints when an input closes: one per source (level 5), then the
 * input's totals (level 4, if it received anything). libnmsg names the input by its
 * pointer; the name given here stands in for it.
 *
 * @param input The input's name.
 * @param sources The tracker's sources, most recently seen first.
 * @param totals The input's counters.
 * @returns `[level, line]` pairs in print order.
 */
export function seqsrcCloseLines(
  input: string,
  sources: readonly Readonly<SeqsrcSource>[],
  totals: SeqsrcTotals,
): [number, string][] {
  const lines: [number, string][] = sources.map((s) => [
    5,
    `_input_seqsrc_destroy: source id= ${id(s)}: count=${s.received} dropped=${s.dropped} (${
      sourceFraction(s)
    })`,
  ]);
  if (totals.received > 0) {
    const f = formatFixed(totals.dropped / (totals.received + totals.dropped), 4);
    lines.push([
      4,
      `_input_seqsrc_destroy: input=${input} count_recv=${totals.received} ` +
      `count_drop=${totals.dropped} (${f})`,
    ]);
  }
  return lines;
}

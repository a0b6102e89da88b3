// Listing a savefile's records as text lines, to compare two ways of reading them.
import type { NextResult, PcapHandle } from "../../src/pcap/pcap_handle.ts";
import { PcapError } from "../../src/pcap/errors.ts";

/** One JSON line per record (header fields and bytes), then one for how reading ended. */
export function recordLines(h: PcapHandle, packet: NextResult): string[] {
  const lines: string[] = [];
  try {
    while (h.next() === packet) {
      const bytes = h.data.subarray(h.dataOffset, h.dataOffset + h.caplen);
      const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      lines.push(JSON.stringify([h.tsSec, h.tsUsec, h.caplen, h.length, hex]));
    }
    lines.push(JSON.stringify({ end: true }));
  } catch (e) {
    if (!(e instanceof PcapError)) throw e;
    lines.push(JSON.stringify({ error: e.detail }));
  }
  return lines;
}

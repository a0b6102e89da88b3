// Counts the packets of a savefile (run by pcap_handle_test.ts under narrow permissions).
import { NextResult, PcapHandle } from "../../src/pcap/pcap_handle.ts";

using h = PcapHandle.openOffline(Deno.args[0]!);
const frame = new Uint8Array(h.snapshot);
let n = 0;
while (h.next() === NextResult.Packet) {
  h.copyPacket(frame);
  n++;
}
console.log(n);

// Prints every record of a savefile as a JSON line, then how reading ended (run by
// savefile_test.ts). Path `-` makes libpcap read standard input, through its own reader.
import { NextResult, PcapHandle } from "../../src/pcap/pcap_handle.ts";
import { recordLines } from "./_records.ts";

const [path, filter] = Deno.args;
using h = PcapHandle.openOffline(path!);
if (filter !== undefined) h.setFilter(filter);
for (const line of recordLines(h, NextResult.Packet)) console.log(line);

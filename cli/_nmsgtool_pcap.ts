// Building nmsgtool's pcap inputs (`-p`, `-i`); loaded only when used.

import {
  parseInterfaceSpec,
  PcapInput,
  PcapInputError,
  type PcapInputOptions,
} from "../src/io/pcap_input.ts";
import { FatalError, type ToolContext } from "./_nmsgtool_io.ts";

/** `-i IFACE[+][,SNAPLEN]`: live capture. */
export function addPcapIfInput(ctx: ToolContext, arg: string): void {
  ctx.inputs.push(
    openPcap(() => PcapInput.openInterface(parseInterfaceSpec(arg), pcapOptions(ctx))),
  );
  ctx.log(2, `nmsgtool: pcap interface input: ${arg}`);
}

/** `-p FILE`: a pcap file. */
export function addPcapFileInput(ctx: ToolContext, path: string): void {
  ctx.inputs.push(openPcap(() => PcapInput.openFile(path, pcapOptions(ctx))));
  ctx.log(2, `nmsgtool: pcap file input: ${path}`);
}

function pcapOptions(ctx: ToolContext): PcapInputOptions {
  return { module: ctx.module!, bpf: ctx.bpf, log: ctx.log };
}

/** libnmsg prints its own diagnostic line, then nmsgtool its message. */
function openPcap(open: () => PcapInput): PcapInput {
  try {
    return open();
  } catch (e) {
    if (!(e instanceof PcapInputError)) throw e;
    throw new FatalError(`${e.detail === undefined ? "" : `${e.detail}\n`}nmsgtool: ${e.message}`);
  }
}

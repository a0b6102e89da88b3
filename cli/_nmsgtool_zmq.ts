// Building nmsgtool's ZeroMQ inputs and outputs (`-L`, `-S`, `-Z`); loaded only when used.

import { loadedZlib } from "../src/io/_lazy_zlib.ts";
import { ZmqInput } from "../src/io/zmq_input.ts";
import { ZmqOutput } from "../src/io/zmq_output.ts";
import {
  channelEntries,
  inputFilters,
  openEndpoint,
  type ToolContext,
  UsageError,
} from "./_nmsgtool_io.ts";

/** `-Z ZCHANNEL`: the ZMQ inputs a channel alias names. */
export function addZchannelInputs(ctx: ToolContext, channel: string): void {
  ctx.log(2, `nmsgtool: looking up zchannel '${channel}'`);
  const entries = channelEntries(ctx, channel, "zchannel alias lookup failed");
  for (const entry of entries) {
    if (!entry.includes("://")) {
      throw new UsageError("zchannel alias needs to be a ZeroMQ endpoint");
    }
    addZmqInput(ctx, entry);
  }
}

/** `-L ENDPOINT`: a ZMQ input. */
export function addZmqInput(ctx: ToolContext, endpoint: string): void {
  ctx.log(2, `nmsgtool: nmsg ZMQ input: ${endpoint}`);
  ctx.inputs.push(
    openEndpoint("nmsg_input_open_zmq_endpoint", () => ZmqInput.open(endpoint, inputFilters(ctx))),
  );
}

/** `-S ENDPOINT`: a ZMQ output (8192-byte containers whatever `-m` says). */
export function addZmqOutput(ctx: ToolContext, endpoint: string): void {
  ctx.log(2, `nmsgtool: nmsg ZMQ output: ${endpoint}`);
  ctx.outputs.push(openEndpoint("nmsg_output_open_zmq_endpoint", () =>
    ZmqOutput.open(endpoint, {
      ...ctx.stamp,
      zlib: ctx.args.zlibout ? loadedZlib() : undefined,
      unbuffered: ctx.args.unbuffered,
    })));
}

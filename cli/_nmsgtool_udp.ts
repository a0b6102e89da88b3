// Building nmsgtool's UDP inputs and outputs (`-l`, `-s`, `-C`); loaded only when used.

import { SocketError } from "../src/ffi/libc_socket.ts";
import { loadedZlib } from "../src/io/_lazy_zlib.ts";
import { UdpInput } from "../src/io/udp_input.ts";
import { SendPacer, UdpOutput } from "../src/io/udp_output.ts";
import { parseSockspec, type Sockspec, SockspecError } from "../src/io/udp_sockspec.ts";
import {
  channelEntries,
  FatalError,
  inputFilters,
  type ToolContext,
  UsageError,
} from "./_nmsgtool_io.ts";

/** Checks an `-l`/`-s` argument as the C tool does before it opens any socket. */
function checkSockspec(arg: string, option: "-l" | "-s"): Sockspec {
  try {
    return parseSockspec(arg, option);
  } catch (e) {
    if (!(e instanceof SockspecError)) throw e;
    throw e.detail === undefined
      ? new UsageError(e.message)
      : new FatalError(`${e.detail}\nnmsgtool: usage error: ${e.message}`);
  }
}

/** A socket that cannot be set up ends nmsgtool with C's `perror` line (`bind: …`). */
function socketOrFatal<T>(open: () => T): T {
  try {
    return open();
  } catch (e) {
    if (e instanceof SocketError) throw new FatalError(e.message);
    throw e;
  }
}

/** `-l ADDR/PORT[..PORT]`: UDP inputs, one per port. */
export function addSockInput(ctx: ToolContext, arg: string): void {
  const spec = checkSockspec(arg, "-l");
  for (const addr of spec.addresses) {
    const name = `${spec.host}/${addr.port}`;
    ctx.log(2, `nmsgtool: nmsg socket input: ${name}`);
    ctx.inputs.push(socketOrFatal(() => UdpInput.bind(addr, { ...inputFilters(ctx), name })));
  }
}

/** `-s ADDR/PORT[..PORT][,RATE[,FREQ]]`: UDP outputs, one per port, sharing one rate. */
export function addSockOutput(ctx: ToolContext, arg: string): void {
  const spec = checkSockspec(arg, "-s");
  const comma = arg.indexOf(",");
  const tail = comma < 0 ? "" : arg.slice(comma);
  const pacer = spec.rate > 0 ? new SendPacer(spec.rate, spec.freq) : undefined;
  for (const addr of spec.addresses) {
    const name = `${spec.host}/${addr.port}`;
    ctx.log(2, `nmsgtool: nmsg socket output: ${name}${tail}`);
    if (pacer !== undefined) {
      ctx.log(2, `nmsgtool: nmsg socket rate: ${spec.rate} freq: ${spec.freq}`);
    }
    ctx.outputs.push(socketOrFatal(() =>
      UdpOutput.connect(addr, {
        ...ctx.stamp,
        name,
        mtu: ctx.mtu,
        zlib: ctx.args.zlibout ? loadedZlib() : undefined,
        unbuffered: ctx.args.unbuffered,
        ...(pacer === undefined ? {} : { pacer }),
      })
    ));
  }
}

/** `-C CHANNEL`: the socket inputs a channel alias names. */
export function addChannelInputs(ctx: ToolContext, channel: string): void {
  ctx.log(2, `nmsgtool: looking up channel '${channel}'`);
  const entries = channelEntries(ctx, channel, "channel alias lookup failed");
  for (const entry of entries) {
    if (entry.includes("://")) {
      throw new UsageError("channel alias appears to be a ZeroMQ endpoint");
    }
    addSockInput(ctx, entry);
  }
}

// Building nmsgtool's inputs and outputs, one small function per kind, called in the C
// tool's fixed order by cli/nmsgtool.ts.

import type { Input, Output } from "../src/engine/types.ts";
import { lookupChannelAlias } from "../src/io/chalias.ts";
import { openForReading, openForWriting } from "../src/io/files.ts";
import { NmsgInput } from "../src/io/nmsg_input.ts";
import { NmsgOutput, type PayloadStamp } from "../src/io/nmsg_output.ts";
import {
  parseInterfaceSpec,
  PcapInput,
  PcapInputError,
  type PcapInputOptions,
} from "../src/io/pcap_input.ts";
import { RotatingOutput } from "../src/io/rotating_output.ts";
import { loadedZlib } from "../src/io/_lazy_zlib.ts";
import type { Aliases } from "../src/msgmod/aliases.ts";
import type { MessageModule } from "../src/msgmod/module.ts";
import type { ModuleRegistry } from "../src/msgmod/registry.ts";
import { SocketError } from "../src/ffi/libc_socket.ts";
import { UdpInput } from "../src/io/udp_input.ts";
import { SendPacer, UdpOutput } from "../src/io/udp_output.ts";
import { parseSockspec, type Sockspec, SockspecError } from "../src/io/udp_sockspec.ts";
import { ZmqInput } from "../src/io/zmq_input.ts";
import { kafkaLogLevel } from "../src/io/_kafka_client.ts";
import { type KafkaClientOptions, loadKafkaConfig } from "../src/io/kafka_config.ts";
import { KafkaInput, KafkaJsonInput } from "../src/io/kafka_input.ts";
import { KafkaJsonOutput, KafkaOutput } from "../src/io/kafka_output.ts";
import { ZmqOutput } from "../src/io/zmq_output.ts";
import type { NmsgtoolArgs } from "./_nmsgtool_options.ts";

/** A usage error: printed as `nmsgtool: usage error: <message>`, exit 1. */
export class UsageError extends Error {
  /** Always `"UsageError"`. */
  override name = "UsageError";
}

/** A fatal error whose message is printed as is (one or more lines), exit 1. */
export class FatalError extends Error {
  /** Always `"FatalError"`. */
  override name = "FatalError";
}

/** What the builders share: the settings and the inputs and outputs made so far. */
export interface ToolContext {
  /** The command line. */
  args: NmsgtoolArgs;
  /** Prints a line to stderr if the debug level is at least `level`. */
  log: (level: number, line: string) => void;
  /** Message modules, loaded only when the command line needs them. */
  registry: ModuleRegistry | undefined;
  /** Operator and group aliases. */
  aliases: Aliases;
  /** `-V/-T`: vendor id and message type (0 when not given), and their module. */
  vid: number;
  msgtype: number;
  module: MessageModule | undefined;
  /** `-e`, unescaped. */
  endline: string;
  /** `-m`: container size for socket outputs (default 8192; writers clamp it). */
  mtu: number;
  /** `-b` (or `NMSG_BPF`): the pcap filter. */
  bpf: string | undefined;
  /** `-k` (or `NMSG_KICKER`): set means outputs rotate. */
  kicker: string | undefined;
  /** `--kafkakey` (or `NMSG_KAFKA_KEY`): the JSON Kafka producer key field. */
  kafkaKey: string | undefined;
  /** `NMSG_KAFKA_CONFIG`: a librdkafka settings file or `key=value:…` pairs. */
  kafkaConfig: string | undefined;
  /** `NMSG_KAFKA_LOG_LEVEL`: the debug level that shows librdkafka's log lines. */
  kafkaLogLevel: string | undefined;
  /** `--setsource/--setoperator/--setgroup`. */
  stamp: PayloadStamp;
  /** `--getsource/--getoperator/--getgroup`. */
  source: number;
  operator: number;
  group: number;
  inputs: Input[];
  outputs: Output[];
  /** The output whose close events report totals at `-dd` (the last rotating one). */
  statsOutput: Output | undefined;
}

/** `-r FILE`: an NMSG file (or `-` for stdin). */
export function addFileInput(ctx: ToolContext, path: string): void {
  const file = openForReading(path);
  ctx.log(2, `nmsgtool: nmsg file input: ${path}`);
  const byteRate = ctx.args.byterate;
  if (byteRate > 0) {
    ctx.log(4, `nmsgtool: ${path} ingress rate limit set to ${byteRate} bytes/sec`);
  }
  ctx.inputs.push(
    new NmsgInput(path, file, {
      vid: ctx.vid,
      msgtype: ctx.msgtype,
      source: ctx.source,
      operator: ctx.operator,
      group: ctx.group,
      byteRate,
      log: ctx.log,
    }),
  );
}

/** Wraps the opener of one output file in rotation when `-k` is given. */
export function fileOutput(
  ctx: ToolContext,
  path: string,
  kind: "nmsg" | "pres" | "json",
  suffix: string,
  open: (path: string) => Output,
): Output {
  if (ctx.kicker === undefined) return open(path);
  // A daemon works in /, so its rotated files are named by absolute paths.
  const base = ctx.args.daemon && !path.startsWith("/") ? `${Deno.cwd()}/${path}` : path;
  const out = new RotatingOutput({
    base,
    suffix,
    open,
    kicker: ctx.kicker,
    kind,
    log: ctx.log,
  });
  ctx.statsOutput = out;
  return out;
}

/** `-w FILE`: an NMSG file (or `-` for stdout), 1 MiB containers. */
export function addFileOutput(ctx: ToolContext, path: string): void {
  const zlib = ctx.args.zlibout ? loadedZlib() : undefined;
  const options = { ...ctx.stamp, zlib, unbuffered: ctx.args.unbuffered };
  ctx.outputs.push(
    fileOutput(ctx, path, "nmsg", ".nmsg", (p) => new NmsgOutput(p, openForWriting(p), options)),
  );
  ctx.log(2, `nmsgtool: nmsg file output: ${path}`);
}

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
    ctx.inputs.push(socketOrFatal(() =>
      UdpInput.bind(addr, {
        name,
        vid: ctx.vid,
        msgtype: ctx.msgtype,
        source: ctx.source,
        operator: ctx.operator,
        group: ctx.group,
        log: ctx.log,
      })
    ));
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

function channelEntries(ctx: ToolContext, channel: string, failure: string): string[] {
  let entries: string[];
  try {
    entries = lookupChannelAlias(channel);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    ctx.log(1, e instanceof Error ? e.message : String(e));
    entries = [];
  }
  if (entries.length === 0) throw new UsageError(failure);
  return entries;
}

/**
 * Opens a ZMQ or Kafka endpoint; a failure prints the library's reason, then the line the
 * C tool prints (`nmsgtool: nmsg_input_open_zmq_endpoint() failed`).
 */
function openEndpoint<T>(call: string, open: () => T): T {
  try {
    return open();
  } catch (e) {
    throw endpointFailure(call, e);
  }
}

function endpointFailure(call: string, e: unknown): unknown {
  if (e instanceof Deno.errors.NotCapable || !(e instanceof Error)) return e;
  return new FatalError(`nmsgtool: ${e.message}\nnmsgtool: ${call}() failed`);
}

/** `-L ENDPOINT`: a ZMQ input. */
export function addZmqInput(ctx: ToolContext, endpoint: string): void {
  ctx.log(2, `nmsgtool: nmsg ZMQ input: ${endpoint}`);
  ctx.inputs.push(openEndpoint("nmsg_input_open_zmq_endpoint", () =>
    ZmqInput.open(endpoint, {
      vid: ctx.vid,
      msgtype: ctx.msgtype,
      source: ctx.source,
      operator: ctx.operator,
      group: ctx.group,
      log: ctx.log,
    })));
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

/** `--readkafka`/`--writekafka`: the value must name the protocol. */
function checkKafkaSpec(spec: string): void {
  if (!spec.startsWith("nmsg:") && !spec.startsWith("json:")) {
    throw new FatalError("nmsgtool: Error: nmsg or json protocol must be set for Kafka topic");
  }
}

/** librdkafka settings (`NMSG_KAFKA_CONFIG`, read for each client as libnmsg does). */
function kafkaOptions(ctx: ToolContext): KafkaClientOptions {
  return {
    config: loadKafkaConfig(ctx.kafkaConfig),
    logLevel: kafkaLogLevel(ctx.kafkaLogLevel, ctx.log),
    log: ctx.log,
  };
}

/** `--readkafka nmsg:|json:SPEC`: a Kafka input. */
export async function addKafkaInput(ctx: ToolContext, spec: string): Promise<void> {
  checkKafkaSpec(spec);
  // libnmsg names the endpoint without its prefix in these lines.
  const addr = spec.slice(5);
  if (spec.startsWith("nmsg:")) {
    ctx.log(2, `nmsgtool: nmsg Kafka input: ${addr}`);
    try {
      ctx.inputs.push(
        await KafkaInput.open(spec, {
          ...kafkaOptions(ctx),
          name: addr,
          vid: ctx.vid,
          msgtype: ctx.msgtype,
          source: ctx.source,
          operator: ctx.operator,
          group: ctx.group,
        }),
      );
    } catch (e) {
      throw endpointFailure("nmsg_input_open_kafka_endpoint", e);
    }
    return;
  }
  try {
    ctx.inputs.push(
      await KafkaJsonInput.open(spec, ctx.registry!, {
        ...kafkaOptions(ctx),
        name: addr,
        aliases: ctx.aliases,
      }),
    );
  } catch (e) {
    throw endpointFailure("nmsg_input_open_kafka_json", e);
  }
  ctx.log(2, `nmsgtool: nmsg Kafka json input: ${addr}`);
}

/** `--writekafka nmsg:|json:SPEC`: a Kafka output (8192-byte containers for `nmsg:`). */
export function addKafkaOutput(ctx: ToolContext, spec: string): void {
  checkKafkaSpec(spec);
  const addr = spec.slice(5);
  if (spec.startsWith("nmsg:")) {
    ctx.log(2, `nmsgtool: nmsg Kafka output: ${addr}`);
    ctx.outputs.push(openEndpoint("nmsg_output_open_kafka_endpoint", () =>
      KafkaOutput.open(spec, {
        ...kafkaOptions(ctx),
        ...ctx.stamp,
        name: addr,
        zlib: ctx.args.zlibout ? loadedZlib() : undefined,
        unbuffered: ctx.args.unbuffered,
      })));
    return;
  }
  ctx.outputs.push(
    openEndpoint("nmsg_output_open_kafka_json", () =>
      KafkaJsonOutput.open(spec, ctx.registry!, {
        ...kafkaOptions(ctx),
        ...ctx.stamp,
        name: addr,
        aliases: ctx.aliases,
        keyField: ctx.kafkaKey,
      })),
  );
  ctx.log(2, `nmsgtool: nmsg Kafka json output: ${addr}`);
}

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

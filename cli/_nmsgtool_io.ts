// Building nmsgtool's inputs and outputs, one small function per kind, called in the C
// tool's fixed order by cli/nmsgtool.ts.

import type { Input, Output } from "../src/engine/types.ts";
import { lookupChannelAlias } from "../src/io/chalias.ts";
import { openForReading, openForWriting } from "../src/io/files.ts";
import { NmsgOutput, type PayloadStamp } from "../src/io/nmsg_output.ts";
import { RotatingOutput } from "../src/io/rotating_output.ts";
import { loadedZlib } from "../src/io/_lazy_zlib.ts";
import type { Aliases } from "../src/msgmod/aliases.ts";
import type { ModuleIdentity } from "../src/msgmod/capture/_capture_modules.ts";
import type { ModuleRegistry } from "../src/msgmod/registry.ts";
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
  /**
   * `-V/-T`: vendor id and message type (0 when not given), and their module (with `-f`,
   * `-p`, `-i`; a registry's module, or for a capture module without `registry` its
   * identity).
   */
  vid: number;
  msgtype: number;
  module: ModuleIdentity | undefined;
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

/** What every NMSG input filters on (`-V/-T`, `--getsource/--getoperator/--getgroup`), and its log. */
export function inputFilters(ctx: ToolContext): {
  vid: number;
  msgtype: number;
  source: number;
  operator: number;
  group: number;
  log: (level: number, line: string) => void;
} {
  const { vid, msgtype, source, operator, group, log } = ctx;
  return { vid, msgtype, source, operator, group, log };
}

/** `-r FILE`: an NMSG file (or `-` for stdin). */
export async function addFileInput(ctx: ToolContext, path: string): Promise<void> {
  const { NmsgInput } = await import("../src/io/nmsg_input.ts");
  const file = openForReading(path);
  ctx.log(2, `nmsgtool: nmsg file input: ${path}`);
  const byteRate = ctx.args.byterate;
  if (byteRate > 0) {
    ctx.log(4, `nmsgtool: ${path} ingress rate limit set to ${byteRate} bytes/sec`);
  }
  ctx.inputs.push(
    new NmsgInput(path, file, { ...inputFilters(ctx), byteRate }),
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

/** The entries of a channel alias (`-C`, `-Z`); a usage error if there are none. */
export function channelEntries(ctx: ToolContext, channel: string, failure: string): string[] {
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
export function openEndpoint<T>(call: string, open: () => T): T {
  try {
    return open();
  } catch (e) {
    throw endpointFailure(call, e);
  }
}

/** The error for an endpoint that could not be opened (see {@linkcode openEndpoint}). */
export function endpointFailure(call: string, e: unknown): unknown {
  if (e instanceof Deno.errors.NotCapable || !(e instanceof Error)) return e;
  return new FatalError(`nmsgtool: ${e.message}\nnmsgtool: ${call}() failed`);
}

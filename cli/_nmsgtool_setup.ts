// nmsgtool's set-up: the checks of the C tool's process_args() in its order, then the
// inputs, outputs and modules in its fixed order.

import type { StatsModule } from "../src/engine/stats_module.ts";
import type { Filter } from "../src/engine/types.ts";
import { loadAliases } from "../src/io/aliases.ts";
import { loadZlib } from "../src/io/_lazy_zlib.ts";
import type { PidFile } from "../src/io/pidfile.ts";
import { CAPTURE_MODULES, type ModuleIdentity } from "../src/msgmod/capture/_capture_modules.ts";
import type { ModuleRegistry } from "../src/msgmod/registry.ts";
import {
  addFileInput,
  addFileOutput,
  FatalError,
  type ToolContext,
  UsageError,
} from "./_nmsgtool_io.ts";
import type { NmsgtoolArgs } from "./_nmsgtool_options.ts";
import { readUint32NonZero, unescapeEndline } from "./_nmsgtool_values.ts";

/** Reads an environment variable nmsgtool may read; undefined if unset or not allowed. */
export function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** Resolves the operator or group option: an alias name, else a number. */
function lookupIdName(text: string, byName: (name: string) => number, failure: string): number {
  const id = byName(text) || readUint32NonZero(text);
  if (id === 0) throw new UsageError(failure);
  return id;
}

/** The presentation and JSON builders, loaded with the message modules. */
export type TextBuilders = typeof import("./_nmsgtool_text.ts");

/**
 * True if the command line needs the message modules: for text, for JSON Kafka, or for a
 * `-V/-T` pair other than a capture module's (those are known without loading them).
 */
export function needsModules(a: NmsgtoolArgs): boolean {
  const outputs = a.writenmsg.length + a.writesock.length + a.writezsock.length +
    a.writekafka.length + a.writepres.length + a.writejson.length;
  return outputs === 0 ||
    a.readpres.length + a.writepres.length + a.readjson.length + a.writejson.length > 0 ||
    [...a.readkafka, ...a.writekafka].some((k) => k.startsWith("json:")) ||
    (a.msgtype !== undefined && captureModuleNamed(a.vendor ?? "base", a.msgtype) === undefined);
}

/** The capture module of a vendor and type name, matched as the registry matches names. */
function captureModuleNamed(vname: string, mname: string): ModuleIdentity | undefined {
  const v = vname.toLowerCase() === "isc" ? "base" : vname.toLowerCase();
  const m = mname.toLowerCase();
  return CAPTURE_MODULES.find((c) => c.vname.toLowerCase() === v && c.mname.toLowerCase() === m);
}

/** The part of the C tool's process_args() that checks settings before any I/O. */
export function settings(
  args: NmsgtoolArgs,
  log: ToolContext["log"],
  registry: ModuleRegistry | undefined,
): ToolContext {
  const aliases = loadAliases({ env });
  let vid = 0;
  let msgtype = 0;
  let known: ModuleIdentity | undefined;
  const vname = args.vendor ?? (args.msgtype !== undefined ? "base" : undefined);
  if (vname !== undefined) {
    if (args.msgtype === undefined) throw new UsageError("-V requires -T");
    // Without the registry, needsModules() found a capture module of these names.
    known = registry === undefined ? captureModuleNamed(vname, args.msgtype) : undefined;
    vid = known?.vid ?? registry!.vendorId(vname) ?? 0;
    if (vid === 0) throw new UsageError("invalid vendor ID");
    log(2, `nmsgtool: input vendor = ${vname}`);
    msgtype = known?.msgtype ?? registry!.msgtypeId(vid, args.msgtype) ?? 0;
    if (msgtype === 0) throw new UsageError("invalid message type");
    log(2, `nmsgtool: input msgtype = ${args.msgtype}`);
  }
  const stamp: ToolContext["stamp"] = {};
  if (args.setsource !== undefined) {
    stamp.source = readUint32NonZero(args.setsource);
    if (stamp.source === 0) throw new UsageError("invalid source ID");
    log(2, `nmsgtool: nmsg source set to ${hex0x(stamp.source)}`);
  }
  if (args.setoperator !== undefined) {
    stamp.operator = lookupIdName(
      args.setoperator,
      (n) => aliases.operatorId(n),
      "unknown operator name",
    );
    log(2, `nmsgtool: nmsg operator set to '${args.setoperator}' (${stamp.operator})`);
  }
  if (args.setgroup !== undefined) {
    stamp.group = lookupIdName(args.setgroup, (n) => aliases.groupId(n), "unknown group name");
    log(2, `nmsgtool: nmsg group set to '${args.setgroup}' (${stamp.group})`);
  }
  let source = 0;
  let operator = 0;
  let group = 0;
  if (args.getsource !== undefined) {
    source = readUint32NonZero(args.getsource);
    if (source === 0) throw new UsageError("invalid filter source ID");
    log(2, `nmsgtool: nmsg source filter set to ${hex0x(source)}`);
  }
  if (args.getoperator !== undefined) {
    operator = lookupIdName(
      args.getoperator,
      (n) => aliases.operatorId(n),
      "unknown filter operator name",
    );
    log(2, `nmsgtool: nmsg filter operator set to '${args.getoperator}' (${operator})`);
  }
  if (args.getgroup !== undefined) {
    group = lookupIdName(args.getgroup, (n) => aliases.groupId(n), "unknown filter group name");
    log(2, `nmsgtool: nmsg filter group set to '${args.getgroup}' (${group})`);
  }
  let module: ModuleIdentity | undefined;
  if (args.readpres.length + args.readpcap.length + args.readif.length > 0) {
    if (args.msgtype === undefined) {
      throw new UsageError("reading presentation or pcap data requires -V, -T");
    }
    module = known ?? registry!.lookup(vid, msgtype);
    if (module === undefined) throw new UsageError("unknown msgmod");
  }
  return {
    args,
    log,
    registry,
    aliases,
    vid,
    msgtype,
    module,
    endline: unescapeEndline(args.endline ?? "\n"),
    mtu: args.mtu || 8192,
    bpf: args.bpf ?? env("NMSG_BPF"),
    kicker: args.kicker ?? env("NMSG_KICKER"),
    kafkaKey: args.kafkakey ?? env("NMSG_KAFKA_KEY"),
    kafkaConfig: env("NMSG_KAFKA_CONFIG"),
    kafkaLogLevel: env("NMSG_KAFKA_LOG_LEVEL"),
    stamp,
    source,
    operator,
    group,
    inputs: [],
    outputs: [],
    statsOutput: undefined,
  };
}

/** C's `%#.08x`: `0x` and at least 8 hex digits (no prefix for 0). */
function hex0x(n: number): string {
  return n === 0 ? "00000000" : "0x" + n.toString(16).padStart(8, "0");
}

/** What setting up produced besides the inputs and outputs. */
export interface Extras {
  pidfile: PidFile | undefined;
  filters: Filter[];
  policy: "accept" | "drop";
  stats: { name: string; module: StatsModule }[];
}

/** `-U`: switches to another user, after handing it the pid file. */
async function dropPrivileges(
  ctx: ToolContext,
  name: string,
  pidfile: PidFile | undefined,
): Promise<void> {
  const { becomeUser, getUserIds } = await import("../src/ffi/libc_process.ts");
  const ids = getUserIds(name);
  if (ids === undefined) throw new FatalError(`nmsgtool: username ${name} does not exist`);
  pidfile?.chown(ids.uid, ids.gid, (line) => ctx.log(0, line));
  if (!becomeUser(name, ids)) throw new FatalError(`nmsgtool: unable to change to user ${name}`);
  ctx.log(2, `nmsgtool: switched to user ${name}`);
}

/** Creates the inputs and outputs, and loads the modules, in the C tool's fixed order. */
export async function build(
  ctx: ToolContext,
  text: TextBuilders | undefined,
  stats: Extras["stats"],
): Promise<Extras> {
  const a = ctx.args;
  if (a.zlibout) await loadZlib();
  // Each kind's builders (and the native bindings behind them) load only when used.
  const pcap = a.readif.length + a.readpcap.length > 0
    ? await import("./_nmsgtool_pcap.ts")
    : undefined;
  const udp = a.readsock.length + a.writesock.length + a.readchan.length > 0
    ? await import("./_nmsgtool_udp.ts")
    : undefined;
  const zmq = a.readzsock.length + a.writezsock.length + a.readzchan.length > 0
    ? await import("./_nmsgtool_zmq.ts")
    : undefined;
  const kafka = a.readkafka.length + a.writekafka.length > 0
    ? await import("./_nmsgtool_kafka.ts")
    : undefined;
  for (const v of a.readif) pcap!.addPcapIfInput(ctx, v);
  const pidfile = a.pidfile === undefined
    ? undefined
    : (await import("../src/io/pidfile.ts")).PidFile.open(a.pidfile, (line) => ctx.log(0, line));
  if (a.username !== undefined) await dropPrivileges(ctx, a.username, pidfile);
  for (const v of a.readpcap) pcap!.addPcapFileInput(ctx, v);
  for (const v of a.readsock) udp!.addSockInput(ctx, v);
  for (const v of a.writesock) udp!.addSockOutput(ctx, v);
  for (const v of a.readzsock) zmq!.addZmqInput(ctx, v);
  for (const v of a.writezsock) zmq!.addZmqOutput(ctx, v);
  for (const v of a.readkafka) await kafka!.addKafkaInput(ctx, v);
  for (const v of a.writekafka) kafka!.addKafkaOutput(ctx, v);
  for (const v of a.readnmsg) await addFileInput(ctx, v);
  for (const v of a.writenmsg) addFileOutput(ctx, v);
  for (const v of a.readchan) udp!.addChannelInputs(ctx, v);
  for (const v of a.readzchan) zmq!.addZchannelInputs(ctx, v);
  for (const v of a.readpres) text!.addPresInput(ctx, v);
  for (const v of a.writepres) text!.addPresOutput(ctx, v);
  for (const v of a.readjson) text!.addJsonInput(ctx, v);
  for (const v of a.writejson) text!.addJsonOutput(ctx, v);
  for (const v of a.statsmod) {
    ctx.log(2, `nmsgtool: adding stats module ${v}`);
    const { loadStatsModule } = await import("../src/engine/stats_module.ts");
    stats.push({ name: "nmsgtool_io", module: await loadStatsModule(v) });
  }
  const filters: Filter[] = [];
  for (const v of a.filter) {
    ctx.log(2, `nmsgtool: adding filter module ${v}`);
    const { loadFilter } = await import("../src/engine/filter_module.ts");
    filters.push(await loadFilter(v));
  }
  let policy: Extras["policy"] = "accept";
  if (filters.length > 0 && a.policy !== undefined) {
    const p = a.policy.toLowerCase();
    if (p !== "accept" && p !== "drop") {
      throw new FatalError(`nmsgtool: unknown filter policy '${a.policy}'`);
    }
    ctx.log(2, `nmsgtool: setting default filter policy to ${p.toUpperCase()}`);
    policy = p;
  }
  if (ctx.inputs.length === 0) {
    throw new UsageError("no data sources specified (-h for more help)");
  }
  if (ctx.outputs.length === 0) text!.addPresOutput(ctx, "-");
  return { pidfile, filters, policy, stats };
}

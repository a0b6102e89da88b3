// nmsgtool's option table (the order is the usage text's order) and the typed view of a
// parsed command line.

import {
  type ArgvEnvironment,
  type OptionSpec,
  type OptionValue,
  processArgv,
  usageText,
} from "./_nmsgtool_argv.ts";

/** An option of nmsgtool, named by its long name. */
interface NmsgtoolOption extends OptionSpec {
  long: keyof NmsgtoolArgs;
}

const s = (short: string | undefined, long: keyof NmsgtoolArgs, label: string, help: string) =>
  ({ ...(short ? { short } : {}), long, kind: "string", label, help }) as const;
const a = (short: string | undefined, long: keyof NmsgtoolArgs, label: string, help: string) =>
  ({ ...s(short, long, label, help), array: true }) as const;
const n = (short: string, long: keyof NmsgtoolArgs, label: string, help: string) =>
  ({ short, long, kind: "int", label, help }) as const;
const b = (short: string | undefined, long: keyof NmsgtoolArgs, help: string) =>
  ({ ...(short ? { short } : {}), long, kind: "bool", help }) as const;

/** Every option of the C nmsgtool 1.3.3, built with libzmq, librdkafka and json-c. */
export const NMSGTOOL_OPTIONS: readonly NmsgtoolOption[] = [
  s("b", "bpf", "filter", "filter pcap inputs with this bpf"),
  n("B", "byterate", "byterate", "ingress byte rate limit for file input"),
  n("c", "count", "count", "stop or reopen after count payloads output"),
  a("C", "readchan", "channel", "read nmsg data from socket(s)"),
  { short: "d", long: "debug", kind: "incr", help: "increment debugging level" },
  b("D", "daemon", "fork into background"),
  s("e", "endline", "endline", "continuation separator"),
  a("f", "readpres", "file", "read pres format data from file"),
  a("F", "filter", "dso[,param]", "filter nmsg payloads with module"),
  s(undefined, "getgroup", "grname", "only process payloads with this group name"),
  s(undefined, "getoperator", "opname", "only process payloads with this operator name"),
  s(undefined, "getsource", "sonum", "only process payloads with this source value"),
  b("h", "help", "display help text and exit"),
  a("i", "readif", "if[+][,snap]", "read pcap data from interface ('+' = promisc)"),
  a("j", "readjson", "file", "read json format data from file"),
  a("J", "writejson", "file", "write json format data to file"),
  s("k", "kicker", "cmd", "make -c, -t continuous; run cmd on new files"),
  s(undefined, "kafkakey", "fieldname", "nmsg field for Kafka producer key"),
  a(undefined, "readkafka", "kafka", "read nmsg data from Kafka (binary or json)"),
  a("l", "readsock", "so", "read nmsg data from socket (addr/port)"),
  a("L", "readzsock", "zep", "read nmsg data from ZMQ endpoint"),
  n("m", "mtu", "mtu", "MTU for datagram socket outputs"),
  a("M", "statsmod", "dso[,params]", "Export IO metrics with module"),
  b(undefined, "mirror", "mirror payloads across data outputs"),
  a("o", "writepres", "file", "write pres format data to file"),
  a("p", "readpcap", "file", "read pcap data from file"),
  s("P", "pidfile", "file", "write PID into file"),
  s(undefined, "policy", "ACCEPT|DROP", "default filter chain policy"),
  a("r", "readnmsg", "file", "read nmsg data from file"),
  b("R", "randomize", "randomize beginning of -t interval"),
  a("s", "writesock", "so[,r[,f]]", "write nmsg data to socket (addr/port)"),
  a("S", "writezsock", "zep", "write nmsg data to ZMQ endpoint"),
  s(undefined, "setgroup", "grname", "set payload group to this value"),
  s(undefined, "setoperator", "opname", "set payload operator to this value"),
  s(undefined, "setsource", "sonum", "set payload source to this value"),
  n("t", "interval", "secs", "stop or reopen after secs have elapsed"),
  s("T", "msgtype", "msgtype", "message type"),
  s("U", "username", "user", "drop privileges and run as user"),
  b(undefined, "unbuffered", "don't buffer writes to outputs"),
  b("v", "version", "print version"),
  s("V", "vendor", "vendor", "vendor"),
  a("w", "writenmsg", "file", "write nmsg data to file"),
  a(undefined, "writekafka", "kafka", "write nmsg data to Kafka (binary or json)"),
  a("Z", "readzchan", "zchannel", "read nmsg data from ZMQ channels"),
  b("z", "zlibout", "compress nmsg output"),
];

/** A parsed nmsgtool command line; integers are the C tool's unsigned fields. */
export interface NmsgtoolArgs {
  bpf?: string;
  byterate: number;
  count: number;
  readchan: string[];
  debug: number;
  daemon: boolean;
  endline?: string;
  readpres: string[];
  filter: string[];
  getgroup?: string;
  getoperator?: string;
  getsource?: string;
  help: boolean;
  readif: string[];
  readjson: string[];
  writejson: string[];
  kicker?: string;
  kafkakey?: string;
  readkafka: string[];
  readsock: string[];
  readzsock: string[];
  mtu: number;
  statsmod: string[];
  mirror: boolean;
  writepres: string[];
  readpcap: string[];
  pidfile?: string;
  policy?: string;
  readnmsg: string[];
  randomize: boolean;
  writesock: string[];
  writezsock: string[];
  setgroup?: string;
  setoperator?: string;
  setsource?: string;
  interval: number;
  msgtype?: string;
  username?: string;
  unbuffered: boolean;
  version: boolean;
  vendor?: string;
  writenmsg: string[];
  writekafka: string[];
  readzchan: string[];
  zlibout: boolean;
}

/** Outcome of parsing: the arguments, or text to print and a status to exit with. */
export type ParsedCommandLine =
  | { args: NmsgtoolArgs; stderr: string; help: string }
  | { exit: number; stderr: string };

/**
 * Parses nmsgtool's command line as the C tool's argv library does.
 *
 * @param argv The arguments, without the program name.
 * @param env `ARGV_NMSGTOOL`, `GLOBAL_ARGV` and a file reader for `--argv-file`.
 * @returns The typed arguments and the `-h` text (in the GLOBAL_ARGV layout), or what to
 *   print and the exit status.
 */
export function parseCommandLine(argv: readonly string[], env: ArgvEnvironment): ParsedCommandLine {
  const r = processArgv("nmsgtool", NMSGTOOL_OPTIONS, argv, env);
  if (r.exit !== undefined) return { exit: r.exit, stderr: r.stderr };
  const out: Record<string, OptionValue> = {};
  NMSGTOOL_OPTIONS.forEach((spec, i) => {
    const v = r.values[i];
    // The C fields behind -B, -c, -m and -t are unsigned.
    out[spec.long] = spec.kind === "int" ? (v as number) >>> 0 : v;
    if (v === undefined) delete out[spec.long];
  });
  const help = usageText("nmsgtool", NMSGTOOL_OPTIONS, r.usage);
  return { args: out as unknown as NmsgtoolArgs, stderr: r.stderr, help };
}

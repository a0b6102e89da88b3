/**
 * `nmsgtool`: reads NMSG data from files, stdin, sockets, pcap, ZMQ or Kafka, and writes
 * it as NMSG, presentation or JSON, with the C tool's command line, messages and exit
 * statuses.
 *
 * @module
 */

// What only some command lines use (daemon, pid file, statistics and filter modules, each
// kind of input and output) is imported when they use it: start-up is a large share of a
// short run.

import { Engine, type EngineResult, type EngineStats } from "../src/engine/engine.ts";
import { PluginError } from "../src/engine/_plugin_loader.ts";
import { FileOpenError, osReason } from "../src/io/files.ts";
import { NmsgFormatError } from "../src/wire/errors.ts";
import { isBrokenPipe, permissionHint, printErr } from "./_common.ts";
import { FatalError, type ToolContext, UsageError } from "./_nmsgtool_io.ts";
import { parseCommandLine } from "./_nmsgtool_options.ts";
import { build, env, type Extras, needsModules, settings } from "./_nmsgtool_setup.ts";

const VERSION = "1.3.3";

/** The exit status of a process the C tool would see killed by SIGPIPE. */
const EXIT_BROKEN_PIPE = 141;

function readArgvFile(path: string): string | undefined {
  try {
    if (path !== "-") return Deno.readTextFileSync(path);
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    for (let n = Deno.stdin.readSync(buf); n !== null; n = Deno.stdin.readSync(buf)) {
      chunks.push(buf.slice(0, n));
    }
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    chunks.reduce((off, c) => (all.set(c, off), off + c.length), 0);
    return new TextDecoder().decode(all);
  } catch {
    return undefined;
  }
}

/** One line for a failure, naming the input or output. */
function describe(e: unknown, source: string): string {
  if (e instanceof NmsgFormatError) return e.message;
  const hint = permissionHint(e);
  if (hint !== undefined) return hint;
  const msg = osReason(e);
  return msg.startsWith(`${source}: `) ? msg : `${source}: ${msg}`;
}

/** One line for a set-up failure. */
function setupError(e: unknown): string {
  if (e instanceof UsageError) return `nmsgtool: usage error: ${e.message}`;
  if (e instanceof FatalError) return e.message;
  if (e instanceof FileOpenError || e instanceof PluginError) return `nmsgtool: ${e.message}`;
  return `nmsgtool: ${permissionHint(e) ?? (e instanceof Error ? e.message : e)}`;
}

function totalsLine(s: EngineStats): string {
  return `nmsgtool: totals: payloads_in ${s.payloadsIn} payloads_out ${s.payloadsOut} ` +
    `container_recvs ${s.containersReceived} container_drops ${s.containersDropped}`;
}

/** Runs the engine until the inputs end, a limit is reached, or SIGINT/SIGTERM. */
async function run(
  ctx: ToolContext,
  extras: Extras,
): Promise<{ result: EngineResult; signal: string | undefined }> {
  const args = ctx.args;
  const engine: Engine = new Engine({
    inputs: ctx.inputs,
    outputs: ctx.outputs,
    filters: extras.filters,
    policy: extras.policy,
    mirror: args.mirror,
    count: args.count,
    interval: args.interval,
    randomizeInterval: args.randomize,
    rotate: ctx.kicker !== undefined,
    log: ctx.log,
    onCloseEvent: (output) => {
      if (output === ctx.statsOutput) ctx.log(2, totalsLine(engine.stats()));
    },
  });
  let signal: string | undefined;
  const onSignal = (name: string) => () => {
    printErr("nmsgtool: signalled break\n");
    signal = name;
    engine.stop();
  };
  const handlers = [["SIGINT", onSignal("Interrupt")], [
    "SIGTERM",
    onSignal("Terminated"),
  ]] as const;
  for (const [sig, h] of handlers) Deno.addSignalListener(sig, h);
  for (const s of extras.stats) s.module.start([{ name: s.name, stats: () => engine.stats() }]);
  try {
    return { result: await engine.run(), signal };
  } finally {
    for (const [sig, h] of handlers) Deno.removeSignalListener(sig, h);
    for (const s of extras.stats) await s.module.stop();
  }
}

/**
 * Runs nmsgtool.
 *
 * @param argv Command-line arguments (without the program name).
 * @returns The exit status.
 */
export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, {
    argvEnv: env("ARGV_NMSGTOOL"),
    globalArgv: env("GLOBAL_ARGV"),
    readFile: readArgvFile,
  });
  printErr(parsed.stderr);
  if ("exit" in parsed) return parsed.exit;
  const args = parsed.args;
  const debug = Math.max(1, args.debug);
  const log = (level: number, line: string) => {
    if (debug >= level) printErr(line + "\n");
  };
  log(2, `nmsgtool: version ${VERSION}`);
  if (args.help) {
    printErr(parsed.help);
    return 0;
  }
  if (args.version) {
    printErr(`nmsgtool: version ${VERSION}\n`);
    return 0;
  }
  const daemon = args.daemon ? await import("./_nmsgtool_daemon.ts") : undefined;
  if (daemon !== undefined && !daemon.isDaemonChild()) return await daemon.daemonize();

  let ctx: ToolContext;
  let extras: Extras;
  const stats: Extras["stats"] = [];
  try {
    const libraryStats = env("NMSG_STATSMOD_CONFIG");
    if (libraryStats !== undefined) {
      log(2, `nmsg_io_init: adding stats module ${libraryStats}`);
      const { loadStatsModule } = await import("../src/engine/stats_module.ts");
      stats.push({ name: "nmsg_io@0x10000", module: await loadStatsModule(libraryStats) });
    }
    const text = needsModules(args) ? await import("./_nmsgtool_text.ts") : undefined;
    ctx = settings(args, log, text?.loadRegistry());
    extras = await build(ctx, text, stats);
  } catch (e) {
    for (const s of stats) await s.module.stop();
    printErr(setupError(e) + "\n");
    return 1;
  }
  if (daemon !== undefined) {
    const fault = daemon.detach();
    if (fault !== undefined) {
      printErr(`nmsgtool: unable to daemonize: ${fault}\n`);
      return 1;
    }
  }
  extras.pidfile?.write();

  const { result, signal } = await run(ctx, extras);
  log(2, totalsLine(result.stats));
  if (result.stats.payloadsOut > 0) {
    log(2, `nmsg_io: io=0x10000 count_nmsg_payload_out=${result.stats.payloadsOut}`);
  }
  if (args.pidfile !== undefined) {
    const { removePidFile } = await import("../src/io/pidfile.ts");
    removePidFile(args.pidfile, (line) => log(0, line));
  }

  let status = 0;
  for (const f of result.failures) {
    // A closed stdout pipe ends the run quietly, with the status of a SIGPIPE death.
    if (isBrokenPipe(f.error)) return EXIT_BROKEN_PIPE;
    printErr(`nmsgtool: ${describe(f.error, f.source)}\n`);
    status = 1;
  }
  if (signal !== undefined) {
    log(2, `nmsgtool: received signal: ${signal}`);
    status = 1;
  } else if (status !== 0) {
    log(2, "nmsgtool: nmsg_io_loop() failed: generic failure (1)");
  }
  return status;
}

if (import.meta.main) Deno.exit(await main(Deno.args));

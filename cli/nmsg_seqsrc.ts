/**
 * `nmsg-seqsrc -l ADDR/PORT`: listens for NMSG over UDP, prints every payload as a JSON
 * line on stdout, and counts lost containers from sequence numbers, like Farsight's
 * `nmsgjsonseqsrc` example. On SIGINT or SIGTERM it reports `received N containers` and
 * `dropped N containers`, then a per-source table. Reports go to stderr, so stdout stays
 * JSON lines; `--stats SECS` repeats the report periodically and `--json-stats` writes
 * the reports as JSON objects.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { loadAliases } from "../src/io/aliases.ts";
import { ChannelAliasFileError, lookupChannelAlias } from "../src/io/chalias.ts";
import { openUdpInputs, type UdpInput, type UdpInputStats } from "../src/io/udp_input.ts";
import { SockspecError } from "../src/io/udp_sockspec.ts";
import { SocketError } from "../src/ffi/libc_socket.ts";
import { LibraryNotFoundError } from "../src/ffi/loader.ts";
import { defaultRegistry } from "../src/msgmod/builtin.ts";
import { NmsgRenderError } from "../src/msgmod/errors.ts";
import { formatJson } from "../src/msgmod/json.ts";
import { isBrokenPipe, permissionHint, printErr, writeAll } from "./_common.ts";

const USAGE =
  `usage: nmsg-seqsrc {-l address/port[..port]} [-C channel] [--stats secs] [--json-stats]
  -l address/port   listen on a UDP socket (also address,port; lo..hi for up to 21 ports)
  -C channel        listen on the sockets a channel alias names (NMSG_CHALIAS_FILE)
  --stats secs      report received and dropped containers on stderr every secs seconds
  --json-stats      write the reports as JSON objects, one per line
`;

/** A failure to report as one line, with exit status 1. */
class Fatal extends Error {}

/** The sockets to open: `-l` values, then the entries of each `-C` channel. */
function socketSpecs(listen: string[], channels: string[]): string[] {
  // The C example also accepts `address,port`.
  const specs = listen.map((s) => (s.includes("/") ? s : s.replace(",", "/")));
  for (const channel of channels) {
    let entries: string[];
    try {
      entries = lookupChannelAlias(channel);
    } catch (e) {
      if (e instanceof ChannelAliasFileError) throw new Fatal(e.message);
      throw e;
    }
    if (entries.length === 0) throw new Fatal(`channel alias lookup failed: ${channel}`);
    for (const entry of entries) {
      if (entry.includes("://")) {
        throw new Fatal(`channel alias appears to be a ZeroMQ endpoint: ${entry}`);
      }
      specs.push(entry);
    }
  }
  return specs;
}

function openInputs(specs: string[]): UdpInput[] {
  const inputs: UdpInput[] = [];
  const log = (level: number, line: string) => {
    if (level <= 1) printErr(`nmsg-seqsrc: ${line}\n`);
  };
  try {
    for (const spec of specs) inputs.push(...openUdpInputs(spec, { log }));
  } catch (e) {
    for (const input of inputs) input.close();
    if (e instanceof SockspecError) {
      throw new Fatal(`${e.detail === undefined ? "" : `${e.detail}: `}${e.message}`);
    }
    if (e instanceof SocketError || e instanceof LibraryNotFoundError) throw new Fatal(e.message);
    throw e;
  }
  return inputs;
}

function percent(dropped: number, received: number): number {
  return dropped === 0 ? 0 : (100 * dropped) / (dropped + received);
}

/** A report: totals over every input, and each input's sources. */
function reportJson(inputs: UdpInput[], payloads: number, started: number): string {
  const per = inputs.map((input) => ({ input, s: input.stats() }));
  const received = per.reduce((n, { s }) => n + s.containersReceived, 0);
  const dropped = per.reduce((n, { s }) => n + s.containersDropped, 0);
  return JSON.stringify({
    time: new Date().toISOString(),
    elapsed: Math.round((Date.now() - started) / 10) / 100,
    received,
    dropped,
    loss_percent: percent(dropped, received),
    payloads,
    malformed: per.reduce((n, { s }) => n + s.malformed, 0),
    inputs: per.map(({ input, s }) => ({
      input: input.name,
      received: s.containersReceived,
      dropped: s.containersDropped,
      sources: sourcesJson(s),
    })),
  });
}

function sourcesJson(s: UdpInputStats) {
  return s.sources.map((src) => ({
    sequence_id: src.sequenceId.toString(16).padStart(16, "0"),
    sender: src.sender,
    received: src.received,
    dropped: src.dropped,
    resets: src.resets,
    loss_percent: src.lossPercent,
  }));
}

/** The text report: the C example's two lines, then one row per source. */
function reportText(inputs: UdpInput[]): string {
  const rows: string[][] = [["input", "sequence_id", "sender", "received", "dropped", "loss"]];
  let received = 0;
  let dropped = 0;
  for (const input of inputs) {
    const s = input.stats();
    received += s.containersReceived;
    dropped += s.containersDropped;
    for (const src of s.sources) {
      rows.push([
        input.name,
        src.sequenceId.toString(16).padStart(16, "0"),
        src.sender,
        String(src.received),
        String(src.dropped),
        `${src.lossPercent.toFixed(2)}%`,
      ]);
    }
  }
  let text = `received ${received} containers\ndropped ${dropped} containers\n`;
  if (rows.length > 1) {
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    const numeric = (c: number) => c >= 3;
    for (const r of rows) {
      text += r.map((cell, c) => numeric(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))
        .join("  ").trimEnd() + "\n";
    }
  }
  return text;
}

/**
 * Runs nmsg-seqsrc.
 *
 * @param args Command-line arguments.
 * @returns The exit status.
 */
export async function main(args: string[]): Promise<number> {
  let opts;
  try {
    opts = parseArgs({
      args,
      options: {
        l: { type: "string", multiple: true, default: [] },
        C: { type: "string", multiple: true, default: [] },
        stats: { type: "string" },
        "json-stats": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch {
    printErr(USAGE);
    return 1;
  }
  if (opts.help) {
    printErr(USAGE);
    return 0;
  }
  if (opts.l.length === 0 && opts.C.length === 0) {
    printErr("-l must be specified\n");
    return 1;
  }
  const interval = opts.stats === undefined ? 0 : Number(opts.stats);
  if (!(interval >= 0) || !Number.isFinite(interval)) {
    printErr(`nmsg-seqsrc: --stats needs a number of seconds, not '${opts.stats}'\n`);
    return 1;
  }
  const json = opts["json-stats"];

  let inputs: UdpInput[];
  const registry = defaultRegistry();
  let aliases;
  try {
    aliases = loadAliases();
    inputs = openInputs(socketSpecs(opts.l, opts.C));
  } catch (e) {
    printErr(`${permissionHint(e) ?? `nmsg-seqsrc: ${e instanceof Error ? e.message : e}`}\n`);
    return 1;
  }
  for (const input of inputs) printErr(`nmsg-seqsrc: listening on ${input.name}\n`);
  printErr("entering io loop, <ctrl-c> to quit...\n");

  const started = Date.now();
  let payloads = 0;
  const report = () =>
    printErr(json ? reportJson(inputs, payloads, started) + "\n" : reportText(inputs));
  const stop = () => {
    for (const input of inputs) input.close();
  };
  const signals = ["SIGINT", "SIGTERM"] as const;
  for (const s of signals) Deno.addSignalListener(s, stop);
  const timer = interval > 0 ? setInterval(report, interval * 1000) : undefined;

  const encoder = new TextEncoder();
  let out: Promise<void> = Promise.resolve();
  let status = 0;
  const loop = async (input: UdpInput) => {
    for (let b = await input.read(); b !== null; b = await input.read()) {
      let text = "";
      for (const p of b.payloads) {
        try {
          text += formatJson(p, registry, { aliases }) + "\n";
        } catch (e) {
          if (!(e instanceof NmsgRenderError)) throw e;
          printErr("x");
        }
      }
      payloads += b.payloads.length;
      // One write at a time: inputs share stdout.
      out = out.then(() => writeAll(Deno.stdout, encoder.encode(text)));
      await out;
    }
  };
  try {
    await Promise.all(inputs.map(loop));
  } catch (e) {
    stop();
    if (!isBrokenPipe(e)) {
      printErr(`nmsg-seqsrc: ${e instanceof Error ? e.message : e}\n`);
      status = 1;
    }
  } finally {
    if (timer !== undefined) clearInterval(timer);
    for (const s of signals) Deno.removeSignalListener(s, stop);
  }
  if (!json) printErr("\n");
  report();
  return status;
}

if (import.meta.main) Deno.exit(await main(Deno.args));

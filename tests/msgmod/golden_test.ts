// Replays the golden MANIFEST.tsv cases about rendering and parsing through the library
// (no CLI): nmsg → presentation/JSON, JSON → presentation/JSON/nmsg, presentation → JSON,
// and the options the library covers (endline, set source/operator/group, aliases).

import assert from "node:assert/strict";
import { loadAliases } from "../../src/io/aliases.ts";
import { nodeZlib } from "../../src/io/zlib_node.ts";
import {
  defaultRegistry,
  encodeText,
  formatJson,
  formatPresentation,
  NmsgParseError,
  parseJsonPayload,
  type Payload,
  PresentationParser,
  readPayloads,
  type RenderOptions,
} from "../../mod.ts";
import { ContainerWriter } from "../../src/wire/container_writer.ts";
import { GOLDEN_DIR, goldenBytes, type GoldenCase, goldenCases } from "../_golden.ts";
import { concat } from "../wire/_mutate.ts";

const registry = defaultRegistry();
const decoder = new TextDecoder();

/** What a case asks of the library, or why the library cannot run it. */
interface Plan {
  input: { kind: "nmsg" | "json" | "pres"; file: string; vname?: string; mname?: string };
  output: { kind: "pres" | "json" | "nmsg"; to: "stdout" | "out" };
  options: RenderOptions;
}

function unescapeEndline(s: string): string {
  return s.replace(/\\(.)/g, (_m, c: string) => c === "n" ? "\n" : c === "t" ? "\t" : c);
}

function cNumber(s: string): number {
  const v = /^0x/i.test(s)
    ? parseInt(s.slice(2), 16)
    : /^0[0-7]/.test(s)
    ? parseInt(s, 8)
    : Number(s);
  return v >>> 0;
}

function plan(c: GoldenCase): Plan | string {
  if (c.argv[0] !== "nmsgtool") return "not an nmsgtool case";
  if (Object.keys(c.env).some((k) => k.startsWith("ARGV_"))) {
    return "arguments from the environment (CLI)";
  }
  const args = c.argv.slice(1);
  let input: Plan["input"] | undefined;
  let output: Plan["output"] | undefined;
  const options: RenderOptions = {};
  const env = c.env;
  const aliases = loadAliases({
    env: (n) => env[n] === undefined ? undefined : GOLDEN_DIR + env[n],
    readFile: (p) => {
      try {
        return Deno.readTextFileSync(p);
      } catch {
        return undefined;
      }
    },
    dir: "/nonexistent",
  });
  options.aliases = aliases;
  let vname: string | undefined;
  let mname: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = args[i + 1];
    switch (a) {
      case "-r":
      case "-j":
      case "-f":
        if (input || v === undefined || v === "-") return "several or stdin inputs (CLI)";
        input = { kind: a === "-r" ? "nmsg" : a === "-j" ? "json" : "pres", file: v };
        i++;
        break;
      case "-o":
      case "-J":
      case "-w":
        if (output || v === undefined) return "several outputs (engine)";
        output = {
          kind: a === "-o" ? "pres" : a === "-J" ? "json" : "nmsg",
          to: v === "-" ? "stdout" : v === "@OUT" ? "out" : "stdout",
        };
        if (v !== "-" && v !== "@OUT") return "output to a named file (CLI)";
        i++;
        break;
      case "-V":
        vname = v;
        i++;
        break;
      case "-T":
        mname = v;
        i++;
        break;
      case "-e":
        options.endline = unescapeEndline(v!);
        i++;
        break;
      case "--setsource":
        options.source = cNumber(v!);
        i++;
        break;
      case "--setoperator":
        options.operator = /^[0-9]/.test(v!) ? cNumber(v!) : aliases.operatorId(v!);
        i++;
        break;
      case "--setgroup":
        options.group = /^[0-9]/.test(v!) ? cNumber(v!) : aliases.groupId(v!);
        i++;
        break;
      case "-p":
      case "-i":
        return "pcap input (a later issue)";
      default:
        return `option ${a} belongs to the CLI and engine (nmsgtool issue)`;
    }
  }
  if (!input) return "no file input";
  if (input.kind === "pres") {
    if (vname === undefined || mname === undefined) return "pres input without -V/-T";
    input.vname = vname;
    input.mname = mname;
  } else if (vname !== undefined || mname !== undefined) {
    return "-V/-T type filter (engine)";
  }
  if (output?.kind === "nmsg" && input.kind === "nmsg") return "nmsg repacking (engine)";
  if (output?.kind === "nmsg" && (options.source || options.operator || options.group)) {
    return "set source/operator/group on nmsg output (engine)";
  }
  return { input, output: output ?? { kind: "pres", to: "stdout" }, options };
}

/** Runs a plan: the output text (or bytes) and the exit status nmsgtool would have. */
async function run(p: Plan): Promise<{ out: Uint8Array; exit: number; readError: boolean }> {
  const chunks: Uint8Array[] = [];
  let exit = 0;
  let readError = false;
  const writer = p.output.kind === "nmsg" ? new ContainerWriter({ bufsz: 1048576 }) : undefined;
  const emit = (pl: Payload): boolean => {
    if (writer) {
      for (const u of writer.add(pl)) chunks.push(u.slice());
      return true;
    }
    if (p.output.kind === "pres") {
      const s = formatPresentation(pl, registry, p.options);
      if (s !== undefined) chunks.push(encodeText(s));
      return true;
    }
    try {
      chunks.push(encodeText(formatJson(pl, registry, p.options) + "\n"));
      return true;
    } catch {
      exit = 1;
      return false;
    }
  };
  const path = GOLDEN_DIR + p.input.file;
  if (p.input.kind === "nmsg") {
    using file = await Deno.open(path);
    try {
      for await (const pl of readPayloads(file, { zlib: nodeZlib })) if (!emit(pl)) break;
    } catch {
      // How a damaged file maps to an exit status is the CLI's business.
      readError = true;
    }
  } else {
    const text = decoder.decode(Deno.readFileSync(path));
    const lines = text.split("\n");
    lines.pop(); // nmsgtool ignores a last line without a newline
    if (p.input.kind === "json") {
      for (const line of lines) {
        if (line === "") continue;
        let pl: Payload;
        try {
          pl = parseJsonPayload(line, registry, { aliases: p.options.aliases! });
        } catch (e) {
          if (e instanceof NmsgParseError) continue;
          exit = 1;
          break;
        }
        if (!emit(pl)) break;
      }
    } else {
      const module = registry.lookupByName(p.input.vname!, p.input.mname!)!;
      const parser = new PresentationParser(module);
      try {
        for (const line of lines) {
          const pl = parser.pushLine(line);
          if (pl && !emit(pl)) break;
        }
        const last = parser.finish();
        if (last) emit(last);
      } catch {
        exit = 1;
      }
    }
  }
  if (writer) { for (const u of writer.flush()) chunks.push(u.slice()); }
  return { out: concat(...chunks), exit, readError };
}

const TIME = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9}/g;

Deno.test("golden MANIFEST cases render and parse byte for byte through the library", async () => {
  const kinds = /^(nmsg-pres|nmsg-json|json-pres|json-json|json-repack|pres-in)_|^opt-/;
  const cases = goldenCases().filter((c) => kinds.test(c.id));
  const failures: string[] = [];
  let passed = 0;
  let skipped = 0;
  for (const c of cases) {
    const p = plan(c);
    if (typeof p === "string") {
      skipped++;
      console.log(`skip ${c.id}: ${p}`);
      continue;
    }
    const { out, exit, readError } = await run(p);
    const expected = p.output.to === "out" ? c.out : c.stdout;
    const problems: string[] = [];
    if (c.stdout === "" && p.output.to === "stdout") {
      const masked = decoder.decode(goldenBytes(`expected/${c.id}.masked`));
      if (decoder.decode(out).replace(TIME, "<TIME>") !== masked) problems.push("masked stdout");
    } else if (p.output.to === "stdout" && expected !== "expected/empty" || expected !== "") {
      const want = goldenBytes(expected);
      if (out.length !== want.length || out.some((b, i) => b !== want[i])) {
        problems.push(`output differs from ${expected}`);
      }
    }
    if (p.output.to === "out" && c.stdout !== "expected/empty") problems.push("stdout expected");
    if (!readError && exit !== c.exit) {
      problems.push(`exit ${exit}, expected ${c.exit}`);
    }
    if (problems.length > 0) failures.push(`${c.id}: ${problems.join("; ")}`);
    else passed++;
  }
  console.log(
    `golden library replay: ${passed} of ${cases.length - skipped} passed, ${skipped} skipped`,
  );
  assert.deepEqual(failures, []);
  // Everything the library can run is run (160 of the 206 cases of these kinds).
  assert.ok(passed >= 160, `only ${passed} cases ran`);
});

// A command-line parser that behaves like Gray Watson's argv library, which the C nmsgtool
// is built on: bundled short options whose values queue up and are taken from the
// following arguments in order, `--long=value`, unique long prefixes, the ARGV_<PROGRAM>
// and GLOBAL_ARGV environment variables, the built-in `--usage*`, `--argv-display` and
// `--argv-file` options, and its exact messages and usage layouts.
//
// node:util parseArgs cannot do the queued values (`-rJ in.nmsg -` means `-r in.nmsg
// -J -`) nor the prefix matching, so this is a small parser of our own.

/** How an option stores what it is given. */
export type OptionKind =
  /** A flag: set true (a value after `=` starting with t/T/y/Y/1 sets true, else false). */
  | "bool"
  /** A counter: incremented at each use (`=N` sets it to `atoi(N)`). */
  | "incr"
  /** A C `int`, converted with `atoi` (garbage reads as 0). */
  | "int"
  /** A string. */
  | "string";

/** One row of the option table. */
export interface OptionSpec {
  /** The short option letter, if any. */
  short?: string;
  /** The long option name, if any. */
  long?: string;
  /** How the value is stored. */
  kind: OptionKind;
  /** Every use appends (otherwise the last use wins). */
  array?: boolean;
  /** The value's name in usage texts, e.g. `file`. */
  label?: string;
  /** The help text. */
  help: string;
}

/** The value an option ends up with. */
export type OptionValue = boolean | number | string | undefined | string[];

/** Settings the GLOBAL_ARGV environment variable can change. */
interface GlobalSettings {
  close: boolean;
  lastToggle: boolean;
  env: "none" | "before" | "after";
  multi: boolean;
  usage: UsageKind;
  error: UsageKind | "none" | "see";
}

/** The usage layouts. */
export type UsageKind = "short" | "shortrem" | "long" | "all";

/** What parsing produced. */
export interface ArgvResult {
  /** Each option's value, parallel to the table. */
  values: OptionValue[];
  /** Everything the parser printed (to stderr). */
  stderr: string;
  /** Set when the parser decided the outcome: print `stderr` and exit with this status. */
  exit?: number;
  /** The usage layout the program's own help should use (GLOBAL_ARGV `usage=`). */
  usage: UsageKind;
}

/** Where the parser gets what lies outside the arguments. */
export interface ArgvEnvironment {
  /** The value of `ARGV_<PROGRAM>`, if set. */
  argvEnv?: string | undefined;
  /** The value of `GLOBAL_ARGV`, if set. */
  globalArgv?: string | undefined;
  /** Reads a file for `--argv-file` (`-` = stdin); undefined if it cannot be opened. */
  readFile?: (path: string) => string | undefined;
}

const USAGE_LABEL = "Usage: ";
const LONG_COLUMN = 18;
const COMMENT_COLUMN = 34;
const SCREEN_WIDTH = 79;
const NUMBER_CHARS = "0123456789+-.";

/**
 * C `atoi`: optional blanks and sign, then decimal digits; anything else ends the number.
 * Out-of-range values saturate to a C long and are then truncated to 32 bits, as glibc does.
 */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(s)!;
  const digits = m[2]!.replace(/^0+(?=\d)/, "");
  if (digits === "") return 0;
  let v = BigInt(digits);
  if (m[1] === "-") v = -v;
  const longMax = (1n << 63n) - 1n;
  if (v > longMax) v = longMax;
  if (v < -longMax - 1n) v = -longMax - 1n;
  return Number(BigInt.asIntN(32, v));
}

function hasArg(spec: OptionSpec): boolean {
  return spec.kind === "int" || spec.kind === "string";
}

function truthy(s: string): boolean {
  return /^[tTyY1]/.test(s);
}

function parseGlobal(text: string | undefined, err: string[]): GlobalSettings {
  const g: GlobalSettings = {
    close: true,
    lastToggle: false,
    env: "before",
    multi: true,
    usage: "long",
    error: "long",
  };
  if (text === undefined) return g;
  const onOff = (v: string): boolean | undefined =>
    ["disable", "off", "no", "0"].includes(v)
      ? false
      : ["enable", "on", "yes", "1"].includes(v)
      ? true
      : undefined;
  const choices: Record<string, (v: string) => boolean> = {
    "close=": (v) => (g.close = onOff(v) ?? g.close, onOff(v) !== undefined),
    "lasttog=": (v) => (g.lastToggle = onOff(v) ?? g.lastToggle, onOff(v) !== undefined),
    "env=": (v) => {
      if (v !== "none" && v !== "before" && v !== "after") return false;
      g.env = v;
      return true;
    },
    "error=": (v) => {
      if (!["none", "see", "short", "shortrem", "long", "all"].includes(v)) return false;
      g.error = v as GlobalSettings["error"];
      return true;
    },
    "multi=": (v) => {
      if (v !== "reject" && v !== "accept") return false;
      g.multi = v === "accept";
      return true;
    },
    "usage=": (v) => {
      if (!["short", "shortrem", "long", "all"].includes(v)) return false;
      g.usage = v as UsageKind;
      return true;
    },
  };
  for (const tok of text.split(/[ \t,:]/)) {
    if (tok === "") continue;
    const key = Object.keys(choices).find((k) => tok.startsWith(k));
    if (key === undefined) {
      err.push(`libmy/argv.c: illegal env variable 'GLOBAL_ARGV' setting '${tok}'`);
    } else if (!choices[key]!(tok.slice(key.length))) {
      err.push(
        `libmy/argv.c: illegal env variable 'GLOBAL_ARGV' '${key}' argument '${
          tok.slice(key.length)
        }'`,
      );
    }
  }
  return g;
}

/** Thrown inside the parser when a built-in option ends the program at once. */
class ExitNow {
  constructor(readonly status: number) {}
}

/**
 * Parses `args` against `table` the way the argv library does.
 *
 * @param program The program name used in messages and the `ARGV_` variable.
 * @param table The option table, in usage order.
 * @param args The command-line arguments (without the program name).
 * @param env The environment settings.
 * @returns The values, what was printed and whether to exit now.
 */
export function processArgv(
  program: string,
  table: readonly OptionSpec[],
  args: readonly string[],
  env: ArgvEnvironment = {},
): ArgvResult {
  const out: string[] = [];
  const g = parseGlobal(env.globalArgv, out);
  const values: OptionValue[] = table.map((s) =>
    s.array ? [] : s.kind === "bool" ? false : s.kind === "string" ? undefined : 0
  );
  const used = table.map(() => false);
  // The queue of options waiting for a value; null stands for `--argv-file`.
  const queue: (number | null)[] = [];
  let okay = true;
  const problem = (msg: string) => {
    out.push(`${program}: usage problem, ${msg}`);
    okay = false;
  };

  const store = (i: number, arg: string | undefined) => {
    const spec = table[i]!;
    let v: OptionValue;
    switch (spec.kind) {
      case "bool":
        v = arg === undefined ? true : truthy(arg);
        break;
      case "incr":
        v = arg === undefined ? (values[i] as number) + 1 : atoi(arg);
        break;
      case "int":
        v = atoi(arg ?? "");
        break;
      case "string":
        v = arg ?? "";
    }
    if (spec.array) (values[i] as (string | number | boolean)[]).push(v as string);
    else values[i] = v;
  };

  const use = (i: number, close: string | undefined) => {
    const spec = table[i]!;
    if (!g.multi && used[i] && !spec.array && spec.kind !== "incr") {
      out.push(
        `${program}: usage problem, you've already specified the '${spec.short ?? "\0"}' argument`,
      );
      okay = false;
    }
    used[i] = true;
    if (g.close && close !== undefined) store(i, close);
    else if (!hasArg(spec)) store(i, undefined);
    else queue.push(i);
  };

  const builtinUsage = (kind: UsageKind): never => {
    out.push(usageText(program, table, kind).replace(/\n$/, ""));
    throw new ExitNow(0);
  };

  const doList = (list: readonly string[]) => {
    let lastArg = false;
    let unwanted = 0;
    for (const raw of list) {
      if (raw === "--") {
        if (!lastArg) {
          lastArg = true;
          continue;
        }
        if (g.lastToggle) {
          lastArg = false;
          continue;
        }
      }
      if (!lastArg && raw.startsWith("--")) {
        const [name, close] = splitClose(raw, g.close);
        const body = name.slice(2);
        if (body.length === 0) {
          problem(`empty long-option prefix '${name}'`);
          continue;
        }
        let match = -1;
        let ambiguous = false;
        for (let i = 0; i < table.length; i++) {
          const long = table[i]!.long;
          if (long === undefined || !long.startsWith(body)) continue;
          if (match >= 0) {
            problem(`'${name}' might be '${long}' or '${table[match]!.long}'`);
            ambiguous = true;
            break;
          }
          match = i;
        }
        if (ambiguous) continue;
        if (match >= 0) {
          use(match, close);
          continue;
        }
        if ("argv-file".startsWith(body)) {
          if (g.close && close !== undefined) fileArgs(close);
          else queue.push(null);
          continue;
        }
        if ("usage".startsWith(body) || "help".startsWith(body)) builtinUsage(g.usage);
        if ("usage-short".startsWith(body)) builtinUsage("short");
        if ("usage-long".startsWith(body)) builtinUsage("long");
        if ("usage-all".startsWith(body)) builtinUsage("all");
        if ("argv-display".startsWith(body)) {
          out.push(displayVariables(table, values).replace(/\n$/, ""));
          throw new ExitNow(0);
        }
        problem(`unknown long option '${name}'.`);
        continue;
      }
      if (!lastArg && raw.startsWith("-") && raw.length > 1) {
        const [name, close] = splitClose(raw, g.close);
        const letters = name.slice(1);
        if (letters.length === 0) {
          problem(`empty short-option prefix '${name}'`);
          continue;
        }
        for (let c = 0; c < letters.length; c++) {
          const ch = letters[c]!;
          const i = table.findIndex((s) => s.short === ch);
          if (i >= 0) {
            use(i, close);
            continue;
          }
          if (ch === "?") builtinUsage(g.usage);
          // A negative number is a value for a waiting numeric option.
          if (c === 0 && isNumber(raw) && queue.length > 0) {
            const waiting = queue[0];
            if (waiting !== null && waiting !== undefined && table[waiting]!.kind === "int") {
              queue.shift();
              store(waiting, raw);
              break;
            }
          }
          problem(`unknown short option '-${ch}'.`);
        }
        continue;
      }
      if (queue.length > 0) {
        const waiting = queue.shift()!;
        if (waiting === null) fileArgs(raw);
        else store(waiting, raw);
        continue;
      }
      unwanted++;
      okay = false;
    }
    if (unwanted > 0) {
      out.push(
        `${program}: usage problem, ${unwanted} unwanted additional argument${
          unwanted === 1 ? "" : "s"
        }`,
      );
    }
  };

  const fileArgs = (path: string) => {
    const text = env.readFile?.(path);
    if (text === undefined) {
      out.push(`${program}: could not load command-line arguments from: ${path}`);
      throw new ExitNow(1);
    }
    // One argument per line, as read with 1024-byte fgets: longer lines split.
    const lines: string[] = [];
    for (const line of text.split(/(?<=\n)/)) {
      for (let off = 0; off < line.length; off += 1023) lines.push(line.slice(off, off + 1023));
    }
    doList(lines.map((l) => l.replace(/\n.*$/s, "")).filter((l) => l.length > 0));
  };

  try {
    const envArgs = g.env === "none" ? [] : (env.argvEnv ?? "").split(/[ \t]/).filter((s) => s);
    if (g.env === "before") doList(envArgs);
    doList(args);
    if (g.env === "after") doList(envArgs);
    if (queue.length > 0) {
      problem(
        `${queue.length} more option-argument${queue.length === 1 ? "" : "s"} must be specified`,
      );
    }
    if (!okay) {
      if (g.error === "see") {
        out.push(`${" ".repeat(USAGE_LABEL.length)}Use the '--usage' argument for assistance.`);
      } else if (g.error !== "none") {
        out.push(usageText(program, table, g.error).replace(/\n$/, ""));
      }
      throw new ExitNow(1);
    }
  } catch (e) {
    if (!(e instanceof ExitNow)) throw e;
    return { values, stderr: out.map((l) => l + "\n").join(""), exit: e.status, usage: g.usage };
  }
  return { values, stderr: out.map((l) => l + "\n").join(""), usage: g.usage };
}

/** `-x=value`/`--name=value`: the option and its value (when `=` values are enabled). */
function splitClose(raw: string, enabled: boolean): [string, string | undefined] {
  const eq = raw.indexOf("=");
  return enabled && eq >= 0 ? [raw.slice(0, eq), raw.slice(eq + 1)] : [raw, undefined];
}

function isNumber(s: string): boolean {
  return s.length > 0 && [...s].every((c) => NUMBER_CHARS.includes(c));
}

/** `[-x label]` or `[-x]`, the value label cut to fit before the long column. */
function optionBox(spec: OptionSpec): string {
  let s = `[-${spec.short}`;
  if (hasArg(spec)) {
    s += " ";
    s += (spec.label ?? "??").slice(0, Math.max(0, LONG_COLUMN - 1 - s.length));
  }
  return s + "]";
}

function usageLong(program: string, table: readonly OptionSpec[]): string {
  let text = `${USAGE_LABEL}${program}\n`;
  for (const spec of table) {
    let line = "";
    if (spec.short === undefined) line = "[";
    else line = optionBox(spec).padEnd(LONG_COLUMN);
    if (spec.long !== undefined) {
      let room = COMMENT_COLUMN - line.length - 3;
      if (spec.short !== undefined) {
        line += "or ";
        room -= 3;
      }
      line += "--" + spec.long.slice(0, Math.max(0, room));
    }
    if (spec.short === undefined) {
      if (hasArg(spec)) line += " ";
      line += (hasArg(spec) ? spec.label ?? "??" : "").slice(
        0,
        Math.max(0, COMMENT_COLUMN - 1 - line.length),
      );
      line += "]";
    }
    line = line.padEnd(COMMENT_COLUMN);
    line += spec.help.slice(0, Math.max(0, SCREEN_WIDTH - line.length));
    text += line + "\n";
  }
  return text;
}

function usageShort(program: string, table: readonly OptionSpec[], rem: boolean): string {
  const indent = " ".repeat(USAGE_LABEL.length);
  let text = `${USAGE_LABEL}${program}`;
  let col = text.length;
  let opened = false;
  for (const spec of table) {
    if (hasArg(spec) || spec.short === undefined) continue;
    if (!opened) {
      let prefix = " [-";
      if (col + prefix.length > SCREEN_WIDTH - 2) {
        text += "\n" + indent;
        col = indent.length;
        prefix = "[-";
      }
      text += prefix;
      col += prefix.length;
      opened = true;
    }
    if (col + 1 > SCREEN_WIDTH - 1) {
      text += "]\n" + indent + "[-";
      col = indent.length + 2;
    }
    text += spec.short;
    col++;
  }
  if (opened) {
    text += "]";
    col++;
  }
  for (const spec of table) {
    if (!hasArg(spec)) continue;
    const label = spec.label ?? "??";
    // The library prints the short letter even when there is none: a NUL byte.
    let prefix = " [-";
    if (col + prefix.length + 1 > SCREEN_WIDTH) {
      text += "\n" + indent;
      col = indent.length;
      prefix = "[-";
    }
    text += prefix + (spec.short ?? "\0");
    col += prefix.length + 1;
    let piece = ` ${label}]`;
    if (col + piece.length > SCREEN_WIDTH) {
      text += "\n" + indent;
      col = indent.length;
      piece = `${label}]`;
    }
    text += piece;
    col += piece.length;
  }
  text += "\n";
  if (rem) text += `${indent}Use the '--usage' argument for more assistance.\n`;
  return text;
}

/**
 * A usage text in one of the library's layouts (`-h` prints the long one).
 *
 * @param program The program name.
 * @param table The option table.
 * @param kind Which layout.
 * @returns The text, ending with a newline.
 */
export function usageText(
  program: string,
  table: readonly OptionSpec[],
  kind: UsageKind,
): string {
  if (kind === "short" || kind === "shortrem") {
    return usageShort(program, table, kind === "shortrem");
  }
  let text = usageLong(program, table);
  if (kind === "all") {
    text += "\n" + [
      "Use '--usage' for default usage information.",
      "Use '--usage-short' for short usage information.",
      "Use '--usage-long' for long usage information.",
      "Use '--usage-all' for all usage information.",
      "Use '--help' to display the help message.",
      "Use '--version' to display the version message.",
      "Use '--argv-display' to display the options and their values.",
    ].map((l) => l + "\n").join("");
  }
  return text;
}

// The library's escapes for `--argv-display`: letter, character.
const SPECIALS: [string, number][] = [
  ["e", 0x1b],
  ["^", 0x5e],
  ['"', 0x22],
  ["'", 0x27],
  ["\\", 0x5c],
  ["n", 0x0a],
  ["r", 0x0d],
  ["t", 0x09],
  ["b", 0x08],
  ["f", 0x0c],
  ["a", 0x07],
];

/** Escapes a string's bytes as the library's display does, within its 256-byte buffer. */
function expand(s: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(s)) {
    const special = SPECIALS.find(([, c]) => c === b);
    let piece: string;
    if (special !== undefined) piece = "\\" + special[0];
    else if (b >= 0x20 && b < 0x7f) piece = String.fromCharCode(b);
    else piece = "\\" + b.toString(8).padStart(3, "0");
    if (out.length + piece.length + 1 >= 256) break;
    out += piece;
  }
  return out;
}

function displayVariables(table: readonly OptionSpec[], values: readonly OptionValue[]): string {
  const typeName: Record<OptionKind, string> = {
    bool: "flag",
    incr: "increment",
    int: "integer",
    string: "string",
  };
  const show = (kind: OptionKind, v: unknown): string => {
    if (kind === "bool") return v ? "true (! 0)" : "false (0)";
    if (kind === "string") return v === undefined ? "(null)" : expand(v as string);
    return String(v);
  };
  let text = "";
  table.forEach((spec, i) => {
    let line = spec.short === undefined ? "--" + spec.long!.slice(0, COMMENT_COLUMN - 3) : "";
    if (spec.short !== undefined) line = optionBox(spec);
    line = line.padEnd(LONG_COLUMN);
    line += " " + typeName[spec.kind].slice(0, Math.max(0, COMMENT_COLUMN - line.length - 1));
    if (spec.array) line += " array";
    // The library does not count the blank before the type when it pads.
    line = line.padEnd(COMMENT_COLUMN + 1);
    const v = values[i];
    if (spec.array) {
      const list = v as string[];
      line += list.length === 0 ? "no entries" : list.map((x) => show(spec.kind, x)).join(",");
    } else {
      line += show(spec.kind, v);
    }
    text += line + "\n";
  });
  return text;
}

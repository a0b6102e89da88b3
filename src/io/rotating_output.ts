/**
 * Output rotation (nmsgtool `-k`): the output is written to `<dir>/.<base>.<time>.part`,
 * and at each `-c`/`-t` boundary and at the end that file is renamed to
 * `<dir>/<base>.<time><suffix>` and the kicker command is run on it.
 *
 * @module
 */

import type { Output } from "../engine/types.ts";
import type { Payload } from "../wire/payload.ts";
import { osReason } from "./files.ts";

/** Options for {@linkcode RotatingOutput}. */
export interface RotatingOutputOptions {
  /** The base path as given (`-w out` → `out`). */
  base: string;
  /** `.nmsg` for `-w`, `.json` for `-J`, `""` for `-o`. */
  suffix: string;
  /** Opens the output that writes one file. */
  open: (path: string) => Output;
  /** Shell command run as `<cmd> <file> &` on each finished file; `""` = none. */
  kicker: string;
  /** What kind of output this is, for messages: `nmsg`, `pres` or `json`. */
  kind: string;
  /** Debug and warning lines, with their nmsgtool level. */
  log?: (level: number, line: string) => void;
  /** The clock, as [seconds, nanoseconds] since the epoch (tests replace it). */
  now?: () => [number, number];
  /** Runs the kicker (tests replace it); resolves to the shell's exit status. */
  run?: (command: string) => Promise<number>;
}

/**
 * The time stamp in rotated names: `YYYYmmdd.HHMM.<epoch seconds>.<9-digit ns>`, UTC.
 *
 * @param sec Seconds since the epoch.
 * @param nsec Nanoseconds.
 * @returns The stamp.
 *
 * @example
 * ```ts
 * import { rotationStamp } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(rotationStamp(1795313753, 640563212), "20261122.0215.1795313753.640563212");
 * ```
 */
export function rotationStamp(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}.` +
    `${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}.${sec}.${String(nsec).padStart(9, "0")}`;
}

/**
 * POSIX dirname(3) and basename(3) of a path, as rotation names files.
 *
 * @param path A path.
 * @returns Its directory and last component.
 *
 * @example
 * ```ts
 * import { splitPath } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(splitPath("out"), [".", "out"]);
 * assert.deepEqual(splitPath("/var/nmsg/out"), ["/var/nmsg", "out"]);
 * ```
 */
export function splitPath(path: string): [dir: string, base: string] {
  const trimmed = path.replace(/(?<=.)\/+$/, "");
  if (trimmed === "/") return ["/", "/"];
  const slash = trimmed.lastIndexOf("/");
  if (slash < 0) return [".", trimmed];
  const dir = trimmed.slice(0, slash).replace(/(?<=.)\/+$/, "");
  return [dir === "" ? "/" : dir, trimmed.slice(slash + 1)];
}

function wallClock(): [number, number] {
  const ms = performance.timeOrigin + performance.now();
  const sec = Math.floor(ms / 1000);
  return [sec, Math.floor((ms - sec * 1000) * 1e6)];
}

/** Runs `command` through `/bin/sh -c`, as C `system()` does; resolves to its status. */
async function runShell(command: string): Promise<number> {
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", command],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return (await child.status).code;
}

/**
 * An output that rotates its file when the engine says so, and hands each finished file
 * to the kicker.
 *
 * @example
 * ```ts
 * import { NmsgOutput, openForWriting, RotatingOutput } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const out = new RotatingOutput({
 *   base: `${dir}/out`,
 *   suffix: ".nmsg",
 *   kind: "nmsg",
 *   kicker: "",
 *   open: (path) => new NmsgOutput(path, openForWriting(path)),
 * });
 * out.write({ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 });
 * await out.rotate();
 * await out.close();
 * assert.equal([...Deno.readDirSync(dir)].length, 2);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class RotatingOutput implements Output {
  /** The base path as given. */
  readonly name: string;
  readonly #opts: RotatingOutputOptions;
  readonly #dir: string;
  readonly #base: string;
  readonly #now: () => [number, number];
  #current: Output;
  #partPath = "";
  #finalPath = "";
  #lastStamp = "";
  #closed = false;

  /**
   * Opens the first file.
   *
   * @param options Paths, opener and kicker.
   */
  constructor(options: RotatingOutputOptions) {
    this.name = options.base;
    this.#opts = options;
    [this.#dir, this.#base] = splitPath(options.base);
    this.#now = options.now ?? wallClock;
    this.#current = this.#openNext();
  }

  /** The name the current file will get when it is finished. */
  get currentPath(): string {
    return this.#finalPath;
  }

  /** Writes to the current file. */
  write(p: Payload, crc?: number): Promise<void> | undefined {
    return this.#current.write(p, crc);
  }

  /** Flushes the current file. */
  flush(): Promise<void> {
    return this.#current.flush();
  }

  /** Finishes the current file and starts the next one. */
  async rotate(): Promise<void> {
    await this.#finish();
    this.#current = this.#openNext();
    this.#opts.log?.(2, `nmsgtool: reopened ${this.#opts.kind} file output: ${this.#finalPath}`);
  }

  /** Finishes the current file. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#finish();
    this.#opts.log?.(2, `nmsgtool: closed output: ${this.name}`);
  }

  #openNext(): Output {
    let [sec, nsec] = this.#now();
    let stamp = rotationStamp(sec, nsec);
    // Two files opened within the clock's resolution must still get distinct names.
    while (stamp <= this.#lastStamp && stamp.length === this.#lastStamp.length) {
      if (++nsec === 1e9) [sec, nsec] = [sec + 1, 0];
      stamp = rotationStamp(sec, nsec);
    }
    this.#lastStamp = stamp;
    this.#partPath = `${this.#dir}/.${this.#base}.${stamp}.part`;
    this.#finalPath = `${this.#dir}/${this.#base}.${stamp}${this.#opts.suffix}`;
    return this.#opts.open(this.#partPath);
  }

  async #finish(): Promise<void> {
    await this.#current.close();
    try {
      Deno.renameSync(this.#partPath, this.#finalPath);
    } catch (e) {
      this.#opts.log?.(1, `rename: ${osReason(e)}`);
      try {
        Deno.removeSync(this.#partPath);
      } catch {
        // Nothing more can be done about the part file.
      }
      return;
    }
    const cmd = this.#opts.kicker;
    if (cmd === "") return;
    const status = await (this.#opts.run ?? runShell)(`${cmd} ${this.#finalPath} &`);
    if (status !== 0) this.#opts.log?.(1, "WARNING: system() failed");
  }
}

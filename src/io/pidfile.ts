/**
 * nmsgtool's `-P` pid file: opened early (before privileges are dropped), written with the
 * process id once running, removed at exit.
 *
 * @module
 */

import { osReason } from "./files.ts";

/**
 * An open pid file.
 *
 * @example
 * ```ts
 * import { PidFile, removePidFile } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile();
 * const pidfile = PidFile.open(path, () => {})!;
 * pidfile.write();
 * assert.equal(await Deno.readTextFile(path), `${Deno.pid}\n`);
 * removePidFile(path, () => {});
 * ```
 */
export class PidFile {
  /** The path. */
  readonly path: string;
  #file: Deno.FsFile | undefined;

  private constructor(path: string, file: Deno.FsFile) {
    this.path = path;
    this.#file = file;
  }

  /**
   * Creates (or truncates) the pid file.
   *
   * @param path The path.
   * @param warn Receives the C tool's message if it cannot be opened.
   * @returns The pid file, or undefined if it could not be opened (not fatal).
   */
  static open(path: string, warn: (line: string) => void): PidFile | undefined {
    try {
      return new PidFile(path, Deno.openSync(path, { write: true, create: true, truncate: true }));
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable) throw e;
      warn(`unable to open pidfile ${path}: ${osReason(e)}`);
      return undefined;
    }
  }

  /**
   * Hands the file to another user (before dropping privileges to them).
   *
   * @param uid User id.
   * @param gid Group id.
   * @param warn Receives the C tool's message on failure.
   */
  chown(uid: number, gid: number, warn: (line: string) => void): void {
    try {
      Deno.chownSync(this.path, uid, gid);
    } catch (e) {
      warn(`nmsgtool: fchown() on pid file failed: ${osReason(e)}`);
    }
  }

  /** Writes `<pid>\n` and closes the file. */
  write(): void {
    if (this.#file === undefined) return;
    const data = new TextEncoder().encode(`${Deno.pid}\n`);
    for (let off = 0; off < data.length;) off += this.#file.writeSync(data.subarray(off));
    this.#file.close();
    this.#file = undefined;
  }
}

/**
 * Removes a pid file, as nmsgtool does at exit whether or not it could be opened.
 *
 * @param path The path.
 * @param warn Receives `nmsgtool: unlink() failed: <reason>` on failure.
 */
export function removePidFile(path: string, warn: (line: string) => void): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    warn(`nmsgtool: unlink() failed: ${osReason(e)}`);
  }
}

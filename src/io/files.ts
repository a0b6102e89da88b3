/**
 * Opening nmsgtool's input and output files (`-` is stdin or stdout), with the C tool's
 * error messages.
 *
 * @module
 */

/**
 * A file could not be opened. The message is the C tool's: `unable to open <path> for
 * <reading|writing>: <reason>`.
 *
 * @example
 * ```ts
 * import { FileOpenError, openForReading } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => openForReading("no/such/file.nmsg"),
 *   (e) =>
 *     e instanceof FileOpenError &&
 *     e.message === "unable to open no/such/file.nmsg for reading: No such file or directory",
 * );
 * ```
 */
export class FileOpenError extends Error {
  /** Always `"FileOpenError"`. */
  override name = "FileOpenError";
  /** The path as given. */
  readonly path: string;
  /** The operating system's reason, e.g. `No such file or directory`. */
  readonly reason: string;

  /**
   * Creates the error.
   *
   * @param path The path as given.
   * @param mode What it was opened for.
   * @param cause The underlying error.
   */
  constructor(path: string, mode: "reading" | "writing", cause: unknown) {
    const reason = osReason(cause);
    super(`unable to open ${path} for ${mode}: ${reason}`, { cause });
    this.path = path;
    this.reason = reason;
  }
}

/**
 * The C `strerror` text of an operating-system error: Deno's message without its
 * ` (os error N)` suffix and what follows.
 *
 * @param e An error.
 * @returns The reason.
 *
 * @example
 * ```ts
 * import { osReason } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const e = new Error("No such file or directory (os error 2): open 'x'");
 * assert.equal(osReason(e), "No such file or directory");
 * ```
 */
export function osReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/ \(os error \d+\).*$/s, "");
}

/** What nmsgtool reads from: a file or stdin. */
export interface ReadableFile {
  /** Reads into `p`; `null` at end of file. */
  read(p: Uint8Array): Promise<number | null>;
  /** Closes it (not stdin). */
  close(): void;
}

/** What nmsgtool writes to: a file or stdout. */
export interface WritableFile {
  /** Writes some of `p`, returning how much. */
  writeSync(p: Uint8Array): number;
  /** Closes it (not stdout). */
  close(): void;
}

/**
 * Opens a file for reading; `-` is stdin. Closing the file ends a pending read with `null`
 * at once, even on stdin or a pipe where the operating system read goes on blocking.
 *
 * @param path The path.
 * @returns The open file.
 * @throws {FileOpenError} If it cannot be opened (permission errors are re-thrown as is).
 *
 * @example
 * ```ts
 * import { openForReading } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const file = openForReading("tests/testdata/sample.nmsg");
 * const head = new Uint8Array(4);
 * await file.read(head);
 * file.close();
 * assert.equal(new TextDecoder().decode(head), "NMSG");
 * ```
 */
export function openForReading(path: string): ReadableFile {
  let file: { read(p: Uint8Array): Promise<number | null>; close(): void };
  if (path === "-") file = { read: (p) => Deno.stdin.read(p), close: () => {} };
  else {
    try {
      file = Deno.openSync(path, { read: true });
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable) throw e;
      throw new FileOpenError(path, "reading", e);
    }
  }
  let closed = false;
  let cancel = () => {};
  const cancelled = new Promise<null>((resolve) => (cancel = () => resolve(null)));
  return {
    read: (p) => {
      if (closed) return Promise.resolve(null);
      const pending = file.read(p);
      // A read cut short by close() fails after the race is decided: nothing to report.
      pending.catch(() => {});
      return Promise.race([pending, cancelled]);
    },
    close: () => {
      if (closed) return;
      closed = true;
      cancel();
      file.close();
    },
  };
}

/**
 * Opens (creating or truncating, mode 0644) a file for writing; `-` is stdout.
 *
 * @param path The path.
 * @returns The open file.
 * @throws {FileOpenError} If it cannot be opened (permission errors are re-thrown as is).
 *
 * @example
 * ```ts
 * import { openForWriting } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile();
 * const file = openForWriting(path);
 * file.writeSync(new TextEncoder().encode("x"));
 * file.close();
 * assert.equal(await Deno.readTextFile(path), "x");
 * await Deno.remove(path);
 * ```
 */
export function openForWriting(path: string): WritableFile {
  if (path === "-") return { writeSync: (p) => Deno.stdout.writeSync(p), close: () => {} };
  try {
    return Deno.openSync(path, { write: true, create: true, truncate: true, mode: 0o644 });
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    throw new FileOpenError(path, "writing", e);
  }
}

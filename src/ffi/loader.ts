/**
 * Opening a native library by absolute path, the same way for every binding.
 *
 * @module
 */

import { LIBRARY_ENV, libraryCandidates, type NativeLibrary } from "./library_paths.ts";

/**
 * A native library could not be opened from any candidate path.
 *
 * @example
 * ```ts
 * import { LibraryNotFoundError } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const e = new LibraryNotFoundError("libpcap", ["/x/libpcap.so (not found)"]);
 * assert.match(e.message, /set NMSG_LIBPCAP to its absolute path/);
 * ```
 */
export class LibraryNotFoundError extends Error {
  /** Always `"LibraryNotFoundError"`. */
  override name = "LibraryNotFoundError";
  /** The library that was looked for. */
  readonly library: NativeLibrary;
  /** Every path tried, in order, with why it failed. */
  readonly tried: readonly string[];

  /**
   * Creates the error.
   *
   * @param library The library.
   * @param tried The paths tried, each followed by its failure.
   */
  constructor(library: NativeLibrary, tried: string[]) {
    super(
      `Cannot load ${library}: tried ${tried.join("; ")}; install it or set ${
        LIBRARY_ENV[library]
      } to its absolute path`,
    );
    this.library = library;
    this.tried = tried;
  }
}

function envPath(lib: NativeLibrary): string | undefined {
  try {
    return Deno.env.get(LIBRARY_ENV[lib]) || undefined;
  } catch {
    return undefined; // no --allow-env for it: use the built-in candidates
  }
}

/**
 * The paths {@linkcode openLibrary} tries for `lib`: the env override first, then the
 * platform's candidates.
 *
 * @param lib The library.
 * @returns Absolute paths in order.
 */
export function libraryPaths(lib: NativeLibrary): string[] {
  const override = envPath(lib);
  return override === undefined ? libraryCandidates(lib) : [override, ...libraryCandidates(lib)];
}

/**
 * Opens the first candidate of `lib` that exists, with the given symbols. A missing
 * `--allow-ffi` grant is re-thrown as is (the CLIs turn it into a hint naming the flag);
 * any other failure moves on to the next candidate.
 *
 * @param lib The library.
 * @param symbols The symbol table to bind.
 * @returns The opened library and the path it came from.
 * @throws {LibraryNotFoundError} If no candidate could be opened.
 */
export function openLibrary<S extends Deno.ForeignLibraryInterface>(
  lib: NativeLibrary,
  symbols: S,
): { lib: Deno.DynamicLibrary<S>; path: string } {
  const tried: string[] = [];
  for (const path of libraryPaths(lib)) {
    try {
      return { lib: Deno.dlopen(path, symbols), path };
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) throw e;
      tried.push(`${path} (${e instanceof Error ? e.message.split("\n")[0] : e})`);
    }
  }
  throw new LibraryNotFoundError(lib, tried);
}

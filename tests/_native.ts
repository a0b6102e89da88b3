// Native-library tests skip with a printed reason where a library is missing, except in CI
// (NMSG_REQUIRE_NATIVE=1), where a missing library must fail the run.

import type { NativeLibrary } from "../src/ffi/library_paths.ts";
import { libraryPaths } from "../src/ffi/loader.ts";

/** True when native-library tests must run rather than skip. */
export function nativeRequired(): boolean {
  return Deno.env.get("NMSG_REQUIRE_NATIVE") === "1";
}

/** The first existing path of `lib`, or undefined (after printing why the test skips). */
export function findLibrary(lib: NativeLibrary): string | undefined {
  for (const path of libraryPaths(lib)) {
    try {
      Deno.statSync(path);
      return path;
    } catch {
      // try the next candidate
    }
  }
  if (nativeRequired()) {
    throw new Error(`${lib} is required (NMSG_REQUIRE_NATIVE=1) but not installed`);
  }
  console.log(`skipping: ${lib} is not installed`);
  return undefined;
}

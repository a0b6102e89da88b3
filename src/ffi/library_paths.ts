/**
 * Where the native libraries nmsg-deno binds are looked for, per platform. The loaders
 * try these absolute paths in order (a bare name would be resolved against the current
 * directory under a scoped `--allow-ffi`, denoland/deno#29246), and the CLIs' `--allow-ffi`
 * grants are built from the same lists.
 *
 * @module
 */

/** A native library nmsg-deno can bind. */
export type NativeLibrary = "libc" | "libpcap" | "libzmq" | "librdkafka";

/** Operating systems with known library locations. */
export type LibraryOs = "linux" | "darwin" | "windows";

const LINUX_DIRS = (arch: string): string[] => {
  const triple = arch === "aarch64" ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
  return [`/usr/lib/${triple}`, `/lib/${triple}`, "/usr/lib64", "/usr/lib", "/lib64", "/lib"];
};

const LINUX_NAMES: Record<NativeLibrary, string[]> = {
  libc: ["libc.so.6"],
  libpcap: ["libpcap.so.0.8", "libpcap.so.1"],
  libzmq: ["libzmq.so.5"],
  librdkafka: ["librdkafka.so.1"],
};

const DARWIN_PATHS: Record<NativeLibrary, string[]> = {
  libc: ["/usr/lib/libSystem.B.dylib"],
  libpcap: [
    "/opt/homebrew/opt/libpcap/lib/libpcap.A.dylib",
    "/usr/local/opt/libpcap/lib/libpcap.A.dylib",
    "/usr/lib/libpcap.A.dylib",
  ],
  libzmq: ["/opt/homebrew/lib/libzmq.5.dylib", "/usr/local/lib/libzmq.5.dylib"],
  librdkafka: ["/opt/homebrew/lib/librdkafka.1.dylib", "/usr/local/lib/librdkafka.1.dylib"],
};

const WINDOWS_PATHS: Record<NativeLibrary, string[]> = {
  libc: ["C:\\Windows\\System32\\msvcrt.dll"],
  libpcap: ["C:\\Windows\\System32\\Npcap\\wpcap.dll"],
  libzmq: ["C:\\Program Files\\ZeroMQ\\bin\\libzmq.dll"],
  librdkafka: ["C:\\Program Files\\librdkafka\\bin\\librdkafka.dll"],
};

/** The environment variable that names a library explicitly (tried first). */
export const LIBRARY_ENV: Record<NativeLibrary, string> = {
  libc: "NMSG_LIBC",
  libpcap: "NMSG_LIBPCAP",
  libzmq: "NMSG_LIBZMQ",
  librdkafka: "NMSG_LIBRDKAFKA",
};

/**
 * Candidate absolute paths for a library on a platform, most likely first.
 *
 * @param lib The library.
 * @param os The operating system (default: this one).
 * @param arch The CPU architecture, `x86_64` or `aarch64` (default: this one).
 * @returns Absolute paths to try in order.
 *
 * @example
 * ```ts
 * import { libraryCandidates } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   libraryCandidates("libpcap", "linux", "x86_64")[0],
 *   "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8",
 * );
 * ```
 */
export function libraryCandidates(
  lib: NativeLibrary,
  os: LibraryOs = hostOs(),
  arch: string = hostArch(),
): string[] {
  if (os === "darwin") return DARWIN_PATHS[lib];
  if (os === "windows") return WINDOWS_PATHS[lib];
  return LINUX_DIRS(arch).flatMap((dir) => LINUX_NAMES[lib].map((name) => `${dir}/${name}`));
}

function hostOs(): LibraryOs {
  const os = globalThis.Deno?.build.os;
  return os === "darwin" || os === "windows" ? os : "linux";
}

function hostArch(): string {
  return globalThis.Deno?.build.arch ?? "x86_64";
}

/**
 * Reading native memory through libc under a scoped `--allow-ffi` grant. Deno's
 * `UnsafePointerView` needs unscoped ffi (denoland/deno#15511), so bindings declare C
 * pointers as `"u64"` and copy what they need into their own buffers with `memcpy`.
 *
 * @module
 */

import { openLibrary } from "./loader.ts";

const SYMBOLS = {
  /** void *memcpy(void *dest, const void *src, size_t n); */
  memcpy: { parameters: ["buffer", "u64", "usize"], result: "u64" },
  /** size_t strlen(const char *s); */
  strlen: { parameters: ["u64"], result: "usize" },
} as const;

let libc: Deno.DynamicLibrary<typeof SYMBOLS> | undefined;

function symbols(): Deno.DynamicLibrary<typeof SYMBOLS>["symbols"] {
  libc ??= openLibrary("libc", SYMBOLS).lib;
  return libc.symbols;
}

/**
 * Copies `dst.length` bytes from native memory at `src` into `dst`.
 *
 * @param dst Destination; its whole length is filled.
 * @param src Native address to read from.
 */
export function copyFromNative(dst: Uint8Array, src: bigint): void {
  if (dst.length > 0) symbols().memcpy(dst, src, BigInt(dst.length));
}

const decoder = new TextDecoder();

/**
 * Reads a NUL-terminated C string (UTF-8, invalid bytes replaced).
 *
 * @param ptr Native address of the string; 0 gives `""`.
 * @returns The string without its terminator.
 */
export function readCString(ptr: bigint): string {
  if (ptr === 0n) return "";
  const n = Number(symbols().strlen(ptr));
  const bytes = new Uint8Array(n);
  copyFromNative(bytes, ptr);
  return decoder.decode(bytes);
}

/**
 * Encodes a string as a NUL-terminated C string for a `"buffer"` parameter.
 *
 * @param s The string.
 * @returns UTF-8 bytes followed by a 0 byte.
 */
export function cString(s: string): Uint8Array {
  return new TextEncoder().encode(s + "\0");
}

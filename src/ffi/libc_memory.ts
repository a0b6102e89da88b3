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
  memcpy: { parameters: ["buffer", "u64", "usize"], result: "void" },
  /** size_t strlen(const char *s); */
  strlen: { parameters: ["u64"], result: "usize" },
} as const;

let libc: Deno.DynamicLibrary<typeof SYMBOLS> | undefined;

function symbols(): Deno.DynamicLibrary<typeof SYMBOLS>["symbols"] {
  libc ??= openLibrary("libc", SYMBOLS).lib;
  return libc.symbols;
}

/**
 * Copies `length` bytes from native memory at `src` to the start of `dst`.
 *
 * @param dst Destination.
 * @param src Native address to read from.
 * @param length How many bytes (default: all of `dst`).
 * @throws {RangeError} If `dst` is shorter than `length`.
 */
export function copyFromNative(dst: Uint8Array, src: bigint, length?: number): void {
  const n = length ?? dst.length;
  if (n > dst.length) throw new RangeError(`Cannot copy ${n} bytes into ${dst.length} bytes`);
  if (n > 0) symbols().memcpy(dst, src, BigInt(n));
}

/**
 * A `void *` out-parameter: C stores an address in it, JS reads it back as a bigint. The
 * last bigint is reused while the address stays the same (libpcap hands out the same
 * header and buffer addresses packet after packet), so hot loops allocate nothing.
 */
export class AddressSlot {
  /** The 8 bytes to pass as a `"buffer"` parameter. */
  readonly buffer: Uint8Array = new Uint8Array(8);
  readonly #words = new Uint32Array(this.buffer.buffer);
  #lo = 0;
  #hi = 0;
  #value = 0n;

  /** The address C stored, as a bigint (`"u64"` parameters take it as is). */
  get value(): bigint {
    const lo = this.#words[0]!;
    const hi = this.#words[1]!;
    if (lo !== this.#lo || hi !== this.#hi) {
      this.#lo = lo;
      this.#hi = hi;
      // Native byte order: little-endian on every platform nmsg-deno binds libraries on.
      this.#value = (BigInt(hi) << 32n) | BigInt(lo);
    }
    return this.#value;
  }
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

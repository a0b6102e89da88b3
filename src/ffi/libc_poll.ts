/**
 * Waiting for a file descriptor without blocking the event loop: libc `poll()` declared
 * `nonblocking`, so Deno runs it on a worker thread and returns a promise.
 *
 * @module
 */

import { openLibrary } from "./loader.ts";

/** libc's `poll`. */
export const LIBC_POLL_SYMBOLS = {
  // int poll(struct pollfd *fds, nfds_t nfds, int timeout);
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32", nonblocking: true },
} as const;

const POLLIN = 0x001;

let symbols: Deno.DynamicLibrary<typeof LIBC_POLL_SYMBOLS>["symbols"] | undefined;

/**
 * The bound `poll`, opened on first use.
 *
 * @returns The symbols.
 * @throws {LibraryNotFoundError} If libc cannot be opened.
 */
export function libcPoll(): Deno.DynamicLibrary<typeof LIBC_POLL_SYMBOLS>["symbols"] {
  symbols ??= openLibrary("libc", LIBC_POLL_SYMBOLS).lib.symbols;
  return symbols;
}

/**
 * Waits until `fd` is readable (or in error) or `timeoutMs` passes.
 *
 * @param fd The file descriptor.
 * @param timeoutMs The longest wait, in milliseconds.
 * @returns True if `fd` has something to read (or an error to report); false after a
 *   timeout or an interrupted wait.
 */
export async function waitReadable(fd: number, timeoutMs: number): Promise<boolean> {
  // struct pollfd { int fd; short events; short revents; }, one per call: the buffer is
  // read by another thread while the promise is pending.
  const pfd = new Uint8Array(8);
  const view = new DataView(pfd.buffer);
  view.setInt32(0, fd, true);
  view.setInt16(4, POLLIN, true);
  const n = await libcPoll().poll(pfd, 1n, timeoutMs);
  return n > 0 && view.getInt16(6, true) !== 0;
}

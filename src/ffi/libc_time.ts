/**
 * libc's monotonic clock and an absolute sleep on it, for pacing output at sub-millisecond
 * precision (Deno's timers fire a millisecond or more late). The sleep is `nonblocking`:
 * it runs on a worker thread and the event loop goes on.
 *
 * @module
 */

import { openLibrary } from "./loader.ts";

/** The clock symbols, with C prototypes. */
export const LIBC_TIME_SYMBOLS = {
  // int clock_gettime(clockid_t clockid, struct timespec *tp);
  clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
  // int clock_nanosleep(clockid_t clockid, int flags, const struct timespec *request,
  //                     struct timespec *remain);   (remain always NULL here)
  clock_nanosleep: {
    parameters: ["i32", "i32", "buffer", "usize"],
    result: "i32",
    nonblocking: true,
  },
} as const;

const CLOCK_MONOTONIC = 1;
const TIMER_ABSTIME = 1;

let symbols: Deno.DynamicLibrary<typeof LIBC_TIME_SYMBOLS>["symbols"] | undefined;

function libcTime(): Deno.DynamicLibrary<typeof LIBC_TIME_SYMBOLS>["symbols"] {
  symbols ??= openLibrary("libc", LIBC_TIME_SYMBOLS).lib.symbols;
  return symbols;
}

// struct timespec { time_t tv_sec; long tv_nsec; } on 64-bit Linux.
const nowBuf = new BigInt64Array(2);
const nowBytes = new Uint8Array(nowBuf.buffer);

/**
 * Reads `CLOCK_MONOTONIC`.
 *
 * @returns Seconds and nanoseconds.
 */
export function monotonicNow(): { sec: number; nsec: number } {
  libcTime().clock_gettime(CLOCK_MONOTONIC, nowBytes);
  return { sec: Number(nowBuf[0]), nsec: Number(nowBuf[1]) };
}

/**
 * Sleeps until `CLOCK_MONOTONIC` reaches `t`, without blocking the event loop.
 *
 * @param t The wake-up time.
 * @returns A promise that resolves after `t` (at once if `t` has passed).
 */
export async function sleepUntilMonotonic(t: { sec: number; nsec: number }): Promise<void> {
  // Each pending sleep has its own buffer: another thread reads it meanwhile.
  const req = new BigInt64Array([BigInt(t.sec), BigInt(t.nsec)]);
  const bytes = new Uint8Array(req.buffer);
  // EINTR only: the deadline is absolute, so asking again loses nothing.
  while (await libcTime().clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, bytes, 0n) === 4);
}

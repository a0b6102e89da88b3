/**
 * Output rate limiting (`nmsgtool -s addr/port,rate,freq`) with libnmsg's algorithm: events
 * are released on a grid of `1/rate` second ticks, and every `freq` events the tick period
 * is nudged (by at most 1 %) towards the rate actually achieved since the start.
 *
 * The class is pure: the caller supplies the monotonic clock and does the sleeping.
 *
 * @module
 */

/** A monotonic time as whole seconds and nanoseconds (`struct timespec`). */
export interface Timespec {
  /** Seconds. */
  sec: number;
  /** Nanoseconds, 0–999,999,999. */
  nsec: number;
}

const NS = 1e9;

function periodOf(rate: number): Timespec {
  const seconds = 1 / rate;
  const sec = Math.trunc(seconds);
  return { sec, nsec: Math.trunc((seconds - sec) * NS) };
}

// The next tick after `t` on the grid of multiples of `m`, seconds and nanoseconds each
// rounded on their own as libnmsg does (a period under a second keeps `t`'s seconds).
function nextTick(t: Timespec, m: Timespec): Timespec {
  let sec = t.sec;
  let nsec: number;
  if (m.sec > 0) sec = sec - (sec % m.sec) + m.sec;
  if (m.nsec > 0) nsec = t.nsec - (t.nsec % m.nsec) + m.nsec;
  else nsec = 0;
  while (nsec >= NS) {
    sec += 1;
    nsec -= NS;
  }
  return { sec, nsec };
}

function nanosBetween(from: Timespec, to: Timespec): number {
  return (to.sec - from.sec) * NS + (to.nsec - from.nsec);
}

/**
 * libnmsg's rate limiter state for one `-s` argument (shared by all its ports).
 *
 * Call {@linkcode RateLimiter.event} after each datagram sent. If it returns a time, sleep
 * until then on the same monotonic clock and call {@linkcode RateLimiter.resume} with the
 * time after waking; otherwise call nothing more.
 *
 * @example A fake clock at 1000 events per second
 * ```ts
 * import { RateLimiter } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const r = new RateLimiter(1000, 10);
 * // Ticks fall on whole milliseconds: the first event waits for 5.001 s.
 * assert.deepEqual(r.event({ sec: 5, nsec: 200 }), { sec: 5, nsec: 1000000 });
 * r.resume({ sec: 5, nsec: 1000100 });
 * // The next tick is 5.002 s; an event after it goes at once.
 * assert.equal(r.event({ sec: 5, nsec: 2500000 }), undefined);
 * ```
 */
export class RateLimiter {
  /** The nominal rate, events per second. */
  readonly rate: number;
  /** Events between adjustments (0: never adjust). */
  readonly freq: number;
  /** Events counted so far. */
  count = 0;
  #adjRate: number;
  #period: Timespec;
  #start: Timespec = { sec: 0, nsec: 0 };
  #next: Timespec = { sec: 0, nsec: 0 };

  /**
   * Starts a limiter; the first event sets the clock's origin.
   *
   * @param rate Events per second (> 0).
   * @param freq Events between period adjustments; 0 disables them.
   */
  constructor(rate: number, freq: number) {
    if (!(rate > 0)) throw new RangeError(`Rate must be positive: ${rate}`);
    this.rate = rate;
    this.freq = freq;
    this.#adjRate = rate;
    this.#period = periodOf(rate);
  }

  /** The adjusted rate the tick period currently follows. */
  get adjustedRate(): number {
    return this.#adjRate;
  }

  /**
   * Counts one event.
   *
   * @param now The monotonic time now.
   * @returns When to wake up, if the next tick is still ahead; `undefined` to go on at once.
   */
  event(now: Timespec): Timespec | undefined {
    this.count++;
    if (this.count === 1) {
      this.#start = now;
      this.#next = nextTick(now, this.#period);
    }
    if (this.freq !== 0 && this.count % this.freq === 0 && this.count > this.freq) {
      this.#adjust(now);
    }
    if (nanosBetween(now, this.#next) > 0) return this.#next;
    this.#next = nextTick(now, this.#period);
    return undefined;
  }

  /**
   * Sets the next tick after a sleep that {@linkcode RateLimiter.event} asked for.
   *
   * @param now The monotonic time after waking.
   */
  resume(now: Timespec): void {
    this.#next = nextTick(now, this.#period);
  }

  #adjust(now: Timespec): void {
    const elapsed = nanosBetween(this.#start, now) / NS;
    // The achieved rate is truncated to an integer, and so is the adjusted rate: at low
    // rates a 1 % increase rounds away, as in libnmsg.
    const actual = elapsed > 0 ? Math.trunc(this.count / elapsed) : 0;
    const ratio = Math.min(1.01, Math.max(0.99, actual === 0 ? Infinity : this.rate / actual));
    this.#adjRate = Math.max(1, Math.trunc(this.#adjRate * ratio));
    this.#period = periodOf(this.#adjRate);
  }
}

import assert from "node:assert/strict";
import { RateLimiter, type Timespec } from "../../src/io/rate_limiter.ts";

const NS = 1e9;
const ts = (ns: number): Timespec => ({ sec: Math.floor(ns / NS), nsec: ns % NS });
const ns = (t: Timespec) => t.sec * NS + t.nsec;

/**
 * Drives a limiter with a fake clock: each event costs `cost` ns of work, sleeps end
 * `late` ns after the tick asked for. Returns the clock after `n` events.
 */
function drive(r: RateLimiter, n: number, start: number, cost: number, late = 0): number {
  let now = start;
  for (let i = 0; i < n; i++) {
    now += cost;
    const until = r.event(ts(now));
    if (until !== undefined) {
      assert.ok(ns(until) > now, "a sleep ends in the future");
      now = ns(until) + late;
      r.resume(ts(now));
    }
  }
  return now;
}

Deno.test("RateLimiter releases events on a grid of 1/rate ticks", () => {
  const r = new RateLimiter(1000, 0);
  // 1 ms ticks on the whole-millisecond grid, whatever the start offset.
  assert.deepEqual(r.event(ts(7 * NS + 123)), ts(7 * NS + 1_000_000));
  r.resume(ts(7 * NS + 1_000_050));
  assert.deepEqual(r.event(ts(7 * NS + 1_200_000)), ts(7 * NS + 2_000_000));
  r.resume(ts(7 * NS + 2_000_000));
  // Late by more than a period: no sleep, the next tick follows the current time.
  assert.equal(r.event(ts(7 * NS + 5_500_000)), undefined);
  assert.deepEqual(r.event(ts(7 * NS + 5_600_000)), ts(7 * NS + 6_000_000));
  // A rate under 1/s ticks on whole multiples of the period in seconds.
  const slow = new RateLimiter(1, 0);
  assert.deepEqual(slow.event(ts(10 * NS + 5)), ts(11 * NS));
});

Deno.test("RateLimiter holds the nominal rate for a sender with no overhead", () => {
  const r = new RateLimiter(1000, 10);
  const start = 100 * NS;
  const end = drive(r, 5000, start, 0);
  const rate = 5000 / ((end - start) / NS);
  assert.ok(Math.abs(rate - 1000) / 1000 < 0.01, `rate ${rate}`);
});

Deno.test("RateLimiter adjusts its period to make up for oversleeping, 1% per freq events", () => {
  // Every sleep ends 1.3 ms late, past the next 1 ms tick: unadjusted, 1000/s gives 500/s.
  const t0 = 50 * NS;
  const fixed = new RateLimiter(1000, 0);
  const rateFixed = 4000 / ((drive(fixed, 4000, t0, 0, 1_300_000) - t0) / NS);
  assert.ok(Math.abs(rateFixed - 500) < 1, `unadjusted rate ${rateFixed}`);
  // Adjusting shortens the period until the achieved rate nears 1/1.3 ms = 769/s.
  const adjusted = new RateLimiter(1000, 10);
  const rateAdjusted = 4000 / ((drive(adjusted, 4000, t0, 0, 1_300_000) - t0) / NS);
  assert.ok(rateAdjusted > 650, `adjusted rate ${rateAdjusted}`);
  // At most +1% per adjustment: 399 adjustments after the first window.
  assert.ok(adjusted.adjustedRate > 1000);
  assert.ok(adjusted.adjustedRate <= Math.ceil(1000 * 1.01 ** 399));
});

Deno.test("RateLimiter truncates the adjusted rate as libnmsg does (no increase below 100/s)", () => {
  // 1% of 50 rounds away: a slow sender cannot raise a rate of 50.
  const low = new RateLimiter(50, 10);
  drive(low, 200, 0, 30_000_000);
  assert.equal(low.adjustedRate, 50);
  // A sender ahead of the rate is slowed by 1%, truncated: 50 → 49.
  const ahead = new RateLimiter(50, 10);
  let now = 0;
  for (let i = 0; i < 20; i++) ahead.event(ts(now += 1000)); // 20 events in 20 µs
  assert.equal(ahead.adjustedRate, 49);
});

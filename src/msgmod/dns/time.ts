/**
 * The SIE time fields (`time_first`, `time_last`, `zone_time_*`, `time_seen`): uint32 epoch
 * seconds shown as UTC `YYYY-MM-DD HH:MM:SS` (sie-nmsg `time_print/format/parse`).
 *
 * @module
 */

import { DnsTextError } from "./errors.ts";

const pad2 = (n: number): string => (n < 10 ? "0" + n : String(n));

/**
 * Formats epoch seconds as `gmtime` + `"%d-%02d-%02d %02d:%02d:%02d"` does (the value part
 * of the presentation line and the JSON string of SIE time fields).
 *
 * @example
 * ```ts
 * import { sieTimeToText } from "./time.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sieTimeToText(0), "1970-01-01 00:00:00");
 * assert.equal(sieTimeToText(4294967295), "2106-02-07 06:28:15");
 * ```
 *
 * @param seconds The uint32 field value (taken modulo 2^32).
 * @returns The UTC date and time.
 */
export function sieTimeToText(seconds: number): string {
  const d = new Date((seconds >>> 0) * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * Parses SIE time text like `strptime(value, "%Y-%m-%d %T")` + `timegm` (glibc rules:
 * spaces may precede each number, a number stops early once another digit would exceed its
 * range, `%Y` takes up to 4 digits, seconds may be 60 or 61, out-of-range days roll over;
 * text after the seconds is ignored). The result is reduced modulo 2^32, as the C code
 * stores it in a uint32 field.
 *
 * @example
 * ```ts
 * import { sieTimeFromText } from "./time.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sieTimeFromText("2018-02-22 12:58:38"), 1519304318);
 * assert.equal(sieTimeFromText("1970-01-01 00:00:00 trailing"), 0);
 * ```
 *
 * @param text The time text.
 * @returns Epoch seconds (uint32).
 * @throws {DnsTextError} If the text does not match the format.
 */
export function sieTimeFromText(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new DnsTextError("expected time as YYYY-MM-DD HH:MM:SS", text);
  };
  const num = (maxDigits: number, from: number, to: number): number => {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    let c = text.charCodeAt(i);
    if (!(c >= 0x30 && c <= 0x39)) fail();
    let v = 0;
    let n = maxDigits;
    do {
      v = v * 10 + (c - 0x30);
      i++;
      c = text.charCodeAt(i);
    } while (--n > 0 && v * 10 <= to && c >= 0x30 && c <= 0x39);
    if (v < from || v > to) fail();
    return v;
  };
  const lit = (ch: number): void => {
    if (text.charCodeAt(i) !== ch) fail();
    i++;
  };
  const year = num(4, 0, 9999);
  lit(0x2d);
  const month = num(2, 1, 12);
  lit(0x2d);
  const day = num(2, 1, 31);
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const hour = num(2, 0, 23);
  lit(0x3a);
  const minute = num(2, 0, 59);
  lit(0x3a);
  const second = num(2, 0, 61);
  // timegm arithmetic: an out-of-range day (Feb 31) or second (60, 61) rolls over.
  const days = daysFromCivil(year, month) + day - 1;
  return (days * 86400 + hour * 3600 + minute * 60 + second) >>> 0;
}

/** Days from 1970-01-01 to the first day of `month` (1-12) of `year` (proleptic Gregorian). */
function daysFromCivil(year: number, month: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

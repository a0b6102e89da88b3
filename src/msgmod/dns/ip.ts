/**
 * IP address text as C `inet_ntop` (and wdns's fast_inet_ntop) writes it: dotted quad for
 * IPv4; for IPv6 lower-case hex groups, the first longest run of two or more zero groups as
 * `::`, and the embedded-IPv4 forms `::a.b.c.d` and `::ffff:a.b.c.d`.
 *
 * @module
 */

import { TextSink } from "./_sink.ts";

const HEX = "0123456789abcdef";

/** Writes the IPv4 address at `data[off..off+4)` into `sink`. */
export function writeIpv4(sink: TextSink, data: Uint8Array, off: number): void {
  sink.uint(data[off]!);
  sink.byte(0x2e);
  sink.uint(data[off + 1]!);
  sink.byte(0x2e);
  sink.uint(data[off + 2]!);
  sink.byte(0x2e);
  sink.uint(data[off + 3]!);
}

/** Writes the IPv6 address at `data[off..off+16)` into `sink`. */
export function writeIpv6(sink: TextSink, data: Uint8Array, off: number): void {
  const words = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 8; i++) words[i] = (data[off + 2 * i]! << 8) | data[off + 2 * i + 1]!;
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else {
        curLen++;
      }
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) sink.byte(0x3a);
      continue;
    }
    if (i !== 0) sink.byte(0x3a);
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      writeIpv4(sink, data, off + 12);
      return;
    }
    const w = words[i]!;
    if (w >= 0x1000) sink.byte(HEX.charCodeAt(w >> 12));
    if (w >= 0x100) sink.byte(HEX.charCodeAt((w >> 8) & 15));
    if (w >= 0x10) sink.byte(HEX.charCodeAt((w >> 4) & 15));
    sink.byte(HEX.charCodeAt(w & 15));
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) sink.byte(0x3a);
}

const scratch = new TextSink(64);

/**
 * Text of a 4-byte (IPv4) or 16-byte (IPv6) address, as `inet_ntop` writes it.
 *
 * @example
 * ```ts
 * import { ipToText } from "./ip.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ipToText(new Uint8Array([192, 0, 2, 1])), "192.0.2.1");
 * assert.equal(ipToText(new Uint8Array(16)), "::");
 * assert.equal(ipToText(new Uint8Array(3)), undefined);
 * ```
 *
 * @param data The address bytes.
 * @returns The text, or `undefined` if the length is neither 4 nor 16.
 */
export function ipToText(data: Uint8Array): string | undefined {
  scratch.clip(0);
  if (data.length === 4) writeIpv4(scratch, data, 0);
  else if (data.length === 16) writeIpv6(scratch, data, 0);
  else return undefined;
  return scratch.text();
}

/**
 * Verifying the UDP checksum of a DNS response carried in one or more IP packets (the
 * packets of one datagram, or its fragments), as the dnsqr module records it in
 * `udp_checksum` (libnmsg `dnsqr_checksum_verify`).
 *
 * @module
 */

import { DLT_RAW, IpDatagram, IPPROTO_UDP } from "./ip_datagram.ts";

/** `DnsQR.UdpChecksum` values. */
export const UdpChecksum = {
  /** The packets are not UDP, or the UDP header is missing. */
  ERROR: 0,
  /** The checksum field is 0: the sender did not compute one. */
  ABSENT: 1,
  /** The checksum does not match. */
  INCORRECT: 2,
  /** The checksum matches. */
  CORRECT: 3,
} as const;

/** One of the {@linkcode UdpChecksum} values. */
export type UdpChecksum = typeof UdpChecksum[keyof typeof UdpChecksum];

const scratch = new IpDatagram();

/**
 * Checks the UDP checksum of a datagram given as raw IP packets: one packet, or the
 * fragments of one datagram in any order. The pseudo-header comes from the packet that
 * holds the UDP header; every packet contributes its UDP (or fragment) payload.
 *
 * @param packets Raw IP packets (IPv4 or IPv6 header first).
 * @returns The checksum state.
 *
 * @example
 * ```ts
 * import { UdpChecksum, udpChecksum } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(udpChecksum([new Uint8Array(3)]), UdpChecksum.ERROR);
 * ```
 */
export function udpChecksum(packets: readonly Uint8Array[]): UdpChecksum {
  const dg = scratch;
  let sum = 0;
  let header = false;
  for (const p of packets) {
    if (!dg.parseFrame(DLT_RAW, p, 0, p.length) || dg.transportProto !== IPPROTO_UDP) {
      return UdpChecksum.ERROR;
    }
    if (dg.transport >= 0) {
      const t = dg.transport;
      if ((p[t + 6]! | p[t + 7]!) === 0) return UdpChecksum.ABSENT;
      // Pseudo-header (source, destination, protocol, UDP length), then the UDP header.
      const addrs = dg.version === 4 ? 12 : 8;
      const addrLen = dg.version === 4 ? 8 : 32;
      sum += sumWords(p, addrs, addrs + addrLen);
      sum += IPPROTO_UDP + ((p[t + 4]! << 8) | p[t + 5]!);
      sum += sumWords(p, t, t + 8);
      header = true;
    }
    sum += sumWords(p, dg.payload, dg.payload + dg.payloadLength);
  }
  if (!header) return UdpChecksum.ERROR;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return (~sum & 0xffff) === 0 ? UdpChecksum.CORRECT : UdpChecksum.INCORRECT;
}

/** Sum of the big-endian 16-bit words of `b[start, end)`, an odd last byte padded with 0. */
function sumWords(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n < 64 || ((b.byteOffset + start) & 1) !== 0) {
    let sum = 0;
    let i = start;
    for (; i + 1 < end; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
    if (i < end) sum += b[i]! << 8;
    return sum;
  }
  // Long aligned runs: sum the words in host (little-endian) order, which byte-swaps
  // every word, fold, and swap the result back (RFC 1071: the sum is order-independent).
  const words = new Uint16Array(b.buffer, b.byteOffset + start, n >> 1);
  let sum = 0;
  for (let i = 0; i < words.length; i++) sum += words[i]!;
  if ((n & 1) !== 0) sum += b[end - 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return ((sum & 0xff) << 8) | (sum >> 8);
}

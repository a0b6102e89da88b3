/**
 * Verifying the UDP checksum of a DNS response carried in one or more IP packets (the
 * packets of one datagram, or its fragments), as the dnsqr module records it in
 * `udp_checksum` (libnmsg `dnsqr_checksum_verify`).
 *
 * @module
 */

import { type UdpChecksum, UdpSum } from "./_udp_sum.ts";

export { UdpChecksum } from "./_udp_sum.ts";

const shared = new UdpSum();

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
  shared.reset();
  for (const p of packets) shared.add(p, 0, p.length);
  return shared.result();
}

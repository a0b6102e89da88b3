// The UDP checksum state of a datagram given as IP packets, accumulated packet by packet
// from any buffer and offset, so the dnsqr engine can check a response where it lies.

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

/**
 * Sums the packets of one datagram: `reset()`, `add()` each packet (in any order), then
 * `result()`. The first packet that is not UDP, or whose UDP header has a zero checksum,
 * decides the state; the others are then ignored.
 */
export class UdpSum {
  readonly #dg = new IpDatagram();
  // Everything is summed modulo 0xffff: a ones' complement sum is zero (0xffff) exactly
  // when the plain sum of its words is a multiple of 0xffff.
  #sum = 0;
  #header = false;
  #state = -1;

  /** Starts a new datagram. */
  reset(): void {
    this.#sum = 0;
    this.#header = false;
    this.#state = -1;
  }

  /** Adds the IP packet `b[at, at + length)`. */
  add(b: Uint8Array, at: number, length: number): void {
    if (this.#state >= 0) return;
    const dg = this.#dg;
    if (!dg.parseFrame(DLT_RAW, b, at, length) || dg.transportProto !== IPPROTO_UDP) {
      this.#state = UdpChecksum.ERROR;
      return;
    }
    let sum = this.#sum;
    if (dg.transport >= 0) {
      const t = dg.transport;
      if ((b[t + 6]! | b[t + 7]!) === 0) {
        this.#state = UdpChecksum.ABSENT;
        return;
      }
      // Pseudo-header (source, destination, protocol, UDP length), then the UDP header.
      const addrs = at + (dg.version === 4 ? 12 : 8);
      sum += sumRange(b, addrs, addrs + (dg.version === 4 ? 8 : 32));
      sum += IPPROTO_UDP + ((b[t + 4]! << 8) | b[t + 5]!);
      sum += sumRange(b, t, t + 8);
      this.#header = true;
    }
    sum += sumRange(b, dg.payload, dg.payload + dg.payloadLength);
    this.#sum = sum % 0xffff;
  }

  /** The state of the packets added since `reset()`. */
  result(): UdpChecksum {
    if (this.#state >= 0) return this.#state as UdpChecksum;
    if (!this.#header) return UdpChecksum.ERROR;
    return this.#sum === 0 ? UdpChecksum.CORRECT : UdpChecksum.INCORRECT;
  }
}

let wordsOf: ArrayBufferLike | undefined;
let words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

/**
 * A number congruent, modulo 0xffff, to the sum of the big-endian 16-bit words of
 * `b[start, end)` (an odd last byte padded with 0). Long runs are read as aligned
 * little-endian 32-bit words: a 32-bit word is congruent to the sum of its two 16-bit
 * halves, and a byte's weight (1 or 256) depends only on its parity, so the sum is the
 * same up to a factor of 256 (2^16 = 1 modulo 0xffff, so 256 * 256 = 1).
 */
function sumRange(b: Uint8Array, start: number, end: number): number {
  let sum = 0;
  if (end - start < 32) {
    let i = start;
    for (; i + 1 < end; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
    if (i < end) sum += b[i]! << 8;
    return sum;
  }
  const base = b.byteOffset;
  if (b.buffer !== wordsOf) {
    wordsOf = b.buffer;
    words = new Uint32Array(b.buffer, 0, b.buffer.byteLength >> 2);
  }
  // Weights by absolute address: even bytes 1, odd bytes 256 (little-endian words).
  let i = start;
  for (; ((base + i) & 3) !== 0; i++) sum += (base + i) & 1 ? b[i]! << 8 : b[i]!;
  const last = (base + end) >> 2;
  let acc = 0;
  for (let w = (base + i) >> 2; w < last; w++) acc += words[w]!;
  for (i = (last << 2) - base; i < end; i++) sum += (base + i) & 1 ? b[i]! << 8 : b[i]!;
  sum = (sum + (acc % 0xffff)) % 0xffff;
  // Starting at an even address, the big-endian weights are the other way round.
  return ((base + start) & 1) === 0 ? sum * 256 : sum;
}

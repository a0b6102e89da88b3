/**
 * Finding the IP datagram in a captured frame and its transport header and payload, for
 * the link types nmsg handles (libnmsg `nmsg_ipdg_parse_pcap_raw`).
 *
 * Differences from libnmsg, on purpose: IPv6 extension header lengths are read correctly
 * (libnmsg byte-swaps the 8-bit length, so any extension header longer than 8 bytes made
 * it drop the packet), AH lengths count 4-byte units, ESP ends the walk (what follows is
 * encrypted), and headers that claim more bytes than were captured make the packet
 * unparseable instead of being read past the end of the capture.
 *
 * @module
 */

/** Link types (`DLT_*` values as `pcap_datalink` returns them). */
export const DLT_NULL = 0;
/** Ethernet. */
export const DLT_EN10MB = 1;
/** Raw IP (LINKTYPE_RAW in files). */
export const DLT_RAW = 12;
/** OpenBSD loopback (network-order address family). */
export const DLT_LOOP = 108;
/** Linux "cooked" capture, version 1. */
export const DLT_LINUX_SLL = 113;

/** EtherType of IPv4. */
export const ETHERTYPE_IP = 0x0800;
/** EtherType of IPv6. */
export const ETHERTYPE_IPV6 = 0x86dd;
/** EtherType of an 802.1Q VLAN tag. */
export const ETHERTYPE_VLAN = 0x8100;

/** IP protocol numbers. */
export const IPPROTO_ICMP = 1;
/** TCP. */
export const IPPROTO_TCP = 6;
/** UDP. */
export const IPPROTO_UDP = 17;

const IPPROTO_HOPOPTS = 0;
const IPPROTO_ROUTING = 43;
const IPPROTO_FRAGMENT = 44;
const IPPROTO_ESP = 50;
const IPPROTO_AH = 51;
const IPPROTO_DSTOPTS = 60;

const EMPTY = new Uint8Array(0);

/**
 * One IP datagram found in a buffer: offsets of its headers and payload. Reused from
 * packet to packet by the capture engines; the offsets point into {@linkcode buf}.
 *
 * @example
 * ```ts
 * import { DLT_RAW, IPPROTO_UDP, IpDatagram } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const packet = new Uint8Array(32); // IPv4, UDP from port 40000 to 53, 4 payload bytes
 * packet.set([0x45, 0, 0, 32, 0, 0, 0, 0, 64, 17]);
 * packet.set([0x9c, 0x40, 0, 53, 0, 12], 20);
 * const dg = new IpDatagram();
 * assert.ok(dg.parseFrame(DLT_RAW, packet, 0, packet.length));
 * assert.equal(dg.transportProto, IPPROTO_UDP);
 * assert.equal(dg.destinationPort, 53);
 * assert.deepEqual([dg.payload, dg.payloadLength], [28, 4]);
 * ```
 */
export class IpDatagram {
  /** The buffer holding the datagram. */
  buf: Uint8Array = EMPTY;
  /** Offset of the IP header. */
  network = 0;
  /** Bytes from the IP header to the end of the capture (Ethernet padding included). */
  networkLength = 0;
  /** IP version, 4 or 6. */
  version = 0;
  /** Protocol of the transport header (after any IPv6 extension headers). */
  transportProto = 0;
  /** Offset of the transport header, -1 for a non-initial fragment. */
  transport: number = -1;
  /** Bytes from the transport header to the end of the capture. */
  transportLength = 0;
  /** Offset of the transport payload. */
  payload = 0;
  /** Length of the transport payload. */
  payloadLength = 0;
  /** True if the datagram is an IP fragment. */
  fragment = false;

  /**
   * Parses a captured frame.
   *
   * @param datalink The link type.
   * @param buf The buffer.
   * @param start Offset of the frame.
   * @param caplen Captured length.
   * @returns True if the frame holds an IPv4/IPv6 datagram with a UDP, TCP or ICMP header
   *   (or a non-initial fragment of any datagram).
   */
  parseFrame(datalink: number, buf: Uint8Array, start: number, caplen: number): boolean {
    let etype: number;
    let hl: number;
    switch (datalink) {
      case DLT_EN10MB:
        if (caplen < 14) return false;
        etype = (buf[start + 12]! << 8) | buf[start + 13]!;
        hl = 14;
        if (etype === ETHERTYPE_VLAN) {
          if (caplen < 18) return false;
          etype = (buf[start + 16]! << 8) | buf[start + 17]!;
          hl = 18;
        }
        break;
      case DLT_RAW: {
        const v = caplen === 0 ? 0 : buf[start]! >> 4;
        etype = v === 4 ? ETHERTYPE_IP : v === 6 ? ETHERTYPE_IPV6 : 0;
        hl = 0;
        break;
      }
      case DLT_LINUX_SLL:
        if (caplen < 16) return false;
        etype = (buf[start + 14]! << 8) | buf[start + 15]!;
        hl = 16;
        break;
      default:
        return false;
    }
    return this.parseIp(etype, buf, start + hl, caplen - hl);
  }

  /**
   * Parses an IP datagram.
   *
   * @param etherType `ETHERTYPE_IP` or `ETHERTYPE_IPV6`.
   * @param buf The buffer.
   * @param start Offset of the IP header.
   * @param length Bytes available from `start`.
   * @returns True as for {@linkcode parseFrame}.
   */
  parseIp(etherType: number, buf: Uint8Array, start: number, length: number): boolean {
    this.buf = buf;
    this.network = start;
    this.networkLength = length;
    let initial = true;
    let hl: number;
    if (etherType === ETHERTYPE_IP) {
      if (length < 20) return false;
      hl = (buf[start]! & 0x0f) * 4;
      if (hl < 20 || hl > length) return false;
      const off = (buf[start + 6]! << 8) | buf[start + 7]!;
      this.fragment = (off & 0x3fff) !== 0;
      initial = (off & 0x1fff) === 0;
      this.version = 4;
      this.transportProto = buf[start + 9]!;
    } else if (etherType === ETHERTYPE_IPV6) {
      if (length < 40 || (buf[start]! & 0xf0) !== 0x60) return false;
      let next = buf[start + 6]!;
      let payloadLen = (buf[start + 4]! << 8) | buf[start + 5]!;
      hl = 40;
      this.fragment = false;
      walk: while (true) {
        switch (next) {
          case IPPROTO_HOPOPTS:
          case IPPROTO_ROUTING:
          case IPPROTO_DSTOPTS:
          case IPPROTO_AH:
          case IPPROTO_FRAGMENT: {
            if (hl + 8 > length) return false;
            const ext = next === IPPROTO_FRAGMENT
              ? 8
              : next === IPPROTO_AH
              ? (buf[start + hl + 1]! + 2) * 4
              : (buf[start + hl + 1]! + 1) * 8;
            if (ext > payloadLen) return false;
            if (next === IPPROTO_FRAGMENT) {
              this.fragment = true;
              initial = (((buf[start + hl + 2]! << 8) | buf[start + hl + 3]!) & 0xfff8) === 0;
            }
            next = buf[start + hl]!;
            hl += ext;
            payloadLen -= ext;
            if (this.fragment) break walk;
            break;
          }
          case IPPROTO_ESP:
            return false;
          default:
            break walk;
        }
      }
      if (hl + payloadLen > length || payloadLen === 0) return false;
      this.version = 6;
      this.transportProto = next;
    } else {
      return false;
    }
    const rest = length - hl;
    if (!initial) {
      this.transport = -1;
      this.transportLength = 0;
      this.payload = start + hl;
      this.payloadLength = rest;
      return true;
    }
    const t = start + hl;
    this.transport = t;
    this.transportLength = rest;
    switch (this.transportProto) {
      case IPPROTO_UDP: {
        if (rest < 8) return false;
        let n = (buf[t + 4]! << 8) | buf[t + 5]!;
        // libnmsg keeps a UDP length below 8 as the payload length
        if (n >= 8) n -= 8;
        this.payload = t + 8;
        this.payloadLength = Math.min(n, rest - 8);
        return true;
      }
      case IPPROTO_TCP: {
        if (rest < 20) return false;
        const thl = Math.min((buf[t + 12]! >> 4) * 4, rest);
        this.payload = t + thl;
        this.payloadLength = rest - thl;
        return true;
      }
      case IPPROTO_ICMP: {
        if (rest < 4) return false;
        this.payload = t + 4;
        this.payloadLength = rest - 4;
        return true;
      }
      default:
        return false;
    }
  }

  /** Source port of the UDP or TCP header. */
  get sourcePort(): number {
    return (this.buf[this.transport]! << 8) | this.buf[this.transport + 1]!;
  }

  /** Destination port of the UDP or TCP header. */
  get destinationPort(): number {
    return (this.buf[this.transport + 2]! << 8) | this.buf[this.transport + 3]!;
  }
}

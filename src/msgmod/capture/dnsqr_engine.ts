/**
 * The dnsqr capture engine: pairs DNS queries with their responses in a packet stream
 * and produces `DnsQR` records, with libnmsg's rules (`nmsg/base/dnsqr.c`): the matching
 * key, the FORMERR/SERVFAIL/NOTIMP/REFUSED fallback, lazy expiry measured by packet time,
 * the flush at the end of input, the RD and qname filters, resolver address zeroing and
 * UDP checksum states.
 *
 * Differences from libnmsg, on purpose:
 * - resolver address zeroing of an IPv6 response clears the response's destination
 *   address (libnmsg clears the destination of the query packet at the same index, and
 *   reads past the end for unsolicited responses);
 * - an ICMP error about a DNS packet is recognised from the datagram it quotes after the
 *   8-byte ICMP error header (libnmsg looks 4 bytes in, so it never recognised one), and
 *   only for IPv4 ICMP (libnmsg also took IPv6 next header 1 for ICMP);
 * - IPv6 extension headers are walked correctly (see `ip_datagram.ts`).
 *
 * @module
 */

import {
  DnsqrCore,
  type DnsqrEngineOptions,
  type DnsqrRecord,
  type PacketList,
} from "./_dnsqr_core.ts";

export { DnsQRType } from "./_dnsqr_core.ts";
export type { DnsqrEngineOptions } from "./_dnsqr_core.ts";

/**
 * A `nmsg.base.DnsQR` message as the engine builds it. Field names follow the schema;
 * absent optional fields are undefined.
 */
export interface DnsQR {
  /** A {@linkcode DnsQRType} value. */
  type: number;
  /** The querier's address (4 or 16 bytes; empty for TCP and ICMP records). */
  queryIp: Uint8Array;
  /** The responder's address. */
  responseIp: Uint8Array;
  /** IP protocol: 17 UDP, 6 TCP, 1 ICMP. */
  proto: number;
  /** The querier's port. */
  queryPort: number;
  /** The responder's port. */
  responsePort: number;
  /** DNS message id. */
  id: number;
  /** The question name, raw wire bytes (not decompressed). */
  qname: Uint8Array | undefined;
  /** The question type. */
  qtype: number | undefined;
  /** The question class. */
  qclass: number | undefined;
  /** The response's header rcode. */
  rcode: number | undefined;
  /** Query IP packets (one per fragment), from the IP header on. */
  queryPacket: readonly Uint8Array[];
  /** Their capture times, seconds. */
  queryTimeSec: readonly number[];
  /** Their capture times, nanoseconds. */
  queryTimeNsec: readonly number[];
  /** Response IP packets (one per fragment). */
  responsePacket: readonly Uint8Array[];
  /** Their capture times, seconds. */
  responseTimeSec: readonly number[];
  /** Their capture times, nanoseconds. */
  responseTimeNsec: readonly number[];
  /** The whole IP packet of a TCP record. */
  tcp: Uint8Array | undefined;
  /** The whole IP packet of an ICMP record. */
  icmp: Uint8Array | undefined;
  /** Seconds an unanswered query waited. */
  timeout: number | undefined;
  /** A `UdpChecksum` value, for records with a response. */
  udpChecksum: number | undefined;
  /** True once addresses were zeroed. */
  resolverAddressZeroed: boolean | undefined;
}

/**
 * Receives each finished record with its payload time. The record and the bytes it views
 * are valid only during the call: encode or copy them there.
 */
export type DnsqrSink = (record: DnsQR, timeSec: number, timeNsec: number) => void;

const EMPTY = new Uint8Array(0);

/**
 * Turns captured frames into `DnsQR` records. Feed every frame in capture order to
 * {@linkcode DnsqrEngine.packet}; call {@linkcode DnsqrEngine.idle} when a live capture
 * has nothing to read and {@linkcode DnsqrEngine.end} at the end of input, which flushes
 * every waiting query.
 *
 * @example Pairs from a savefile
 * ```ts
 * import { DnsqrEngine, DnsQRType, NextResult, PcapHandle } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * using h = PcapHandle.openOffline("tests/testdata/dig_response.pcap");
 * const types: number[] = [];
 * const engine = new DnsqrEngine(h.datalink, {}, (record) => types.push(record.type));
 * const frame = new Uint8Array(h.snapshot);
 * while (h.next() === NextResult.Packet) {
 *   h.copyPacket(frame);
 *   engine.packet(frame, h.caplen, h.length, h.tsSec, h.tsUsec * 1000);
 * }
 * engine.end();
 * assert.deepEqual(types, new Array(6).fill(DnsQRType.UDP_QUERY_RESPONSE));
 * ```
 */
export class DnsqrEngine {
  readonly #core: DnsqrCore;

  /**
   * Creates an engine with no query waiting.
   *
   * @param datalink The capture's link type.
   * @param options Timeouts, filters and modes.
   * @param emit Receives the records.
   */
  constructor(datalink: number, options: DnsqrEngineOptions, emit: DnsqrSink) {
    this.#core = new DnsqrCore(datalink, options, (r) => emit(message(r), r.timeSec, r.timeNsec));
  }

  /** Queries waiting for a response. */
  get pending(): number {
    return this.#core.pending;
  }

  /**
   * Handles one captured frame.
   *
   * @param frame The buffer holding the frame; the engine copies what it keeps, and may
   *   change the bytes (address zeroing) before the call returns.
   * @param caplen Bytes captured.
   * @param length Bytes on the wire; frames cut short by the snap length are ignored.
   * @param tsSec Capture time, seconds.
   * @param tsNsec Capture time, nanoseconds.
   * @param start Where the frame starts in `frame` (default 0).
   */
  packet(
    frame: Uint8Array,
    caplen: number,
    length: number,
    tsSec: number,
    tsNsec: number,
    start = 0,
  ): void {
    this.#core.packet(frame, caplen, length, tsSec, tsNsec, start);
  }

  /** Gives expired queries a chance to go out while a live capture waits for packets. */
  idle(): void {
    this.#core.idle();
  }

  /** Ends the input: every waiting query is emitted (or filtered) as unanswered. */
  end(): void {
    this.#core.end();
  }
}

/** The record as a `DnsQR` message whose byte fields view the packets. */
function message(r: DnsqrRecord): DnsQR {
  const ip = r.ipBuf;
  const [queryPacket, queryTimeSec, queryTimeNsec] = packets(r.query);
  const [responsePacket, responseTimeSec, responseTimeNsec] = packets(r.response);
  const question = r.qnameLength >= 0;
  const whole = r.packetBuf.subarray(r.packetAt, r.packetAt + r.packetLength);
  return {
    type: r.type,
    queryIp: r.ipLength === 0 ? EMPTY : ip.subarray(r.queryIpAt, r.queryIpAt + r.ipLength),
    responseIp: r.ipLength === 0 ? EMPTY : ip.subarray(r.responseIpAt, r.responseIpAt + r.ipLength),
    proto: r.proto,
    queryPort: r.queryPort,
    responsePort: r.responsePort,
    id: r.id,
    qname: question ? r.qnameBuf.subarray(r.qnameAt, r.qnameAt + r.qnameLength) : undefined,
    qtype: question ? r.qtype : undefined,
    qclass: question ? r.qclass : undefined,
    rcode: r.rcode >= 0 ? r.rcode : undefined,
    queryPacket,
    queryTimeSec,
    queryTimeNsec,
    responsePacket,
    responseTimeSec,
    responseTimeNsec,
    tcp: r.packetField === 18 ? whole : undefined,
    icmp: r.packetField === 19 ? whole : undefined,
    timeout: r.hasTimeout ? r.timeout : undefined,
    udpChecksum: r.udpChecksum >= 0 ? r.udpChecksum : undefined,
    resolverAddressZeroed: r.zeroed ? true : undefined,
  };
}

function packets(l: PacketList): [Uint8Array[], number[], number[]] {
  if (l.fragments !== undefined) {
    return [
      l.fragments.map((f) => f.packet),
      l.fragments.map((f) => f.tsSec),
      l.fragments.map((f) => f.tsNsec),
    ];
  }
  if (l.count === 0) return [[], [], []];
  return [[l.buf.subarray(l.at, l.at + l.length)], [l.sec], [l.nsec]];
}

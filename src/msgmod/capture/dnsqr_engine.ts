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
  DLT_RAW,
  ETHERTYPE_IP,
  ETHERTYPE_IPV6,
  IpDatagram,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
} from "./ip_datagram.ts";
import { type IpFragment, IpReassembler } from "./ip_reassembler.ts";
import { ByteSlab } from "./_byte_slab.ts";
import { type PendingEntry, PendingQueries } from "./_pending_queries.ts";
import { udpChecksum } from "./udp_checksum.ts";

/** `DnsQR.DnsQRType` values. */
export const DnsQRType = {
  /** Not set. */
  UDP_INVALID: 0,
  /** A query and its response. */
  UDP_QUERY_RESPONSE: 1,
  /** A query whose response did not come in time. */
  UDP_UNANSWERED_QUERY: 2,
  /** A response whose query was not seen. */
  UDP_UNSOLICITED_RESPONSE: 3,
  /** A DNS-over-TCP packet. */
  TCP: 4,
  /** An ICMP error about a DNS packet. */
  ICMP: 5,
  /** A query, pairing disabled (`DNSQR_CAPTURE_QR=0`). */
  UDP_QUERY_ONLY: 6,
  /** A response, pairing disabled (`DNSQR_CAPTURE_QR=1`). */
  UDP_RESPONSE_ONLY: 7,
} as const;

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

/** How the engine behaves; the `DNSQR_*` environment variables map onto these. */
export interface DnsqrEngineOptions {
  /** Seconds a query waits for its response (`DNSQR_QUERY_TIMEOUT`, default 60). */
  queryTimeout?: number;
  /** Most queries waiting at once (`DNSQR_STATE_TABLE_MAX`, default 131072). */
  maxPending?: number;
  /**
   * Disables pairing (`DNSQR_CAPTURE_QR`): 0 emits every query alone, 1 every response
   * alone; the other direction is dropped and the RD and qname filters do not apply.
   */
  captureQr?: 0 | 1 | undefined;
  /** Keeps only records whose query's RD bit equals this (`DNSQR_CAPTURE_RD`). */
  captureRd?: 0 | 1 | undefined;
  /** Zeroes the querier's address everywhere (`DNSQR_ZERO_RESOLVER_ADDRESS`). */
  zeroResolverAddress?: boolean;
  /**
   * Names (and their subdomains) always kept (`DNSQR_FILTER_QNAMES_INCLUDE`), as
   * lower-cased wire names.
   */
  qnamesInclude?: readonly Uint8Array[];
  /** Names (and their subdomains) dropped unless included (`DNSQR_FILTER_QNAMES_EXCLUDE`). */
  qnamesExclude?: readonly Uint8Array[];
  /**
   * The user's BPF filter, run on raw IP datagrams the capture filter could not judge:
   * reassembled datagrams and IPv6 packets. Default: accept everything.
   */
  userFilter?: (datagram: Uint8Array, start: number, length: number) => boolean;
}

/**
 * Receives each finished record with its payload time. The record and the bytes it views
 * are valid only during the call: encode or copy them there.
 */
export type DnsqrSink = (record: DnsQR, timeSec: number, timeNsec: number) => void;

const DEFAULT_QUERY_TIMEOUT = 60;
const DEFAULT_MAX_PENDING = 131072;
const EMPTY = new Uint8Array(0);
const NO_PACKETS: readonly Uint8Array[] = Object.freeze([]);
const NO_TIMES: readonly number[] = Object.freeze([]);

/** A query waiting for its response, with its datagram copied out of the capture buffer. */
class Query implements PendingEntry<Query> {
  next: Query | undefined = undefined;
  older: Query | undefined = undefined;
  newer: Query | undefined = undefined;
  /** Set once `datagram` is a buffer of its own rather than a view into a shared slab. */
  own: boolean;

  constructor(
    readonly hash: number,
    /** The datagram (a single packet, or the reassembled whole); offsets below are into it. */
    public datagram: Uint8Array,
    readonly ipLength: number,
    readonly queryIp: number,
    readonly responseIp: number,
    readonly queryPort: number,
    readonly responsePort: number,
    readonly id: number,
    readonly qname: number,
    readonly qnameLength: number,
    readonly qtype: number,
    readonly qclass: number,
    /** The fragments to record, or undefined to record `datagram` itself. */
    readonly fragments: readonly IpFragment[] | undefined,
    readonly tsSec: number,
    readonly tsNsec: number,
  ) {
    this.own = fragments !== undefined;
  }
}

/** Where a DNS message sits in the datagram being handled. */
interface Dns {
  buf: Uint8Array;
  ipLength: number;
  src: number;
  dst: number;
  sport: number;
  dport: number;
  id: number;
  flags: number;
  qname: number;
  qnameLength: number;
  qtype: number;
  qclass: number;
}

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
  readonly #datalink: number;
  readonly #emit: DnsqrSink;
  readonly #queryTimeout: number;
  readonly #maxPending: number;
  readonly #captureQr: 0 | 1 | undefined;
  readonly #captureRd: 0 | 1 | undefined;
  readonly #zero: boolean;
  readonly #include: Set<string> | undefined;
  readonly #exclude: Set<string> | undefined;
  readonly #userFilter: (datagram: Uint8Array, start: number, length: number) => boolean;
  // Fragments of one datagram must arrive within the same second (libnmsg never sets
  // the dnsqr reassembler's timeout, so it stays 0).
  readonly #reasm = new IpReassembler(0);
  readonly #dg = new IpDatagram();
  readonly #scratch = new IpDatagram();
  readonly #slab = new ByteSlab();
  readonly #pending = new PendingQueries<Query>();
  readonly #out = new RecordBuffer();
  readonly #dns: Dns = {
    buf: EMPTY,
    ipLength: 0,
    src: 0,
    dst: 0,
    sport: 0,
    dport: 0,
    id: 0,
    flags: 0,
    qname: 0,
    qnameLength: -1,
    qtype: 0,
    qclass: 0,
  };
  #nowSec = 0;
  #nowNsec = 0;
  #stopped = false;
  #agedSec = -Infinity;
  readonly #isOld = (q: Query): boolean => q.tsSec < this.#agedSec - 1;

  /**
   * Creates an engine with no query waiting.
   *
   * @param datalink The capture's link type.
   * @param options Timeouts, filters and modes.
   * @param emit Receives the records.
   */
  constructor(datalink: number, options: DnsqrEngineOptions, emit: DnsqrSink) {
    this.#datalink = datalink;
    this.#emit = emit;
    this.#queryTimeout = options.queryTimeout ?? DEFAULT_QUERY_TIMEOUT;
    this.#maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.#captureQr = options.captureQr;
    this.#captureRd = options.captureRd;
    this.#zero = options.zeroResolverAddress ?? false;
    this.#include = nameSet(options.qnamesInclude);
    this.#exclude = nameSet(options.qnamesExclude);
    this.#userFilter = options.userFilter ?? (() => true);
  }

  /** Queries waiting for a response. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Handles one captured frame.
   *
   * @param frame The frame's bytes; the engine copies what it keeps, and may change the
   *   bytes (address zeroing) before the call returns.
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
    this.#expire();
    if (caplen !== length) return;
    const dg = this.#dg;
    if (!dg.parseFrame(this.#datalink, frame, start, caplen)) return;
    this.#nowSec = tsSec;
    this.#nowNsec = tsNsec;
    let fragments: readonly IpFragment[] | undefined;
    // libnmsg hands every packet to the reassembler, which also expires old fragments
    // then; expiring only when the next fragment comes gives the same results.
    const r = dg.fragment
      ? this.#reasm.add(frame, dg.network, dg.networkLength, tsSec, tsNsec)
      : undefined;
    if (r !== undefined) {
      if (r === null) return;
      const whole = r.assemble();
      if (whole === undefined || !dg.parseFrame(DLT_RAW, whole, 0, whole.length)) return;
      if (!this.#userFilter(whole, 0, whole.length)) return;
      fragments = r.fragments;
    }
    if (dg.transport < 0) return;
    // The capture filter lets every IPv6 packet through: judge them here.
    if (dg.version === 6 && !this.#userFilter(dg.buf, dg.network, dg.networkLength)) return;
    switch (dg.transportProto) {
      case IPPROTO_UDP:
        this.#udp(dg, fragments, tsSec, tsNsec);
        break;
      case IPPROTO_TCP:
        if (dg.sourcePort === 53 || dg.destinationPort === 53) {
          const rec = this.#out.start(IPPROTO_TCP, DnsQRType.TCP);
          rec.tcp = dg.buf.subarray(dg.network, dg.network + dg.networkLength);
          this.#finish(rec, tsSec, tsNsec);
        }
        break;
      case IPPROTO_ICMP:
        if (dg.version === 4 && quotesDns(dg)) {
          const rec = this.#out.start(IPPROTO_ICMP, DnsQRType.ICMP);
          rec.icmp = dg.buf.subarray(dg.network, dg.network + dg.networkLength);
          this.#finish(rec, tsSec, tsNsec);
        }
        break;
    }
    // A query still waiting after a second gets a copy of its own, so that it does not
    // keep a whole slab of other packets alive until it expires.
    if (tsSec !== this.#agedSec) {
      this.#agedSec = tsSec;
      this.#pending.age(this.#isOld, detach);
    }
  }

  /** Gives expired queries a chance to go out while a live capture waits for packets. */
  idle(): void {
    this.#expire();
  }

  /** Ends the input: every waiting query is emitted (or filtered) as unanswered. */
  end(): void {
    this.#stopped = true;
    for (let q = this.#trim(); q !== undefined; q = this.#trim()) {
      const rec = this.#unanswered(q);
      if (!this.#filtered(rec)) this.#finish(rec, 0, 0);
    }
  }

  // libnmsg checks the oldest query before every read and emits it if it expired; a
  // query its filters drop lets the read go ahead, so expiry resumes at the next packet.
  #expire(): void {
    for (let q = this.#trim(); q !== undefined; q = this.#trim()) {
      const rec = this.#unanswered(q);
      if (this.#filtered(rec)) return;
      this.#finish(rec, 0, 0);
    }
  }

  /** Takes out the oldest query if it expired (or the table is full, or input ended). */
  #trim(): Query | undefined {
    const q = this.#pending.oldest();
    if (q === undefined) return undefined;
    if (
      !(this.#pending.size > this.#maxPending || this.#stopped ||
        this.#nowSec - q.tsSec > this.#queryTimeout)
    ) {
      return undefined;
    }
    this.#pending.remove(q);
    return q;
  }

  /** The record of an expired query, its wait measured to the last packet seen. */
  #unanswered(q: Query): DnsQR {
    let sec = this.#nowSec - q.tsSec;
    let nsec = this.#nowNsec - q.tsNsec;
    if (nsec < 0) {
      sec -= 1;
      nsec += 1000000000;
    }
    const rec = this.#out.start(IPPROTO_UDP, DnsQRType.UDP_UNANSWERED_QUERY);
    rec.timeout = sec + nsec / 1e9;
    const b = q.datagram;
    rec.queryIp = b.subarray(q.queryIp, q.queryIp + q.ipLength);
    rec.responseIp = b.subarray(q.responseIp, q.responseIp + q.ipLength);
    rec.queryPort = q.queryPort;
    rec.responsePort = q.responsePort;
    rec.id = q.id;
    if (q.qnameLength >= 0) {
      rec.qname = b.subarray(q.qname, q.qname + q.qnameLength);
      rec.qtype = q.qtype;
      rec.qclass = q.qclass;
    }
    this.#out.setQuery(b, q.fragments, q.tsSec, q.tsNsec);
    q.datagram = EMPTY;
    return rec;
  }

  #udp(
    dg: IpDatagram,
    fragments: readonly IpFragment[] | undefined,
    tsSec: number,
    tsNsec: number,
  ) {
    const d = this.#dns;
    if (!readDns(dg, d)) return;
    const response = (d.flags & 0x8000) !== 0;
    const qr = this.#captureQr;
    const b = dg.buf;
    const n = dg.network;
    if (qr !== undefined) {
      if (qr === 0 && !response) {
        // The reassembled datagram, not its fragments, as libnmsg does in this mode.
        const rec = this.#dnsRecord(d, DnsQRType.UDP_QUERY_ONLY, response);
        this.#out.setQuery(b.subarray(n, n + dg.networkLength), undefined, tsSec, tsNsec);
        this.#finish(rec, tsSec, tsNsec);
      } else if (qr === 1 && response) {
        const rec = this.#dnsRecord(d, DnsQRType.UDP_RESPONSE_ONLY, response);
        rec.rcode = d.flags & 0xf;
        this.#out.setResponse(b.subarray(n, n + dg.networkLength), fragments, tsSec, tsNsec);
        this.#finish(rec, tsSec, tsNsec);
      }
      return;
    }

    if (!response) {
      const copy = fragments === undefined ? this.#slab.copy(b, n, dg.networkLength) : b;
      const at = fragments === undefined ? n : 0;
      const hash = keyHash(b, d.src, d.dst, d.ipLength, d.sport, d.dport, d.id);
      this.#pending.add(
        new Query(
          hash,
          copy,
          d.ipLength,
          d.src - at,
          d.dst - at,
          d.sport,
          d.dport,
          d.id,
          d.qname - at,
          d.qnameLength,
          d.qtype,
          d.qclass,
          fragments,
          fragments === undefined ? tsSec : fragments[0]!.tsSec,
          fragments === undefined ? tsNsec : fragments[0]!.tsNsec,
        ),
      );
      return;
    }

    const rcode = d.flags & 0xf;
    const hash = keyHash(b, d.dst, d.src, d.ipLength, d.dport, d.sport, d.id);
    const query = this.#pending.take(hash, (q) => answers(d, q, rcode));
    const rec = this.#dnsRecord(
      d,
      query === undefined ? DnsQRType.UDP_UNSOLICITED_RESPONSE : DnsQRType.UDP_QUERY_RESPONSE,
      response,
    );
    rec.rcode = rcode;
    this.#out.setResponse(b.subarray(n, n + dg.networkLength), fragments, tsSec, tsNsec);
    if (query === undefined) {
      if (this.#rdMismatch(d.flags) || this.#qnameExcluded(rec)) return;
    } else {
      this.#out.setQuery(query.datagram, query.fragments, query.tsSec, query.tsNsec);
      if (rec.qname === undefined && query.qnameLength >= 0) {
        rec.qname = query.datagram.subarray(query.qname, query.qname + query.qnameLength);
        rec.qtype = query.qtype;
        rec.qclass = query.qclass;
      }
      query.datagram = EMPTY;
      if (this.#filtered(rec)) return;
    }
    this.#finish(rec, tsSec, tsNsec);
  }

  /** A record with the fields of the DNS message being handled. */
  #dnsRecord(d: Dns, type: number, response: boolean): DnsQR {
    const rec = this.#out.start(IPPROTO_UDP, type);
    const b = d.buf;
    const src = b.subarray(d.src, d.src + d.ipLength);
    const dst = b.subarray(d.dst, d.dst + d.ipLength);
    rec.queryIp = response ? dst : src;
    rec.responseIp = response ? src : dst;
    rec.queryPort = response ? d.dport : d.sport;
    rec.responsePort = response ? d.sport : d.dport;
    rec.id = d.id;
    if (d.qnameLength >= 0) {
      rec.qname = b.subarray(d.qname, d.qname + d.qnameLength);
      rec.qtype = d.qtype;
      rec.qclass = d.qclass;
    }
    return rec;
  }

  /** The RD filter for a pair or an unanswered query, then the qname filter. */
  #filtered(rec: DnsQR): boolean {
    if (this.#captureRd !== undefined) {
      const flags = queryFlags(rec, this.#scratch);
      if (flags !== undefined && ((flags >> 8) & 1) !== this.#captureRd) return true;
    }
    return this.#qnameExcluded(rec);
  }

  #rdMismatch(flags: number): boolean {
    return this.#captureRd !== undefined && ((flags >> 8) & 1) !== this.#captureRd;
  }

  #qnameExcluded(rec: DnsQR): boolean {
    const qname = rec.qname;
    if (qname === undefined) return false;
    if (this.#include !== undefined && inNameSet(this.#include, qname)) return false;
    return this.#exclude !== undefined && inNameSet(this.#exclude, qname);
  }

  /** libnmsg `dnsqr_to_message`: checksum, zeroing, payload time. */
  #finish(rec: DnsQR, tsSec: number, tsNsec: number): void {
    if (rec.responsePacket.length > 0) rec.udpChecksum = udpChecksum(rec.responsePacket);
    if (this.#zero) zeroResolverAddress(rec);
    if (rec.queryTimeSec.length > 0) {
      this.#emit(rec, rec.queryTimeSec[0]!, rec.queryTimeNsec[0]!);
    } else if (rec.responseTimeSec.length > 0) {
      this.#emit(rec, rec.responseTimeSec[0]!, rec.responseTimeNsec[0]!);
    } else {
      this.#emit(rec, tsSec, tsNsec);
    }
  }
}

/** Finds the DNS header and question of a UDP datagram to or from port 53 or 5353. */
function readDns(dg: IpDatagram, d: Dns): boolean {
  const sport = dg.sourcePort;
  const dport = dg.destinationPort;
  if (!(sport === 53 || sport === 5353 || dport === 53 || dport === 5353)) return false;
  const len = dg.payloadLength;
  if (len < 12) return false;
  const b = dg.buf;
  const p = dg.payload;
  d.qnameLength = -1;
  if (((b[p + 4]! << 8) | b[p + 5]!) === 1 && len > 12) {
    const end = skipName(b, p + 12, p + len);
    if (p + len - end < 4) return false;
    d.qname = p + 12;
    d.qnameLength = end - d.qname;
    d.qtype = (b[end]! << 8) | b[end + 1]!;
    d.qclass = (b[end + 2]! << 8) | b[end + 3]!;
  }
  const n = dg.network;
  d.buf = b;
  if (dg.version === 4) {
    d.ipLength = 4;
    d.src = n + 12;
    d.dst = n + 16;
  } else {
    d.ipLength = 16;
    d.src = n + 8;
    d.dst = n + 24;
  }
  d.sport = sport;
  d.dport = dport;
  d.id = (b[p]! << 8) | b[p + 1]!;
  d.flags = (b[p + 2]! << 8) | b[p + 3]!;
  return true;
}

/**
 * Where a name at `offset` ends, as `wdns_skip_name` finds it: after the zero label or a
 * compression pointer, clamped to `end`.
 */
function skipName(b: Uint8Array, offset: number, end: number): number {
  let p = offset;
  while (p < end) {
    const c = b[p]!;
    if (c === 0) break;
    if (c >= 192) {
      p++;
      break;
    }
    p += c + 1;
  }
  p++;
  return p > end ? end : p;
}

/**
 * The one record the engine hands to its sink, filled anew for each: the sink may use it
 * only during the call, so its object and packet lists are reused.
 */
class RecordBuffer {
  readonly rec: DnsQR = {
    type: 0,
    queryIp: EMPTY,
    responseIp: EMPTY,
    proto: 0,
    queryPort: 0,
    responsePort: 0,
    id: 0,
    qname: undefined,
    qtype: undefined,
    qclass: undefined,
    rcode: undefined,
    queryPacket: NO_PACKETS,
    queryTimeSec: NO_TIMES,
    queryTimeNsec: NO_TIMES,
    responsePacket: NO_PACKETS,
    responseTimeSec: NO_TIMES,
    responseTimeNsec: NO_TIMES,
    tcp: undefined,
    icmp: undefined,
    timeout: undefined,
    udpChecksum: undefined,
    resolverAddressZeroed: undefined,
  };
  readonly #query: [Uint8Array[], number[], number[]] = [[], [], []];
  readonly #response: [Uint8Array[], number[], number[]] = [[], [], []];

  /** The record, emptied, with its protocol and type. */
  start(proto: number, type: number): DnsQR {
    const r = this.rec;
    r.type = type;
    r.queryIp = r.responseIp = EMPTY;
    r.proto = proto;
    r.queryPort = r.responsePort = r.id = 0;
    r.qname = r.tcp = r.icmp = undefined;
    r.qtype =
      r.qclass =
      r.rcode =
      r.timeout =
      r.udpChecksum =
        undefined;
    r.resolverAddressZeroed = undefined;
    r.queryPacket = r.responsePacket = NO_PACKETS;
    r.queryTimeSec =
      r.queryTimeNsec =
      r.responseTimeSec =
      r.responseTimeNsec =
        NO_TIMES;
    return r;
  }

  /** Sets the query packets: the fragments in offset order, or the one packet. */
  setQuery(
    packet: Uint8Array,
    fragments: readonly IpFragment[] | undefined,
    sec: number,
    nsec: number,
  ) {
    const [p, s, n] = fill(this.#query, packet, fragments, sec, nsec);
    this.rec.queryPacket = p;
    this.rec.queryTimeSec = s;
    this.rec.queryTimeNsec = n;
  }

  /** Sets the response packets: the fragments in offset order, or the one packet. */
  setResponse(
    packet: Uint8Array,
    fragments: readonly IpFragment[] | undefined,
    sec: number,
    nsec: number,
  ) {
    const [p, s, n] = fill(this.#response, packet, fragments, sec, nsec);
    this.rec.responsePacket = p;
    this.rec.responseTimeSec = s;
    this.rec.responseTimeNsec = n;
  }
}

function fill(
  lists: [Uint8Array[], number[], number[]],
  packet: Uint8Array,
  fragments: readonly IpFragment[] | undefined,
  sec: number,
  nsec: number,
): [Uint8Array[], number[], number[]] {
  const [p, s, n] = lists;
  if (fragments === undefined) {
    // Setting an array's length is a slow path: only shrink when fragments grew it.
    if (p.length !== 1) p.length = s.length = n.length = 1;
    p[0] = packet;
    s[0] = sec;
    n[0] = nsec;
  } else {
    p.length = s.length = n.length = 0;
    for (const f of fragments) {
      p.push(f.packet);
      s.push(f.tsSec);
      n.push(f.tsNsec);
    }
  }
  return lists;
}

/** Gives a waiting query a copy of its datagram of its own. */
function detach(q: Query): void {
  if (q.own) return;
  q.datagram = q.datagram.slice();
  q.own = true;
}

/**
 * A hash of the matching key: the ports, the id and the last four bytes of each address
 * (enough to spread the keys; `answers` compares them whole).
 */
function keyHash(
  b: Uint8Array,
  queryIp: number,
  responseIp: number,
  ipLength: number,
  queryPort: number,
  responsePort: number,
  id: number,
): number {
  const q = queryIp + ipLength - 4;
  const r = responseIp + ipLength - 4;
  let h = Math.imul(id ^ (queryPort << 16), 0x9e3779b1) ^ responsePort;
  h = Math.imul(h ^ ((b[q]! << 24) | (b[q + 1]! << 16) | (b[q + 2]! << 8) | b[q + 3]!), 0x85ebca6b);
  h = Math.imul(h ^ ((b[r]! << 24) | (b[r + 1]! << 16) | (b[r + 2]! << 8) | b[r + 3]!), 0xc2b2ae35);
  // Small integers make faster map keys.
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

/**
 * Whether a response answers a waiting query: the whole key and the question when both
 * have one; otherwise the key alone, and only for rcodes that may come without a question
 * (FORMERR, SERVFAIL, NOTIMP, REFUSED).
 */
function answers(r: Dns, q: Query, rcode: number): boolean {
  if (
    r.id !== q.id || r.dport !== q.queryPort || r.sport !== q.responsePort ||
    r.ipLength !== q.ipLength ||
    !sameBytes(r.buf, r.dst, q.datagram, q.queryIp, q.ipLength) ||
    !sameBytes(r.buf, r.src, q.datagram, q.responseIp, q.ipLength)
  ) {
    return false;
  }
  if (r.qnameLength >= 0 && q.qnameLength >= 0) {
    return r.qtype === q.qtype && r.qclass === q.qclass && r.qnameLength === q.qnameLength &&
      sameBytes(r.buf, r.qname, q.datagram, q.qname, q.qnameLength);
  }
  return rcode === 1 || rcode === 2 || rcode === 4 || rcode === 5;
}

function sameBytes(a: Uint8Array, ai: number, b: Uint8Array, bi: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[ai + i] !== b[bi + i]) return false;
  return true;
}

/** The DNS flags of a record's first query packet, if it parses as an unfragmented UDP datagram. */
function queryFlags(rec: DnsQR, dg: IpDatagram): number | undefined {
  const pkt = rec.queryPacket[0];
  if (pkt === undefined) return undefined;
  const etype = rec.queryIp.length === 4
    ? ETHERTYPE_IP
    : rec.queryIp.length === 16
    ? ETHERTYPE_IPV6
    : 0;
  if (!dg.parseIp(etype, pkt, 0, pkt.length)) return undefined;
  if (dg.fragment || dg.transportProto !== IPPROTO_UDP || dg.payloadLength < 12) return undefined;
  return (pkt[dg.payload + 2]! << 8) | pkt[dg.payload + 3]!;
}

/**
 * True if an IPv4 ICMP error quotes a DNS packet: the datagram after the 8-byte error
 * header is UDP to or from port 53 or 5353, or TCP to or from port 53.
 */
function quotesDns(dg: IpDatagram): boolean {
  const b = dg.buf;
  const type = b[dg.transport]!;
  if (!(type === 3 || type === 4 || type === 5 || type === 11 || type === 12)) return false;
  const ip = dg.transport + 8;
  const len = dg.transportLength - 8;
  if (len < 20 || b[ip]! >> 4 !== 4) return false;
  const hl = (b[ip]! & 0x0f) * 4;
  if (hl < 20 || len < hl + 4 || (((b[ip + 6]! << 8) | b[ip + 7]!) & 0x1fff) !== 0) return false;
  const sport = (b[ip + hl]! << 8) | b[ip + hl + 1]!;
  const dport = (b[ip + hl + 2]! << 8) | b[ip + hl + 3]!;
  switch (b[ip + 9]) {
    case IPPROTO_UDP:
      return sport === 53 || sport === 5353 || dport === 53 || dport === 5353;
    case IPPROTO_TCP:
      return sport === 53 || dport === 53;
    default:
      return false;
  }
}

/**
 * Zeroes the querier's address: `query_ip`, the source of every query packet and the
 * destination of every response packet.
 */
function zeroResolverAddress(rec: DnsQR): void {
  if (rec.queryPacket.length > 0 || rec.responsePacket.length > 0) {
    rec.resolverAddressZeroed = true;
  }
  rec.queryIp.fill(0);
  for (const p of rec.queryPacket) {
    const v = p.length > 0 ? p[0]! >> 4 : 0;
    if (v === 4 && p.length >= 20) p.fill(0, 12, 16);
    else if (v === 6 && p.length >= 40) p.fill(0, 8, 24);
  }
  for (const p of rec.responsePacket) {
    const v = p.length > 0 ? p[0]! >> 4 : 0;
    if (v === 4 && p.length >= 20) p.fill(0, 16, 20);
    else if (v === 6 && p.length >= 40) p.fill(0, 24, 40);
  }
}

function nameSet(names: readonly Uint8Array[] | undefined): Set<string> | undefined {
  if (names === undefined) return undefined;
  return new Set(names.map((n) => latin1(n, 0, n.length)));
}

/** Whether a name or one of its ancestors (the root included) is in the set. */
function inNameSet(set: Set<string>, qname: Uint8Array): boolean {
  const name = new Uint8Array(qname.length);
  for (let i = 0; i < qname.length; i++) {
    const c = qname[i]!;
    name[i] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
  }
  let start = 0;
  for (;;) {
    if (set.has(latin1(name, start, name.length))) return true;
    const left = name.length - start;
    if (left <= 1) return false;
    const label = name[start]!;
    if (label > left - 1) return false;
    start += label + 1;
  }
}

function latin1(b: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

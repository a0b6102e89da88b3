// The dnsqr engine proper (libnmsg `nmsg/base/dnsqr.c` rules; see dnsqr_engine.ts for the
// public face and the deliberate differences). It allocates nothing per packet: queries
// wait in pooled entries with buffers of their own, and records describe the bytes they
// hold by buffer and offset, so the payload encoder reads the packets where they lie.

import {
  DLT_RAW,
  ETHERTYPE_IP,
  ETHERTYPE_IPV6,
  IpDatagram,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
} from "./ip_datagram.ts";
import { skipName } from "../dns/name.ts";
import { type IpFragment, IpReassembler } from "./ip_reassembler.ts";
import { type PendingEntry, PendingQueries } from "./_pending_queries.ts";
import { UdpSum } from "./_udp_sum.ts";

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

const DEFAULT_QUERY_TIMEOUT = 60;
const DEFAULT_MAX_PENDING = 131072;
const EMPTY = new Uint8Array(0);
/** A pooled query keeps a buffer up to this size for the next query. */
const KEEP_BUFFER = 2048;

/** The packets of one side of a record: none, one, or the fragments of a datagram. */
export class PacketList {
  /** How many packets. */
  count = 0;
  /** The fragments in offset order; undefined when there is at most one packet. */
  fragments: readonly IpFragment[] | undefined = undefined;
  /** The one packet: `buf[at, at + length)`, captured at `sec`/`nsec`. */
  buf: Uint8Array = EMPTY;
  /** Where the one packet starts. */
  at = 0;
  /** Its length. */
  length = 0;
  /** Its capture time, seconds. */
  sec = NaN;
  /** Its capture time, nanoseconds. */
  nsec = 0;

  clear(): void {
    this.count = 0;
    this.fragments = undefined;
    this.buf = EMPTY;
  }

  /** Sets the packets: the fragments in offset order, or the one packet. */
  set(
    buf: Uint8Array,
    at: number,
    length: number,
    fragments: readonly IpFragment[] | undefined,
    sec: number,
    nsec: number,
  ): void {
    if (fragments === undefined) {
      this.count = 1;
      this.fragments = undefined;
      this.buf = buf;
      this.at = at;
      this.length = length;
      this.sec = sec;
      this.nsec = nsec;
    } else {
      this.count = fragments.length;
      this.fragments = fragments;
      this.buf = EMPTY;
    }
  }

  /** The capture time of the first packet, seconds. */
  firstSec(): number {
    return this.fragments === undefined ? this.sec : this.fragments[0]!.tsSec;
  }

  /** The capture time of the first packet, nanoseconds. */
  firstNsec(): number {
    return this.fragments === undefined ? this.nsec : this.fragments[0]!.tsNsec;
  }
}

/**
 * A `DnsQR` message in the making: numbers, and where its byte fields lie. Absent
 * optional numbers are negative (`timeout`: `hasTimeout`). Fields that hold seconds start
 * as NaN: they hold numbers beyond small integers, and starting with one keeps V8 from
 * changing the object's layout (and dropping the code optimized for it) on the first.
 */
export class DnsqrRecord {
  /** A {@linkcode DnsQRType} value. */
  type = 0;
  /** IP protocol. */
  proto = 0;
  /** The querier's port. */
  queryPort = 0;
  /** The responder's port. */
  responsePort = 0;
  /** DNS message id. */
  id = 0;
  /** The buffer holding both addresses. */
  ipBuf: Uint8Array = EMPTY;
  /** Where the querier's address is. */
  queryIpAt = 0;
  /** Where the responder's address is. */
  responseIpAt = 0;
  /** Address length: 4, 16, or 0 for none. */
  ipLength = 0;
  /** The buffer holding the question name. */
  qnameBuf: Uint8Array = EMPTY;
  /** Where the name starts. */
  qnameAt = 0;
  /** Its length; -1 without a question (no qname, qtype, qclass). */
  qnameLength = -1;
  /** The question type. */
  qtype = 0;
  /** The question class. */
  qclass = 0;
  /** The response's rcode, -1 if none. */
  rcode = -1;
  /** The query packets. */
  readonly query: PacketList = new PacketList();
  /** The response packets. */
  readonly response: PacketList = new PacketList();
  /** `DnsQR` field of the whole packet: 18 (tcp), 19 (icmp) or 0 for none. */
  packetField = 0;
  /** The buffer holding that packet. */
  packetBuf: Uint8Array = EMPTY;
  /** Where it starts. */
  packetAt = 0;
  /** Its length. */
  packetLength = 0;
  /** True if `timeout` is set. */
  hasTimeout = false;
  /** Seconds an unanswered query waited. */
  timeout = NaN;
  /** A `UdpChecksum` value, -1 if none. */
  udpChecksum = -1;
  /** True once addresses were zeroed. */
  zeroed = false;
  /** The payload's time, seconds. */
  timeSec = NaN;
  /** The payload's time, nanoseconds. */
  timeNsec = 0;

  /** Empties the record and sets its protocol and type. */
  start(proto: number, type: number): this {
    this.type = type;
    this.proto = proto;
    this.queryPort = this.responsePort = this.id = 0;
    this.ipBuf = this.qnameBuf = this.packetBuf = EMPTY;
    this.ipLength = this.packetField = 0;
    this.qnameLength = this.rcode = this.udpChecksum = -1;
    this.hasTimeout = this.zeroed = false;
    this.query.clear();
    this.response.clear();
    return this;
  }
}

/** Receives each finished record; the record and the bytes it describes last until it returns. */
export type DnsqrRecordSink = (record: DnsqrRecord) => void;

/** A DNS message's id and question; `qname` is an offset into its datagram. */
class Question {
  ipLength = 0;
  id = 0;
  qname = 0;
  /** -1 without a question. */
  qnameLength = -1;
  qtype = 0;
  qclass = 0;

  /** Takes the id and question of `from`, whose datagram starts `shift` bytes later. */
  copyQuestion(from: Question, shift: number): void {
    this.ipLength = from.ipLength;
    this.id = from.id;
    this.qname = from.qname - shift;
    this.qnameLength = from.qnameLength;
    this.qtype = from.qtype;
    this.qclass = from.qclass;
  }
}

/** A query waiting for its response, with its datagram copied out of the capture buffer. */
class Query extends Question implements PendingEntry<Query> {
  hash = 0;
  next: Query | undefined = undefined;
  older: Query | undefined = undefined;
  newer: Query | undefined = undefined;
  /** The pooled buffer this entry copies single packets into. */
  own: Uint8Array = new Uint8Array(256);
  /** The datagram: `own`, or a reassembled datagram; the offsets below are into it. */
  bytes: Uint8Array = EMPTY;
  /** The packet's length in `own` (single packets only). */
  length = 0;
  queryIp = 0;
  responseIp = 0;
  queryPort = 0;
  responsePort = 0;
  /** The fragments to record, or undefined to record the packet in `own`. */
  fragments: readonly IpFragment[] | undefined = undefined;
  tsSec = NaN;
  tsNsec = 0;
}

/** Where the DNS message being handled sits in its datagram. */
class Dns extends Question {
  buf: Uint8Array = EMPTY;
  src = 0;
  dst = 0;
  sport = 0;
  dport = 0;
  flags = 0;
}

/** Pairs queries and responses; see {@linkcode DnsqrEngine} for how to drive it. */
export class DnsqrCore {
  readonly #datalink: number;
  readonly #emit: DnsqrRecordSink;
  readonly #queryTimeout: number;
  readonly #maxPending: number;
  readonly #captureQr: 0 | 1 | undefined;
  readonly #captureRd: 0 | 1 | undefined;
  readonly #zero: boolean;
  readonly #include: Set<string> | undefined;
  readonly #exclude: Set<string> | undefined;
  readonly #userFilter:
    | ((datagram: Uint8Array, start: number, length: number) => boolean)
    | undefined;
  // Fragments of one datagram must arrive within the same second (libnmsg never sets
  // the dnsqr reassembler's timeout, so it stays 0).
  readonly #reasm = new IpReassembler(0);
  readonly #dg = new IpDatagram();
  readonly #scratch = new IpDatagram();
  readonly #sum = new UdpSum();
  readonly #pending = new PendingQueries<Query>();
  readonly #pool: Query[] = [];
  readonly #rec = new DnsqrRecord();
  readonly #dns = new Dns();
  #nowSec = 0;
  #nowNsec = 0;
  #stopped = false;

  constructor(datalink: number, options: DnsqrEngineOptions, emit: DnsqrRecordSink) {
    this.#datalink = datalink;
    this.#emit = emit;
    this.#queryTimeout = options.queryTimeout ?? DEFAULT_QUERY_TIMEOUT;
    this.#maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.#captureQr = options.captureQr;
    this.#captureRd = options.captureRd;
    this.#zero = options.zeroResolverAddress ?? false;
    this.#include = nameSet(options.qnamesInclude);
    this.#exclude = nameSet(options.qnamesExclude);
    this.#userFilter = options.userFilter;
  }

  /** Queries waiting for a response. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Handles the frame `frame[start, start + caplen)`; see `DnsqrEngine.packet`. */
  packet(
    frame: Uint8Array,
    caplen: number,
    length: number,
    tsSec: number,
    tsNsec: number,
    start: number,
  ): void {
    this.#expire();
    if (caplen !== length) return;
    const dg = this.#dg;
    if (!dg.parseFrame(this.#datalink, frame, start, caplen)) return;
    this.#nowSec = tsSec;
    this.#nowNsec = tsNsec;
    const filter = this.#userFilter;
    let fragments: readonly IpFragment[] | undefined;
    // libnmsg hands every packet to the reassembler, which also expires old fragments
    // then; expiring only when the next fragment comes gives the same results.
    if (dg.fragment) {
      const r = this.#reasm.add(frame, dg.network, dg.networkLength, tsSec, tsNsec);
      if (r === null) return;
      if (r !== undefined) {
        const whole = r.assemble();
        if (whole === undefined || !dg.parseFrame(DLT_RAW, whole, 0, whole.length)) return;
        if (filter !== undefined && !filter(whole, 0, whole.length)) return;
        fragments = r.fragments;
      }
    }
    if (dg.transport < 0) return;
    // The capture filter lets every IPv6 packet through: judge them here.
    if (dg.version === 6 && filter !== undefined && !filter(dg.buf, dg.network, dg.networkLength)) {
      return;
    }
    switch (dg.transportProto) {
      case IPPROTO_UDP:
        this.#udp(dg, fragments, tsSec, tsNsec);
        break;
      case IPPROTO_TCP:
        if (dg.sourcePort === 53 || dg.destinationPort === 53) {
          this.#whole(dg, IPPROTO_TCP, DnsQRType.TCP, 18, tsSec, tsNsec);
        }
        break;
      case IPPROTO_ICMP:
        if (dg.version === 4 && quotesDns(dg)) {
          this.#whole(dg, IPPROTO_ICMP, DnsQRType.ICMP, 19, tsSec, tsNsec);
        }
        break;
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
      this.#release(q);
    }
  }

  // libnmsg checks the oldest query before every read and emits it if it expired; a
  // query its filters drop lets the read go ahead, so expiry resumes at the next packet.
  #expire(): void {
    for (let q = this.#trim(); q !== undefined; q = this.#trim()) {
      const rec = this.#unanswered(q);
      const filtered = this.#filtered(rec);
      if (!filtered) this.#finish(rec, 0, 0);
      this.#release(q);
      if (filtered) return;
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

  /** Returns a query's entry to the pool once its record is out. */
  #release(q: Query): void {
    q.bytes = EMPTY;
    q.fragments = undefined;
    if (q.own.length > KEEP_BUFFER) q.own = new Uint8Array(256);
    this.#pool.push(q);
  }

  /** The record of a TCP packet or an ICMP error: the whole IP packet. */
  #whole(dg: IpDatagram, proto: number, type: number, field: number, sec: number, nsec: number) {
    const rec = this.#rec.start(proto, type);
    rec.packetField = field;
    rec.packetBuf = dg.buf;
    rec.packetAt = dg.network;
    rec.packetLength = dg.networkLength;
    this.#finish(rec, sec, nsec);
  }

  /** The record of an expired query, its wait measured to the last packet seen. */
  #unanswered(q: Query): DnsqrRecord {
    let sec = this.#nowSec - q.tsSec;
    let nsec = this.#nowNsec - q.tsNsec;
    if (nsec < 0) {
      sec -= 1;
      nsec += 1000000000;
    }
    const rec = this.#rec.start(IPPROTO_UDP, DnsQRType.UDP_UNANSWERED_QUERY);
    rec.hasTimeout = true;
    rec.timeout = sec + nsec / 1e9;
    const b = q.bytes;
    rec.ipBuf = b;
    rec.queryIpAt = q.queryIp;
    rec.responseIpAt = q.responseIp;
    rec.ipLength = q.ipLength;
    rec.queryPort = q.queryPort;
    rec.responsePort = q.responsePort;
    rec.id = q.id;
    this.#question(rec, b, q);
    rec.query.set(b, 0, q.length, q.fragments, q.tsSec, q.tsNsec);
    return rec;
  }

  /** The question of `q` (if it has one), whose datagram is `b`. */
  #question(rec: DnsqrRecord, b: Uint8Array, q: Question): void {
    if (q.qnameLength < 0) return;
    rec.qnameBuf = b;
    rec.qnameAt = q.qname;
    rec.qnameLength = q.qnameLength;
    rec.qtype = q.qtype;
    rec.qclass = q.qclass;
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
        rec.query.set(b, n, dg.networkLength, undefined, tsSec, tsNsec);
        this.#finish(rec, tsSec, tsNsec);
      } else if (qr === 1 && response) {
        const rec = this.#dnsRecord(d, DnsQRType.UDP_RESPONSE_ONLY, response);
        rec.rcode = d.flags & 0xf;
        rec.response.set(b, n, dg.networkLength, fragments, tsSec, tsNsec);
        this.#finish(rec, tsSec, tsNsec);
      }
      return;
    }

    if (!response) {
      this.#pending.add(this.#query(dg, d, fragments, tsSec, tsNsec));
      return;
    }

    const rcode = d.flags & 0xf;
    const hash = keyHash(b, d.dst, d.src, d.ipLength, d.dport, d.sport, d.id);
    let query: Query | undefined;
    for (let q = this.#pending.first(hash); q !== undefined; q = q.next) {
      if (q.hash === hash && answers(d, q, rcode)) {
        query = q;
        break;
      }
    }
    const rec = this.#dnsRecord(
      d,
      query === undefined ? DnsQRType.UDP_UNSOLICITED_RESPONSE : DnsQRType.UDP_QUERY_RESPONSE,
      response,
    );
    rec.rcode = rcode;
    rec.response.set(b, n, dg.networkLength, fragments, tsSec, tsNsec);
    if (query === undefined) {
      if (this.#rdMismatch(d.flags) || this.#qnameExcluded(rec)) return;
      this.#finish(rec, tsSec, tsNsec);
      return;
    }
    this.#pending.remove(query);
    rec.query.set(query.bytes, 0, query.length, query.fragments, query.tsSec, query.tsNsec);
    if (rec.qnameLength < 0 && query.qnameLength >= 0) {
      this.#question(rec, query.bytes, query);
    }
    if (!this.#filtered(rec)) this.#finish(rec, tsSec, tsNsec);
    this.#release(query);
  }

  /** A waiting query for the DNS message being handled, its datagram copied. */
  #query(
    dg: IpDatagram,
    d: Dns,
    fragments: readonly IpFragment[] | undefined,
    tsSec: number,
    tsNsec: number,
  ): Query {
    const q = this.#pool.pop() ?? new Query();
    const b = dg.buf;
    let at = 0;
    if (fragments === undefined) {
      // A single packet is copied; a reassembled datagram is already a buffer of its own.
      at = dg.network;
      const len = dg.networkLength;
      if (q.own.length < len) q.own = new Uint8Array(Math.max(len, q.own.length * 2));
      copyBytes(q.own, 0, b, at, len);
      q.bytes = q.own;
      q.length = len;
      q.tsSec = tsSec;
      q.tsNsec = tsNsec;
    } else {
      q.bytes = b;
      q.length = 0;
      q.tsSec = fragments[0]!.tsSec;
      q.tsNsec = fragments[0]!.tsNsec;
    }
    q.fragments = fragments;
    q.hash = keyHash(b, d.src, d.dst, d.ipLength, d.sport, d.dport, d.id);
    q.copyQuestion(d, at);
    q.queryIp = d.src - at;
    q.responseIp = d.dst - at;
    q.queryPort = d.sport;
    q.responsePort = d.dport;
    return q;
  }

  /** A record with the fields of the DNS message being handled. */
  #dnsRecord(d: Dns, type: number, response: boolean): DnsqrRecord {
    const rec = this.#rec.start(IPPROTO_UDP, type);
    rec.ipBuf = d.buf;
    rec.queryIpAt = response ? d.dst : d.src;
    rec.responseIpAt = response ? d.src : d.dst;
    rec.ipLength = d.ipLength;
    rec.queryPort = response ? d.dport : d.sport;
    rec.responsePort = response ? d.sport : d.dport;
    rec.id = d.id;
    this.#question(rec, d.buf, d);
    return rec;
  }

  /** The RD filter for a pair or an unanswered query, then the qname filter. */
  #filtered(rec: DnsqrRecord): boolean {
    if (this.#captureRd !== undefined) {
      const flags = queryFlags(rec, this.#scratch);
      if (flags >= 0 && ((flags >> 8) & 1) !== this.#captureRd) return true;
    }
    return this.#qnameExcluded(rec);
  }

  #rdMismatch(flags: number): boolean {
    return this.#captureRd !== undefined && ((flags >> 8) & 1) !== this.#captureRd;
  }

  #qnameExcluded(rec: DnsqrRecord): boolean {
    if (rec.qnameLength < 0) return false;
    const b = rec.qnameBuf;
    const at = rec.qnameAt;
    const end = at + rec.qnameLength;
    if (this.#include !== undefined && inNameSet(this.#include, b, at, end)) return false;
    return this.#exclude !== undefined && inNameSet(this.#exclude, b, at, end);
  }

  /** libnmsg `dnsqr_to_message`: checksum, zeroing, payload time. */
  #finish(rec: DnsqrRecord, tsSec: number, tsNsec: number): void {
    const response = rec.response;
    if (response.count > 0) {
      const sum = this.#sum;
      sum.reset();
      if (response.fragments === undefined) sum.add(response.buf, response.at, response.length);
      else for (const f of response.fragments) sum.add(f.packet, 0, f.packet.length);
      rec.udpChecksum = sum.result();
    }
    if (this.#zero) zeroResolverAddress(rec);
    if (rec.query.count > 0) {
      rec.timeSec = rec.query.firstSec();
      rec.timeNsec = rec.query.firstNsec();
    } else if (response.count > 0) {
      rec.timeSec = response.firstSec();
      rec.timeNsec = response.firstNsec();
    } else {
      rec.timeSec = tsSec;
      rec.timeNsec = tsNsec;
    }
    this.#emit(rec);
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

/** Copies `n` bytes; a loop beats creating a view for the short runs queries are. */
function copyBytes(dst: Uint8Array, d: number, src: Uint8Array, s: number, n: number): void {
  if (n > 32) {
    dst.set(src.subarray(s, s + n), d);
    return;
  }
  for (let i = 0; i < n; i++) dst[d + i] = src[s + i]!;
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
    !sameBytes(r.buf, r.dst, q.bytes, q.queryIp, q.ipLength) ||
    !sameBytes(r.buf, r.src, q.bytes, q.responseIp, q.ipLength)
  ) {
    return false;
  }
  if (r.qnameLength >= 0 && q.qnameLength >= 0) {
    return r.qtype === q.qtype && r.qclass === q.qclass && r.qnameLength === q.qnameLength &&
      sameBytes(r.buf, r.qname, q.bytes, q.qname, q.qnameLength);
  }
  return rcode === 1 || rcode === 2 || rcode === 4 || rcode === 5;
}

function sameBytes(a: Uint8Array, ai: number, b: Uint8Array, bi: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[ai + i] !== b[bi + i]) return false;
  return true;
}

/**
 * The DNS flags of a record's first query packet if it parses as an unfragmented UDP
 * datagram, else -1.
 */
function queryFlags(rec: DnsqrRecord, dg: IpDatagram): number {
  const query = rec.query;
  if (query.count === 0) return -1;
  const first = query.fragments?.[0]?.packet;
  const b = first ?? query.buf;
  const at = first === undefined ? query.at : 0;
  const length = first === undefined ? query.length : first.length;
  const etype = rec.ipLength === 4 ? ETHERTYPE_IP : rec.ipLength === 16 ? ETHERTYPE_IPV6 : 0;
  if (!dg.parseIp(etype, b, at, length)) return -1;
  if (dg.fragment || dg.transportProto !== IPPROTO_UDP || dg.payloadLength < 12) return -1;
  return (b[dg.payload + 2]! << 8) | b[dg.payload + 3]!;
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
function zeroResolverAddress(rec: DnsqrRecord): void {
  if (rec.query.count > 0 || rec.response.count > 0) rec.zeroed = true;
  rec.ipBuf.fill(0, rec.queryIpAt, rec.queryIpAt + rec.ipLength);
  zeroAddress(rec.query, 12, 8);
  zeroAddress(rec.response, 16, 24);
}

/** Zeroes the IPv4 address at `v4` or the IPv6 address at `v6` of every packet. */
function zeroAddress(list: PacketList, v4: number, v6: number): void {
  if (list.fragments === undefined) {
    if (list.count > 0) zeroIn(list.buf, list.at, list.length, v4, v6);
  } else {
    for (const f of list.fragments) zeroIn(f.packet, 0, f.packet.length, v4, v6);
  }
}

function zeroIn(p: Uint8Array, at: number, length: number, v4: number, v6: number): void {
  const v = length > 0 ? p[at]! >> 4 : 0;
  if (v === 4 && length >= 20) p.fill(0, at + v4, at + v4 + 4);
  else if (v === 6 && length >= 40) p.fill(0, at + v6, at + v6 + 16);
}

function nameSet(names: readonly Uint8Array[] | undefined): Set<string> | undefined {
  if (names === undefined) return undefined;
  return new Set(names.map((n) => latin1(n, 0, n.length)));
}

/** Whether the name `b[at, end)` or one of its ancestors (the root included) is in the set. */
function inNameSet(set: Set<string>, b: Uint8Array, at: number, end: number): boolean {
  const name = new Uint8Array(end - at);
  for (let i = 0; i < name.length; i++) {
    const c = b[at + i]!;
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

// Serializing a dnsqr record straight from the packets it describes into a payload
// buffer: the bytes protobuf-c packs for `nmsg.base.DnsQR` (fields in number order,
// required fields always, repeated fields unpacked), which the generic table-driven codec
// also produces, without building a message first.

import type { ProtoWriter } from "../../wire/_protobuf.ts";
import type { DnsqrRecord, PacketList } from "./_dnsqr_core.ts";

// Field keys (number << 3 | wire type), as their varint bytes.
const TYPE = 0x08;
const QUERY_IP = 0x12;
const RESPONSE_IP = 0x1a;
const PROTO = 0x20;
const QUERY_PORT = 0x28;
const RESPONSE_PORT = 0x30;
const ID = 0x38;
const QNAME = 0x42;
const QTYPE = 0x48;
const QCLASS = 0x50;
const RCODE = 0x58;
const QUERY_PACKET = 0x62;
const QUERY_TIME_SEC = 0x68;
const QUERY_TIME_NSEC = 0x75;
const RESPONSE_PACKET = 0x7a;
// Fields 16 and up take two bytes: the low seven bits with the continuation bit, then 1.
const RESPONSE_TIME_SEC = 0x80; // 16, varint
const RESPONSE_TIME_NSEC = 0x8d; // 17, fixed32
const TIMEOUT = 0xa1; // 20, fixed64
const UDP_CHECKSUM = 0xa8; // 21, varint
const RESOLVER_ADDRESS_ZEROED = 0xb0; // 22, varint

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const TWO_32 = 4294967296;

/**
 * Appends the record's `DnsQR` message at the writer's position.
 *
 * @param w The writer.
 * @param r The record.
 */
export function encodeDnsqr(w: ProtoWriter, r: DnsqrRecord): void {
  const q = r.query;
  const s = r.response;
  // An upper bound: 2 bytes per key, 10 per varint, 3 per length prefix.
  w.ensure(
    200 + 2 * r.ipLength + Math.max(r.qnameLength, 0) + Math.max(r.packetLength, 0) +
      listSize(q) + listSize(s),
  );
  let b = w.buf;
  let p = w.pos;
  p = varintField(b, p, TYPE, r.type);
  p = bytesField(b, p, QUERY_IP, r.ipBuf, r.queryIpAt, r.ipLength);
  p = bytesField(b, p, RESPONSE_IP, r.ipBuf, r.responseIpAt, r.ipLength);
  p = varintField(b, p, PROTO, r.proto);
  p = varintField(b, p, QUERY_PORT, r.queryPort);
  p = varintField(b, p, RESPONSE_PORT, r.responsePort);
  p = varintField(b, p, ID, r.id);
  if (r.qnameLength >= 0) {
    p = bytesField(b, p, QNAME, r.qnameBuf, r.qnameAt, r.qnameLength);
    p = varintField(b, p, QTYPE, r.qtype);
    p = varintField(b, p, QCLASS, r.qclass);
  }
  if (r.rcode >= 0) p = varintField(b, p, RCODE, r.rcode);
  p = packets(w, p, q, QUERY_PACKET, QUERY_TIME_SEC, QUERY_TIME_NSEC, 0);
  p = packets(w, p, s, RESPONSE_PACKET, RESPONSE_TIME_SEC, RESPONSE_TIME_NSEC, 1);
  // A time beyond 32 bits is written by the writer itself, which may have grown its buffer.
  b = w.buf;
  if (r.packetField !== 0) {
    b[p++] = ((r.packetField << 3) | 2) | 0x80;
    b[p++] = 1;
    p = bytes(b, p, r.packetBuf, r.packetAt, r.packetLength);
  }
  if (r.hasTimeout) {
    b[p++] = TIMEOUT;
    b[p++] = 1;
    f64[0] = r.timeout;
    for (let i = 0; i < 8; i++) b[p++] = f64Bytes[i]!;
  }
  if (r.udpChecksum >= 0) {
    b[p++] = UDP_CHECKSUM;
    b[p++] = 1;
    p = varint(b, p, r.udpChecksum);
  }
  if (r.zeroed) {
    b[p++] = RESOLVER_ADDRESS_ZEROED;
    b[p++] = 1;
    b[p++] = 1;
  }
  w.pos = p;
}

/** Bytes a packet list can take at most. */
function listSize(l: PacketList): number {
  if (l.fragments === undefined) return l.count === 0 ? 0 : l.length + 24;
  let n = 0;
  for (const f of l.fragments) n += f.packet.length + 24;
  return n;
}

/**
 * The packets, then their seconds, then their nanoseconds, each field repeated; from `p` in
 * the writer's buffer, returning the position after them.
 */
function packets(
  w: ProtoWriter,
  p: number,
  l: PacketList,
  packetKey: number,
  secKey: number,
  nsecKey: number,
  // Keys above field 15 need a second byte (1).
  wide: number,
): number {
  if (l.count === 0) return p;
  const b = w.buf;
  const frags = l.fragments;
  if (frags === undefined) {
    p = bytesField(b, p, packetKey, l.buf, l.at, l.length);
    b[p++] = secKey;
    if (wide) b[p++] = 1;
    p = int64(w, p, l.sec);
    const c = w.buf;
    c[p++] = nsecKey;
    if (wide) c[p++] = 1;
    return fixed32(c, p, l.nsec);
  }
  for (const f of frags) p = bytesField(b, p, packetKey, f.packet, 0, f.packet.length);
  for (const f of frags) {
    const c = w.buf;
    c[p++] = secKey;
    if (wide) c[p++] = 1;
    p = int64(w, p, f.tsSec);
  }
  for (const f of frags) {
    const c = w.buf;
    c[p++] = nsecKey;
    if (wide) c[p++] = 1;
    p = fixed32(c, p, f.tsNsec);
  }
  return p;
}

/** A length-prefixed copy of `src[at, at + n)`. */
function bytes(b: Uint8Array, p: number, src: Uint8Array, at: number, n: number): number {
  p = varint(b, p, n);
  if (n > 32) {
    b.set(src.subarray(at, at + n), p);
    return p + n;
  }
  for (let i = 0; i < n; i++) b[p + i] = src[at + i]!;
  return p + n;
}

/** A one-byte key, then a varint field (below). */
function varintField(b: Uint8Array, p: number, key: number, n: number): number {
  b[p] = key;
  return varint(b, p + 1, n);
}

/** A one-byte key, then a length-delimited field (below). */
function bytesField(
  b: Uint8Array,
  p: number,
  key: number,
  src: Uint8Array,
  at: number,
  n: number,
): number {
  b[p] = key;
  return bytes(b, p + 1, src, at, n);
}

/** A varint of an integer in [0, 2^32): every number field but times. */
function varint(b: Uint8Array, p: number, n: number): number {
  for (; n > 0x7f; n >>>= 7) b[p++] = (n & 0x7f) | 0x80;
  b[p++] = n;
  return p;
}

/**
 * An int64 varint at `p` in the writer's buffer: times of this century directly, others
 * (negative, or past 2106) by the writer, which may then replace its buffer.
 */
function int64(w: ProtoWriter, p: number, n: number): number {
  if (n >= 0 && n < TWO_32) return varint(w.buf, p, n);
  w.pos = p;
  w.int64(n);
  return w.pos;
}

/** A little-endian fixed32 of the value's low 32 bits. */
function fixed32(b: Uint8Array, p: number, n: number): number {
  const v = n >>> 0;
  b[p] = v & 0xff;
  b[p + 1] = (v >>> 8) & 0xff;
  b[p + 2] = (v >>> 16) & 0xff;
  b[p + 3] = v >>> 24;
  return p + 4;
}

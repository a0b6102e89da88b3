/**
 * base/dnsqr (1:9): a DNS query and its response as captured on the wire, with the DNS
 * messages, delay and UDP checksum state derived from the stored IP packets.
 *
 * @module
 */

import { DnsQRSchema } from "../../../gen/nmsg/base/dnsqr_pb.ts";
import { ETHERTYPE_IP, ETHERTYPE_IPV6, IpDatagram, IPPROTO_UDP } from "../capture/ip_datagram.ts";
import { IpReassembler } from "../capture/ip_reassembler.ts";
import { UdpChecksum, udpChecksum } from "../capture/udp_checksum.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import { classField, messageFields, nameField, rcodeField, typeField } from "../_dns_fields.ts";
import { NmsgParseError } from "../errors.ts";
import type { MessageModule } from "../module.ts";
import type { NmsgMessage } from "../message.ts";
import type { RawValue } from "../types.ts";

const PROTO_NAMES: Record<number, string> = { 17: "UDP", 6: "TCP", 1: "ICMP" };
const PROTO_NUMBERS = new Map(Object.entries(PROTO_NAMES).map(([n, name]) => [name, Number(n)]));
const UDP_QUERY_RESPONSE = 1;

const datagram = new IpDatagram();

/** The UDP payload of one IP packet (`nmsg_ipdg_parse`: unfragmented UDP only). */
function udpPayload(packet: Uint8Array, ipLength: number): Uint8Array | undefined {
  const dg = datagram;
  const etype = ipLength === 4 ? ETHERTYPE_IP : ipLength === 16 ? ETHERTYPE_IPV6 : 0;
  if (etype === 0 || !dg.parseIp(etype, packet, 0, packet.length)) return undefined;
  if (dg.fragment || dg.transportProto !== IPPROTO_UDP) return undefined;
  return packet.subarray(dg.payload, dg.payload + dg.payloadLength);
}

/** The UDP payload of a response carried in several IP fragments. */
function reassembledPayload(packets: readonly Uint8Array[]): Uint8Array | undefined {
  const reasm = new IpReassembler(0);
  for (let i = 0; i < packets.length; i++) {
    const p = packets[i]!;
    const done = reasm.add(p, 0, p.length, 0, 0);
    if (done === undefined) return undefined; // not a fragment
    if (done === null) continue;
    if (i !== packets.length - 1) return undefined;
    const whole = done.assemble();
    return whole && udpPayload(whole, done.version === 4 ? 4 : 16);
  }
  return undefined;
}

interface DnsqrState {
  query: Uint8Array | undefined | null;
  response: Uint8Array | undefined | null;
}

/** The values of a repeated field, without the copy `rawAll` makes. */
function list(msg: NmsgMessage, name: string): readonly RawValue[] {
  const fields = msg.decoded();
  if (fields === undefined) return msg.rawAll(name); // throws the undecodable-payload error
  return fields[msg.module.byName.get(name)!.pb!.slot] as RawValue[];
}

function query(msg: NmsgMessage, index: number): Uint8Array | undefined {
  if (index !== 0) return undefined;
  const s = msg.state() as DnsqrState;
  if (s.query === null) {
    const packets = list(msg, "query_packet") as Uint8Array[];
    const ip = msg.raw("query_ip") as Uint8Array;
    s.query = packets.length === 1 ? udpPayload(packets[0]!, ip.length) : undefined;
  }
  return s.query;
}

function response(msg: NmsgMessage, index: number): Uint8Array | undefined {
  if (index !== 0) return undefined;
  const s = msg.state() as DnsqrState;
  if (s.response === null) {
    const packets = list(msg, "response_packet") as Uint8Array[];
    const ip = msg.raw("response_ip") as Uint8Array;
    s.response = packets.length === 0 || ip.length === 0
      ? undefined
      : packets.length === 1
      ? udpPayload(packets[0]!, ip.length)
      : reassembledPayload(packets);
  }
  return s.response;
}

/** Seconds from the query to the (last) response, for answered UDP queries. */
function delay(msg: NmsgMessage, index: number): number | undefined {
  if (index !== 0 || msg.raw("type") !== UDP_QUERY_RESPONSE) return undefined;
  const qs = list(msg, "query_time_sec");
  const qn = list(msg, "query_time_nsec");
  const rs = list(msg, "response_time_sec");
  const rn = list(msg, "response_time_nsec");
  if (qs.length !== 1 || qn.length !== 1 || rs.length !== rn.length || rs.length < 1) {
    return undefined;
  }
  let max = 0;
  for (let i = 0; i < rs.length; i++) {
    let sec = Number(rs[i]) - Number(qs[0]);
    let nsec = Number(rn[i]) - Number(qn[0]);
    if (nsec < 0) {
      sec -= 1;
      nsec += 1000000000;
    }
    const d = sec + nsec / 1e9;
    if (rs.length === 1) return d;
    if (d > max) max = d;
  }
  return max;
}

function checksum(msg: NmsgMessage, index: number): number | undefined {
  const packets = list(msg, "response_packet") as Uint8Array[];
  if (index !== 0 || packets.length === 0) return undefined;
  const stored = msg.raw("udp_checksum");
  if (stored !== undefined) return stored as number;
  return msg.raw("resolver_address_zeroed") === true ? UdpChecksum.ERROR : udpChecksum(packets);
}

/** `sscanf("%hu")`: optional blanks and sign, decimal digits, the rest ignored; mod 2^16. */
function scanShort(text: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/.exec(text);
  if (!m) return undefined;
  const v = BigInt(m[2]!);
  return Number(BigInt.asUintN(16, m[1] === "-" ? -v : v));
}

/** The base/dnsqr module. */
export const dnsqrModule: MessageModule = builtin(
  VID_BASE,
  9,
  "dnsqr",
  DnsQRSchema,
  [
    field("type", "enum"),
    field("query_ip", "ip"),
    field("response_ip", "ip"),
    field("proto", "uint16", {
      // The C printer writes "\n" whatever the endline.
      print: (_m, v) => {
        const name = PROTO_NAMES[v as number];
        return name ? `proto: ${name} (${v})\n` : `proto: ${v}\n`;
      },
      format: (_m, v) => PROTO_NAMES[v as number] ?? String(v),
      parse: (_m, text, f) => {
        const upper = text.toUpperCase();
        const known = PROTO_NUMBERS.get(upper);
        if (known !== undefined) return known;
        const v = scanShort(text);
        if (v === undefined) throw new NmsgParseError(`field ${f.name}: invalid protocol ${text}`);
        return v;
      },
    }),
    field("query_port", "uint16"),
    field("response_port", "uint16"),
    field("id", "uint16"),
    nameField("qname"),
    classField("qclass", "base"),
    typeField("qtype", "base"),
    rcodeField("rcode"),
    field("query_packet", "bytes", { noprint: true }),
    field("query_time_sec", "int64", { noprint: true }),
    field("query_time_nsec", "int32", { noprint: true }),
    field("response_packet", "bytes", { noprint: true }),
    field("response_time_sec", "int64", { noprint: true }),
    field("response_time_nsec", "int32", { noprint: true }),
    field("timeout", "double"),
    field("delay", "double", { get: delay }),
    field("udp_checksum", "enum", { get: checksum }),
    field("resolver_address_zeroed", "bool"),
    ...messageFields("query", "query_json", query),
    ...messageFields("response", "response_json", response),
    field("dns", "bytes", { get: response, noprint: true }),
    field("tcp", "bytes", { noprint: true }),
    field("icmp", "bytes", { noprint: true }),
  ],
  (): DnsqrState => ({ query: null, response: null }),
);

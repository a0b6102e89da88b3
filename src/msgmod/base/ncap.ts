/**
 * base/ncap (1:1): an IP datagram captured the NCAP way, or a legacy NCAP record, with
 * addresses, ports and protocol derived from the datagram.
 *
 * @module
 */

import { NcapSchema } from "../../../gen/nmsg/base/ncap_pb.ts";
import { ETHERTYPE_IP, ETHERTYPE_IPV6, IpDatagram, IPPROTO_UDP } from "../capture/ip_datagram.ts";
import { ipToText, messageToText } from "../dns/mod.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import type { MessageModule } from "../module.ts";
import type { NmsgMessage } from "../message.ts";
import type { RawValue } from "../types.ts";

const IPV4 = 0;
const IPV6 = 1;
const LEGACY = 2;
const LEGACY_UDP = 0;
const LEGACY_TCP = 1;
const LEGACY_ICMP = 2;

/** What `ncap_msg_load` derives from a message. */
interface NcapState {
  srcip?: Uint8Array | undefined;
  dstip?: Uint8Array | undefined;
  srcport?: number | undefined;
  dstport?: number | undefined;
  proto: number;
  /** The UDP payload of an IPV4/IPV6 datagram. */
  udp?: Uint8Array | undefined;
}

function ipDatagram(type: number, payload: Uint8Array): IpDatagram | undefined {
  const dg = new IpDatagram();
  const ok = dg.parseIp(type === IPV4 ? ETHERTYPE_IP : ETHERTYPE_IPV6, payload, 0, payload.length);
  return ok && !dg.fragment && dg.transportProto === IPPROTO_UDP ? dg : undefined;
}

function load(msg: NmsgMessage): NcapState | undefined {
  const payload = msg.raw("payload") as Uint8Array;
  if (payload.length === 0) return undefined;
  const type = msg.raw("type") as number;
  if (type === IPV4 || type === IPV6) {
    const v4 = type === IPV4;
    const need = v4 ? 20 : 40;
    if (payload.length < need) return { proto: 0 };
    const state: NcapState = {
      srcip: payload.subarray(v4 ? 12 : 8, v4 ? 16 : 24),
      dstip: payload.subarray(v4 ? 16 : 24, v4 ? 20 : 40),
      proto: payload[v4 ? 9 : 6]!,
    };
    const dg = ipDatagram(type, payload);
    if (dg) {
      state.srcport = dg.sourcePort;
      state.dstport = dg.destinationPort;
      state.udp = payload.subarray(dg.payload, dg.payload + dg.payloadLength);
    }
    return state;
  }
  if (type !== LEGACY) return undefined;
  const ltype = msg.raw("ltype") as number | undefined ?? LEGACY_UDP;
  const state: NcapState = {
    srcip: msg.raw("srcip") as Uint8Array | undefined,
    dstip: msg.raw("dstip") as Uint8Array | undefined,
    proto: ltype === LEGACY_UDP ? 17 : ltype === LEGACY_TCP ? 6 : ltype === LEGACY_ICMP ? 1 : 0,
  };
  if (ltype === LEGACY_UDP || ltype === LEGACY_TCP) {
    state.srcport = msg.raw("lint0") as number | undefined;
    state.dstport = msg.raw("lint1") as number | undefined;
  }
  return state;
}

function state(msg: NmsgMessage): NcapState | undefined {
  return msg.state() as NcapState | undefined;
}

function isDnsPort(p: number | undefined): boolean {
  return p === 53 || p === 5353;
}

/** `[src].sport [dst].dport udp [len]` and, on a DNS port, the DNS message text. */
function udpText(
  src: string,
  sport: number,
  dst: string,
  dport: number,
  payload: Uint8Array,
  endline: string,
): [string, boolean] {
  let s = `[${src}].${sport & 0xffff} [${dst}].${dport & 0xffff} udp [${payload.length}]${endline}`;
  if (isDnsPort(sport & 0xffff) || isDnsPort(dport & 0xffff)) {
    const text = messageToText(payload);
    if (text === undefined) return [s, false];
    s += text;
  }
  return [s + "\n", true];
}

function printPayload(msg: NmsgMessage, _v: RawValue, _f: unknown, endline: string): string {
  const payload = msg.raw("payload") as Uint8Array;
  if (payload.length === 0) return `payload: <DECODING ERROR>${endline}`;
  const head = `payload:${endline}`;
  const error = (what: string) => `${head}<ERROR: ${what}>${endline}`;
  const type = msg.raw("type") as number;
  if (type === IPV4 || type === IPV6) {
    const dg = ipDatagram(type, payload);
    if (!dg) return head;
    const st = state(msg)!;
    const [text, ok] = udpText(
      ipToText(st.srcip!) ?? "",
      dg.sourcePort,
      ipToText(st.dstip!) ?? "",
      dg.destinationPort,
      payload.subarray(dg.payload, dg.payload + dg.payloadLength),
      endline,
    );
    return ok ? head + text : head + text + `<ERROR: payload parse failed>${endline}`;
  }
  if (type !== LEGACY) return `${head}<ERROR: unknown ncap type ${type >>> 0}>${endline}`;
  const srcip = msg.raw("srcip") as Uint8Array | undefined;
  const dstip = msg.raw("dstip") as Uint8Array | undefined;
  if (srcip === undefined) return error("legacy ncap payload missing srcip field");
  if (dstip === undefined) return error("legacy ncap payload missing dstip field");
  const ltype = msg.raw("ltype") as number | undefined ?? LEGACY_UDP;
  if (ltype !== LEGACY_UDP) {
    return `${head}<ERROR: unhandled legacy ncap type ${ltype >>> 0}>${endline}`;
  }
  const lint0 = msg.raw("lint0") as number | undefined;
  const lint1 = msg.raw("lint1") as number | undefined;
  if (lint0 === undefined) return error("legacy ncap payload missing lint0 field");
  if (lint1 === undefined) return error("legacy ncap payload missing lint1 field");
  const [text, ok] = udpText(
    ipToText(srcip) ?? "",
    lint0,
    ipToText(dstip) ?? "",
    lint1,
    payload,
    endline,
  );
  return ok ? head + text : head + text + `<ERROR: legacy payload parse failed>${endline}`;
}

/** The base/ncap module. */
export const ncapModule: MessageModule = builtin(
  VID_BASE,
  1,
  "ncap",
  NcapSchema,
  [
    field("type", "enum"),
    field("ltype", "enum", { hidden: true }),
    field("srcip", "ip", { get: (m, i) => i === 0 ? state(m)?.srcip : undefined }),
    field("dstip", "ip", { get: (m, i) => i === 0 ? state(m)?.dstip : undefined }),
    field("lint0", "uint32", { hidden: true }),
    field("lint1", "uint32", { hidden: true }),
    field("srcport", "uint16", { get: (m, i) => i === 0 ? state(m)?.srcport : undefined }),
    field("dstport", "uint16", { get: (m, i) => i === 0 ? state(m)?.dstport : undefined }),
    field("proto", "uint16", { get: (m, i) => i === 0 ? state(m)?.proto : undefined }),
    field("payload", "bytes", { print: printPayload }),
    field("dns", "bytes", {
      noprint: true,
      get: (m, i) => {
        const st = state(m);
        if (i !== 0 || !st || !(isDnsPort(st.srcport) || isDnsPort(st.dstport))) return undefined;
        return (m.raw("type") as number) === LEGACY ? m.raw("payload") : st.udp;
      },
    }),
  ],
  load,
);

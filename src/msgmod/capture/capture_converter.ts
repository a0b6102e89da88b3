/**
 * The pcap hooks of the base modules that read packets: each turns captured frames into
 * payloads of its message type (libnmsg `pkt_to_payload` / `ipdg_to_payload`).
 *
 * - `dnsqr` (1:9): query/response pairs ({@linkcode DnsqrEngine});
 * - `packet` (1:12): every IP packet, link header removed;
 * - `pkt` (1:8): every Ethernet frame as captured;
 * - `ncap` (1:1): every UDP datagram, IP fragments reassembled.
 *
 * @module
 */

import type { Payload } from "../../wire/payload.ts";
import { type CompiledSchema, type DecodedFields, encodeInto } from "../_pb_codec.ts";
import { ProtoWriter } from "../../wire/_protobuf.ts";
import type { MessageModule } from "../module.ts";
import { dnsqrModule } from "../base/dnsqr.ts";
import { ncapModule } from "../base/ncap.ts";
import { packetModule } from "../base/packet.ts";
import { pktModule } from "../base/pkt.ts";
import { DnsqrCore, type DnsqrEngineOptions } from "./_dnsqr_core.ts";
import { encodeDnsqr } from "./_dnsqr_encode.ts";
import {
  DLT_EN10MB,
  DLT_LINUX_SLL,
  DLT_LOOP,
  DLT_NULL,
  DLT_RAW,
  ETHERTYPE_IP,
  ETHERTYPE_IPV6,
  ETHERTYPE_VLAN,
  IpDatagram,
  IPPROTO_UDP,
} from "./ip_datagram.ts";
import { IpReassembler } from "./ip_reassembler.ts";

/**
 * Turns captured frames into payloads. Payloads go into the array passed to each call;
 * their bytes are fresh (the frame buffer may be reused afterwards).
 */
export interface CaptureConverter {
  /**
   * Handles one frame.
   *
   * @param frame The buffer holding the frame (the converter may modify its bytes).
   * @param caplen Bytes captured.
   * @param length Bytes on the wire.
   * @param tsSec Capture time, seconds.
   * @param tsNsec Capture time, nanoseconds.
   * @param out Receives the payloads produced.
   * @param start Where the frame starts in `frame` (default 0).
   */
  packet(
    frame: Uint8Array,
    caplen: number,
    length: number,
    tsSec: number,
    tsNsec: number,
    out: Payload[],
    start?: number,
  ): void;
  /** A live capture has nothing to read right now. */
  idle(out: Payload[]): void;
  /** The input ended: flush what is pending. */
  end(out: Payload[]): void;
}

/** Where a capture comes from, as the converters need to know it. */
export interface CaptureSource {
  /** The link type (`DLT_*`). */
  datalink: number;
  /** The link type's name, for messages (e.g. `RAW`). */
  datalinkName: string;
  /** True for a live interface, false for a savefile. */
  live: boolean;
}

/** Options of {@linkcode createCaptureConverter}. */
export interface CaptureConverterOptions {
  /** dnsqr settings (the `DNSQR_*` environment variables). */
  dnsqr?: Omit<DnsqrEngineOptions, "userFilter">;
  /**
   * The user's BPF filter for raw IP datagrams, to re-check what the capture filter
   * cannot judge (reassembled datagrams; for dnsqr also IPv6 packets).
   */
  userFilter?: (datagram: Uint8Array, start: number, length: number) => boolean;
  /**
   * Where payloads are encoded: the bytes of each payload are a view into the writer's
   * buffer at the time, so the caller decides how long they last by when it rewinds the
   * writer (`pos = 0`). Default: a fresh buffer for each payload.
   * @ignore
   */
  writer?: ProtoWriter;
}

/** A module cannot read this capture (libnmsg `pcap_init` refused it). */
export class CaptureUnsupportedError extends Error {
  /** Always `"CaptureUnsupportedError"`. */
  override name = "CaptureUnsupportedError";
}

/** The platform's `PF_INET6` (DLT_NULL frames hold the capturing host's value). */
const PF_INET6 = globalThis.Deno?.build.os === "darwin" ? 30 : 10;
const PF_INET = 2;

/**
 * The converter for a message module, or undefined if the module cannot read packets.
 *
 * @param module The message module (`-V/-T`).
 * @param source The capture's link type and kind.
 * @param options dnsqr settings and the user's filter.
 * @returns The converter, or undefined for a module without a pcap hook.
 * @throws {CaptureUnsupportedError} If the module refuses the link type.
 *
 * @example Every frame of a savefile as a base/pkt payload
 * ```ts
 * import { createCaptureConverter, defaultRegistry, NextResult, PcapHandle } from "@nmsg-deno/nmsg";
 * import type { Payload } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * using h = PcapHandle.openOffline("tests/testdata/dig_response.pcap");
 * const pkt = defaultRegistry().lookupByName("base", "pkt")!;
 * const source = { datalink: h.datalink, datalinkName: h.datalinkName, live: h.live };
 * const converter = createCaptureConverter(pkt, source)!;
 * const out: Payload[] = [];
 * const frame = new Uint8Array(h.snapshot);
 * while (h.next() === NextResult.Packet) {
 *   h.copyPacket(frame);
 *   converter.packet(frame, h.caplen, h.length, h.tsSec, h.tsUsec * 1000, out);
 * }
 * converter.end(out);
 * assert.equal(out.length, 12);
 * assert.deepEqual([out[0]!.vid, out[0]!.msgtype], [1, 8]);
 * ```
 */
export function createCaptureConverter(
  module: MessageModule,
  source: CaptureSource,
  options: CaptureConverterOptions = {},
): CaptureConverter | undefined {
  const shared = options.writer;
  const writer = shared === undefined ? () => new ProtoWriter(256) : () => shared;
  const encode = (m: MessageModule, fields: DecodedFields, sec: number, nsec: number) => {
    const w = writer();
    const start = w.pos;
    encodeInto(w, m.compiled, fields);
    return payload(m, w.buf.subarray(start, w.pos), sec, nsec);
  };
  switch (module) {
    case dnsqrModule:
      return dnsqrConverter(source.datalink, writer, {
        ...options.dnsqr,
        ...(options.userFilter ? { userFilter: options.userFilter } : {}),
      });
    case packetModule:
      return packetConverter(source, encode);
    case pktModule:
      if (source.datalink !== DLT_EN10MB) {
        throw new CaptureUnsupportedError(
          "pkt_pcap_init: ERROR: This message type cannot be used safely with datalink types " +
            "other than DLT_EN10MB.",
        );
      }
      return pktConverter(encode);
    case ncapModule:
      return ncapConverter(source.datalink, encode, options.userFilter);
    default:
      return undefined;
  }
}

const NO_OP = (): void => {};

/** Encodes a module's fields (by schema slot) into a payload with the given time. */
type Encode = (m: MessageModule, fields: DecodedFields, sec: number, nsec: number) => Payload;

/** A field table row for `width` slots. */
function fieldsFor(c: CompiledSchema): DecodedFields {
  return new Array(c.fields.length);
}

function payload(module: MessageModule, bytes: Uint8Array, sec: number, nsec: number): Payload {
  return { vid: module.vid, msgtype: module.msgtype, timeSec: sec, timeNsec: nsec, payload: bytes };
}

function slotOf(module: MessageModule, name: string): number {
  const slot = module.compiled.byName.get(name);
  if (slot === undefined) throw new TypeError(`${module.mname} has no field ${name}`);
  return slot;
}

function dnsqrConverter(
  datalink: number,
  writer: () => ProtoWriter,
  options: DnsqrEngineOptions,
): CaptureConverter {
  const m = dnsqrModule;
  let out: Payload[] = [];
  const core = new DnsqrCore(datalink, options, (r) => {
    const w = writer();
    const start = w.pos;
    encodeDnsqr(w, r);
    out.push(payload(m, w.buf.subarray(start, w.pos), r.timeSec, r.timeNsec));
  });
  return {
    packet(frame, caplen, length, tsSec, tsNsec, o, start = 0) {
      out = o;
      core.packet(frame, caplen, length, tsSec, tsNsec, start);
    },
    idle(o) {
      out = o;
      core.idle();
    },
    end(o) {
      out = o;
      core.end();
    },
  };
}

/** base/packet: the IP packet after the link header (libnmsg `packet_load`). */
function packetConverter(source: CaptureSource, encode: Encode): CaptureConverter {
  const { datalink, datalinkName, live } = source;
  switch (datalink) {
    case DLT_EN10MB:
    case DLT_RAW:
    case DLT_LINUX_SLL:
      break;
    case DLT_NULL:
    case DLT_LOOP:
      // The address family values are the capturing host's: only safe on that host.
      if (live) break;
      throw new CaptureUnsupportedError(
        "packet_pcap_init: ERROR: Refusing to process packets from a non-live pcap handle " +
          `with datalink type ${datalinkName}`,
      );
    default:
      throw new CaptureUnsupportedError(
        `packet_pcap_init: ERROR: Unable to open pcap handle with datalink type ${datalinkName}`,
      );
  }
  const m = packetModule;
  const typeSlot = slotOf(m, "payload_type");
  const payloadSlot = slotOf(m, "payload");
  return {
    packet(frame, caplen, length, tsSec, tsNsec, out, start = 0) {
      if (caplen !== length) return;
      const ip = ipStart(datalink, frame, start, caplen);
      if (ip < 0) return;
      const f = fieldsFor(m.compiled);
      f[typeSlot] = 1; // PacketType.IP
      f[payloadSlot] = frame.subarray(start + ip, start + caplen);
      out.push(encode(m, f, tsSec, tsNsec));
    },
    idle: NO_OP,
    end: NO_OP,
  };
}

/**
 * Where the IP packet of a frame starts for base/packet (relative to the frame's start
 * `s`), or -1 to skip the frame.
 */
function ipStart(datalink: number, b: Uint8Array, s: number, caplen: number): number {
  switch (datalink) {
    case DLT_EN10MB: {
      if (caplen < 14) return -1;
      let type = (b[s + 12]! << 8) | b[s + 13]!;
      let start = 14;
      if (type === ETHERTYPE_VLAN) {
        if (caplen < 18) return -1;
        type = (b[s + 16]! << 8) | b[s + 17]!;
        start = 18;
      }
      return type === ETHERTYPE_IP || type === ETHERTYPE_IPV6 ? start : -1;
    }
    case DLT_RAW:
      return 0;
    case DLT_LINUX_SLL: {
      if (caplen < 16) return -1;
      const type = (b[s + 14]! << 8) | b[s + 15]!;
      return type === ETHERTYPE_IP || type === ETHERTYPE_IPV6 ? 16 : -1;
    }
    case DLT_NULL:
    case DLT_LOOP: {
      if (caplen < 4) return -1;
      const view = new DataView(b.buffer, b.byteOffset + s, 4);
      // DLT_NULL: host byte order (little-endian on every platform we run on).
      const af = view.getUint32(0, datalink === DLT_NULL);
      return af === PF_INET || af === PF_INET6 ? 4 : -1;
    }
    default:
      return -1;
  }
}

/** base/pkt: every Ethernet frame as captured, with its wire length. */
function pktConverter(encode: Encode): CaptureConverter {
  const m = pktModule;
  const payloadSlot = slotOf(m, "payload");
  const lenSlot = slotOf(m, "len_frame");
  return {
    packet(frame, caplen, length, tsSec, tsNsec, out, start = 0) {
      const f = fieldsFor(m.compiled);
      f[payloadSlot] = frame.subarray(start, start + caplen);
      f[lenSlot] = length;
      out.push(encode(m, f, tsSec, tsNsec));
    },
    idle: NO_OP,
    end: NO_OP,
  };
}

/** base/ncap: every UDP datagram, IP fragments reassembled (60 s), as a whole IP datagram. */
function ncapConverter(
  datalink: number,
  encode: Encode,
  userFilter: CaptureConverterOptions["userFilter"],
): CaptureConverter {
  const m = ncapModule;
  const typeSlot = slotOf(m, "type");
  const payloadSlot = slotOf(m, "payload");
  const dg = new IpDatagram();
  const reasm = new IpReassembler(60);
  return {
    packet(frame, caplen, length, tsSec, tsNsec, out, start = 0) {
      if (caplen !== length || !dg.parseFrame(datalink, frame, start, caplen)) return;
      if (dg.fragment) {
        const r = reasm.add(frame, dg.network, dg.networkLength, tsSec, tsNsec);
        if (r === null || r === undefined) return;
        const whole = r.assemble();
        if (whole === undefined || !dg.parseFrame(DLT_RAW, whole, 0, whole.length)) return;
        if (dg.fragment) return;
        if (userFilter !== undefined && !userFilter(whole, 0, whole.length)) return;
      }
      if (dg.transportProto !== IPPROTO_UDP) return;
      const f = fieldsFor(m.compiled);
      f[typeSlot] = dg.version === 4 ? 0 : 1; // NcapType IPV4 / IPV6
      f[payloadSlot] = dg.buf.subarray(dg.network, dg.network + dg.networkLength);
      out.push(encode(m, f, tsSec, tsNsec));
    },
    idle: NO_OP,
    end: NO_OP,
  };
}

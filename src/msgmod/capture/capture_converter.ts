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
import { ProtoWriter } from "../../wire/_protobuf.ts";
import type { MessageModule } from "../module.ts";
import { DNSQR, NCAP, PACKET, PKT, VID_BASE } from "./_capture_modules.ts";
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
  module: Pick<MessageModule, "vid" | "msgtype">,
  source: CaptureSource,
  options: CaptureConverterOptions = {},
): CaptureConverter | undefined {
  if (module.vid !== VID_BASE) return undefined;
  const shared = options.writer;
  const sink = new PayloadSink(shared === undefined ? () => new ProtoWriter(256) : () => shared);
  switch (module.msgtype) {
    case DNSQR:
      return dnsqrConverter(source.datalink, sink, {
        ...options.dnsqr,
        ...(options.userFilter ? { userFilter: options.userFilter } : {}),
      });
    case PACKET:
      return packetConverter(source, sink);
    case PKT:
      if (source.datalink !== DLT_EN10MB) {
        throw new CaptureUnsupportedError(
          "pkt_pcap_init: ERROR: This message type cannot be used safely with datalink types " +
            "other than DLT_EN10MB.",
        );
      }
      return pktConverter(sink);
    case NCAP:
      return ncapConverter(source.datalink, sink, options.userFilter);
    default:
      return undefined;
  }
}

const NO_OP = (): void => {};

/**
 * Where the converters put payloads: each message is written at the writer's position
 * (the messages' fields straight from the packets, in field-number order as protobuf-c
 * packs them), then becomes a payload viewing those bytes.
 */
class PayloadSink {
  /** The array of the current call. */
  out: Payload[] = [];
  readonly #writer: () => ProtoWriter;
  #w: ProtoWriter | undefined;
  #start = 0;

  constructor(writer: () => ProtoWriter) {
    this.#writer = writer;
  }

  /** The writer to put the next message in. */
  begin(): ProtoWriter {
    const w = this.#w = this.#writer();
    this.#start = w.pos;
    return w;
  }

  /** Makes a payload of what was written since `begin()`. */
  end(msgtype: number, sec: number, nsec: number): void {
    const w = this.#w!;
    const payload = w.buf.subarray(this.#start, w.pos);
    this.out.push({ vid: VID_BASE, msgtype, timeSec: sec, timeNsec: nsec, payload });
  }
}

/** A length-delimited field from `b[start, end)`. */
function bytesField(w: ProtoWriter, key: number, b: Uint8Array, start: number, end: number): void {
  w.varint(key);
  w.varint(end - start);
  w.raw(b.subarray(start, end));
}

function dnsqrConverter(
  datalink: number,
  sink: PayloadSink,
  options: DnsqrEngineOptions,
): CaptureConverter {
  const core = new DnsqrCore(datalink, options, (r) => {
    encodeDnsqr(sink.begin(), r);
    sink.end(DNSQR, r.timeSec, r.timeNsec);
  });
  return {
    packet(frame, caplen, length, tsSec, tsNsec, o, start = 0) {
      sink.out = o;
      core.packet(frame, caplen, length, tsSec, tsNsec, start);
    },
    idle(o) {
      sink.out = o;
      core.idle();
    },
    end(o) {
      sink.out = o;
      core.end();
    },
  };
}

/** base/packet: the IP packet after the link header (libnmsg `packet_load`). */
function packetConverter(source: CaptureSource, sink: PayloadSink): CaptureConverter {
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
  return {
    packet(frame, caplen, length, tsSec, tsNsec, out, start = 0) {
      if (caplen !== length) return;
      const ip = ipStart(datalink, frame, start, caplen);
      if (ip < 0) return;
      sink.out = out;
      const w = sink.begin();
      w.varint(0x08); // payload_type = IP
      w.varint(1);
      bytesField(w, 0x12, frame, start + ip, start + caplen); // payload
      sink.end(PACKET, tsSec, tsNsec);
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
function pktConverter(sink: PayloadSink): CaptureConverter {
  return {
    packet(frame, caplen, length, tsSec, tsNsec, out, start = 0) {
      sink.out = out;
      const w = sink.begin();
      bytesField(w, 0x0a, frame, start, start + caplen); // payload
      w.varint(0x10); // len_frame
      w.varint(length >>> 0);
      sink.end(PKT, tsSec, tsNsec);
    },
    idle: NO_OP,
    end: NO_OP,
  };
}

/** base/ncap: every UDP datagram, IP fragments reassembled (60 s), as a whole IP datagram. */
function ncapConverter(
  datalink: number,
  sink: PayloadSink,
  userFilter: CaptureConverterOptions["userFilter"],
): CaptureConverter {
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
      sink.out = out;
      const w = sink.begin();
      w.varint(0x08); // type: NcapType IPV4 / IPV6
      w.varint(dg.version === 4 ? 0 : 1);
      bytesField(w, 0x12, dg.buf, dg.network, dg.network + dg.networkLength); // payload
      sink.end(NCAP, tsSec, tsNsec);
    },
    idle: NO_OP,
    end: NO_OP,
  };
}

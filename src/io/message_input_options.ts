/**
 * Options shared by the NMSG inputs that receive one unit per transport message
 * (ZeroMQ, Kafka `nmsg:`).
 *
 * @module
 */

import type { ReassemblerOptions } from "../wire/fragment.ts";
import type { ZlibCodec } from "../wire/zlib.ts";

/** Filters, decoding and logging of a message-framed NMSG input. */
export interface MessageInputOptions {
  /** Only payloads of this vendor id (with `msgtype`; nmsgtool `-V`). */
  vid?: number;
  /** Only payloads of this message type (with `vid`; nmsgtool `-T`). */
  msgtype?: number;
  /** Only payloads with this source id (nmsgtool `--getsource`). */
  source?: number;
  /** Only payloads with this operator id (nmsgtool `--getoperator`). */
  operator?: number;
  /** Only payloads with this group id (nmsgtool `--getgroup`). */
  group?: number;
  /** zlib implementation for compressed containers. Default `node:zlib`, loaded on first use. */
  zlib?: ZlibCodec;
  /** Bounds on fragment reassembly. */
  fragments?: ReassemblerOptions;
  /** Warnings and debug lines, with nmsgtool's levels. */
  log?: (level: number, line: string) => void;
  /** The clock in seconds (fragment and seqsrc expiry). Default the wall clock. */
  now?: () => number;
}

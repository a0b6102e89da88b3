// The receiving half shared by the message transports (UDP, ZeroMQ, Kafka `nmsg:`): each
// datagram or message carries exactly one NMSG unit. The unit is checked, fragments are
// reassembled (per sender), zlib inflated, losses counted (where the transport has
// sequencing) and payloads selected as libnmsg's `_input_nmsg_filter` does.

import { NMSG_DEFAULT_MAX_SIZE, NMSG_FLAG_ZLIB, NMSG_HEADER_SIZE } from "../wire/constants.ts";
import { ContainerView } from "../wire/container_view.ts";
import { NmsgFormatError } from "../wire/errors.ts";
import type { ReassemblerStats } from "../wire/fragment.ts";
import { parseHeader } from "../wire/header.ts";
import { type SeqsrcSource, SeqsrcTracker } from "../wire/seqsrc.ts";
import { UnitDecoder } from "../wire/unit_decoder.ts";
import { inflateData, type ZlibCodec } from "../wire/zlib.ts";
import type { ContainerStats, PayloadBatch } from "../engine/types.ts";
import { deferredZlib, loadedZlib, loadZlib } from "./_lazy_zlib.ts";
import { PayloadSelector } from "./_payload_select.ts";
import type { MessageInputOptions } from "./message_input_options.ts";
import { seqsrcCloseLines, seqsrcEventLine } from "./_seqsrc_debug.ts";

/**
 * True for a unit shaped like libnmsg's headerless compressed container (1.3.3 sends an
 * overfull container that compresses below the fragment size without its header, README
 * reference bug 8): a 4-byte length, then a zlib stream header (RFC 1950: method 8, check
 * bits) where `NMSG` should be.
 */
function isHeaderlessZlib(d: Uint8Array): boolean {
  return d.length > 6 && d[0] !== 0x4e && (d[4]! & 0x0f) === 8 &&
    ((d[4]! << 8) | d[5]!) % 31 === 0;
}

/** Turns transport messages into payload batches. */
export class MessageUnitDecoder {
  readonly #name: string;
  readonly #noun: string;
  readonly #zlib: ZlibCodec;
  readonly #decoder: UnitDecoder;
  readonly #lazyZlib: boolean;
  readonly #seqsrc: SeqsrcTracker | undefined;
  readonly #selector: PayloadSelector;
  readonly #view = new ContainerView();
  readonly #log: (level: number, line: string) => void;
  readonly #now: () => number;
  #received = 0;
  /** Messages skipped as malformed. */
  malformed = 0;

  /**
   * @param name The input's name, for messages.
   * @param options Filters, zlib, logging.
   * @param sequenced Count losses from sequence numbers (UDP, ZeroMQ); Kafka never does.
   * @param noun What a unit arrives in, for messages (`datagram`).
   */
  constructor(name: string, options: MessageInputOptions, sequenced: boolean, noun = "message") {
    this.#name = name;
    this.#noun = noun;
    this.#log = options.log ?? (() => {});
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.#lazyZlib = options.zlib === undefined;
    this.#zlib = options.zlib ?? deferredZlib;
    this.#decoder = new UnitDecoder({ zlib: this.#zlib, fragments: options.fragments });
    const log = this.#log;
    this.#seqsrc = sequenced
      ? new SeqsrcTracker({ onEvent: (e) => log(...seqsrcEventLine(e)) })
      : undefined;
    this.#selector = new PayloadSelector(options, log);
  }

  /** A fresh batch to collect payloads into. */
  batch(): PayloadBatch & { crcs: number[] } {
    return { payloads: [], crcs: [] };
  }

  /**
   * Loads zlib if `message` needs it and none was given (call before `add`).
   *
   * @param message A transport message.
   * @returns A promise while zlib loads, else undefined.
   */
  prepare(message: Uint8Array): Promise<unknown> | undefined {
    if (!this.#lazyZlib || loadedZlib() !== undefined) return undefined;
    return (message.length > 4 && message[4]! & NMSG_FLAG_ZLIB) || isHeaderlessZlib(message)
      ? loadZlib()
      : undefined;
  }

  /**
   * Adds the payloads of one message to `out`. A malformed message is counted, reported
   * at level 1 and skipped: one stray message does not stop a collector (libnmsg ends the
   * input instead).
   *
   * @param message The transport message (one NMSG unit).
   * @param out The batch being collected.
   * @param sender Who sent it (`addr/port` for UDP): fragments and sequence numbers are
   *   kept apart per sender. Empty for transports without addresses.
   */
  add(
    message: Uint8Array,
    out: PayloadBatch,
    sender = "",
  ): void {
    const now = this.#now();
    try {
      const bytes = this.#assemble(message, sender, now);
      if (bytes === undefined) return;
      const view = this.#view.decode(bytes);
      if (this.#seqsrc !== undefined) {
        this.#seqsrc.record(sender, view.sequence, view.sequenceId, now);
      } else this.#received++;
      this.#selector.select(view);
      const payloads = out.payloads;
      const crcs = out.crcs ??= [];
      for (let i = 0; i < view.length; i++) {
        payloads.push(view.payload(i));
        crcs.push(view.crc(i));
      }
    } catch (e) {
      if (!(e instanceof NmsgFormatError)) throw e;
      this.malformed++;
      const from = sender === "" ? "" : ` from ${sender}`;
      this.#log(1, `${this.#name}: dropped a malformed ${this.#noun}${from}: ${e.message}`);
    } finally {
      this.#decoder.reassembler.expire(now);
    }
  }

  #assemble(message: Uint8Array, sender: string, now: number): Uint8Array | undefined {
    if (isHeaderlessZlib(message)) {
      this.#log(3, `${this.#name}: headerless zlib container${sender ? ` from ${sender}` : ""}`);
      return inflateData(message, this.#zlib, NMSG_DEFAULT_MAX_SIZE);
    }
    const h = message.length >= NMSG_HEADER_SIZE ? parseHeader(message, 0, false) : undefined;
    if (h === undefined) {
      throw new NmsgFormatError(
        "truncated",
        `${this.#noun} of ${message.length} bytes is shorter than an NMSG header`,
      );
    }
    const length = message.length - NMSG_HEADER_SIZE;
    if (h.length !== length) {
      throw new NmsgFormatError(
        "length",
        `NMSG header declares ${h.length} bytes, the ${this.#noun} holds ${length}`,
      );
    }
    return this.#decoder.assemble(h.flags, message.subarray(NMSG_HEADER_SIZE), sender, now);
  }

  /** Payloads dropped for a CRC mismatch. */
  get crcMismatches(): number {
    return this.#selector.crcMismatches;
  }

  /** The senders' sequence statistics, most recently seen first (none if unsequenced). */
  get sources(): readonly Readonly<SeqsrcSource>[] {
    return this.#seqsrc?.sources ?? [];
  }

  /** Fragment reassembly counters. */
  get fragments(): ReassemblerStats {
    return { ...this.#decoder.reassembler.stats };
  }

  /** Containers received and lost. */
  stats(): ContainerStats {
    const s = this.#seqsrc;
    return {
      containersReceived: s?.totals.received ?? this.#received,
      containersDropped: s?.totals.dropped ?? 0,
    };
  }

  /** Prints libnmsg's closing seqsrc lines (levels 4 and 5). */
  logClose(): void {
    const s = this.#seqsrc;
    if (s === undefined) return;
    for (const [level, line] of seqsrcCloseLines(this.#name, s.sources, s.totals)) {
      this.#log(level, line);
    }
  }
}

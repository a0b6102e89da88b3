// What an NMSG stream input (file, socket, ZMQ, Kafka) passes on from a container, in
// libnmsg's `_input_nmsg_filter` order: the payload CRC first, then the vid/msgtype,
// source, operator and group filters.

import { bswap32, crc32c } from "../wire/crc32c.ts";
import type { Payload } from "../wire/payload.ts";

/** Which payloads an NMSG input passes on; zero or absent fields do not filter. */
export interface PayloadFilter {
  /** Only this vendor id (with `msgtype`). */
  vid?: number;
  /** Only this message type (with `vid`). */
  msgtype?: number;
  /** Only this source id. */
  source?: number;
  /** Only this operator id. */
  operator?: number;
  /** Only this group id. */
  group?: number;
}

const EMPTY = new Uint8Array(0);

/** Applies the CRC check and a {@linkcode PayloadFilter} to containers' payloads. */
export class PayloadSelector {
  readonly #vid: number;
  readonly #msgtype: number;
  readonly #source: number;
  readonly #operator: number;
  readonly #group: number;
  readonly #typeFilter: boolean;
  readonly #fieldFilter: boolean;
  readonly #log: (level: number, line: string) => void;
  /** Payloads dropped for a CRC mismatch. */
  crcMismatches = 0;

  /**
   * @param filter The filters.
   * @param log Where the CRC warning goes (level 1).
   */
  constructor(filter: PayloadFilter, log: (level: number, line: string) => void) {
    this.#vid = filter.vid ?? 0;
    this.#msgtype = filter.msgtype ?? 0;
    this.#source = filter.source ?? 0;
    this.#operator = filter.operator ?? 0;
    this.#group = filter.group ?? 0;
    this.#typeFilter = this.#vid !== 0 && this.#msgtype !== 0;
    this.#fieldFilter = this.#typeFilter || this.#source !== 0 || this.#operator !== 0 ||
      this.#group !== 0;
    this.#log = log;
  }

  /**
   * Appends the payloads of one container that pass to `out`, and their wire CRCs to
   * `crcs` (0 where the container had none).
   *
   * @param payloads The container's payloads.
   * @param wireCrcs Its `payload_crcs`.
   * @param out Where passing payloads go.
   * @param crcs Their CRCs, parallel to `out`.
   * @param index If given, each passing payload's index in the container.
   * @returns False if some passing payload had no CRC (so `crcs` cannot be trusted).
   */
  select(
    payloads: readonly Payload[],
    wireCrcs: readonly number[],
    out: Payload[],
    crcs: number[],
    index?: number[],
  ): boolean {
    const nCrcs = wireCrcs.length;
    let allCrcs = true;
    for (let i = 0; i < payloads.length; i++) {
      const p = payloads[i]!;
      let wire = 0;
      if (i < nCrcs) {
        wire = wireCrcs[i]!;
        const calc = crc32c(p.payload ?? EMPTY);
        if (bswap32(wire) !== calc) {
          this.crcMismatches++;
          this.#log(
            1,
            `libnmsg: WARNING: crc mismatch (${calc.toString(16)} != ${
              wire.toString(16)
            }) [_input_nmsg_filter]`,
          );
          continue;
        }
      } else allCrcs = false;
      if (this.#fieldFilter && !this.#passes(p)) continue;
      out.push(p);
      crcs.push(wire);
      index?.push(i);
    }
    return allCrcs;
  }

  #passes(p: Payload): boolean {
    if (this.#typeFilter && (p.vid !== this.#vid || p.msgtype !== this.#msgtype)) return false;
    if (this.#source !== 0 && this.#source !== (p.source ?? 0)) return false;
    if (this.#operator !== 0 && this.#operator !== (p.operator ?? 0)) return false;
    if (this.#group !== 0 && this.#group !== (p.group ?? 0)) return false;
    return true;
  }
}

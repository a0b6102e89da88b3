// What an NMSG stream input (file, socket, ZMQ, Kafka) passes on from a container, in
// libnmsg's `_input_nmsg_filter` order: the payload CRC first, then the vid/msgtype,
// source, operator and group filters.

import type { ContainerView } from "../wire/container_view.ts";

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

/** Applies the CRC check and a {@linkcode PayloadFilter} to containers' payloads. */
export class PayloadSelector {
  readonly #vid: number;
  readonly #msgtype: number;
  readonly #source: number;
  readonly #operator: number;
  readonly #group: number;
  readonly #typeFilter: boolean;
  /** True if any filter is set. */
  readonly filtering: boolean;
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
    this.filtering = this.#typeFilter || this.#source !== 0 || this.#operator !== 0 ||
      this.#group !== 0;
    this.#log = log;
  }

  /** Counts and reports (libnmsg's warning) a payload dropped for its CRC. */
  readonly crcMismatch = (_index: number, calculated: number, wire: number): void => {
    this.crcMismatches++;
    this.#log(
      1,
      `libnmsg: WARNING: crc mismatch (${calculated.toString(16)} != ${
        wire.toString(16)
      }) [_input_nmsg_filter]`,
    );
  };

  /** Verifies the CRCs of a freshly decoded container, then applies the filters. */
  select(view: ContainerView): void {
    view.verify(this.crcMismatch);
    this.filter(view);
  }

  /** Drops the payloads of a container that the filters do not pass. */
  filter(view: ContainerView): void {
    if (this.filtering) view.retain((i) => this.#passes(view, i));
  }

  #passes(view: ContainerView, i: number): boolean {
    if (this.#typeFilter && (view.vid(i) !== this.#vid || view.msgtype(i) !== this.#msgtype)) {
      return false;
    }
    if (this.#source !== 0 && this.#source !== (view.source(i) ?? 0)) return false;
    if (this.#operator !== 0 && this.#operator !== (view.operator(i) ?? 0)) return false;
    if (this.#group !== 0 && this.#group !== (view.group(i) ?? 0)) return false;
    return true;
  }
}

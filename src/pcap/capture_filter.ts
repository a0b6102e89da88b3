/**
 * How a user's BPF filter becomes the filter installed on a capture (libnmsg
 * `nmsg_pcap_input_setfilter`): IP fragments and IPv6 packets must still reach the
 * reassembler and the modules, which re-check them against the user's filter themselves,
 * and VLAN-tagged frames must pass too. Pure string building: whether a candidate
 * expression compiles is asked of the caller.
 *
 * @module
 */

const IPV4_FRAGMENTS = "(ip[6:2] & 0x3fff != 0)";

/** Tells whether a filter expression compiles for the capture's link type. */
export type CompileTest = (expression: string) => boolean;

/** The decisions behind a munged filter, for debugging output. */
export interface CaptureFilterPlan {
  /** The filter to install on the capture. */
  filter: string;
  /** `(USER) and (ip6)` compiles: IPv6 packets are let through. */
  ip6: boolean;
  /** `(USER) and (ip[6:2] & 0x3fff != 0)` compiles: IPv4 fragments are let through. */
  ipv4Fragments: boolean;
  /** `vlan and ip` compiles: the filter is repeated for VLAN-tagged frames. */
  vlan: boolean;
  /** `(ip) and (USER)` compiles: the user's filter is limited to IPv4. */
  ipOnly: boolean;
}

/**
 * Builds the capture filter for a user filter:
 * `(((ip) and (USER)) or (ip[6:2] & 0x3fff != 0) or (ip6))`, each clause only where it
 * compiles, then `X or (vlan and X)` if the link type has VLAN tags.
 *
 * @param user The user's filter (`-b`).
 * @param compiles Whether an expression compiles for the capture.
 * @returns The filter and the decisions.
 *
 * @example
 * ```ts
 * import { captureFilter } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const everything = () => true;
 * assert.equal(
 *   captureFilter("udp port 53", everything).filter,
 *   "(((ip) and (udp port 53)) or (ip[6:2] & 0x3fff != 0) or (ip6)) or " +
 *     "(vlan and (((ip) and (udp port 53)) or (ip[6:2] & 0x3fff != 0) or (ip6)))",
 * );
 * ```
 */
export function captureFilter(user: string, compiles: CompileTest): CaptureFilterPlan {
  const ip6 = compiles(`(${user}) and (ip6)`);
  const ipv4Fragments = compiles(`(${user}) and ${IPV4_FRAGMENTS}`);
  const vlan = compiles("vlan and ip");
  const ipOnly = compiles(`(ip) and (${user})`);
  const base = `((${ipOnly ? "(ip) and " : ""}(${user}))${
    ipv4Fragments ? ` or ${IPV4_FRAGMENTS}` : ""
  }${ip6 ? " or (ip6)" : ""})`;
  return {
    filter: vlan ? `${base} or (vlan and ${base})` : base,
    ip6,
    ipv4Fragments,
    vlan,
    ipOnly,
  };
}

/**
 * The capture filter for a filter a module built itself (libnmsg
 * `nmsg_pcap_input_setfilter_raw`): `(F) or (vlan and (F))` if the link type has VLAN
 * tags, else `F`.
 *
 * @param filter The module's filter.
 * @param compiles Whether an expression compiles for the capture.
 * @returns The filter to install.
 *
 * @example
 * ```ts
 * import { moduleCaptureFilter } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const ethernet = () => true; // every expression compiles
 * assert.equal(moduleCaptureFilter("udp", ethernet), "(udp) or (vlan and (udp))");
 * ```
 */
export function moduleCaptureFilter(filter: string, compiles: CompileTest): string {
  return compiles("vlan and ip") ? `(${filter}) or (vlan and (${filter}))` : filter;
}

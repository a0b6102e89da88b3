// The base modules that read packets, by number and name. The capture hooks need only
// these, and nmsgtool resolves `-V base -T dnsqr` from here without loading the message
// modules (their schemas and renderers cost more than a short capture run).

/** A message module's identity. */
export interface ModuleIdentity {
  readonly vid: number;
  readonly vname: string;
  readonly msgtype: number;
  readonly mname: string;
}

/** Vendor `base`. */
export const VID_BASE = 1;
/** base/ncap. */
export const NCAP = 1;
/** base/pkt. */
export const PKT = 8;
/** base/dnsqr. */
export const DNSQR = 9;
/** base/packet. */
export const PACKET = 12;

/** The modules with a pcap hook. */
export const CAPTURE_MODULES: readonly ModuleIdentity[] = [
  { vid: VID_BASE, vname: "base", msgtype: NCAP, mname: "ncap" },
  { vid: VID_BASE, vname: "base", msgtype: PKT, mname: "pkt" },
  { vid: VID_BASE, vname: "base", msgtype: DNSQR, mname: "dnsqr" },
  { vid: VID_BASE, vname: "base", msgtype: PACKET, mname: "packet" },
];

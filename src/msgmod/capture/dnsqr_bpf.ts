/**
 * The capture filter dnsqr builds from the addresses of the servers to watch
 * (`DNSQR_AUTH_ADDRS`, `DNSQR_RES_ADDRS`; libnmsg `dnsqr_pcap_init`), verbatim, so that
 * the same settings capture the same traffic.
 *
 * @module
 */

import { ipFromText } from "../dns/ip.ts";

const IPV4_FRAGS = "(ip[6:2] & 0x3fff != 0)";
const QR_QUERY = "(((udp[10:2] >> 15) & 0x01) == 0)";
const QR_RESPONSE = "(((udp[10:2] >> 15) & 0x01) == 1)";

// Authoritative servers: queries go to them, responses (and fragments) come from them.
const AUTH4 = "(((@DST@) and udp dst port 53) or ((@SRC@) and udp src port 53) or " +
  `((@SRC@) and ${IPV4_FRAGS}))`;
const AUTH4_QUERIES = `((@DST@) and udp dst port 53 and ${QR_QUERY})`;
const AUTH4_RESPONSES = `(((@SRC@) and udp src port 53 and ${QR_RESPONSE}) or ` +
  `((@SRC@) and ${IPV4_FRAGS}))`;
// Resolvers: queries come from them, responses (and fragments) go to them.
const RES4 = "(((@SRC@) and udp dst port 53) or ((@DST@) and udp src port 53) or " +
  `((@DST@) and ${IPV4_FRAGS}))`;
const RES4_QUERIES = `((@SRC@) and udp dst port 53 and ${QR_QUERY})`;
const RES4_RESPONSES = `(((@DST@) and udp src port 53 and ${QR_RESPONSE}) or ` +
  `((@DST@) and ${IPV4_FRAGS}))`;
const AUTH6 = "((@DST@) or (@SRC@))";
const RES6 = "((@SRC@) or (@DST@))";

/** A `DNSQR_AUTH_ADDRS` / `DNSQR_RES_ADDRS` value that yields no usable address. */
export class DnsqrAddressError extends Error {
  /** Always `"DnsqrAddressError"`. */
  override name = "DnsqrAddressError";
}

/**
 * `src A or src net B/n ...` for the addresses of one family in a comma-separated list;
 * entries that are not addresses of that family are left out.
 */
function addressList(addrs: string, dir: "src" | "dst", family: 4 | 16): string {
  const parts: string[] = [];
  for (const raw of addrs.split(",")) {
    const addr = raw.trim();
    if (addr === "") continue;
    const slash = addr.indexOf("/");
    const ip = ipFromText(slash < 0 ? addr : addr.slice(0, slash));
    if (ip === undefined || ip.length !== family) continue;
    parts.push(`${dir} ${slash < 0 ? "" : "net "}${addr}`);
  }
  return parts.join(" or ");
}

function side(
  name: string,
  addrs: string,
  v4: readonly [string, string, string],
  v6: string,
  captureQr: 0 | 1 | undefined,
): string {
  if (addrs === "") throw new DnsqrAddressError(`${name} is empty`);
  const src4 = addressList(addrs, "src", 4);
  const src6 = addressList(addrs, "src", 16);
  if (src4 === "" && src6 === "") throw new DnsqrAddressError(`${name} holds no IP address`);
  const fill = (pattern: string, src: string, dst: string) =>
    pattern.replaceAll("@SRC@", src).replaceAll("@DST@", dst);
  const parts: string[] = [];
  if (src4 !== "") {
    const pattern = captureQr === undefined ? v4[0] : v4[captureQr + 1]!;
    parts.push(fill(pattern, src4, addressList(addrs, "dst", 4)));
  }
  if (src6 !== "") parts.push(fill(v6, src6, addressList(addrs, "dst", 16)));
  return parts.join(" or ");
}

/**
 * The capture filter for the servers to watch, or undefined when neither list is set.
 *
 * @param authAddrs `DNSQR_AUTH_ADDRS`: addresses or networks (`a/n`) of authoritative
 *   servers, comma-separated.
 * @param resAddrs `DNSQR_RES_ADDRS`: addresses or networks of resolvers.
 * @param captureQr `DNSQR_CAPTURE_QR`: 0 keeps only queries, 1 only responses (IPv4).
 * @returns The filter expression.
 * @throws {DnsqrAddressError} If a list is empty or holds no address.
 *
 * @example
 * ```ts
 * import { dnsqrAddressFilter } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(dnsqrAddressFilter(undefined, "2001:db8::1", undefined), "((src 2001:db8::1) or (dst 2001:db8::1))");
 * ```
 */
export function dnsqrAddressFilter(
  authAddrs: string | undefined,
  resAddrs: string | undefined,
  captureQr: 0 | 1 | undefined,
): string | undefined {
  const sides: string[] = [];
  if (authAddrs !== undefined) {
    sides.push(
      side(
        "DNSQR_AUTH_ADDRS",
        authAddrs,
        [AUTH4, AUTH4_QUERIES, AUTH4_RESPONSES],
        AUTH6,
        captureQr,
      ),
    );
  }
  if (resAddrs !== undefined) {
    sides.push(
      side("DNSQR_RES_ADDRS", resAddrs, [RES4, RES4_QUERIES, RES4_RESPONSES], RES6, captureQr),
    );
  }
  return sides.length === 0 ? undefined : sides.join(" or ");
}

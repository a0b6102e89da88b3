/**
 * IP socket addresses: parsing literals the way `inet_pton` does (no host names),
 * formatting them the way `inet_ntop` does, and the Linux `sockaddr_in`/`sockaddr_in6`
 * byte layouts for libc calls.
 *
 * @module
 */

/** An IPv4 or IPv6 address with a port. */
export interface SocketAddress {
  /** 4 for IPv4, 6 for IPv6. */
  family: 4 | 6;
  /** 4 or 16 address bytes, network order. */
  address: Uint8Array;
  /** The port, 0–65535. */
  port: number;
}

/**
 * Parses a dotted-quad IPv4 literal exactly as glibc's `inet_pton(AF_INET)`: four decimal
 * parts of at most 255, no leading zeros, nothing else.
 *
 * @param s The text.
 * @returns The 4 address bytes, or `undefined` if `s` is not such a literal.
 *
 * @example
 * ```ts
 * import { parseIpv4 } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseIpv4("10.0.0.255"), new Uint8Array([10, 0, 0, 255]));
 * assert.equal(parseIpv4("010.0.0.1"), undefined);
 * ```
 */
export function parseIpv4(s: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  let part = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && out[part] === 0) return undefined;
      const v = out[part]! * 10 + (c - 0x30);
      if (v > 255) return undefined;
      out[part] = v;
      digits++;
    } else if (c === 0x2e && digits > 0 && part < 3) {
      part++;
      digits = 0;
    } else {
      return undefined;
    }
  }
  return part === 3 && digits > 0 ? out : undefined;
}

/**
 * Parses an IPv6 literal as glibc's `inet_pton(AF_INET6)`: up to eight groups of 1–4 hex
 * digits, one `::`, and an optional dotted-quad tail.
 *
 * @param s The text.
 * @returns The 16 address bytes, or `undefined` if `s` is not such a literal.
 *
 * @example
 * ```ts
 * import { parseIpv6 } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseIpv6("::1")?.[15], 1);
 * assert.equal(parseIpv6("::ffff:10.0.0.1")?.[12], 10);
 * assert.equal(parseIpv6("1::2::3"), undefined);
 * ```
 */
export function parseIpv6(s: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  const gap = s.indexOf("::");
  if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) return undefined;
  const head = gap >= 0 ? s.slice(0, gap) : s;
  const tail = gap >= 0 ? s.slice(gap + 2) : "";
  const headWords = groups(head, gap < 0);
  const tailWords = gap >= 0 ? groups(tail, true) : [];
  if (headWords === undefined || tailWords === undefined) return undefined;
  const total = headWords.length + tailWords.length;
  if (gap >= 0 ? total > 7 : total !== 8) return undefined;
  headWords.forEach((w, i) => setWord(out, i, w));
  tailWords.forEach((w, i) => setWord(out, 8 - tailWords.length + i, w));
  return out;
}

function setWord(out: Uint8Array, i: number, w: number): void {
  out[2 * i] = w >>> 8;
  out[2 * i + 1] = w & 0xff;
}

// Hex groups separated by single colons; the last may be a dotted quad when it ends the
// address (`allowQuad`), counting as two groups.
function groups(s: string, allowQuad: boolean): number[] | undefined {
  if (s === "") return [];
  const parts = s.split(":");
  const words: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && allowQuad && p.includes(".")) {
      const q = parseIpv4(p);
      if (q === undefined) return undefined;
      words.push((q[0]! << 8) | q[1]!, (q[2]! << 8) | q[3]!);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
      words.push(parseInt(p, 16));
    } else {
      return undefined;
    }
  }
  return words;
}

/**
 * Parses an address literal as libnmsg's tools do: IPv6 first, then IPv4.
 *
 * @param s The text.
 * @returns Family and bytes, or `undefined` for anything else (host names included).
 *
 * @example
 * ```ts
 * import { parseIpAddress } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseIpAddress("::1")?.family, 6);
 * assert.equal(parseIpAddress("127.0.0.1")?.family, 4);
 * assert.equal(parseIpAddress("localhost"), undefined);
 * ```
 */
export function parseIpAddress(s: string): { family: 4 | 6; address: Uint8Array } | undefined {
  const v6 = parseIpv6(s);
  if (v6 !== undefined) return { family: 6, address: v6 };
  const v4 = parseIpv4(s);
  return v4 === undefined ? undefined : { family: 4, address: v4 };
}

/**
 * Formats address bytes as `inet_ntop` does: dotted quad for IPv4; for IPv6 lower-case
 * hex with the longest run (two or more) of zero groups as `::`, and a dotted-quad tail
 * for IPv4-compatible and IPv4-mapped addresses.
 *
 * @param address 4 or 16 bytes.
 * @returns The text.
 *
 * @example
 * ```ts
 * import { formatIpAddress, parseIpv6 } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatIpAddress(parseIpv6("2001:db8:0:0:0:0:0:1")!), "2001:db8::1");
 * assert.equal(formatIpAddress(new Uint8Array([127, 0, 0, 1])), "127.0.0.1");
 * ```
 */
export function formatIpAddress(address: Uint8Array): string {
  if (address.length === 4) return address.join(".");
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((address[i]! << 8) | address[i + 1]!);
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) best = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === best) {
      out += ":";
      i += bestLen - 1;
      if (i === 7) out += ":";
      continue;
    }
    if (i > 0) out += ":";
    if (i === 6 && best === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += address.subarray(12).join(".");
      break;
    }
    out += words[i]!.toString(16);
  }
  return out;
}

/**
 * Formats an address as nmsgtool's socket specs write it: `addr/port`.
 *
 * @param a The address.
 * @returns E.g. `127.0.0.1/8430` or `::1/8430`.
 *
 * @example
 * ```ts
 * import { formatSocketAddress } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const a = { family: 4 as const, address: new Uint8Array([127, 0, 0, 1]), port: 8430 };
 * assert.equal(formatSocketAddress(a), "127.0.0.1/8430");
 * ```
 */
export function formatSocketAddress(a: SocketAddress): string {
  return `${formatIpAddress(a.address)}/${a.port}`;
}

/** Size of `struct sockaddr_in6`, the larger of the two. */
export const SOCKADDR_MAX = 28;

/**
 * Encodes a Linux `sockaddr_in` (16 bytes) or `sockaddr_in6` (28 bytes).
 *
 * @param a The address.
 * @returns The struct bytes; their length is the `socklen_t` to pass.
 */
export function encodeSockaddr(a: SocketAddress): Uint8Array {
  const v6 = a.family === 6;
  const out = new Uint8Array(v6 ? 28 : 16);
  const view = new DataView(out.buffer);
  view.setUint16(0, v6 ? 10 : 2, true);
  view.setUint16(2, a.port, false);
  out.set(a.address, v6 ? 8 : 4);
  return out;
}

/**
 * Decodes a Linux `sockaddr_in`/`sockaddr_in6`.
 *
 * @param b The struct bytes (at least 16, or 28 for IPv6).
 * @returns The address, or `undefined` for another family.
 */
export function decodeSockaddr(b: Uint8Array): SocketAddress | undefined {
  const family = b[0]! | (b[1]! << 8);
  const port = (b[2]! << 8) | b[3]!;
  if (family === 2) return { family: 4, address: b.slice(4, 8), port };
  if (family === 10 && b.length >= 28) return { family: 6, address: b.slice(8, 24), port };
  return undefined;
}

/**
 * nmsgtool's UDP socket specs: `-l addr/port`, `-l addr/lo..hi`, and for `-s` an optional
 * `,rate[,freq]` tail, with the C tool's checks and messages.
 *
 * @module
 */

import { parseIpAddress, type SocketAddress } from "./udp_address.ts";

/** Most ports one spec may name: `hi - lo` is at most 20. */
export const MAX_PORT_SPAN = 20;

/** nmsgtool's default rate adjustment frequency (`-s addr/port,rate` without `,freq`). */
export const DEFAULT_RATE_FREQ = 10;

/** What an `-l`/`-s` argument names: one socket per port. */
export interface Sockspec {
  /** The address as written, for messages (`10.0.0.255`). */
  host: string;
  /** One address per port, in port order. */
  addresses: SocketAddress[];
  /** Datagrams per second, 0 for unlimited (`-s` only). */
  rate: number;
  /** Events between rate adjustments (`-s` only). */
  freq: number;
}

/**
 * A bad socket spec. `message` is the usage error (`bad port range in -l argument`);
 * `detail`, when set, is the line nmsgtool prints before it (`getsock: invalid port
 * number`).
 *
 * @example
 * ```ts
 * import { parseSockspec, SockspecError } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => parseSockspec("localhost/8430", "-l"), (e) =>
 *   e instanceof SockspecError && e.message === "bad -l socket" &&
 *   e.detail === "getsock: addr is not valid inet or inet6");
 * ```
 */
export class SockspecError extends Error {
  /** Always `"SockspecError"`. */
  override name = "SockspecError";
  /** The diagnostic printed before the usage error, if any. */
  readonly detail: string | undefined;

  /**
   * Creates the error.
   *
   * @param message The usage error.
   * @param detail The preceding diagnostic.
   */
  constructor(message: string, detail?: string) {
    super(message);
    this.detail = detail;
  }
}

// sscanf's %d: optional blanks, optional sign, digits.
const SCAN_INT = /^[ \t\n\v\f\r]*([+-]?\d+)/;
// strtoul(s, &end, 0): optional blanks and sign, then hex, octal or decimal digits.
const SCAN_ULONG = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/;

function scanInt(s: string): { value: number; rest: string } | undefined {
  const m = SCAN_INT.exec(s);
  return m ? { value: Number(m[1]), rest: s.slice(m[0].length) } : undefined;
}

function scanUlong(s: string): { value: number; rest: string; ok: boolean } {
  const m = SCAN_ULONG.exec(s);
  if (m === null) return { value: 0, rest: s, ok: true };
  const digits = m[2]!;
  const value = /^0[xX]/.test(digits)
    ? parseInt(digits.slice(2), 16)
    : digits.length > 1 && digits.startsWith("0")
    ? parseInt(digits, 8)
    : Number(digits);
  return { value, rest: s.slice(m[0].length), ok: m[1] !== "-" && value <= 0xffffffff };
}

/**
 * Parses an `-l` or `-s` argument as nmsgtool does: `ADDR/PORT` or `ADDR/LO..HI` (at most
 * 21 ports), ADDR an IPv6 or IPv4 literal; for `-s`, everything from the first comma is
 * `,rate[,freq]` (numbers in C `strtoul` syntax, freq defaulting to 10).
 *
 * @param arg The argument.
 * @param option `-l` (inputs) or `-s` (outputs); selects messages and whether a rate may
 *   follow.
 * @returns The addresses and rate.
 * @throws {SockspecError} With nmsgtool's usage message.
 *
 * @example
 * ```ts
 * import { parseSockspec } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const spec = parseSockspec("127.0.0.1/8430..8431,1000", "-s");
 * assert.deepEqual(spec.addresses.map((a) => a.port), [8430, 8431]);
 * assert.equal(spec.rate, 1000);
 * assert.equal(spec.freq, 10);
 * ```
 */
export function parseSockspec(arg: string, option: "-l" | "-s"): Sockspec {
  const slash = arg.indexOf("/");
  if (slash < 0) throw new SockspecError(`argument to ${option} needs a /`);
  const first = scanInt(arg.slice(slash + 1));
  if (first === undefined) throw new SockspecError("need a port number or range after /");
  const lo = first.value;
  let hi = lo;
  if (first.rest.startsWith("..")) {
    const second = scanInt(first.rest.slice(2));
    if (second !== undefined) {
      hi = second.value;
      if (lo > hi || hi - lo > MAX_PORT_SPAN) {
        throw new SockspecError(`bad port range in ${option} argument`);
      }
    }
  }
  const bad = `bad ${option} socket`;
  let rate = 0;
  let freq = 0;
  const comma = arg.indexOf(",");
  if (option === "-s" && comma >= 0) {
    // C checks the spec it rebuilt for the first port: `addr/lo,rate,freq`.
    const tail = arg.slice(comma);
    const spec = `${arg.slice(0, slash)}/${lo}${tail}`;
    const r = scanUlong(tail.slice(1));
    if (r.rest.startsWith(",")) {
      const f = scanUlong(r.rest.slice(1));
      if (f.rest !== "" || !f.ok) {
        throw new SockspecError(bad, `getsock: bad frequency (${spec})`);
      }
      freq = f.value;
    } else if (r.rest !== "" || !r.ok) {
      throw new SockspecError(bad, `getsock: invalid packet rate (${spec})`);
    }
    rate = r.value;
  }
  if (lo < 1 || hi > 65535) throw new SockspecError(bad, "getsock: invalid port number");
  const host = arg.slice(0, slash);
  const ip = parseIpAddress(host);
  if (ip === undefined) throw new SockspecError(bad, "getsock: addr is not valid inet or inet6");
  const addresses: SocketAddress[] = [];
  for (let port = lo; port <= hi; port++) addresses.push({ ...ip, port });
  return { host, addresses, rate, freq: freq === 0 ? DEFAULT_RATE_FREQ : freq };
}

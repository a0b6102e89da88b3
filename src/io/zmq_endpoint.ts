/**
 * ZeroMQ endpoint strings as nmsgtool takes them (`-L`, `-S`, `-Z` aliases):
 * `transport://address[,accept|connect][,pubsub|pushpull]`.
 *
 * @module
 */

import { EndpointError } from "./endpoint_error.ts";

/** How a ZeroMQ input or output attaches and which socket pair it uses. */
export interface ZmqEndpoint {
  /** The libzmq endpoint, e.g. `tcp://127.0.0.1:5555` or `ipc://nmsg.ipc`. */
  endpoint: string;
  /** True to bind (`accept`), false to connect (`connect`). */
  bind: boolean;
  /** `pubsub` (SUB input, PUB output) or `pushpull` (PULL input, PUSH output). */
  pattern: "pubsub" | "pushpull";
}

/**
 * Parses a ZeroMQ endpoint with libnmsg's rules: comma-separated tokens (empty ones
 * skipped), the first being the libzmq endpoint; then `accept`/`connect` and
 * `pubsub`/`pushpull`, case-insensitive, at most one of each pair; other tokens are
 * ignored. Defaults follow the C code, not its man page: inputs accept (bind) and
 * outputs connect, both `pubsub`.
 *
 * @param spec The endpoint as given on the command line.
 * @param role `input` (`-L`, `-Z`) or `output` (`-S`).
 * @returns The parsed endpoint.
 * @throws {EndpointError} If there is no endpoint or a direction or type repeats.
 *
 * @example
 * ```ts
 * import { parseZmqEndpoint } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseZmqEndpoint("tcp://127.0.0.1:5555,CONNECT,pushpull", "input"), {
 *   endpoint: "tcp://127.0.0.1:5555",
 *   bind: false,
 *   pattern: "pushpull",
 * });
 * assert.equal(parseZmqEndpoint("ipc://nmsg.ipc", "output").bind, false);
 * ```
 */
export function parseZmqEndpoint(spec: string, role: "input" | "output"): ZmqEndpoint {
  const [endpoint, ...tokens] = spec.split(",").filter((t) => t !== "");
  if (endpoint === undefined) throw new EndpointError(spec, "no ZeroMQ endpoint");
  let bind: boolean | undefined;
  let pattern: ZmqEndpoint["pattern"] | undefined;
  for (const token of tokens) {
    const t = token.toLowerCase();
    if (t === "accept" || t === "connect") {
      if (bind !== undefined) throw new EndpointError(spec, "accept/connect given twice");
      bind = t === "accept";
    } else if (t === "pubsub" || t === "pushpull") {
      if (pattern !== undefined) throw new EndpointError(spec, "pubsub/pushpull given twice");
      pattern = t;
    }
  }
  return { endpoint, bind: bind ?? role === "input", pattern: pattern ?? "pubsub" };
}

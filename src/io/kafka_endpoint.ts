/**
 * Kafka endpoint strings as nmsgtool takes them (`--readkafka`, `--writekafka`):
 * `nmsg:|json:` then `topic[#partition|%group_id]@broker[:port][,offset]`.
 *
 * @module
 */

import { EndpointError } from "./endpoint_error.ts";
import { parseIpv4, parseIpv6 } from "./udp_address.ts";

/** Where to start reading a partition. */
export type KafkaOffset = "oldest" | "newest" | bigint;

/** A parsed Kafka endpoint. */
export interface KafkaEndpoint {
  /** `nmsg`: one NMSG unit per Kafka message; `json`: one JSON object per message. */
  format: "nmsg" | "json";
  /** The topic. */
  topic: string;
  /** `#partition`: that partition only (consumers) or always (producers). */
  partition?: number;
  /** `%group_id`: consume as a member of this consumer group. */
  group?: string;
  /** `bootstrap.servers`: `host[:port]`, `[v6]:port`. */
  broker: string;
  /** Where consumers start (default `newest`); producers ignore it. */
  offset: KafkaOffset;
  /** `broker.address.family`, from the broker's literal address (`any` for names). */
  addressFamily: "v4" | "v6" | "any";
}

/**
 * Parses a Kafka endpoint with libnmsg's rules: `@` is mandatory; `#partition` and
 * `%group` exclusive and before `@`; the offset after the first comma, which must follow
 * `@`, is `oldest`, `newest` (any case) or an integer read like C's `%i` (so `0x10` and
 * `010` are 16 and 8). Unlike libnmsg, a partition that is not a number and an empty
 * broker are refused instead of becoming partition 0 and an unusable client.
 *
 * @param spec The value of `--readkafka`/`--writekafka`, with its `nmsg:`/`json:` prefix.
 * @param format The format the caller handles, if only one.
 * @returns The endpoint.
 * @throws {EndpointError} If the string breaks a rule; the message says which.
 *
 * @example
 * ```ts
 * import { parseKafkaEndpoint } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseKafkaEndpoint("nmsg:ch202%collectors@[::1]:9092,oldest"), {
 *   format: "nmsg",
 *   topic: "ch202",
 *   group: "collectors",
 *   broker: "[::1]:9092",
 *   offset: "oldest",
 *   addressFamily: "v6",
 * });
 * ```
 */
export function parseKafkaEndpoint(spec: string, expect?: "nmsg" | "json"): KafkaEndpoint {
  const m = /^(nmsg|json):/.exec(spec);
  if (m === null) {
    throw new EndpointError(spec, "nmsg or json protocol must be set for Kafka topic");
  }
  const format = m[1] as "nmsg" | "json";
  if (expect !== undefined && format !== expect) {
    throw new EndpointError(spec, `not a ${expect}: Kafka endpoint`);
  }
  const addr = spec.slice(m[0].length);
  const at = addr.indexOf("@");
  const comma = addr.indexOf(",");
  const pound = addr.indexOf("#");
  const percent = addr.indexOf("%");
  const fail = (reason: string): never => {
    throw new EndpointError(spec, reason);
  };
  if (at < 0) fail("missing '@' in Kafka endpoint");
  if (comma >= 0 && comma < at) fail("invalid offset position");
  let topicEnd = at;
  let partition: number | undefined;
  let group: string | undefined;
  if (pound >= 0) {
    if (pound > at) fail("invalid partition position");
    if (percent >= 0) fail("cannot use group and partition together");
    const digits = /^\s*([+-]?\d+)/.exec(addr.slice(pound + 1, at));
    if (digits === null) fail("invalid partition");
    partition = Number(digits![1]);
    if (!Number.isSafeInteger(partition) || partition < -2147483648 || partition > 2147483647) {
      fail("invalid partition");
    }
    topicEnd = pound;
  } else if (percent >= 0) {
    if (percent > at) fail("invalid group position");
    group = addr.slice(percent + 1, at);
    if (group === "") fail("group id cannot be empty");
    topicEnd = percent;
  }
  const topic = addr.slice(0, topicEnd);
  if (topic === "") fail("invalid Kafka endpoint");
  const broker = comma < 0 ? addr.slice(at + 1) : addr.slice(at + 1, comma);
  if (broker === "") fail("invalid Kafka endpoint");
  let offset: KafkaOffset = "newest";
  if (comma >= 0) {
    const text = addr.slice(comma + 1);
    const lower = text.toLowerCase();
    if (lower === "oldest" || lower === "newest") offset = lower;
    else if (/^-?\d/.test(text)) offset = scanInteger(text);
    else fail("invalid offset in Kafka endpoint");
  }
  const ep: KafkaEndpoint = { format, topic, broker, offset, addressFamily: addressFamily(broker) };
  if (partition !== undefined) ep.partition = partition;
  if (group !== undefined) ep.group = group;
  return ep;
}

/** The leading integer of `text` as C's `%i` reads it (decimal, `0x` hex, `0` octal). */
function scanInteger(text: string): bigint {
  const m = /^(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(text)!;
  const body = m[2]!;
  const value = /^0[xX]/.test(body)
    ? BigInt(body)
    : body.length > 1 && body[0] === "0"
    ? BigInt("0o" + body.slice(1))
    : BigInt(body);
  const signed = m[1] === "-" ? -value : value;
  // %li saturates at the int64 range, as strtol does.
  const max = 0x7fffffffffffffffn;
  return signed > max ? max : signed < -max - 1n ? -max - 1n : signed;
}

/** libnmsg's `broker.address.family`: from the broker's address if it is a literal. */
function addressFamily(broker: string): "v4" | "v6" | "any" {
  let host: string;
  if (broker.startsWith("[")) {
    const end = broker.indexOf("]");
    host = end < 0 ? broker.slice(1) : broker.slice(1, end);
  } else {
    const colon = broker.lastIndexOf(":");
    host = colon < 0 ? broker : broker.slice(0, colon);
  }
  if (parseIpv4(host) !== undefined) return "v4";
  if (parseIpv6(host) !== undefined) return "v6";
  return "any";
}

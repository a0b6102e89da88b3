/**
 * The Kafka message key nmsgtool's `--kafkakey` takes from a field of each payload.
 *
 * @module
 */

import type { NmsgMessage } from "../msgmod/message.ts";
import type { RawValue } from "../msgmod/types.ts";

/**
 * The payload's module has no field of the `--kafkakey` name.
 *
 * @example
 * ```ts
 * import { defaultRegistry, KafkaKeyError, kafkaMessageKey, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const msg = new NmsgMessage(defaultRegistry().lookupByName("base", "http")!);
 * assert.throws(() => kafkaMessageKey(msg, "qname"), KafkaKeyError);
 * ```
 */
export class KafkaKeyError extends Error {
  /** Always `"KafkaKeyError"`. */
  override name = "KafkaKeyError";
}

const utf8 = new TextEncoder();

/** A double as libnmsg's JSON writes it: `%.18f` without trailing zeros (one kept). */
function doubleText(v: number): string {
  const s = v.toFixed(18);
  let end = s.length;
  while (end > 1 && s[end - 1] === "0" && s[end - 2] !== ".") end--;
  return s.slice(0, end);
}

/** A number as libnmsg's JSON writes it: negative integers as 64-bit two's complement. */
function numberText(type: string, v: RawValue): string {
  if (type === "double") return doubleText(v as number);
  if (type === "bool") return v ? "true" : "false";
  let n = typeof v === "bigint" ? v : BigInt(v as number);
  if (type === "int16") n = BigInt.asIntN(16, n);
  if (type === "uint16") n = BigInt.asUintN(16, n);
  return BigInt.asUintN(64, n).toString();
}

/**
 * The key for one message, as libnmsg derives it: the field's first value through the
 * field's formatter if it has one (DNS names, types, …); otherwise an enum's value name,
 * a string's bytes without a trailing NUL, an address as text, raw bytes, or a number as
 * JSON writes it. An absent value gives an empty key.
 *
 * @param msg The message (its payload is decoded).
 * @param field The field name.
 * @returns The key bytes.
 * @throws {KafkaKeyError} If the message type has no such field.
 *
 * @example
 * ```ts
 * import { defaultRegistry, kafkaMessageKey, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const msg = new NmsgMessage(defaultRegistry().lookupByName("base", "http")!)
 *   .set("type", "sinkhole").set("srcip", "192.0.2.1").set("dstport", 80);
 * const text = (field: string) => new TextDecoder().decode(kafkaMessageKey(msg, field));
 * assert.equal(text("srcip"), "192.0.2.1");
 * assert.equal(text("type"), "sinkhole");
 * assert.equal(text("dstport"), "80");
 * assert.equal(text("srcport"), "");
 * ```
 */
export function kafkaMessageKey(msg: NmsgMessage, field: string): Uint8Array {
  const bound = msg.module.byName.get(field);
  if (bound === undefined) {
    throw new KafkaKeyError(
      `${msg.module.vname}/${msg.module.mname} has no field ${field} for the Kafka key`,
    );
  }
  const def = bound.def;
  // libnmsg's field getter refuses hidden fields: that reads as "no value".
  const v = def.hidden ? undefined : msg.raw(field);
  if (v === undefined) return new Uint8Array(0);
  if (def.format !== undefined) {
    const hv = def.type === "uint16" || def.type === "int16" ? Number(v) & 0xffff : v;
    const text = def.format(msg, hv, def);
    if (text !== undefined) return utf8.encode(text);
  }
  // libnmsg renders only non-repeated fields; of a repeated one it takes the first value's
  // bytes as stored in memory (little-endian numbers, strings with their NUL).
  if (bound.pb?.repeated) return storedBytes(def.type, v);
  switch (def.type) {
    case "enum":
    case "ip":
      return utf8.encode(String(msg.get(field) ?? ""));
    case "string":
    case "mlstring": {
      const b = v as Uint8Array;
      return b.length > 0 && b[b.length - 1] === 0 ? b.subarray(0, -1) : b;
    }
    case "bytes":
      return v as Uint8Array;
    default:
      return utf8.encode(numberText(def.type, v));
  }
}

/** A value's bytes as protobuf-c keeps it in memory on a little-endian host. */
function storedBytes(type: string, v: RawValue): Uint8Array {
  if (v instanceof Uint8Array) return v;
  const wide = type === "uint64" || type === "int64" || type === "double";
  const out = new Uint8Array(wide ? 8 : 4);
  const view = new DataView(out.buffer);
  if (type === "double") view.setFloat64(0, v as number, true);
  else if (wide) view.setBigUint64(0, BigInt.asUintN(64, BigInt(v as number | bigint)), true);
  else view.setUint32(0, typeof v === "boolean" ? Number(v) : Number(v) >>> 0, true);
  return out;
}

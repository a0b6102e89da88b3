// Stored values reinterpreted the way libnmsg's C renderers read them from memory.

import type { TextSink } from "./_dns_bytes.ts";
import { jsonSigned } from "./_number.ts";
import { writeInt } from "./_out.ts";
import type { FieldType, RawValue } from "./types.ts";

function toBig(v: RawValue): bigint {
  return typeof v === "bigint" ? v : BigInt(typeof v === "boolean" ? (v ? 1 : 0) : v as number);
}

/** `(uint32_t) v`. */
export function asU32(v: RawValue): number {
  if (typeof v === "number") return v >>> 0;
  return Number(BigInt.asUintN(32, toBig(v)));
}

/** `(int32_t) v`. */
function asI32(v: RawValue): number {
  return asU32(v) | 0;
}

/** `(uint16_t) v`. */
function asU16(v: RawValue): number {
  return asU32(v) & 0xffff;
}

/** `(int16_t) v`. */
function asI16(v: RawValue): number {
  return (asU32(v) << 16) >> 16;
}

/** `%PRIu64` of v. */
function u64Text(v: RawValue): string {
  if (typeof v === "number" && v >= 0) return String(v);
  return BigInt.asUintN(64, toBig(v)).toString();
}

/** `%PRIi64` of v. */
function i64Text(v: RawValue): string {
  if (typeof v === "number" && v <= 9223372036854775807) return String(v);
  return BigInt.asIntN(64, toBig(v)).toString();
}

/** The value a uint16/int16 field's hooks receive: a 16-bit copy, as in libnmsg. */
export function hookValue(type: string, v: RawValue): RawValue {
  return type === "uint16" || type === "int16" ? asU16(v) : v;
}

/**
 * Appends an integer field as libnmsg prints it: 16-bit types truncated, and signed types
 * either signed (presentation) or through `uint64_t` (JSON: negatives as 2^64 + v).
 */
export function writeInteger(
  out: TextSink,
  type: FieldType,
  v: RawValue,
  viaUint64: boolean,
): void {
  switch (type) {
    case "uint16":
      out.uint(asU16(v));
      return;
    case "uint32":
      out.uint(asU32(v));
      return;
    case "uint64":
      out.ascii(u64Text(v));
      return;
    default: {
      const n = type === "int16" ? asI16(v) : type === "int32" ? asI32(v) : v;
      if (typeof n === "number" && n >= 0 && n <= 9007199254740991) out.uint(n);
      else if (viaUint64) {
        out.ascii(jsonSigned(typeof n === "bigint" ? BigInt.asIntN(64, n) : n as number));
      } else if (typeof n === "number") writeInt(out, n);
      else out.ascii(i64Text(n));
    }
  }
}

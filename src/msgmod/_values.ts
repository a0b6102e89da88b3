// Stored values reinterpreted the way libnmsg's C renderers read them from memory.

import type { TextSink } from "./_dns_bytes.ts";
import { jsonSigned } from "./_number.ts";
import { writeInt } from "./_out.ts";
import { T_INT16, T_INT32, T_UINT16, T_UINT32, T_UINT64 } from "./_bound.ts";
import type { RawValue } from "./types.ts";

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

/** `(uint16_t) v`: also the value a uint16/int16 field's hooks receive, as in libnmsg. */
export function asU16(v: RawValue): number {
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

/**
 * Appends an integer field (type T_UINT16 … T_INT64) as libnmsg prints it: 16-bit types
 * truncated, and signed types either signed (presentation) or through `uint64_t` (JSON:
 * negatives as 2^64 + v).
 */
export function writeInteger(out: TextSink, type: number, v: RawValue, viaUint64: boolean): void {
  switch (type) {
    case T_UINT16:
      out.uint(asU16(v));
      return;
    case T_UINT32:
      out.uint(asU32(v));
      return;
    case T_UINT64:
      out.ascii(u64Text(v));
      return;
    default: {
      const n = type === T_INT16 ? asI16(v) : type === T_INT32 ? asI32(v) : v;
      if (typeof n === "number" && n >= 0 && n <= 9007199254740991) out.uint(n);
      else if (viaUint64) {
        out.ascii(jsonSigned(typeof n === "bigint" ? BigInt.asIntN(64, n) : n as number));
      } else if (typeof n === "number") writeInt(out, n);
      else out.ascii(i64Text(n));
    }
  }
}

// A module's field table entry bound to its schema field, with what the renderers
// precompute for it.

import type { PresWriter, TextWriter } from "./_fast.ts";
import type { CompiledField } from "./_pb_codec.ts";
import type { FieldDef, FieldType, FormatHook, GetHook, PrintHook } from "./types.ts";

// Field types as small numbers, for the renderers' switches.
export const T_ENUM = 0;
export const T_BYTES = 1;
export const T_STRING = 2;
export const T_MLSTRING = 3;
export const T_IP = 4;
export const T_UINT16 = 5;
export const T_UINT32 = 6;
export const T_UINT64 = 7;
export const T_INT16 = 8;
export const T_INT32 = 9;
export const T_INT64 = 10;
export const T_DOUBLE = 11;
export const T_BOOL = 12;

/** The number of each field type. */
export const TYPE_CODES: Readonly<Record<FieldType, number>> = {
  enum: T_ENUM,
  bytes: T_BYTES,
  string: T_STRING,
  mlstring: T_MLSTRING,
  ip: T_IP,
  uint16: T_UINT16,
  uint32: T_UINT32,
  uint64: T_UINT64,
  int16: T_INT16,
  int32: T_INT32,
  int64: T_INT64,
  double: T_DOUBLE,
  bool: T_BOOL,
};

/** A field table entry with its protobuf binding resolved. */
export interface BoundField {
  /** The entry. */
  readonly def: FieldDef;
  /** Position in the field table. */
  readonly index: number;
  /** The bound protobuf field, or undefined for a virtual field. */
  readonly pb: CompiledField | undefined;
  /** Names of the bound enum's values. */
  readonly enumNames: ReadonlyMap<number, string> | undefined;
  /** The same names as bytes. */
  readonly enumBytes: ReadonlyMap<number, Uint8Array> | undefined;
  /** `name` as bytes. */
  readonly name: Uint8Array;
  /** `name: ` as bytes (presentation). */
  readonly presKey: Uint8Array;
  /** `"name":` as bytes (JSON). */
  readonly jsonKey: Uint8Array;
  /** `,"name":` as bytes (JSON, after another field). */
  readonly jsonNextKey: Uint8Array;
  /** Byte-level `print`, if the entry has one. */
  readonly presTo: PresWriter | undefined;
  /** Byte-level `format`, if the entry has one. */
  readonly textTo: TextWriter | undefined;
  /** Byte-level JSON value writer, if the entry has one (preferred over `textTo`). */
  readonly jsonTo: TextWriter | undefined;
  // The entry's settings, copied here so that the renderers read them from objects of one
  // shape (field table entries come in many).
  /** `def.type` as a T_* number. */
  readonly type: number;
  /** Hooks get the value as a 16-bit copy (16-bit types), as libnmsg passes them. */
  readonly narrow: boolean;
  /** Presentation leaves the field out (`hidden` or `noprint`). */
  readonly presSkip: boolean;
  /** `def.get`. */
  readonly get: GetHook | undefined;
  /** `def.print`. */
  readonly print: PrintHook | undefined;
  /** `def.format`. */
  readonly format: FormatHook | undefined;
  /** `def.formatRaw`. */
  readonly formatRaw: boolean;
  /** `def.repeated`: JSON lists every value of the virtual field. */
  readonly listAll: boolean;
}

/**
 * The vocabulary of message modules: protobuf schemas, NMSG field types and the field
 * table entries that say how each field is printed, formatted, parsed or derived.
 *
 * @module
 */

import type { NmsgMessage } from "./message.ts";

/**
 * How NMSG presents a field (libnmsg `nmsg_msgmod_field_type`). The protobuf storage is
 * `bytes` for `bytes`/`string`/`mlstring`/`ip`, `uint32` for `uint16`, `int32` for `int16`;
 * the others are stored as their namesake.
 *
 * @example
 * ```ts
 * import { defaultRegistry } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const http = defaultRegistry().lookupByName("base", "http")!;
 * assert.equal(http.field("srcport")?.type, "uint16");
 * ```
 */
export type FieldType =
  | "enum"
  | "bytes"
  | "string"
  | "mlstring"
  | "ip"
  | "uint16"
  | "uint32"
  | "uint64"
  | "int16"
  | "int32"
  | "int64"
  | "double"
  | "bool";

/**
 * A value as the protobuf message stores it: 32-bit integers, enums, doubles and
 * floats as `number`; 64-bit integers as `number` when exact (|v| < 2^53) and `bigint`
 * otherwise; `bool` as `boolean`; `bytes` and `string` as `Uint8Array` (a view into the
 * payload until the message is changed).
 *
 * @example
 * ```ts
 * import { defaultRegistry, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const msg = new NmsgMessage(defaultRegistry().lookupByName("base", "http")!).set("type", "sinkhole");
 * assert.equal(msg.raw("type"), 1);
 * ```
 */
export type RawValue = number | bigint | boolean | Uint8Array;

/**
 * Protobuf scalar types a schema field may have.
 *
 * @example
 * ```ts
 * import type { ProtoScalarType } from "@nmsg-deno/nmsg";
 *
 * const t: ProtoScalarType = "sfixed32";
 * ```
 */
export type ProtoScalarType =
  | "double"
  | "float"
  | "int64"
  | "uint64"
  | "int32"
  | "fixed64"
  | "fixed32"
  | "bool"
  | "string"
  | "bytes"
  | "uint32"
  | "sfixed32"
  | "sfixed64"
  | "sint32"
  | "sint64";

/**
 * One value of a protobuf enum.
 *
 * @example
 * ```ts
 * import type { EnumValueSchema } from "@nmsg-deno/nmsg";
 *
 * const v: EnumValueSchema = { name: "sinkhole", number: 1 };
 * ```
 */
export interface EnumValueSchema {
  /** The value's name as written in the `.proto` file. */
  readonly name: string;
  /** Its number. */
  readonly number: number;
}

/**
 * A protobuf enum.
 *
 * @example
 * ```ts
 * import type { EnumSchema } from "@nmsg-deno/nmsg";
 *
 * const e: EnumSchema = { typeName: "acme.Kind", values: [{ name: "A", number: 0 }] };
 * ```
 */
export interface EnumSchema {
  /** Fully qualified name, e.g. `nmsg.base.Http.HttpType`. */
  readonly typeName: string;
  /** The values in declaration order (the first one is the proto2 default). */
  readonly values: readonly EnumValueSchema[];
}

/**
 * One field of a protobuf message (proto2 semantics).
 *
 * @example `repeated sfixed32 nsec = 14;`
 * ```ts
 * import type { SchemaField } from "@nmsg-deno/nmsg";
 *
 * const f: SchemaField = { name: "nsec", number: 14, type: "sfixed32", label: "repeated" };
 * ```
 */
export interface SchemaField {
  /** The field's name as written in the `.proto` file, e.g. `query_ip`. */
  readonly name: string;
  /** The field number. */
  readonly number: number;
  /** Scalar type, or `enum` / `message` with {@linkcode enum} / {@linkcode message} set. */
  readonly type: ProtoScalarType | "enum" | "message";
  /** proto2 label. */
  readonly label: "optional" | "required" | "repeated";
  /** Repeated scalars are written packed (`[packed=true]`). Default false, as in proto2. */
  readonly packed?: boolean;
  /** The enum, for `type: "enum"`. */
  readonly enum?: EnumSchema;
  /** The nested message, for `type: "message"`. */
  readonly message?: MessageSchema;
}

/**
 * A protobuf message schema. The built-in modules take theirs from the `protoc-gen-es`
 * descriptors in `gen/`; user modules may write one by hand.
 *
 * @example `message Ping { required bytes host = 1; optional Kind kind = 2; repeated uint32 hops = 3 [packed=true]; }`
 * ```ts
 * import type { MessageSchema } from "@nmsg-deno/nmsg";
 *
 * const schema: MessageSchema = {
 *   typeName: "acme.Ping",
 *   fields: [
 *     { name: "host", number: 1, type: "bytes", label: "required" },
 *     {
 *       name: "kind",
 *       number: 2,
 *       type: "enum",
 *       label: "optional",
 *       enum: { typeName: "acme.Kind", values: [{ name: "ECHO", number: 0 }] },
 *     },
 *     { name: "hops", number: 3, type: "uint32", label: "repeated", packed: true },
 *   ],
 * };
 * ```
 */
export interface MessageSchema {
  /** Fully qualified name, e.g. `nmsg.base.Http`. */
  readonly typeName: string;
  /** The fields, in any order. */
  readonly fields: readonly SchemaField[];
}

/**
 * Prints one value for presentation output: the whole text, field name and endline
 * included. Returns `undefined` to fail, which suppresses the whole message.
 */
export type PrintHook = (
  msg: NmsgMessage,
  value: RawValue,
  field: FieldDef,
  endline: string,
) => string | undefined;

/**
 * Formats one value as text: the JSON value (a string, or raw JSON with `formatRaw`), and
 * the presentation value (`name: text`) unless the field also has `print` or `formatRaw`.
 * Returns `undefined` to fail, which suppresses the whole message.
 *
 * @example
 * ```ts
 * import type { FormatHook } from "@nmsg-deno/nmsg";
 *
 * const format: FormatHook = (_msg, v) => (v as number).toString(16);
 * ```
 */
export type FormatHook = (msg: NmsgMessage, value: RawValue, field: FieldDef) => string | undefined;

/**
 * Parses one JSON input string into a stored value. Throws {@linkcode NmsgParseError} for
 * bad text (the line is skipped) or {@linkcode NmsgUnsupportedError} when the field cannot
 * be read at all (input stops). `msg` holds the fields parsed so far (all the fields that
 * come earlier in the field table).
 *
 * @example
 * ```ts
 * import { NmsgParseError, type ParseHook } from "@nmsg-deno/nmsg";
 *
 * const parse: ParseHook = (_msg, text, f) => {
 *   const n = parseInt(text, 16);
 *   if (Number.isNaN(n)) throw new NmsgParseError(`field ${f.name}: not hex`);
 *   return n;
 * };
 * ```
 */
export type ParseHook = (msg: NmsgMessage, text: string, field: FieldDef) => RawValue;

/**
 * Derives the value at `index` (0, 1, …) of a field; `undefined` ends the values.
 *
 * @example Two derived values
 * ```ts
 * import type { GetHook } from "@nmsg-deno/nmsg";
 *
 * const get: GetHook = (_msg, index) => index < 2 ? index * 10 : undefined;
 * ```
 */
export type GetHook = (msg: NmsgMessage, index: number, field: FieldDef) => RawValue | undefined;

/**
 * One entry of a module's field table. A field whose name matches a schema field is bound
 * to it; any other field is virtual and needs `get`.
 *
 * @example Hooks of a field table
 * ```ts
 * import type { FieldDef } from "@nmsg-deno/nmsg";
 *
 * const fields: FieldDef[] = [
 *   // Bound to the schema field "port", printed as a number.
 *   { name: "port", type: "uint16" },
 *   // Custom presentation line and JSON text.
 *   {
 *     name: "level",
 *     type: "uint32",
 *     print: (_msg, v, f, endline) => `${f.name}: level ${v}${endline}`,
 *     format: (_msg, v) => `L${v}`,
 *     parse: (_msg, text) => Number(text.slice(1)),
 *   },
 *   // Virtual: derived from another field, listed as an array in JSON.
 *   {
 *     name: "even",
 *     type: "bool",
 *     repeated: true,
 *     get: (msg, i) => i === 0 ? (msg.raw("port") as number) % 2 === 0 : undefined,
 *   },
 * ];
 * ```
 */
export interface FieldDef {
  /** Field name; also the presentation and JSON key. */
  readonly name: string;
  /** How the value is presented. */
  readonly type: FieldType;
  /** Virtual fields only: JSON lists every value (`[…]`) instead of the first. */
  readonly repeated?: boolean;
  /** Left out of presentation output (JSON still has it); libnmsg's `HIDDEN` flag. */
  readonly hidden?: boolean;
  /** Left out of presentation output (JSON still has it). */
  readonly noprint?: boolean;
  /** `format` output is JSON text inserted verbatim, and presentation ignores `format`. */
  readonly formatRaw?: boolean;
  /** Custom presentation line(s). */
  readonly print?: PrintHook;
  /** Custom text for JSON (and presentation, see {@linkcode FormatHook}). */
  readonly format?: FormatHook;
  /** Custom JSON input parser. */
  readonly parse?: ParseHook;
  /** Derived values: used by presentation for every field that has it, by JSON for virtual fields. */
  readonly get?: GetHook;
}

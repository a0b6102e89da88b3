// A table-driven protobuf codec for module payloads with protobuf-c's semantics: missing
// required fields fail decoding, unknown fields are skipped, enums keep any value, and
// encoding writes fields in ascending number order with required fields always present.

import { NmsgFormatError } from "../wire/errors.ts";
import { ProtoReader, ProtoWriter, WT_I32, WT_I64, WT_LEN, WT_VARINT } from "../wire/_protobuf.ts";
import type { MessageSchema, RawValue, SchemaField } from "./types.ts";

/** A decoded value: a scalar, or the fields of a nested message. */
export type SlotValue = RawValue | DecodedFields;

/**
 * A decoded message: one entry per schema field, in ascending field-number order (the
 * field's "slot"). Absent optional fields are `undefined`; repeated fields are arrays.
 */
export type DecodedFields = (SlotValue | SlotValue[] | undefined)[];

// Value kinds, one per decoding rule.
export const K_DOUBLE = 0;
export const K_FLOAT = 1;
const K_INT64 = 2;
const K_UINT64 = 3;
const K_INT32 = 4;
const K_FIXED64 = 5;
const K_FIXED32 = 6;
export const K_BOOL = 7;
export const K_BYTES = 8;
const K_UINT32 = 9;
const K_SFIXED32 = 10;
const K_SFIXED64 = 11;
const K_SINT32 = 12;
const K_SINT64 = 13;
export const K_ENUM = 14;
export const K_MESSAGE = 15;

const KINDS: Record<SchemaField["type"], number> = {
  double: K_DOUBLE,
  float: K_FLOAT,
  int64: K_INT64,
  uint64: K_UINT64,
  int32: K_INT32,
  fixed64: K_FIXED64,
  fixed32: K_FIXED32,
  bool: K_BOOL,
  string: K_BYTES,
  bytes: K_BYTES,
  uint32: K_UINT32,
  sfixed32: K_SFIXED32,
  sfixed64: K_SFIXED64,
  sint32: K_SINT32,
  sint64: K_SINT64,
  enum: K_ENUM,
  message: K_MESSAGE,
};

const WIRE_TYPES = [
  WT_I64, // double
  WT_I32, // float
  WT_VARINT, // int64
  WT_VARINT, // uint64
  WT_VARINT, // int32
  WT_I64, // fixed64
  WT_I32, // fixed32
  WT_VARINT, // bool
  WT_LEN, // bytes
  WT_VARINT, // uint32
  WT_I32, // sfixed32
  WT_I64, // sfixed64
  WT_VARINT, // sint32
  WT_VARINT, // sint64
  WT_VARINT, // enum
  WT_LEN, // message
];

/** One schema field ready for the codec. */
export interface CompiledField {
  readonly schema: SchemaField;
  readonly slot: number;
  readonly number: number;
  readonly kind: number;
  readonly wireType: number;
  readonly repeated: boolean;
  readonly required: boolean;
  readonly packed: boolean;
  readonly nested: CompiledSchema | undefined;
}

/** A schema compiled into lookup tables. */
export interface CompiledSchema {
  readonly schema: MessageSchema;
  /** Fields by slot (ascending field number). */
  readonly fields: readonly CompiledField[];
  /** Slot by field number, for numbers below 256. */
  readonly small: Int16Array;
  /** Slot by field number, for larger numbers. */
  readonly large: Map<number, number>;
  /** Slot by field name. */
  readonly byName: Map<string, number>;
}

const compiled = new WeakMap<MessageSchema, CompiledSchema>();

/** Compiles (once) a schema into the codec's tables. */
export function compileSchema(schema: MessageSchema): CompiledSchema {
  const known = compiled.get(schema);
  if (known) return known;
  const sorted = [...schema.fields].sort((a, b) => a.number - b.number);
  const fields: CompiledField[] = [];
  const small = new Int16Array(256).fill(-1);
  const large = new Map<number, number>();
  const byName = new Map<string, number>();
  const c: CompiledSchema = { schema, fields, small, large, byName };
  compiled.set(schema, c);
  sorted.forEach((f, slot) => {
    if (!Number.isInteger(f.number) || f.number < 1 || f.number > 536870911) {
      throw new TypeError(`${schema.typeName}.${f.name}: invalid field number ${f.number}`);
    }
    if (byName.has(f.name) || (slot > 0 && sorted[slot - 1]!.number === f.number)) {
      throw new TypeError(`${schema.typeName}: duplicate field ${f.name} (${f.number})`);
    }
    const kind = KINDS[f.type];
    if (kind === K_ENUM && f.enum === undefined) {
      throw new TypeError(`${schema.typeName}.${f.name}: enum field without enum values`);
    }
    if (kind === K_MESSAGE && f.message === undefined) {
      throw new TypeError(`${schema.typeName}.${f.name}: message field without a schema`);
    }
    const repeated = f.label === "repeated";
    fields.push({
      schema: f,
      slot,
      number: f.number,
      kind,
      wireType: WIRE_TYPES[kind]!,
      repeated,
      required: f.label === "required",
      packed: repeated && (f.packed ?? false) && kind !== K_BYTES && kind !== K_MESSAGE,
      nested: kind === K_MESSAGE ? compileSchema(f.message!) : undefined,
    });
    if (f.number < 256) small[f.number] = slot;
    else large.set(f.number, slot);
    byName.set(f.name, slot);
  });
  return c;
}

const TWO_32 = 4294967296;
const SAFE_HI = 0x200000; // hi < 2^21 ⇔ value < 2^53
const scratch = new DataView(new ArrayBuffer(8));

function fail(reason: string, offset: number): NmsgFormatError {
  return new NmsgFormatError("protobuf", reason, { offset });
}

function unsigned64(lo: number, hi: number): number | bigint {
  return hi < SAFE_HI ? hi * TWO_32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
}

function signed64(lo: number, hi: number): number | bigint {
  if (hi < SAFE_HI) return hi * TWO_32 + lo;
  if (hi >= 0xffe00000 && (hi !== 0xffe00000 || lo !== 0)) {
    return -((~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1);
  }
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
}

function zigzag64(lo: number, hi: number): number | bigint {
  const big = (BigInt(hi) << 32n) | BigInt(lo);
  const v = (big >> 1n) ^ -(big & 1n);
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

function readValue(r: ProtoReader, f: CompiledField, into: SlotValue | undefined): SlotValue {
  // Lengths and small numbers mostly fit in one varint byte: read those here.
  const p = r.pos;
  const b0 = p < r.end ? r.buf[p]! : 0x80;
  switch (f.kind) {
    case K_BYTES: {
      if (b0 >= 0x80) return r.bytes();
      const end = p + 1 + b0;
      if (end > r.end) return r.bytes(); // throws the reader's error
      r.pos = end;
      return r.buf.subarray(p + 1, end);
    }
    case K_UINT32:
      if (b0 < 0x80) {
        r.pos = p + 1;
        return b0;
      }
      return r.uint32();
    case K_INT32:
    case K_ENUM:
      if (b0 < 0x80) {
        r.pos = p + 1;
        return b0;
      }
      return r.uint32() | 0;
    case K_BOOL:
      r.varint64();
      return (r.lo | r.hi) !== 0;
    case K_INT64:
      r.varint64();
      return signed64(r.lo, r.hi);
    case K_UINT64:
      r.varint64();
      return unsigned64(r.lo, r.hi);
    case K_FIXED32:
      return r.fixed32();
    case K_SFIXED32:
      return r.fixed32() | 0;
    case K_DOUBLE:
      r.fixed64();
      scratch.setUint32(0, r.lo, true);
      scratch.setUint32(4, r.hi, true);
      return scratch.getFloat64(0, true);
    case K_FLOAT:
      scratch.setUint32(0, r.fixed32(), true);
      return scratch.getFloat32(0, true);
    case K_FIXED64:
      r.fixed64();
      return unsigned64(r.lo, r.hi);
    case K_SFIXED64:
      r.fixed64();
      return signed64(r.lo, r.hi);
    case K_SINT32: {
      const n = r.uint32();
      return (n >>> 1) ^ -(n & 1);
    }
    case K_SINT64:
      r.varint64();
      return zigzag64(r.lo, r.hi);
    default: {
      const end = r.lenEnd();
      const start = r.pos;
      r.pos = end;
      // protobuf-c merges a repeated occurrence of a non-repeated message field.
      const base = Array.isArray(into) ? into as DecodedFields : undefined;
      return decodeInto(f.nested!, r.buf, start, end, base);
    }
  }
}

function decodeInto(
  c: CompiledSchema,
  buf: Uint8Array,
  start: number,
  end: number,
  base: DecodedFields | undefined,
  counts?: Int32Array,
): DecodedFields {
  const out: DecodedFields = base ?? new Array(c.fields.length);
  // Top-level messages share one reader; nested ones (rare) get their own.
  const r = reading ? new ProtoReader(buf, start, end) : topReader;
  r.buf = buf;
  r.pos = start;
  r.end = end;
  reading = true;
  try {
    readFieldsInto(c, r, out, end, counts);
  } finally {
    if (r === topReader) reading = false;
  }
  for (const f of c.fields) {
    const v = out[f.slot];
    if (f.repeated) {
      if (v === undefined) out[f.slot] = [];
      else if (counts !== undefined && (v as SlotValue[]).length !== counts[f.slot]) {
        (v as SlotValue[]).length = counts[f.slot]!;
      }
    } else if (f.required && v === undefined) {
      throw fail(`required field ${f.schema.name} is missing`, start);
    }
  }
  return out;
}

const topReader = new ProtoReader(new Uint8Array(0));
let reading = false;

/**
 * Adds a value to a repeated field. With `counts` (refilling reused arrays), values are
 * stored by index: emptying an array and pushing again would reallocate its storage.
 */
function append(
  out: DecodedFields,
  slot: number,
  v: SlotValue,
  counts: Int32Array | undefined,
): void {
  const list = out[slot] as SlotValue[] | undefined;
  if (list === undefined) {
    out[slot] = [v];
    if (counts !== undefined) counts[slot] = 1;
  } else if (counts === undefined) list.push(v);
  else list[counts[slot]!++] = v;
}

function readFieldsInto(
  c: CompiledSchema,
  r: ProtoReader,
  out: DecodedFields,
  end: number,
  counts: Int32Array | undefined,
): void {
  const buf = r.buf;
  while (r.pos < end) {
    const at = r.pos;
    let tag = buf[at]!;
    if (tag < 0x80) r.pos = at + 1;
    else tag = r.uint32();
    const num = tag >>> 3;
    const wt = tag & 7;
    if (num === 0) throw fail("field number 0", at);
    const slot = num < 256 ? c.small[num]! : c.large.get(num) ?? -1;
    if (slot < 0) {
      r.skip(wt);
      continue;
    }
    const f = c.fields[slot]!;
    if (wt === f.wireType) {
      if (f.repeated) append(out, slot, readValue(r, f, undefined), counts);
      else out[slot] = readValue(r, f, out[slot] as SlotValue | undefined);
    } else if (wt === WT_LEN && f.repeated && f.wireType !== WT_LEN) {
      // Packed elements are accepted whatever the schema says, as protobuf-c does.
      const stop = r.lenEnd();
      const inner = new ProtoReader(buf, r.pos, stop);
      while (inner.pos < stop) append(out, slot, readValue(inner, f, undefined), counts);
      r.pos = stop;
    } else {
      throw fail(`field ${f.schema.name} has wire type ${wt}, expected ${f.wireType}`, at);
    }
  }
}

/**
 * Decodes a message. Repeated fields come back as arrays (possibly empty). With `reuse`
 * (fields an earlier call returned, no longer needed), its arrays are filled again instead
 * of allocating new ones.
 *
 * @throws {NmsgFormatError} On malformed protobuf or a missing required field.
 */
export function decodeFields(
  c: CompiledSchema,
  bytes: Uint8Array,
  reuse?: DecodedFields,
): DecodedFields {
  if (reuse === undefined) return decodeInto(c, bytes, 0, bytes.length, undefined);
  const fields = c.fields;
  if (refill.length < fields.length) refill = new Int32Array(fields.length);
  for (let i = 0; i < fields.length; i++) {
    refill[i] = 0;
    if (!fields[i]!.repeated || !Array.isArray(reuse[i])) reuse[i] = undefined;
  }
  return decodeInto(c, bytes, 0, bytes.length, reuse, refill);
}

// Values stored so far per repeated slot while refilling reused arrays (top level only).
let refill = new Int32Array(32);

/** A new message with only the repeated fields (empty) set. */
export function emptyFields(c: CompiledSchema): DecodedFields {
  const out: DecodedFields = new Array(c.fields.length);
  for (const f of c.fields) if (f.repeated) out[f.slot] = [];
  return out;
}

/** The value protobuf-c's zero-initialised struct holds for an unset required field. */
function zeroValue(f: CompiledField): SlotValue {
  switch (f.kind) {
    case K_BYTES:
      return new Uint8Array(0);
    case K_BOOL:
      return false;
    case K_MESSAGE:
      return emptyFields(f.nested!);
    default:
      return 0;
  }
}

function toBig(v: SlotValue): bigint {
  return typeof v === "bigint" ? v : BigInt(v as number);
}

function writeValue(w: ProtoWriter, f: CompiledField, v: SlotValue): void {
  switch (f.kind) {
    case K_BYTES:
      w.lenBytes(v as Uint8Array);
      return;
    case K_UINT32:
      w.varint((v as number) >>> 0);
      return;
    case K_INT32:
    case K_ENUM: {
      const n = (v as number) | 0;
      if (n >= 0) w.varint(n);
      else w.int64(n);
      return;
    }
    case K_BOOL:
      w.varint(v ? 1 : 0);
      return;
    case K_INT64:
    case K_UINT64:
      if (typeof v === "number" && v >= 0) w.varint(v);
      else w.uint64Big(BigInt.asUintN(64, toBig(v)));
      return;
    case K_FIXED32:
    case K_SFIXED32:
      w.fixed32((v as number) >>> 0);
      return;
    case K_DOUBLE:
      scratch.setFloat64(0, v as number, true);
      w.fixed64(scratch.getUint32(0, true), scratch.getUint32(4, true));
      return;
    case K_FLOAT:
      scratch.setFloat32(0, v as number, true);
      w.fixed32(scratch.getUint32(0, true));
      return;
    case K_FIXED64:
    case K_SFIXED64: {
      const u = BigInt.asUintN(64, toBig(v));
      w.fixed64(Number(u & 0xffffffffn), Number(u >> 32n));
      return;
    }
    case K_SINT32: {
      const n = (v as number) | 0;
      w.varint(((n << 1) ^ (n >> 31)) >>> 0);
      return;
    }
    case K_SINT64: {
      const b = BigInt.asIntN(64, toBig(v));
      w.uint64Big(BigInt.asUintN(64, (b << 1n) ^ (b >> 63n)));
      return;
    }
    default: {
      const inner = new ProtoWriter(64);
      encodeInto(inner, f.nested!, v as DecodedFields);
      w.lenBytes(inner.finish());
    }
  }
}

/**
 * Serializes a message at the writer's position, as {@linkcode encodeFields} does: for
 * callers that lay many messages out in one buffer of their own.
 */
export function encodeInto(w: ProtoWriter, c: CompiledSchema, fields: DecodedFields): void {
  for (const f of c.fields) {
    const v = fields[f.slot];
    if (f.repeated) {
      const list = v as SlotValue[] | undefined;
      if (!list || list.length === 0) continue;
      if (f.packed) {
        const inner = new ProtoWriter(list.length * 4);
        for (const e of list) writeValue(inner, f, e);
        w.varint(f.number * 8 + WT_LEN);
        w.lenBytes(inner.finish());
      } else {
        for (const e of list) {
          w.varint(f.number * 8 + f.wireType);
          writeValue(w, f, e);
        }
      }
    } else if (v !== undefined || f.required) {
      w.varint(f.number * 8 + f.wireType);
      writeValue(w, f, v === undefined ? zeroValue(f) : v as SlotValue);
    }
  }
}

// One writer for every top-level message: it grows to the largest message once, so
// encoding a stream of messages allocates only each result.
const shared = new ProtoWriter(4096);

/** Serializes a message the way protobuf-c packs it. */
export function encodeFields(c: CompiledSchema, fields: DecodedFields): Uint8Array {
  shared.pos = 0;
  encodeInto(shared, c, fields);
  return shared.finish().slice();
}

/**
 * The stored value of a schema field; a required field never set reads as zero, as in
 * libnmsg's zero-initialised messages.
 */
export function storedValue(
  fields: DecodedFields,
  pb: CompiledField,
): SlotValue | SlotValue[] | undefined {
  const v = fields[pb.slot];
  return v === undefined && pb.required ? zeroValue(pb) : v;
}

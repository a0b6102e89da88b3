/**
 * Typed access to a payload's fields: read and write them by name, and get a payload back.
 *
 * @module
 */

import type { Payload } from "../wire/payload.ts";
import type { MessageModule } from "./module.ts";
import type { BoundField } from "./_bound.ts";
import {
  type DecodedFields,
  decodeFields,
  emptyFields,
  encodeFields,
  K_BOOL,
  K_BYTES,
  K_DOUBLE,
  K_ENUM,
  K_FLOAT,
  K_MESSAGE,
  type SlotValue,
  storedValue,
} from "./_pb_codec.ts";
import { attachedMessage } from "./_attached.ts";
import { NmsgFormatError } from "../wire/errors.ts";
import { ipFromText, ipToText } from "./dns/mod.ts";
import { cText } from "./_text.ts";
import type { FieldDef, RawValue } from "./types.ts";
import type { ModuleRegistry } from "./registry.ts";

/**
 * A field value as {@linkcode NmsgMessage.get} returns it: enum value names (or the number
 * of a value the enum does not define), text of `string`/`mlstring`/`ip` fields,
 * `Uint8Array` for `bytes`, `bigint` for 64-bit integers, `number` for the other numbers,
 * `boolean` for `bool`.
 *
 * @example
 * ```ts
 * import { defaultRegistry, type FieldValue, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const msg = new NmsgMessage(defaultRegistry().lookupByName("SIE", "delay")!)
 *   .set("query_ip", "::1").set("response_time_sec", 7);
 * const values: FieldValue[] = [msg.get("query_ip")!, msg.get("response_time_sec")!];
 * assert.deepEqual(values, ["::1", 7n]);
 * ```
 */
export type FieldValue = string | number | bigint | boolean | Uint8Array;

/**
 * A value {@linkcode NmsgMessage.set} accepts (see there for each field type).
 *
 * @example
 * ```ts
 * import { defaultRegistry, type FieldInput, NmsgMessage } from "@nmsg-deno/nmsg";
 *
 * const rcpt: FieldInput[] = ["a@example.com", new Uint8Array([0x62, 0x40, 0x78, 0])];
 * new NmsgMessage(defaultRegistry().lookupByName("base", "email")!).set("rcpt", rcpt);
 * ```
 */
export type FieldInput = string | number | bigint | boolean | Uint8Array;

const utf8 = new TextEncoder();

const RANGES: Partial<Record<FieldDef["type"], [bigint, bigint]>> = {
  uint16: [0n, 0xffffn],
  uint32: [0n, 0xffffffffn],
  uint64: [0n, 0xffffffffffffffffn],
  int16: [-0x8000n, 0x7fffn],
  int32: [-0x80000000n, 0x7fffffffn],
  int64: [-0x8000000000000000n, 0x7fffffffffffffffn],
};

/**
 * One NMSG message: a payload envelope plus its module, with typed access to the fields.
 * The payload bytes are decoded on the first field access, never before, and encoded
 * again by {@linkcode NmsgMessage.toPayload} only after a change.
 *
 * @example Reading a payload
 * ```ts
 * import { defaultRegistry, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const registry = defaultRegistry();
 * const p = new NmsgMessage(registry.lookupByName("base", "http")!)
 *   .set("type", "sinkhole")
 *   .set("srcip", "192.0.2.1")
 *   .set("dstport", 80)
 *   .toPayload();
 * const msg = NmsgMessage.fromPayload(p, registry)!;
 * assert.equal(msg.get("type"), "sinkhole");
 * assert.equal(msg.get("srcip"), "192.0.2.1");
 * assert.equal(msg.get("dstport"), 80);
 * assert.deepEqual([...msg.raw("srcip") as Uint8Array], [192, 0, 2, 1]);
 * ```
 *
 * @example Repeated fields
 * ```ts
 * import { defaultRegistry, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const email = new NmsgMessage(defaultRegistry().lookupByName("base", "email")!)
 *   .set("rcpt", ["a@example.com", "b@example.com"])
 *   .add("rcpt", "c@example.com");
 * assert.deepEqual(email.getAll("rcpt"), ["a@example.com", "b@example.com", "c@example.com"]);
 * assert.equal(email.count("rcpt"), 3);
 * ```
 */
export class NmsgMessage {
  /** The module that gives the payload its meaning. */
  readonly module: MessageModule;
  #envelope: Payload;
  #fields: DecodedFields | null | undefined;
  #dirty = false;
  #state: unknown;
  #stateLoaded = false;
  // Fields of an earlier payload, whose arrays the next decode refills (see retarget).
  #spare: DecodedFields | undefined;
  // Why the payload does not decode (when #fields is null).
  #decodeError: unknown;

  /**
   * Creates an empty message of a module, or wraps a payload of it.
   *
   * @param module The message's module.
   * @param payload The payload to wrap; default: a new one with time 0 and no fields.
   */
  constructor(module: MessageModule, payload?: Payload) {
    this.module = module;
    this.#envelope = payload ??
      { vid: module.vid, msgtype: module.msgtype, timeSec: 0, timeNsec: 0 };
    if (payload === undefined) this.#fields = emptyFields(module.compiled);
  }

  /**
   * Wraps a payload in a message of its registered module.
   *
   * @param p The payload.
   * @param registry Where to find the module.
   * @returns The message, or undefined if no module is registered for the payload's type.
   */
  static fromPayload(p: Payload, registry: ModuleRegistry): NmsgMessage | undefined {
    const known = attachedMessage(p);
    if (known !== undefined) return known;
    const module = registry.lookup(p.vid, p.msgtype);
    return module === undefined ? undefined : new NmsgMessage(module, p);
  }

  /** The envelope: ids, time, source, operator, group (payload bytes may be stale). */
  get envelope(): Readonly<Payload> {
    return this.#envelope;
  }

  /**
   * Changes envelope fields (time, source, operator, group).
   *
   * @param fields The fields to change; `undefined` removes source/operator/group.
   * @returns This message.
   */
  setEnvelope(
    fields: Partial<Pick<Payload, "timeSec" | "timeNsec" | "source" | "operator" | "group">>,
  ): this {
    const e: Payload = { ...this.#envelope, ...fields };
    for (const k of ["source", "operator", "group"] as const) {
      if (k in fields && fields[k] === undefined) delete e[k];
    }
    this.#envelope = e;
    return this;
  }

  /**
   * Points this message at another payload of its module, forgetting the fields and state
   * of the previous one, whose storage the next decode reuses: renderers keep one message
   * per module instead of allocating one per payload. Field hooks therefore must not keep
   * the message, or values they got from it, past their call.
   * @ignore
   */
  retarget(payload: Payload): void {
    this.#envelope = payload;
    if (this.#fields) this.#spare = this.#fields;
    this.#fields = undefined;
    this.#decodeError = undefined;
    this.#dirty = false;
    this.#state = undefined;
    this.#stateLoaded = false;
  }

  /**
   * The decoded fields by schema slot, or undefined when the payload does not decode.
   * @ignore
   */
  decoded(): DecodedFields | undefined {
    if (this.#fields === undefined) {
      // A payload without module bytes does not decode (unlike zero bytes, which may).
      const bytes = this.#envelope.payload;
      try {
        this.#fields = bytes === undefined
          ? null
          : decodeFields(this.module.compiled, bytes, this.#spare);
      } catch (e) {
        this.#fields = null;
        this.#decodeError = e;
      }
      this.#spare = undefined;
    }
    return this.#fields ?? undefined;
  }

  /**
   * Whether the payload decodes (valid protobuf with every required field).
   *
   * @returns True if the fields can be read.
   */
  isValid(): boolean {
    return this.decoded() !== undefined;
  }

  #fieldsOrThrow(): DecodedFields {
    const f = this.decoded();
    if (f === undefined) {
      const e = this.#decodeError;
      const why = e instanceof NmsgFormatError ? e : undefined;
      throw new NmsgFormatError(
        "protobuf",
        `${this.module.vname}/${this.module.mname} payload does not decode: ${
          why?.reason ?? "no payload bytes"
        }`,
        { offset: why?.offset, cause: e },
      );
    }
    return f;
  }

  #bound(name: string): BoundField {
    const b = this.module.byName.get(name);
    if (b === undefined) {
      throw new TypeError(`${this.module.vname}/${this.module.mname} has no field ${name}`);
    }
    return b;
  }

  /**
   * The module's derived state for this message (its `load` hook, run once).
   *
   * @returns Whatever the module's `load` hook returned, or undefined without one.
   */
  state(): unknown {
    if (!this.#stateLoaded) {
      this.#state = this.module.load?.(this);
      this.#stateLoaded = true;
    }
    return this.#state;
  }

  /**
   * Stored values of a field: one for a present field, all for a repeated field, the getter's
   * values for a virtual field.
   *
   * @param name The field name.
   * @returns The raw values (empty if absent).
   * @throws {NmsgFormatError} If the payload does not decode (see
   *   {@linkcode NmsgMessage.isValid}).
   */
  rawAll(name: string): RawValue[] {
    const b = this.#bound(name);
    if (b.pb === undefined) {
      const out: RawValue[] = [];
      for (let i = 0;; i++) {
        const v = b.def.get!(this, i, b.def);
        if (v === undefined) return out;
        out.push(v);
      }
    }
    const v = storedValue(this.#fieldsOrThrow(), b.pb);
    if (v === undefined) return [];
    return (b.pb.repeated ? (v as RawValue[]).slice() : [v]) as RawValue[];
  }

  /**
   * The stored value of a field (bytes for `string`/`ip`, enum numbers, …; see
   * {@linkcode RawValue}).
   *
   * @param name The field name.
   * @param index Which value of a repeated or virtual field.
   * @returns The value, or undefined if absent.
   * @throws {NmsgFormatError} If the payload does not decode (see
   *   {@linkcode NmsgMessage.isValid}).
   */
  raw(name: string, index = 0): RawValue | undefined {
    const b = this.#bound(name);
    if (b.pb === undefined) return b.def.get!(this, index, b.def);
    const v = storedValue(this.#fieldsOrThrow(), b.pb);
    if (b.pb.repeated) return (v as RawValue[])[index];
    return index === 0 ? v as RawValue | undefined : undefined;
  }

  /**
   * How many values a field has: 0/1 for an optional field, the length of a repeated one,
   * the number of derived values of a virtual one.
   *
   * @param name The field name.
   * @returns The count.
   * @throws {NmsgFormatError} If the payload does not decode (see
   *   {@linkcode NmsgMessage.isValid}).
   */
  count(name: string): number {
    return this.rawAll(name).length;
  }

  /**
   * Whether a field has a value.
   *
   * @param name The field name.
   * @returns True if present.
   * @throws {NmsgFormatError} If the payload does not decode (see
   *   {@linkcode NmsgMessage.isValid}).
   */
  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  /**
   * A field's value, typed (see {@linkcode FieldValue}).
   *
   * @param name The field name.
   * @param index Which value of a repeated or virtual field.
   * @returns The value, or undefined if absent (or an `ip` field of a bad length).
   * @throws {NmsgFormatError} If the payload does not decode (see
   *   {@linkcode NmsgMessage.isValid}).
   */
  get(name: string, index = 0): FieldValue | undefined {
    const v = this.raw(name, index);
    return v === undefined ? undefined : this.#typed(this.#bound(name), v);
  }

  /**
   * Every value of a field, typed.
   *
   * @param name The field name.
   * @returns The values (empty if absent).
   * @throws {NmsgFormatError} If the payload does not decode (see
   *   {@linkcode NmsgMessage.isValid}).
   */
  getAll(name: string): FieldValue[] {
    const b = this.#bound(name);
    const out: FieldValue[] = [];
    for (const v of this.rawAll(name)) {
      const t = this.#typed(b, v);
      if (t !== undefined) out.push(t);
    }
    return out;
  }

  #typed(b: BoundField, v: RawValue): FieldValue | undefined {
    switch (b.def.type) {
      case "enum":
        return b.enumNames?.get(v as number) ?? (v as number);
      case "string":
      case "mlstring":
        return cText(v as Uint8Array);
      case "ip":
        return ipToText(v as Uint8Array);
      case "uint64":
      case "int64":
        return typeof v === "bigint" ? v : BigInt(v as number);
      case "bool":
        return typeof v === "boolean" ? v : v !== 0;
      default:
        return v;
    }
  }

  /**
   * The number of an enum field's value name (case-insensitive).
   *
   * @param name The enum field.
   * @param valueName A value name.
   * @returns Its number, or undefined if the enum has no such value.
   */
  enumValue(name: string, valueName: string): number | undefined {
    const values = this.#bound(name).pb?.schema.enum?.values ?? [];
    const lower = valueName.toLowerCase();
    return values.find((v) => v.name === valueName)?.number ??
      values.find((v) => v.name.toLowerCase() === lower)?.number;
  }

  #convert(b: BoundField, v: FieldInput): RawValue {
    const def = b.def;
    const bad = () => new TypeError(`field ${def.name} (${def.type}) cannot take ${String(v)}`);
    switch (def.type) {
      case "enum": {
        if (typeof v === "string") {
          const n = this.enumValue(def.name, v);
          if (n === undefined) throw new RangeError(`field ${def.name} has no value ${v}`);
          return n;
        }
        if (typeof v === "number" && Number.isInteger(v) && v >= -0x80000000 && v <= 0xffffffff) {
          return v | 0;
        }
        throw bad();
      }
      case "bytes":
        if (v instanceof Uint8Array) return v;
        throw bad();
      case "string":
      case "mlstring":
        if (v instanceof Uint8Array) return v;
        if (typeof v === "string") {
          const enc = utf8.encode(v + "\0");
          return enc;
        }
        throw bad();
      case "ip": {
        if (v instanceof Uint8Array) {
          if (v.length === 0 || v.length === 4 || v.length === 16) return v;
          throw new RangeError(`field ${def.name} needs 4 or 16 bytes, got ${v.length}`);
        }
        const ip = typeof v === "string" ? ipFromText(v) : undefined;
        if (ip === undefined) throw bad();
        return ip;
      }
      case "bool":
        if (typeof v === "boolean") return v;
        throw bad();
      case "double":
        if (typeof v === "number") return v;
        throw bad();
      default: {
        const range = RANGES[def.type]!;
        let n: bigint;
        if (typeof v === "bigint") n = v;
        else if (typeof v === "number" && Number.isInteger(v)) n = BigInt(v);
        else throw bad();
        if (n < range[0] || n > range[1]) {
          throw new RangeError(`field ${def.name} (${def.type}) out of range: ${n}`);
        }
        return Number.isSafeInteger(Number(n)) && n <= 9007199254740991n &&
            n >= -9007199254740991n
          ? Number(n)
          : n;
      }
    }
  }

  #storable(b: BoundField, v: RawValue): SlotValue {
    const kind = b.pb!.kind;
    if (kind === K_BYTES && !(v instanceof Uint8Array)) throw new TypeError("bytes expected");
    if (kind === K_BOOL) return typeof v === "boolean" ? v : v !== 0;
    if (kind === K_MESSAGE) throw new TypeError(`field ${b.def.name} holds a message`);
    if ((kind === K_DOUBLE || kind === K_FLOAT || kind === K_ENUM) && typeof v !== "number") {
      throw new TypeError(`field ${b.def.name} needs a number`);
    }
    return v;
  }

  #writable(name: string): BoundField {
    const b = this.#bound(name);
    if (b.pb === undefined) throw new TypeError(`field ${name} is virtual and cannot be set`);
    this.#fieldsOrThrow();
    return b;
  }

  #changed(): void {
    this.#dirty = true;
    this.#stateLoaded = false;
    this.#state = undefined;
  }

  /**
   * Sets a field from typed values: enum value names (any case) or numbers; text (stored
   * UTF-8 with a trailing NUL, as nmsgtool stores strings) or raw bytes for
   * `string`/`mlstring`; address text or 4/16 bytes for `ip`; `Uint8Array` for `bytes`;
   * numbers or bigints in the type's range for integers; `boolean` for `bool`.
   *
   * @param name The field name.
   * @param value One value, or for a repeated field an array replacing all values;
   *   `undefined` clears the field.
   * @returns This message.
   * @throws {TypeError} For a virtual field or a value of the wrong type.
   * @throws {RangeError} For an out-of-range number or unknown enum name.
   * @throws {NmsgFormatError} If the payload does not decode (see
   *   {@linkcode NmsgMessage.isValid}).
   */
  set(name: string, value: FieldInput | readonly FieldInput[] | undefined): this {
    const b = this.#writable(name);
    if (value === undefined) return this.clear(name);
    const values = Array.isArray(value) ? value : [value as FieldInput];
    return this.setRaw(name, values.map((v) => this.#convert(b, v)));
  }

  /**
   * Appends a typed value to a repeated field.
   *
   * @param name The repeated field.
   * @param value The value (as for {@linkcode NmsgMessage.set}).
   * @returns This message.
   * @throws {NmsgFormatError} If the payload does not decode (see
   *   {@linkcode NmsgMessage.isValid}).
   */
  add(name: string, value: FieldInput): this {
    return this.addRaw(name, this.#convert(this.#writable(name), value));
  }

  /**
   * Stores raw values (see {@linkcode RawValue}) without conversion or range checks.
   *
   * @param name The field name.
   * @param value One value, or for a repeated field an array replacing all values.
   * @returns This message.
   * @throws {NmsgFormatError} If the payload does not decode (see
   *   {@linkcode NmsgMessage.isValid}).
   */
  setRaw(name: string, value: RawValue | readonly RawValue[]): this {
    const b = this.#writable(name);
    const fields = this.#fields!;
    const values = Array.isArray(value) ? value as readonly RawValue[] : [value as RawValue];
    if (b.pb!.repeated) {
      fields[b.pb!.slot] = values.map((v) => this.#storable(b, v));
    } else {
      if (values.length !== 1) throw new TypeError(`field ${name} takes one value`);
      fields[b.pb!.slot] = this.#storable(b, values[0]!);
    }
    this.#changed();
    return this;
  }

  /**
   * Appends a raw value to a repeated field.
   *
   * @param name The repeated field.
   * @param value The raw value.
   * @returns This message.
   * @throws {NmsgFormatError} If the payload does not decode (see
   *   {@linkcode NmsgMessage.isValid}).
   */
  addRaw(name: string, value: RawValue): this {
    const b = this.#writable(name);
    if (!b.pb!.repeated) throw new TypeError(`field ${name} is not repeated`);
    (this.#fields![b.pb!.slot] as SlotValue[]).push(this.#storable(b, value));
    this.#changed();
    return this;
  }

  /**
   * Removes a field's value(s).
   *
   * @param name The field name.
   * @returns This message.
   * @throws {NmsgFormatError} If the payload does not decode (see
   *   {@linkcode NmsgMessage.isValid}).
   */
  clear(name: string): this {
    const b = this.#writable(name);
    this.#fields![b.pb!.slot] = b.pb!.repeated ? [] : undefined;
    this.#changed();
    return this;
  }

  /**
   * The payload with the current fields, encoded as protobuf-c would (only if something
   * changed; otherwise the original payload is returned as is). Required fields never set
   * are written as zero, as libnmsg does.
   *
   * @returns The payload.
   */
  toPayload(): Payload {
    if (!this.#dirty) return this.#envelope;
    const payload = encodeFields(this.module.compiled, this.#fields!);
    const p: Payload = { ...this.#envelope, payload };
    this.#envelope = p;
    this.#dirty = false;
    return p;
  }
}

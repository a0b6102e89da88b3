/**
 * A message module: a protobuf schema plus the ordered field table that says how NMSG
 * presents, formats and parses each field.
 *
 * @module
 */

import { type CompiledSchema, compileSchema } from "./_pb_codec.ts";
import { type BoundField, TYPE_CODES } from "./_bound.ts";
import { fastHooks } from "./_fast.ts";
import { ascii } from "./_out.ts";
import type { NmsgMessage } from "./message.ts";
import type { FieldDef, MessageSchema } from "./types.ts";

/**
 * What a module is made of: the ids, names, schema, field table and `load` hook (optional)
 * of a {@linkcode MessageModule}, documented there.
 *
 * @example
 * ```ts
 * import { MessageModule, type ModuleDefinition } from "@nmsg-deno/nmsg";
 *
 * const def: ModuleDefinition = {
 *   vid: 1000,
 *   vname: "acme",
 *   msgtype: 2,
 *   mname: "note",
 *   schema: { typeName: "acme.Note", fields: [{ name: "text", number: 1, type: "bytes", label: "optional" }] },
 *   fields: [{ name: "text", type: "mlstring" }],
 * };
 * new MessageModule(def);
 * ```
 */
export type ModuleDefinition =
  & Pick<MessageModule, "vid" | "vname" | "msgtype" | "mname" | "schema" | "fields">
  & { readonly load?: MessageModule["load"] };

/**
 * A message module: how one (vendor, message type) payload is decoded and rendered.
 *
 * Each field table entry is bound to the schema field of the same name; an entry with no
 * such schema field is virtual and must have a `get` hook.
 *
 * @example A module of one's own
 * ```ts
 * import { MessageModule, ModuleRegistry, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const mod = new MessageModule({
 *   vid: 1000,
 *   vname: "acme",
 *   msgtype: 1,
 *   mname: "ping",
 *   schema: {
 *     typeName: "acme.Ping",
 *     fields: [{ name: "host", number: 1, type: "bytes", label: "optional" }],
 *   },
 *   fields: [{ name: "host", type: "string" }],
 * });
 * const registry = new ModuleRegistry([mod]);
 * const msg = new NmsgMessage(mod).set("host", "example.net");
 * assert.equal(NmsgMessage.fromPayload(msg.toPayload(), registry)?.get("host"), "example.net");
 * ```
 */
export class MessageModule {
  /** Vendor id (1 = base, 2 = SIE). */
  readonly vid: number;
  /** Vendor name as rendered (`base`, `SIE`). */
  readonly vname: string;
  /** Message type id within the vendor. */
  readonly msgtype: number;
  /** Message type name as rendered (lower case by convention). */
  readonly mname: string;
  /** The protobuf message the payload holds. */
  readonly schema: MessageSchema;
  /** The field table, in output order. */
  readonly fields: readonly FieldDef[];
  /**
   * Computes per-message state that getters share (libnmsg `msg_load`), once per message
   * and only when a hook asks for it through {@linkcode NmsgMessage.state}; optional.
   */
  readonly load: ((msg: NmsgMessage) => unknown) | undefined;
  /** @ignore */
  readonly compiled: CompiledSchema;
  /** @ignore */
  readonly bound: readonly BoundField[];
  /** @ignore */
  readonly byName: ReadonlyMap<string, BoundField>;

  /**
   * Builds a module, binding each field table entry to its schema field.
   *
   * @param def The module's ids, names, schema, field table and hooks.
   * @throws {TypeError} If an entry is neither bound nor has a getter, or names repeat.
   */
  constructor(def: ModuleDefinition) {
    this.vid = def.vid;
    this.vname = def.vname;
    this.msgtype = def.msgtype;
    this.mname = def.mname;
    this.schema = def.schema;
    this.fields = def.fields;
    this.load = def.load;
    this.compiled = compileSchema(def.schema);
    const byName = new Map<string, BoundField>();
    this.bound = def.fields.map((f, index) => {
      if (byName.has(f.name)) throw new TypeError(`${def.mname}: duplicate field ${f.name}`);
      const slot = this.compiled.byName.get(f.name);
      const pb = slot === undefined ? undefined : this.compiled.fields[slot];
      if (pb === undefined && f.get === undefined) {
        throw new TypeError(`${def.mname}: field ${f.name} is not in the schema and has no getter`);
      }
      const values = pb?.schema.enum?.values;
      const fast = fastHooks(f);
      const b: BoundField = {
        def: f,
        index,
        pb,
        enumNames: values && new Map(values.map((v) => [v.number, v.name])),
        enumBytes: values && new Map(values.map((v) => [v.number, ascii(v.name)])),
        name: ascii(f.name),
        presKey: ascii(`${f.name}: `),
        jsonKey: ascii(`"${f.name}":`),
        jsonNextKey: ascii(`,"${f.name}":`),
        presTo: fast?.pres,
        textTo: fast?.text,
        jsonTo: fast?.json,
        type: TYPE_CODES[f.type],
        narrow: f.type === "uint16" || f.type === "int16",
        presSkip: f.hidden === true || f.noprint === true,
        get: f.get,
        print: f.print,
        format: f.format,
        formatRaw: f.formatRaw === true,
        listAll: f.repeated === true,
      };
      byName.set(f.name, b);
      return b;
    });
    this.byName = byName;
  }

  /**
   * Looks up a field table entry.
   *
   * @param name The field name.
   * @returns The entry, or undefined.
   *
   * @example
   * ```ts
   * import { defaultRegistry } from "@nmsg-deno/nmsg";
   * import assert from "node:assert/strict";
   *
   * const http = defaultRegistry().lookupByName("base", "http")!;
   * assert.equal(http.field("request")?.type, "mlstring");
   * ```
   */
  field(name: string): FieldDef | undefined {
    return this.byName.get(name)?.def;
  }
}

/**
 * base/dnstap (1:13): a dnstap frame. Everything but the frame's identity, version, extra
 * and type lives in its nested `Message` and is reached through getters, including the
 * DNS header fields parsed from the logged message.
 *
 * @module
 */

import {
  DnstapSchema,
  Message_TypeSchema,
  SocketFamilySchema,
  SocketProtocolSchema,
} from "../../../gen/dnstap/dnstap_pb.ts";
import { skipName } from "../dns/mod.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import { classField, messageFields, nameField, rcodeField, typeField } from "../_dns_fields.ts";
import type { DecodedFields } from "../_pb_codec.ts";
import type { MessageModule } from "../module.ts";
import type { NmsgMessage } from "../message.ts";
import type { FieldDef, RawValue } from "../types.ts";

// The nested Message's schema: slot of each field by name, and the default enum values.
const nested = builtinNested();

function builtinNested() {
  const fields = DnstapSchema.field.message!.message!.fields;
  const slots = new Map<string, number>();
  [...fields].sort((a, b) => a.number - b.number).forEach((f, i) => slots.set(f.name, i));
  return slots;
}

/** The decoded nested `Message`, if present. */
function inner(msg: NmsgMessage): DecodedFields | undefined {
  const fields = msg.decoded();
  const slot = msg.module.compiled.byName.get("message")!;
  return fields?.[slot] as DecodedFields | undefined;
}

function innerValue(msg: NmsgMessage, name: string): RawValue | undefined {
  return inner(msg)?.[nested.get(name)!] as RawValue | undefined;
}

/** A getter of an optional `Message` field (the same name unless given). */
function innerGetter(name?: string) {
  return (msg: NmsgMessage, index: number, f: FieldDef): RawValue | undefined =>
    index === 0 ? innerValue(msg, name ?? f.name) : undefined;
}

/** An enum-valued `Message` field: absent reads as the first value, unknown values fail. */
function innerEnum(
  name: string,
  inside: string,
  values: readonly { name: string; number: number }[],
): FieldDef {
  const names = new Map(values.map((v) => [v.number, v.name]));
  const first = values[0]!.number;
  return field(name, "uint32", {
    get: (msg, index) => {
      if (index !== 0 || inner(msg) === undefined) return undefined;
      return innerValue(msg, inside) ?? first;
    },
    print: (_m, v, f, endline) => {
      const n = names.get(v as number);
      return n === undefined ? undefined : `${f.name}: ${n}${endline}`;
    },
    format: (_m, v) => names.get(v as number),
  });
}

/** DNS header fields of the logged query (or else response) message. */
interface DnstapState {
  id?: number;
  rcode?: number;
  qname?: Uint8Array;
  qtype?: number;
  qclass?: number;
}

function load(msg: NmsgMessage): DnstapState {
  const wire = (innerValue(msg, "query_message") ?? innerValue(msg, "response_message")) as
    | Uint8Array
    | undefined;
  if (wire === undefined || wire.length < 12) return {};
  const s: DnstapState = {
    id: (wire[0]! << 8) | wire[1]!,
    rcode: wire[3]! & 0xf,
  };
  const qdcount = (wire[4]! << 8) | wire[5]!;
  if (qdcount === 1 && wire.length > 12) {
    const end = Math.min(skipName(wire, 12), wire.length);
    s.qname = wire.subarray(12, end);
    if (wire.length - end >= 2) {
      s.qtype = (wire[end]! << 8) | wire[end + 1]!;
      if (wire.length - end >= 4) s.qclass = (wire[end + 2]! << 8) | wire[end + 3]!;
    }
  }
  return s;
}

function derived(key: keyof DnstapState) {
  return (msg: NmsgMessage, index: number): RawValue | undefined =>
    index === 0 ? (msg.state() as DnstapState)[key] : undefined;
}

/** The base/dnstap module. */
export const dnstapModule: MessageModule = builtin(
  VID_BASE,
  13,
  "dnstap",
  DnstapSchema,
  [
    field("identity", "bytes"),
    field("version", "bytes"),
    field("extra", "bytes"),
    field("type", "enum"),
    innerEnum("message_type", "type", Message_TypeSchema.values),
    innerEnum("socket_family", "socket_family", SocketFamilySchema.values),
    innerEnum("socket_protocol", "socket_protocol", SocketProtocolSchema.values),
    field("query_address", "ip", { get: innerGetter() }),
    field("query_port", "uint32", { get: innerGetter() }),
    field("query_time_sec", "uint64", { get: innerGetter() }),
    field("query_time_nsec", "uint32", { get: innerGetter() }),
    ...messageFields("query_message", "query_json", innerGetter("query_message")),
    field("response_address", "ip", { get: innerGetter() }),
    field("response_port", "uint32", { get: innerGetter() }),
    field("response_time_sec", "uint64", { get: innerGetter() }),
    field("response_time_nsec", "uint32", { get: innerGetter() }),
    nameField("query_zone", { get: innerGetter() }),
    ...messageFields("response_message", "response_json", innerGetter("response_message")),
    field("id", "uint16", { get: derived("id") }),
    nameField("qname", { get: derived("qname") }),
    classField("qclass", "base", { get: derived("qclass") }),
    typeField("qtype", "base", { get: derived("qtype") }),
    rcodeField("rcode", { get: derived("rcode") }),
  ],
  load,
);

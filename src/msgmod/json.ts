/**
 * JSON output: the one-line JSON objects `nmsgtool -J` writes, byte for byte.
 *
 * @module
 */

import type { Payload } from "../wire/payload.ts";
import { ipToText } from "./dns/mod.ts";
import { NmsgRenderError } from "./errors.ts";
import type { BoundField } from "./_bound.ts";
import { NmsgMessage } from "./message.ts";
import { storedValue } from "./_pb_codec.ts";
import { jsonDouble, jsonSigned, jsonTimeText } from "./_number.ts";
import { jsonQuote, jsonStringLiteral } from "./_text.ts";
import { asI16, asI32, asU16, asU32, hookValue, u64Text } from "./_values.ts";
import type { ModuleRegistry } from "./registry.ts";
import type { RenderOptions } from "./render_options.ts";
import type { RawValue } from "./types.ts";

/** One value as JSON text, or undefined if a formatter failed. */
function jsonValue(msg: NmsgMessage, b: BoundField, v: RawValue): string | undefined {
  const def = b.def;
  if (def.format) {
    const text = def.format(msg, hookValue(def.type, v), def);
    if (text === undefined) return undefined;
    return def.formatRaw ? text : jsonQuote(text);
  }
  switch (def.type) {
    case "bytes": {
      const data = v as Uint8Array;
      return data.length === 0 ? "null" : `"${data.toBase64()}"`;
    }
    case "string":
    case "mlstring":
      return jsonStringLiteral(v as Uint8Array);
    case "bool":
      return v ? "true" : "false";
    case "enum": {
      const n = b.enumNames?.get(v as number);
      return n === undefined ? String(asU32(v)) : `"${n}"`;
    }
    case "ip": {
      const text = ipToText(v as Uint8Array);
      return text === undefined ? "null" : `"${text}"`;
    }
    case "uint16":
      return String(asU16(v));
    case "uint32":
      return String(asU32(v));
    case "uint64":
      return u64Text(v);
    case "int16":
      return jsonSigned(asI16(v));
    case "int32":
      return jsonSigned(asI32(v));
    case "int64":
      return jsonSigned(typeof v === "bigint" ? BigInt.asIntN(64, v) : v as number);
    case "double":
      return jsonDouble(v as number);
  }
}

/**
 * The `message` object of a message's JSON rendering, or undefined when libnmsg would
 * fail: the payload does not decode or a field formatter fails.
 *
 * @param msg The message.
 * @returns The JSON object text.
 *
 * @example
 * ```ts
 * import { defaultRegistry, formatJsonBody, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const msg = new NmsgMessage(defaultRegistry().lookupByName("base", "email")!)
 *   .set("type", "spamtrap").set("rcpt", ["a@example.com"]);
 * assert.equal(
 *   formatJsonBody(msg),
 *   '{"type":"spamtrap","rcpt":["a@example.com"],"bodyurl":[]}',
 * );
 * ```
 */
export function formatJsonBody(msg: NmsgMessage): string | undefined {
  const fields = msg.decoded();
  if (fields === undefined) return undefined;
  let out = "{";
  let sep = "";
  for (const b of msg.module.bound) {
    const def = b.def;
    if (b.pb === undefined) {
      // Virtual: the getter's first value, or all of them in a list when flagged repeated.
      const get = def.get!;
      let i = 0;
      for (;; i++) {
        const v = get(msg, i, def);
        if (v === undefined) break;
        if (i === 0) {
          out += `${sep}"${def.name}":${def.repeated ? "[" : ""}`;
          sep = ",";
        } else out += ",";
        const s = jsonValue(msg, b, v);
        if (s === undefined) return undefined;
        out += s;
        if (!def.repeated) break;
      }
      if (i > 0 && def.repeated) out += "]";
      continue;
    }
    const v = storedValue(fields, b.pb);
    if (b.pb.repeated) {
      out += `${sep}"${def.name}":[`;
      sep = ",";
      const list = v as RawValue[];
      for (let i = 0; i < list.length; i++) {
        const s = jsonValue(msg, b, list[i]!);
        if (s === undefined) return undefined;
        out += i === 0 ? s : "," + s;
      }
      out += "]";
    } else if (v !== undefined) {
      const s = jsonValue(msg, b, v as RawValue);
      if (s === undefined) return undefined;
      out += `${sep}"${def.name}":${s}`;
      sep = ",";
    }
  }
  return out + "}";
}

function idJson(id: number, name: string | undefined): string {
  return name === undefined ? String(id) : jsonQuote(name);
}

/**
 * Renders a payload as one line of `nmsgtool -J` output (without the newline):
 * `{"time":…,"vname":…,"mname":…[,"source":…][,"operator":…][,"group":…],"message":{…}}`,
 * with libnmsg's number, string and double formatting.
 *
 * @param p The payload.
 * @param registry Where to find its module.
 * @param options Aliases and output-level source/operator/group (`endline` is ignored).
 * @returns The JSON text.
 * @throws {NmsgRenderError} If no module is registered for the payload, its bytes do not
 *   decode or a field formatter fails (nmsgtool stops its JSON output then).
 *
 * @example
 * ```ts
 * import { defaultRegistry, formatJson, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const registry = defaultRegistry();
 * const p = new NmsgMessage(registry.lookupByName("base", "logline")!)
 *   .set("category", "auth")
 *   .setEnvelope({ timeSec: 1577836800, timeNsec: 5, source: 0xab })
 *   .toPayload();
 * assert.equal(
 *   formatJson(p, registry),
 *   '{"time":"2020-01-01 00:00:00.000000005","vname":"base","mname":"logline",' +
 *     '"source":"000000ab","message":{"category":"auth"}}',
 * );
 * ```
 */
export function formatJson(
  p: Payload,
  registry: ModuleRegistry,
  options: RenderOptions = {},
): string {
  const msg = NmsgMessage.fromPayload(p, registry);
  if (msg === undefined) {
    throw new NmsgRenderError(`no message module for vendor ${p.vid} type ${p.msgtype}`);
  }
  const body = formatJsonBody(msg);
  if (body === undefined) {
    throw new NmsgRenderError(
      `cannot render ${msg.module.vname}/${msg.module.mname} payload as JSON`,
    );
  }
  let out = `{"time":"${jsonTimeText(p.timeSec, p.timeNsec)}","vname":${
    jsonQuote(registry.vendorName(p.vid) ?? "(unknown)")
  },"mname":${jsonQuote(msg.module.mname)}`;
  const source = (options.source || p.source || 0) >>> 0;
  if (source !== 0) out += `,"source":"${source.toString(16).padStart(8, "0")}"`;
  const operator = (options.operator || p.operator || 0) >>> 0;
  if (operator !== 0) {
    out += `,"operator":${idJson(operator, options.aliases?.operatorName(operator))}`;
  }
  const group = (options.group || p.group || 0) >>> 0;
  if (group !== 0) out += `,"group":${idJson(group, options.aliases?.groupName(group))}`;
  return `${out},"message":${body}}`;
}

/**
 * Presentation output: the human-readable text `nmsgtool` writes by default, byte for byte.
 *
 * @module
 */

import type { Payload } from "../wire/payload.ts";
import type { BoundField } from "./_bound.ts";
import { NmsgMessage } from "./message.ts";
import { storedValue } from "./_pb_codec.ts";
import { ipToText } from "./dns/mod.ts";
import { formatFixed, utcText } from "./_number.ts";
import { cText } from "./_text.ts";
import { asI16, asI32, asU16, asU32, hookValue, i64Text, u64Text } from "./_values.ts";
import type { ModuleRegistry } from "./registry.ts";
import type { RenderOptions } from "./render_options.ts";
import type { RawValue } from "./types.ts";

/** One value by the field's type, libnmsg's generic presentation renderer. */
function typedLine(b: BoundField, v: RawValue, endline: string): string {
  const name = b.def.name;
  switch (b.def.type) {
    case "bytes":
      return `${name}: <BYTE ARRAY LEN=${(v as Uint8Array).length}>${endline}`;
    case "string":
      return `${name}: ${cText(v as Uint8Array)}${endline}`;
    case "mlstring":
      return `${name}:${endline}${cText(v as Uint8Array)}.${endline}`;
    case "bool":
      return `${name}: ${v ? "True" : "False"}${endline}`;
    case "enum": {
      const n = b.enumNames?.get(v as number);
      return n === undefined
        ? `${name}: <UNKNOWN ENUM VAL=${asU32(v)}>${endline}`
        : `${name}: ${n}${endline}`;
    }
    case "ip": {
      const ip = v as Uint8Array;
      const text = ipToText(ip);
      return text === undefined
        ? `${name}: <INVALID IP len=${ip.length}>${endline}`
        : `${name}: ${text}${endline}`;
    }
    case "uint16":
      return `${name}: ${asU16(v)}${endline}`;
    case "uint32":
      return `${name}: ${asU32(v)}${endline}`;
    case "uint64":
      return `${name}: ${u64Text(v)}${endline}`;
    case "int16":
      return `${name}: ${asI16(v)}${endline}`;
    case "int32":
      return `${name}: ${asI32(v)}${endline}`;
    case "int64":
      return `${name}: ${i64Text(v)}${endline}`;
    case "double":
      return `${name}: ${formatFixed(v as number, 6)}${endline}`;
  }
}

/** One value's line(s), or undefined if a hook failed. */
function valueLines(
  msg: NmsgMessage,
  b: BoundField,
  v: RawValue,
  endline: string,
): string | undefined {
  const def = b.def;
  if (def.print) return def.print(msg, hookValue(def.type, v), def, endline);
  if (def.format && !def.formatRaw) {
    const text = def.format(msg, hookValue(def.type, v), def);
    return text === undefined ? undefined : `${def.name}: ${text}${endline}`;
  }
  return typedLine(b, v, endline);
}

/**
 * The body of a message's presentation (the field lines, without the header line), or
 * undefined when libnmsg would render nothing: the payload does not decode or a field
 * hook fails.
 *
 * @param msg The message.
 * @param endline Line terminator.
 * @returns The field lines.
 *
 * @example
 * ```ts
 * import { defaultRegistry, formatPresentationBody, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const msg = new NmsgMessage(defaultRegistry().lookupByName("base", "logline")!)
 *   .set("category", "auth").set("message", "login ok");
 * assert.equal(formatPresentationBody(msg), "category: auth\nmessage: login ok\n");
 * ```
 */
export function formatPresentationBody(msg: NmsgMessage, endline = "\n"): string | undefined {
  const fields = msg.decoded();
  if (fields === undefined) return undefined;
  let out = "";
  for (const b of msg.module.bound) {
    const def = b.def;
    if (def.hidden || def.noprint) continue;
    if (def.get) {
      for (let i = 0;; i++) {
        const v = def.get(msg, i, def);
        if (v === undefined) break;
        const s = valueLines(msg, b, v, endline);
        if (s === undefined) return undefined;
        out += s;
      }
      continue;
    }
    const v = storedValue(fields, b.pb!);
    if (v === undefined) continue;
    if (b.pb!.repeated) {
      for (const e of v as RawValue[]) {
        const s = valueLines(msg, b, e, endline);
        if (s === undefined) return undefined;
        out += s;
      }
    } else {
      const s = valueLines(msg, b, v as RawValue, endline);
      if (s === undefined) return undefined;
      out += s;
    }
  }
  return out;
}

/** `[operator]` / `[group]` text: alias, else the number, empty for 0. */
function idText(id: number, name: string | undefined): string {
  return id === 0 ? "" : name ?? String(id);
}

/**
 * Renders a payload the way `nmsgtool`'s presentation output does: the header line
 * `[size] [time] [vid:msgtype vendor type] [source] [operator] [group] ` + endline, the
 * field lines, and an empty line. A payload of no registered module renders as
 * `<UNKNOWN NMSG vid:msgtype>`.
 *
 * Field text is byte-faithful: bytes that are not valid UTF-8 come out as the lone
 * surrogates U+DC80–U+DCFF; {@linkcode encodeText} turns the text into the exact bytes
 * (`TextEncoder` gives the same bytes whenever the text is well-formed).
 *
 * @param p The payload.
 * @param registry Where to find its module.
 * @param options Endline, aliases and output-level source/operator/group.
 * @returns The record text, or undefined when nmsgtool writes nothing for the payload (its
 *   module fails to render it).
 *
 * @example
 * ```ts
 * import { defaultRegistry, formatPresentation, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const registry = defaultRegistry();
 * const p = new NmsgMessage(registry.lookupByName("base", "logline")!)
 *   .set("category", "auth")
 *   .setEnvelope({ timeSec: 1577836800, timeNsec: 5, operator: 7 })
 *   .toPayload();
 * assert.equal(
 *   formatPresentation(p, registry),
 *   "[7] [2020-01-01 00:00:00.000000005] [1:6 base logline] [00000000] [7] [] \n" +
 *     "category: auth\n\n",
 * );
 * ```
 */
export function formatPresentation(
  p: Payload,
  registry: ModuleRegistry,
  options: RenderOptions = {},
): string | undefined {
  const endline = options.endline ?? "\n";
  let body: string | undefined;
  const msg = NmsgMessage.fromPayload(p, registry);
  if (msg === undefined) body = `<UNKNOWN NMSG ${p.vid >>> 0}:${p.msgtype >>> 0}>${endline}`;
  else {
    body = formatPresentationBody(msg, endline);
    if (body === undefined) return undefined;
  }
  const vname = registry.vendorName(p.vid) ?? "(unknown)";
  const mname = registry.msgtypeName(p.vid, p.msgtype) ?? "(unknown)";
  const source = (options.source || p.source || 0) >>> 0;
  const operator = (options.operator || p.operator || 0) >>> 0;
  const group = (options.group || p.group || 0) >>> 0;
  const aliases = options.aliases;
  const nsec = String(p.timeNsec >>> 0);
  return `[${p.payload?.length ?? 0}] [${utcText(p.timeSec)}.${nsec.padStart(9, "0")}] [${
    p.vid | 0
  }:${p.msgtype | 0} ${vname} ${mname}] [${source.toString(16).padStart(8, "0")}] [${
    idText(operator, aliases?.operatorName(operator))
  }] [${idText(group, aliases?.groupName(group))}] ${endline}${body}\n`;
}

// The presentation writer: whole records and message bodies appended to a TextSink, as
// nmsgtool's presentation output writes them. The public API is in presentation.ts; outputs
// append records to buffers of their own through writePresentationRecord.

import type { Payload } from "../wire/payload.ts";
import { type TextSink, writeIpText } from "./_dns_bytes.ts";
import {
  type BoundField,
  T_BOOL,
  T_BYTES,
  T_DOUBLE,
  T_ENUM,
  T_IP,
  T_MLSTRING,
  T_STRING,
} from "./_bound.ts";
import { endlineBytes } from "./_fast.ts";
import type { NmsgMessage } from "./message.ts";
import { renderMessage } from "./_render_message.ts";
import { formatFixed } from "./_number.ts";
import { ascii, idAlias, shownId, writeCString, writeHex32, writeText, writeUtc } from "./_out.ts";
import type { Aliases } from "./aliases.ts";
import { storedValue } from "./_pb_codec.ts";
import { asU16, asU32, writeInteger } from "./_values.ts";
import type { MessageModule } from "./module.ts";
import type { ModuleRegistry } from "./registry.ts";
import type { RenderOptions } from "./render_options.ts";
import type { RawValue } from "./types.ts";

const BYTE_ARRAY = ascii("<BYTE ARRAY LEN=");
const UNKNOWN_ENUM = ascii("<UNKNOWN ENUM VAL=");
const INVALID_IP = ascii("<INVALID IP len=");
const TRUE = ascii("True");
const FALSE = ascii("False");

/** One value by the field's type: libnmsg's generic presentation renderer. */
function writeTyped(out: TextSink, b: BoundField, v: RawValue, endline: Uint8Array): void {
  const type = b.type;
  if (type === T_MLSTRING) {
    out.lit(b.name);
    out.byte(0x3a);
    out.lit(endline);
    writeCString(out, v as Uint8Array);
    out.byte(0x2e);
    out.lit(endline);
    return;
  }
  out.lit(b.presKey);
  switch (type) {
    case T_BYTES:
      out.lit(BYTE_ARRAY);
      out.uint((v as Uint8Array).length);
      out.byte(0x3e);
      break;
    case T_STRING:
      writeCString(out, v as Uint8Array);
      break;
    case T_BOOL:
      out.lit(v ? TRUE : FALSE);
      break;
    case T_ENUM: {
      const n = b.enumBytes?.get(v as number);
      if (n) out.lit(n);
      else {
        out.lit(UNKNOWN_ENUM);
        out.uint(asU32(v));
        out.byte(0x3e);
      }
      break;
    }
    case T_IP: {
      const ip = v as Uint8Array;
      if (!writeIpText(out, ip)) {
        out.lit(INVALID_IP);
        out.uint(ip.length);
        out.byte(0x3e);
      }
      break;
    }
    case T_DOUBLE:
      out.ascii(formatFixed(v as number, 6));
      break;
    default:
      writeInteger(out, type, v, false);
  }
  out.lit(endline);
}

/** One value's line(s); false if a hook failed. */
function writeValue(
  out: TextSink,
  msg: NmsgMessage,
  b: BoundField,
  v: RawValue,
  endline: Uint8Array,
  endlineText: string,
): boolean {
  if (b.presTo !== undefined) return b.presTo(out, msg, b.narrow ? asU16(v) : v, b.def, endline);
  if (b.print !== undefined) {
    const s = b.print(msg, b.narrow ? asU16(v) : v, b.def, endlineText);
    if (s === undefined) return false;
    writeText(out, s);
    return true;
  }
  if (!b.formatRaw && (b.textTo !== undefined || b.format !== undefined)) {
    out.lit(b.presKey);
    const hv = b.narrow ? asU16(v) : v;
    if (b.textTo !== undefined) {
      if (!b.textTo(out, msg, hv, b.def)) return false;
    } else {
      const s = b.format!(msg, hv, b.def);
      if (s === undefined) return false;
      writeText(out, s);
    }
    out.lit(endline);
    return true;
  }
  writeTyped(out, b, v, endline);
  return true;
}

/** Appends a message's field lines; false (with `out` restored) if it cannot be rendered. */
export function writePresentationBody(
  out: TextSink,
  msg: NmsgMessage,
  endlineText: string,
): boolean {
  const fields = msg.decoded();
  if (fields === undefined) return false;
  const endline = endlineBytes(endlineText);
  const start = out.len;
  const bound = msg.module.bound;
  for (let k = 0; k < bound.length; k++) {
    const b = bound[k]!;
    if (b.presSkip) continue;
    let ok = true;
    const get = b.get;
    if (get !== undefined) {
      for (let i = 0; ok; i++) {
        const v = get(msg, i, b.def);
        if (v === undefined) break;
        ok = writeValue(out, msg, b, v, endline, endlineText);
      }
    } else {
      const v = storedValue(fields, b.pb!);
      if (v === undefined) continue;
      if (b.pb!.repeated) {
        const list = v as RawValue[];
        for (let i = 0; ok && i < list.length; i++) {
          ok = writeValue(out, msg, b, list[i]!, endline, endlineText);
        }
      } else {
        ok = writeValue(out, msg, b, v as RawValue, endline, endlineText);
      }
    }
    if (!ok) {
      out.clip(start);
      return false;
    }
  }
  return true;
}

/** Leading zeros for %09u: ZEROS[digits of n]. */
const ZEROS = Array.from({ length: 10 }, (_, d) => ascii("0".repeat(Math.max(0, 9 - d))));

function digits(n: number): number {
  let d = 1;
  while (n >= 10 && d < 9) {
    n = (n / 10) | 0;
    d++;
  }
  return d;
}

/** `vid:msgtype vname mname` of a module, as bytes. */
const moduleIds = new WeakMap<MessageModule, Uint8Array>();

function idsOf(m: MessageModule): Uint8Array {
  let b = moduleIds.get(m);
  if (b === undefined) {
    moduleIds.set(m, b = ascii(`${m.vid | 0}:${m.msgtype | 0} ${m.vname} ${m.mname}`));
  }
  return b;
}

function writeId(out: TextSink, id: number, aliases: Aliases | undefined, group: boolean): void {
  if (id === 0) return;
  const name = idAlias(aliases, group, id);
  if (name === undefined) out.uint(id);
  else writeText(out, name);
}

/** Appends a whole record; false (nothing appended) when nmsgtool writes nothing for it. */
export function writePresentationRecord(
  out: TextSink,
  p: Payload,
  registry: ModuleRegistry,
  options: RenderOptions,
): boolean {
  const endlineText = options.endline ?? "\n";
  const endline = endlineBytes(endlineText);
  const start = out.len;
  const msg = renderMessage(p, registry);
  out.byte(0x5b);
  out.uint(p.payload?.length ?? 0);
  out.lit(HEADER_TIME);
  writeUtc(out, p.timeSec);
  out.byte(0x2e);
  const nsec = p.timeNsec >>> 0;
  if (nsec < 100000000) out.lit(ZEROS[digits(nsec)]!);
  out.uint(nsec);
  out.lit(HEADER_IDS);
  if (msg !== undefined) out.lit(idsOf(msg.module));
  else {
    out.ascii(
      `${p.vid | 0}:${p.msgtype | 0} ${registry.vendorName(p.vid) ?? "(unknown)"} (unknown)`,
    );
  }
  out.lit(HEADER_SOURCE);
  writeHex32(out, shownId(options.source, p.source));
  out.lit(HEADER_GAP);
  writeId(out, shownId(options.operator, p.operator), options.aliases, false);
  out.lit(HEADER_GAP);
  writeId(out, shownId(options.group, p.group), options.aliases, true);
  out.lit(HEADER_END);
  out.lit(endline);
  if (msg === undefined) {
    out.lit(UNKNOWN);
    out.uint(p.vid >>> 0);
    out.byte(0x3a);
    out.uint(p.msgtype >>> 0);
    out.byte(0x3e);
    out.lit(endline);
  } else if (!writePresentationBody(out, msg, endlineText)) {
    out.clip(start);
    return false;
  }
  out.byte(0x0a);
  return true;
}

const HEADER_TIME = ascii("] [");
const HEADER_IDS = ascii("] [");
const HEADER_SOURCE = ascii("] [");
const HEADER_GAP = ascii("] [");
const HEADER_END = ascii("] ");
const UNKNOWN = ascii("<UNKNOWN NMSG ");

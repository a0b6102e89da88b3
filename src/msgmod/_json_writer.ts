// The JSON writer: whole `nmsgtool -J` lines and `message` objects appended to a TextSink.
// The public API is in json.ts; outputs append records to buffers of their own through
// writeJsonRecord.

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
import { NmsgRenderError } from "./errors.ts";
import type { NmsgMessage } from "./message.ts";
import { renderMessage } from "./_render_message.ts";
import { fixedDigits, jsonDouble, jsonTimeText } from "./_number.ts";
import {
  ascii,
  forgetBase64,
  idAlias,
  shownId,
  writeBase64,
  writeHex32,
  writeJsonCString,
  writeJsonText,
  writeText,
} from "./_out.ts";
import type { Aliases } from "./aliases.ts";
import { storedValue } from "./_pb_codec.ts";
import { asU16, asU32, writeInteger } from "./_values.ts";
import type { MessageModule } from "./module.ts";
import type { ModuleRegistry } from "./registry.ts";
import type { RenderOptions } from "./render_options.ts";
import type { RawValue } from "./types.ts";

const NULL = ascii("null");
const TRUE = ascii("true");
const FALSE = ascii("false");

/** One value as JSON; false if a formatter failed (after writing `null`, as libnmsg does). */
function writeValue(out: TextSink, msg: NmsgMessage, b: BoundField, v: RawValue): boolean {
  const def = b.def;
  if (b.jsonTo !== undefined) return b.jsonTo(out, msg, b.narrow ? asU16(v) : v, def);
  if (b.textTo !== undefined || b.format !== undefined) {
    const hv = b.narrow ? asU16(v) : v;
    const mark = out.len;
    if (!b.formatRaw) out.byte(0x22);
    const start = out.len;
    let ok: boolean;
    if (b.textTo !== undefined) ok = b.textTo(out, msg, hv, def);
    else {
      const s = b.format!(msg, hv, def);
      ok = s !== undefined;
      if (ok) writeText(out, s!);
    }
    if (!ok) {
      out.clip(mark);
      out.lit(NULL);
      return false;
    }
    if (!b.formatRaw) {
      out.escapeJsonSince(start);
      out.byte(0x22);
    }
    return true;
  }
  switch (b.type) {
    case T_BYTES: {
      const data = v as Uint8Array;
      if (data.length === 0) out.lit(NULL);
      else {
        out.byte(0x22);
        writeBase64(out, data);
        out.byte(0x22);
      }
      break;
    }
    case T_STRING:
    case T_MLSTRING:
      writeJsonCString(out, v as Uint8Array);
      break;
    case T_BOOL:
      out.lit(v ? TRUE : FALSE);
      break;
    case T_ENUM: {
      const n = b.enumBytes?.get(v as number);
      if (n) {
        out.byte(0x22);
        out.lit(n);
        out.byte(0x22);
      } else out.uint(asU32(v));
      break;
    }
    case T_IP: {
      const mark = out.len;
      out.byte(0x22);
      if (writeIpText(out, v as Uint8Array)) out.byte(0x22);
      else {
        out.clip(mark);
        out.lit(NULL);
      }
      break;
    }
    case T_DOUBLE:
      out.ascii(jsonDouble(v as number));
      break;
    default:
      writeInteger(out, b.type, v, true);
  }
  return true;
}

/** Appends the `message` object; false (with `out` restored) if libnmsg would fail. */
export function writeJsonBody(out: TextSink, msg: NmsgMessage): boolean {
  const fields = msg.decoded();
  if (fields === undefined) return false;
  forgetBase64();
  const start = out.len;
  out.byte(0x7b);
  let first = true;
  let ok = true;
  const bound = msg.module.bound;
  for (let k = 0; k < bound.length; k++) {
    const b = bound[k]!;
    if (b.pb === undefined) {
      // Virtual: the getter's first value, or all of them in a list when flagged repeated.
      const get = b.get!;
      const all = b.listAll;
      let i = 0;
      for (; ok; i++) {
        const v = get(msg, i, b.def);
        if (v === undefined) break;
        if (i === 0) {
          out.lit(first ? b.jsonKey : b.jsonNextKey);
          first = false;
          if (all) out.byte(0x5b);
        } else out.byte(0x2c);
        ok = writeValue(out, msg, b, v);
        if (!all) break;
      }
      if (ok && i > 0 && all) out.byte(0x5d);
    } else {
      const v = storedValue(fields, b.pb);
      if (b.pb.repeated) {
        out.lit(first ? b.jsonKey : b.jsonNextKey);
        first = false;
        out.byte(0x5b);
        const list = v as RawValue[];
        for (let i = 0; ok && i < list.length; i++) {
          if (i > 0) out.byte(0x2c);
          ok = writeValue(out, msg, b, list[i]!);
        }
        out.byte(0x5d);
      } else if (v !== undefined) {
        out.lit(first ? b.jsonKey : b.jsonNextKey);
        first = false;
        ok = writeValue(out, msg, b, v as RawValue);
      }
    }
    if (!ok) {
      out.clip(start);
      return false;
    }
  }
  out.byte(0x7d);
  return true;
}

const TIME = ascii('{"time":"');

/** `","vname":"…","mname":"…"` of a module, as bytes. */
const moduleNames = new WeakMap<MessageModule, Uint8Array>();

function namesOf(m: MessageModule): Uint8Array {
  let b = moduleNames.get(m);
  if (b === undefined) {
    b = ascii(`","vname":${JSON.stringify(m.vname)},"mname":${JSON.stringify(m.mname)}`);
    moduleNames.set(m, b);
  }
  return b;
}
const SOURCE = ascii(',"source":"');
const OPERATOR = ascii(',"operator":');
const GROUP = ascii(',"group":');
const MESSAGE = ascii(',"message":');

function writeId(
  out: TextSink,
  key: Uint8Array,
  id: number,
  aliases: Aliases | undefined,
  group: boolean,
): void {
  if (id === 0) return;
  out.lit(key);
  const name = idAlias(aliases, group, id);
  if (name === undefined) out.uint(id);
  else writeJsonText(out, name);
}

let lastSec = NaN;
let lastTime = "";

/**
 * Appends a whole JSON line (without newline); throws (with nothing appended) when
 * nmsgtool's output fails.
 */
export function writeJsonRecord(
  out: TextSink,
  p: Payload,
  registry: ModuleRegistry,
  options: RenderOptions,
): void {
  const msg = renderMessage(p, registry);
  if (msg === undefined) {
    throw new NmsgRenderError(`no message module for vendor ${p.vid} type ${p.msgtype}`);
  }
  const start = out.len;
  out.lit(TIME);
  if (p.timeSec !== lastSec) {
    lastSec = p.timeSec;
    lastTime = jsonTimeText(p.timeSec, 0).slice(0, 20);
  }
  out.ascii(lastTime);
  // libnmsg writes the low 9 digits of the nanoseconds taken as a C int.
  const nsec = p.timeNsec | 0;
  if (nsec < 0) out.ascii(fixedDigits(nsec, 9));
  else {
    const low = nsec % 1000000000;
    for (let d = 100000000; d > low && d > 1; d /= 10) out.byte(0x30);
    out.uint(low);
  }
  out.lit(namesOf(msg.module));
  const source = shownId(options.source, p.source);
  if (source !== 0) {
    out.lit(SOURCE);
    writeHex32(out, source);
    out.byte(0x22);
  }
  writeId(out, OPERATOR, shownId(options.operator, p.operator), options.aliases, false);
  writeId(out, GROUP, shownId(options.group, p.group), options.aliases, true);
  out.lit(MESSAGE);
  if (!writeJsonBody(out, msg)) {
    out.clip(start);
    throw new NmsgRenderError(
      `cannot render ${msg.module.vname}/${msg.module.mname} payload as JSON`,
    );
  }
  out.byte(0x7d);
}

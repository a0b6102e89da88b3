// Field table entries shared by the DNS-shaped modules: domain names, RR types and
// classes, rdata, rcodes, whole DNS messages and SIE epoch times, each with the print,
// format and parse hooks of nmsg's base helpers or sie-nmsg's variants.

import {
  type DnsFlavor,
  DnsTextError,
  DnsUnsupportedError,
  MAX_NAME_LENGTH,
  nameFromText,
  rcodeFromText,
  rcodeToJson,
  rcodeToPres,
  rdataFromText,
  rrclassFromText,
  rrclassToJson,
  rrclassToPres,
  rrtypeFromText,
  rrtypeToPres,
  rrtypeToText,
  sieTimeFromText,
} from "./dns/mod.ts";
import {
  type TextSink,
  writeMessageJsonText,
  writeMessageText,
  writeMessageTextEscaped,
  writeNameText,
  writeNameTextEscaped,
  writeRdataText,
} from "./_dns_bytes.ts";
import { type PresWriter, type TextWriter, withFastHooks } from "./_fast.ts";
import { ascii, writeUtc } from "./_out.ts";
import { NmsgParseError, NmsgUnsupportedError } from "./errors.ts";
import type { NmsgMessage } from "./message.ts";
import type { MessageModule } from "./module.ts";
import type { FieldDef, GetHook } from "./types.ts";

/** Runs a DNS text parser, turning its errors into the message layer's. */
function dnsParse<T>(field: FieldDef, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof DnsTextError) {
      throw new NmsgParseError(`field ${field.name}: ${e.message}`, { cause: e });
    }
    if (e instanceof DnsUnsupportedError) {
      throw new NmsgUnsupportedError(`field ${field.name}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

const keys = new Map<string, Uint8Array>();

/** `name: ` as bytes. */
function key(name: string): Uint8Array {
  let k = keys.get(name);
  if (k === undefined) keys.set(name, k = ascii(`${name}: `));
  return k;
}

/**
 * `name: ` as bytes for a hook defined for field `name`, without a map lookup per value
 * (the hook may also serve a copy of the entry under another name).
 */
function keyOf(name: string): (f: FieldDef) => Uint8Array {
  const k = key(name);
  return (f) => f.name === name ? k : key(f.name);
}

/** A presentation writer `name: <text>` + endline from a text writer. */
function linePrinter(name: string, text: TextWriter): PresWriter {
  const keyFor = keyOf(name);
  return (out, m, v, f, endline) => {
    out.lit(keyFor(f));
    if (!text(out, m, v, f)) return false;
    out.lit(endline);
    return true;
  };
}

/**
 * Cached bytes of a 16-bit number's text under a renderer (at most 65536 entries); with
 * `json`, as a JSON string literal.
 */
function cachedText(render: (v: number) => string, json = false): TextWriter {
  const cache: (Uint8Array | undefined)[] = [];
  return (out, _m, v) => {
    const n = (v as number) & 0xffff;
    out.lit(cache[n] ??= ascii(json ? JSON.stringify(render(n)) : render(n)));
    return true;
  };
}

/** A domain name in wire form (`dns_name_print/format/parse`). */
export function nameField(name: string, extra: Partial<FieldDef> = {}): FieldDef {
  // Empty or oversized names print nothing at all (but succeed), and format as "".
  const usable = (b: Uint8Array) => b.length > 0 && b.length <= MAX_NAME_LENGTH;
  const keyFor = keyOf(name);
  return withFastHooks({
    name,
    type: "bytes",
    parse: (_m, text, f) => dnsParse(f, () => nameFromText(text)),
    ...extra,
  }, {
    pres: (out, _m, v, f, endline) => {
      const b = v as Uint8Array;
      if (usable(b)) {
        out.lit(keyFor(f));
        writeNameText(out, b);
        out.lit(endline);
      }
      return true;
    },
    text: (out, _m, v) => {
      if (usable(v as Uint8Array)) writeNameText(out, v as Uint8Array);
      return true;
    },
    json: (out, _m, v) => {
      out.byte(0x22);
      if (usable(v as Uint8Array)) writeNameTextEscaped(out, v as Uint8Array);
      out.byte(0x22);
      return true;
    },
  });
}

/** A 16-bit number shown by mnemonic: `name: <pres>` lines, `<text>` in JSON, parsed back. */
function mnemonicField(
  name: string,
  pres: (v: number) => string,
  text: (v: number) => string,
  parse: (text: string) => number,
  extra: Partial<FieldDef>,
): FieldDef {
  return withFastHooks({
    name,
    type: "uint16",
    parse: (_m, t, f) => dnsParse(f, () => parse(t)),
    ...extra,
  }, {
    pres: linePrinter(name, cachedText(pres)),
    text: cachedText(text),
    json: cachedText(text, true),
  });
}

/** An RR type (`dns_type_*`; SIE rejects `TYPE0`). */
export function typeField(
  name: string,
  flavor: DnsFlavor,
  extra: Partial<FieldDef> = {},
): FieldDef {
  return mnemonicField(name, rrtypeToPres, rrtypeToText, (t) => rrtypeFromText(t, flavor), extra);
}

/**
 * An RR class (`dns_class_*`). The SIE parser stores IN whatever the text says; we parse
 * the class for both families (golden README, reference bug 13).
 */
export function classField(
  name: string,
  flavor: DnsFlavor,
  extra: Partial<FieldDef> = {},
): FieldDef {
  return mnemonicField(
    name,
    (v) => rrclassToPres(v, flavor),
    (v) => rrclassToJson(v, flavor),
    (t) => rrclassFromText(t, "base"),
    extra,
  );
}

/** A DNS rcode (`dnsqr_rcode_*`). */
export function rcodeField(name: string, extra: Partial<FieldDef> = {}): FieldDef {
  return mnemonicField(name, rcodeToPres, rcodeToJson, rcodeFromText, extra);
}

/** The schema slots of `rrtype` and `rrclass`, by module. */
const slots = new WeakMap<MessageModule, [number, number]>();
// What typeAndClass found.
let rrtype = 0;
let rrclass = 0;

// The last module typeAndClass looked up, and its slots (rdata comes several per message).
let lastModule: MessageModule | undefined;
let lastSlots: [number, number] = [-1, -1];

/** Finds the message's `rrtype` and `rrclass` (into the variables above); false without both. */
function typeAndClass(msg: NmsgMessage): boolean {
  let s = lastSlots;
  if (msg.module !== lastModule) {
    s = slots.get(msg.module)!;
    if (s === undefined) {
      const byName = msg.module.compiled.byName;
      slots.set(msg.module, s = [byName.get("rrtype") ?? -1, byName.get("rrclass") ?? -1]);
    }
    lastModule = msg.module;
    lastSlots = s;
  }
  const f = msg.decoded();
  const t = f?.[s[0]];
  const c = f?.[s[1]];
  if (t === undefined || c === undefined) return false;
  rrtype = Number(t);
  rrclass = Number(c);
  return true;
}

const RDATA = ascii("rdata: ");

/** Repeated rdata of the message's `rrtype`/`rrclass`; fails without both. */
export function rdataField(): FieldDef {
  const text: TextWriter = (out, m, v) => {
    if (!typeAndClass(m)) return false;
    writeRdataText(out, v as Uint8Array, rrtype, rrclass);
    return true;
  };
  return withFastHooks({
    name: "rdata",
    type: "bytes",
    parse: (m, t, f) => {
      if (!typeAndClass(m)) throw new NmsgParseError("rdata needs rrtype and rrclass");
      const type = rrtype;
      const klass = rrclass;
      return dnsParse(f, () => rdataFromText(t, type, klass));
    },
  }, {
    // The C printer hard-codes the name "rdata".
    pres: (out, m, v, f, endline) => {
      out.lit(RDATA);
      if (!text(out, m, v, f)) return false;
      out.lit(endline);
      return true;
    },
    text,
    json: (out, m, v) => {
      if (!typeAndClass(m)) return false;
      out.byte(0x22);
      const mark = out.len;
      if (writeRdataText(out, v as Uint8Array, rrtype, rrclass)) out.escapeJsonSince(mark);
      out.byte(0x22);
      return true;
    },
  });
}

const OCTETS = ascii(" octets]");
const PARSE_ERROR = ascii("<PARSE ERROR>");
const DASHES = ascii("---");

/**
 * A whole DNS message as dig-like text (`dnsqr_message_print`): `name: [N octets]`, the
 * text, `---`; or `name: <PARSE ERROR>`.
 */
function messagePrinter(name: string): PresWriter {
  const keyFor = keyOf(name);
  return (out, _m, v, f, endline) => printMessage(out, v as Uint8Array, keyFor(f), endline);
}

function printMessage(
  out: TextSink,
  wire: Uint8Array,
  fieldKey: Uint8Array,
  endline: Uint8Array,
): boolean {
  out.lit(fieldKey);
  const mark = out.len;
  out.byte(0x5b);
  out.uint(wire.length);
  out.lit(OCTETS);
  out.lit(endline);
  if (writeMessageText(out, wire)) out.lit(DASHES);
  else {
    out.clip(mark);
    out.lit(PARSE_ERROR);
  }
  out.lit(endline);
  return true;
}

/**
 * A bytes field holding a DNS message, printed as text (JSON stays base64), and its
 * virtual `jsonName` twin: the message as a JSON object, `null` if unparseable. With `get`
 * both are virtual and read the message through it; otherwise the first is stored.
 */
export function messageFields(name: string, jsonName: string, get?: GetHook): FieldDef[] {
  const message = withFastHooks({ name, type: "bytes", ...(get && { get }) }, {
    pres: messagePrinter(name),
  });
  const json = withFastHooks({
    name: jsonName,
    type: "bytes",
    formatRaw: true,
    noprint: true,
    get: get ?? ((m, i) => i === 0 ? m.raw(name) : undefined),
  }, {
    text: (out, _m, v) => {
      writeMessageJsonText(out, v as Uint8Array);
      return true;
    },
  });
  return [message, json];
}

/** SIE `response`: printed like base, but JSON is the message text as a string. */
export function sieMessageField(name: string): FieldDef {
  return withFastHooks({
    name,
    type: "bytes",
    parse: (_m, _text, f) => {
      throw new NmsgUnsupportedError(`field ${f.name} cannot be read from JSON`);
    },
  }, {
    pres: messagePrinter(name),
    text: (out, _m, v) => {
      if (!writeMessageText(out, v as Uint8Array)) out.lit(PARSE_ERROR);
      return true;
    },
    json: (out, _m, v) => {
      out.byte(0x22);
      if (!writeMessageTextEscaped(out, v as Uint8Array)) out.lit(PARSE_ERROR);
      out.byte(0x22);
      return true;
    },
  });
}

/** A SIE epoch time (uint32) shown as UTC date and time. */
export function timeField(name: string): FieldDef {
  const text: TextWriter = (out, _m, v) => {
    writeUtc(out, (v as number) >>> 0);
    return true;
  };
  return withFastHooks({
    name,
    type: "uint32",
    parse: (_m, t, f) => dnsParse(f, () => sieTimeFromText(t)),
  }, {
    pres: linePrinter(name, text),
    text,
    json: (out, m, v, f) => {
      out.byte(0x22);
      text(out, m, v, f);
      out.byte(0x22);
      return true;
    },
  });
}

// Field table entries shared by the DNS-shaped modules: domain names, RR types and
// classes, rdata, rcodes, whole DNS messages and SIE epoch times, each with the print,
// format and parse hooks of nmsg's base helpers or sie-nmsg's variants.

import {
  type DnsFlavor,
  DnsTextError,
  DnsUnsupportedError,
  MAX_NAME_LENGTH,
  messageToJson,
  messageToPres,
  messageToText,
  nameFieldToText,
  nameFromText,
  nameToText,
  rcodeFromText,
  rcodeToJson,
  rcodeToPres,
  rdataFromText,
  rdataToText,
  rrclassFromText,
  rrclassToJson,
  rrclassToPres,
  rrtypeFromText,
  rrtypeToPres,
  rrtypeToText,
  sieTimeFromText,
  sieTimeToText,
} from "./dns/mod.ts";
import { NmsgParseError, NmsgUnsupportedError } from "./errors.ts";
import type { NmsgMessage } from "./message.ts";
import type { FieldDef, GetHook, RawValue } from "./types.ts";

/** Runs a DNS text parser, turning its errors into the message layer's. */
export function dnsParse<T>(field: FieldDef, parse: () => T): T {
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

/** A domain name in wire form (`dns_name_print/format/parse`). */
export function nameField(name: string, extra: Partial<FieldDef> = {}): FieldDef {
  return {
    name,
    type: "bytes",
    print: (_m, v, f, endline) => {
      const b = v as Uint8Array;
      // Empty or oversized names print nothing at all (but succeed).
      return b.length === 0 || b.length > MAX_NAME_LENGTH
        ? ""
        : `${f.name}: ${nameToText(b)}${endline}`;
    },
    format: (_m, v) => nameFieldToText(v as Uint8Array),
    parse: (_m, text, f) => dnsParse(f, () => nameFromText(text)),
    ...extra,
  };
}

/** An RR type (`dns_type_*`; SIE rejects `TYPE0`). */
export function typeField(
  name: string,
  flavor: DnsFlavor,
  extra: Partial<FieldDef> = {},
): FieldDef {
  return {
    name,
    type: "uint16",
    print: (_m, v, f, endline) => `${f.name}: ${rrtypeToPres(v as number)}${endline}`,
    format: (_m, v) => rrtypeToText(v as number),
    parse: (_m, text, f) => dnsParse(f, () => rrtypeFromText(text, flavor)),
    ...extra,
  };
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
  return {
    name,
    type: "uint16",
    print: (_m, v, f, endline) => `${f.name}: ${rrclassToPres(v as number, flavor)}${endline}`,
    format: (_m, v) => rrclassToJson(v as number, flavor),
    parse: (_m, text, f) => dnsParse(f, () => rrclassFromText(text, "base")),
    ...extra,
  };
}

function typeAndClass(msg: NmsgMessage): [number, number] | undefined {
  const t = msg.raw("rrtype");
  const c = msg.raw("rrclass");
  return t === undefined || c === undefined ? undefined : [Number(t), Number(c)];
}

/** Repeated rdata of the message's `rrtype`/`rrclass`; fails without both. */
export function rdataField(): FieldDef {
  return {
    name: "rdata",
    type: "bytes",
    print: (m, v, _f, endline) => {
      const tc = typeAndClass(m);
      return tc && `rdata: ${rdataToText(v as Uint8Array, tc[0], tc[1])}${endline}`;
    },
    format: (m, v) => {
      const tc = typeAndClass(m);
      return tc && rdataToText(v as Uint8Array, tc[0], tc[1]);
    },
    parse: (m, text, f) => {
      const tc = typeAndClass(m);
      if (tc === undefined) throw new NmsgParseError("rdata needs rrtype and rrclass");
      return dnsParse(f, () => rdataFromText(text, tc[0], tc[1]));
    },
  };
}

/** A DNS rcode (`dnsqr_rcode_*`). */
export function rcodeField(name: string, extra: Partial<FieldDef> = {}): FieldDef {
  return {
    name,
    type: "uint16",
    print: (_m, v, f, endline) => `${f.name}: ${rcodeToPres(v as number)}${endline}`,
    format: (_m, v) => rcodeToJson(v as number),
    parse: (_m, text, f) => dnsParse(f, () => rcodeFromText(text)),
    ...extra,
  };
}

/** A whole DNS message printed as dig-like text (`dnsqr_message_print`). */
export function printMessage(_m: NmsgMessage, v: RawValue, f: FieldDef, endline: string): string {
  return messageToPres(f.name, v as Uint8Array, endline);
}

/** A whole DNS message as a JSON object, `null` if it does not parse (`dnsqr_message_format`). */
export function formatMessageJson(_m: NmsgMessage, v: RawValue): string {
  return messageToJson(v as Uint8Array);
}

/** A virtual `*_json` twin of a DNS message field (base modules). */
export function messageJsonField(name: string, get: GetHook): FieldDef {
  return { name, type: "bytes", formatRaw: true, noprint: true, get, format: formatMessageJson };
}

/** SIE `response`: printed like base, but JSON is the message text as a string. */
export function sieMessageField(name: string): FieldDef {
  return {
    name,
    type: "bytes",
    print: printMessage,
    format: (_m, v) => messageToText(v as Uint8Array) ?? "<PARSE ERROR>",
    parse: (_m, _text, f) => {
      throw new NmsgUnsupportedError(`field ${f.name} cannot be read from JSON`);
    },
  };
}

/** A SIE epoch time (uint32) shown as UTC date and time. */
export function timeField(name: string): FieldDef {
  return {
    name,
    type: "uint32",
    print: (_m, v, f, endline) => `${f.name}: ${sieTimeToText(v as number)}${endline}`,
    format: (_m, v) => sieTimeToText(v as number),
    parse: (_m, text, f) => dnsParse(f, () => sieTimeFromText(text)),
  };
}

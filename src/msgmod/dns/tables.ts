/**
 * DNS number ↔ name tables as wdns 0.12.0 knows them (RR types, classes, rcodes, opcodes),
 * and the renderings the nmsg field hooks build from them (`rrtype: A (1)` in presentation,
 * `"A"` in JSON, the base vs SIE differences for classes and type parsing).
 *
 * @module
 */

import { DnsTextError } from "./errors.ts";
import { parseCNumber } from "./_cnum.ts";

/** Which helper set a module uses: nmsg's base modules, or sie-nmsg (dnsdedupe, newdomain, dnsnx). */
export type DnsFlavor = "base" | "sie";

const RRTYPE_NAMES: ReadonlyArray<readonly [number, string]> = [
  [1, "A"],
  [2, "NS"],
  [3, "MD"],
  [4, "MF"],
  [5, "CNAME"],
  [6, "SOA"],
  [7, "MB"],
  [8, "MG"],
  [9, "MR"],
  [10, "NULL"],
  [11, "WKS"],
  [12, "PTR"],
  [13, "HINFO"],
  [14, "MINFO"],
  [15, "MX"],
  [16, "TXT"],
  [17, "RP"],
  [18, "AFSDB"],
  [19, "X25"],
  [20, "ISDN"],
  [21, "RT"],
  [22, "NSAP"],
  [23, "NSAP-PTR"],
  [24, "SIG"],
  [25, "KEY"],
  [26, "PX"],
  [27, "GPOS"],
  [28, "AAAA"],
  [29, "LOC"],
  [30, "NXT"],
  [31, "EID"],
  [32, "NIMLOC"],
  [33, "SRV"],
  [34, "ATMA"],
  [35, "NAPTR"],
  [36, "KX"],
  [37, "CERT"],
  [38, "A6"],
  [39, "DNAME"],
  [40, "SINK"],
  [41, "OPT"],
  [42, "APL"],
  [43, "DS"],
  [44, "SSHFP"],
  [45, "IPSECKEY"],
  [46, "RRSIG"],
  [47, "NSEC"],
  [48, "DNSKEY"],
  [49, "DHCID"],
  [50, "NSEC3"],
  [51, "NSEC3PARAM"],
  [52, "TLSA"],
  [55, "HIP"],
  [56, "NINFO"],
  [57, "RKEY"],
  [58, "TALINK"],
  [59, "CDS"],
  [60, "CDNSKEY"],
  [61, "OPENPGPKEY"],
  [62, "CSYNC"],
  [64, "SVCB"],
  [65, "HTTPS"],
  [99, "SPF"],
  [100, "UINFO"],
  [101, "UID"],
  [102, "GID"],
  [103, "UNSPEC"],
  [104, "NID"],
  [105, "L32"],
  [106, "L64"],
  [107, "LP"],
  [108, "EUI48"],
  [109, "EUI64"],
  [249, "TKEY"],
  [250, "TSIG"],
  [251, "IXFR"],
  [252, "AXFR"],
  [253, "MAILB"],
  [254, "MAILA"],
  [255, "ANY"],
  [256, "URI"],
  [257, "CAA"],
  [32768, "TA"],
  [32769, "DLV"],
];

const RRCLASS_NAMES: ReadonlyArray<readonly [number, string]> = [
  [1, "IN"],
  [3, "CH"],
  [4, "HS"],
  [254, "NONE"],
  [255, "ANY"],
];

const RCODE_NAMES: ReadonlyArray<readonly [number, string]> = [
  [0, "NOERROR"],
  [1, "FORMERR"],
  [2, "SERVFAIL"],
  [3, "NXDOMAIN"],
  [4, "NOTIMP"],
  [5, "REFUSED"],
  [6, "YXDOMAIN"],
  [7, "YXRRSET"],
  [8, "NXRRSET"],
  [9, "NOTAUTH"],
  [10, "NOTZONE"],
  [16, "BADVERS"],
];

const OPCODE_NAMES: ReadonlyArray<readonly [number, string]> = [
  [0, "QUERY"],
  [1, "IQUERY"],
  [2, "STATUS"],
  [4, "NOTIFY"],
  [5, "UPDATE"],
];

// Dense lookup by number for the hot rendering paths; by upper-cased name for parsing.
function denseTable(entries: ReadonlyArray<readonly [number, string]>): (string | undefined)[] {
  const t: (string | undefined)[] = new Array(65536).fill(undefined);
  for (const [n, s] of entries) t[n] = s;
  return t;
}
function reverseTable(entries: ReadonlyArray<readonly [number, string]>): Map<string, number> {
  return new Map(entries.map(([n, s]) => [s, n]));
}

const RRTYPE_BY_NUMBER = denseTable(RRTYPE_NAMES);
const RRTYPE_BY_NAME = reverseTable(RRTYPE_NAMES);
const RRCLASS_BY_NUMBER = denseTable(RRCLASS_NAMES);
const RRCLASS_BY_NAME = reverseTable(RRCLASS_NAMES);
const RCODE_BY_NAME = reverseTable(RCODE_NAMES);
const RCODE_BY_NUMBER = new Map(RCODE_NAMES);
const OPCODE_BY_NUMBER = new Map(OPCODE_NAMES);

// Names are ASCII; C strcasecmp folds only A-Z/a-z, which toUpperCase on ASCII matches.
// Non-ASCII input must not fold (e.g. "ı".toUpperCase() is "I"), hence the guard.
function asciiUpper(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7e) return undefined;
  return s.toUpperCase();
}

/**
 * The wdns mnemonic of an RR type (`wdns_rrtype_to_str`), or `undefined` if wdns has none.
 *
 * @param rrtype Type number (taken modulo 2^16).
 * @returns `"A"`, `"NSAP-PTR"`, … or `undefined`.
 */
export function rrtypeName(rrtype: number): string | undefined {
  return RRTYPE_BY_NUMBER[rrtype & 0xffff];
}

/**
 * The wdns mnemonic of an RR class (`wdns_rrclass_to_str`): IN, CH, HS, NONE, ANY.
 *
 * @param rrclass Class number (taken modulo 2^16).
 * @returns The mnemonic or `undefined`.
 */
export function rrclassName(rrclass: number): string | undefined {
  return RRCLASS_BY_NUMBER[rrclass & 0xffff];
}

/**
 * The wdns mnemonic of an rcode (`wdns_rcode_to_str`); 0–10 and 16 (BADVERS) have names.
 *
 * @param rcode The (possibly EDNS-extended) rcode.
 * @returns The mnemonic or `undefined`.
 */
export function rcodeName(rcode: number): string | undefined {
  return RCODE_BY_NUMBER.get(rcode);
}

/**
 * The wdns mnemonic of an opcode (`wdns_opcode_to_str`): QUERY, IQUERY, STATUS, NOTIFY, UPDATE.
 *
 * @param opcode The 4-bit header opcode.
 * @returns The mnemonic or `undefined`.
 */
export function opcodeName(opcode: number): string | undefined {
  return OPCODE_BY_NUMBER.get(opcode);
}

/** The `TYPEnnn` / `CLASSnnn` generic suffix parse of wdns: all of the rest is a C strtol. */
function genericNumber(s: string, prefixLength: number): number {
  if (s.length <= prefixLength) return 0;
  const rest = s.slice(prefixLength);
  const r = parseCNumber(rest, 10, 65536);
  if (r.end !== rest.length || r.overflow || r.value < 0 || r.value > 65535) return 0;
  return r.value;
}

/**
 * Parses an RR type like `wdns_str_to_rrtype`: a case-insensitive mnemonic, or `TYPE`
 * (any case) followed by a decimal number 0–65535. Unknown text gives 0.
 *
 * @param text The type text.
 * @returns The type number, 0 if not recognised.
 */
export function rrtypeFromName(text: string): number {
  const up = asciiUpper(text);
  if (up === undefined) return 0;
  const n = RRTYPE_BY_NAME.get(up);
  if (n !== undefined) return n;
  return up.startsWith("TYPE") ? genericNumber(up, 4) : 0;
}

/**
 * Parses an RR class like `wdns_str_to_rrclass`: IN, CH, HS, NONE, ANY (any case) or
 * `CLASS` followed by a decimal number 0–65535. Unknown text gives 0.
 *
 * @param text The class text.
 * @returns The class number, 0 if not recognised.
 */
export function rrclassFromName(text: string): number {
  const up = asciiUpper(text);
  if (up === undefined) return 0;
  const n = RRCLASS_BY_NAME.get(up);
  if (n !== undefined) return n;
  return up.startsWith("CLASS") ? genericNumber(up, 5) : 0;
}

/**
 * Parses an rcode mnemonic like `wdns_str_to_rcode` (case-insensitive, no numeric form).
 *
 * @param text The rcode text.
 * @returns The rcode or `undefined`.
 */
export function rcodeFromName(text: string): number | undefined {
  const up = asciiUpper(text);
  return up === undefined ? undefined : RCODE_BY_NAME.get(up);
}

/**
 * The value part of an RR type presentation line (`dns_type_print`): `A (1)`, or
 * `<UNKNOWN> (999)` for a type wdns has no name for. The hook writes `name: ` + this.
 *
 * @param rrtype The 16-bit type.
 * @returns The value text.
 */
export function rrtypeToPres(rrtype: number): string {
  const t = rrtype & 0xffff;
  return `${RRTYPE_BY_NUMBER[t] ?? "<UNKNOWN>"} (${t})`;
}

/**
 * The JSON string value of an RR type field (`dns_type_format`): the mnemonic or `TYPE999`.
 * Also the text form wdns uses inside rdata and message text.
 *
 * @param rrtype The 16-bit type.
 * @returns The text (to be emitted as a JSON string).
 */
export function rrtypeToText(rrtype: number): string {
  const t = rrtype & 0xffff;
  return RRTYPE_BY_NUMBER[t] ?? `TYPE${t}`;
}

/**
 * Parses an RR type field value of JSON input (`dns_type_parse`). Base modules accept
 * `TYPE0`; the SIE modules reject every text that yields 0.
 *
 * @param text The JSON string value.
 * @param flavor Which module family's rule applies.
 * @returns The type number.
 * @throws {DnsTextError} If the text is no type wdns accepts.
 */
export function rrtypeFromText(text: string, flavor: DnsFlavor = "base"): number {
  const t = rrtypeFromName(text);
  if (t === 0 && (flavor === "sie" || asciiUpper(text) !== "TYPE0")) {
    throw new DnsTextError("unknown RR type", text);
  }
  return t;
}

/**
 * The value part of an RR class presentation line (`dns_class_print`): `IN (1)`; an
 * unknown class is `CLASS1234 (1234)` in base modules and `<UNKNOWN> (1234)` in SIE ones.
 *
 * @param rrclass The 16-bit class.
 * @param flavor Which module family's rendering applies.
 * @returns The value text.
 */
export function rrclassToPres(rrclass: number, flavor: DnsFlavor = "base"): string {
  const c = rrclass & 0xffff;
  const s = RRCLASS_BY_NUMBER[c];
  if (s !== undefined) return `${s} (${c})`;
  return flavor === "sie" ? `<UNKNOWN> (${c})` : `CLASS${c} (${c})`;
}

/**
 * The JSON string value of an RR class field (`dns_class_format`): the mnemonic, else
 * `CLASS1234` (base) or the literal `<UNKNOWN>` (SIE).
 *
 * @param rrclass The 16-bit class.
 * @param flavor Which module family's rendering applies.
 * @returns The text (to be emitted as a JSON string).
 */
export function rrclassToJson(rrclass: number, flavor: DnsFlavor = "base"): string {
  const c = rrclass & 0xffff;
  return RRCLASS_BY_NUMBER[c] ?? (flavor === "sie" ? "<UNKNOWN>" : `CLASS${c}`);
}

/**
 * The class text wdns itself uses in message text and the JSON message object:
 * the mnemonic or `CLASS1234`.
 *
 * @param rrclass The 16-bit class.
 * @returns The text.
 */
export function rrclassToText(rrclass: number): string {
  const c = rrclass & 0xffff;
  return RRCLASS_BY_NUMBER[c] ?? `CLASS${c}`;
}

/**
 * Parses an RR class field value of JSON input (`dns_class_parse`). Base modules reject
 * text that yields 0 unless it is `CLASS0`. The SIE parser has a bug that a faithful port
 * keeps: it always stores class IN (1), whatever the text.
 *
 * @param text The JSON string value.
 * @param flavor Which module family's rule applies.
 * @returns The class number.
 * @throws {DnsTextError} For base modules, if the text is no class wdns accepts.
 */
export function rrclassFromText(text: string, flavor: DnsFlavor = "base"): number {
  if (flavor === "sie") return 1;
  const c = rrclassFromName(text);
  if (c === 0 && asciiUpper(text) !== "CLASS0") throw new DnsTextError("unknown RR class", text);
  return c;
}

/**
 * The value part of an rcode presentation line (`dnsqr_rcode_print`): `NOERROR (0)` or
 * `<UNKNOWN> (20)`.
 *
 * @param rcode The 16-bit rcode.
 * @returns The value text.
 */
export function rcodeToPres(rcode: number): string {
  const r = rcode & 0xffff;
  return `${RCODE_BY_NUMBER.get(r) ?? "<UNKNOWN>"} (${r})`;
}

/**
 * The JSON string value of an rcode field (`dnsqr_rcode_format`): the mnemonic, or the
 * decimal number as a string (`"20"`).
 *
 * @param rcode The 16-bit rcode.
 * @returns The text (to be emitted as a JSON string).
 */
export function rcodeToJson(rcode: number): string {
  const r = rcode & 0xffff;
  return RCODE_BY_NUMBER.get(r) ?? String(r);
}

/**
 * Parses an rcode field value of JSON input (`dnsqr_rcode_parse`): a mnemonic (any case),
 * else a C `strtoul(…, 0)` number (decimal, `0x` hex, `0` octal) no greater than 15.
 * Like C, the empty string gives 0.
 *
 * @param text The JSON string value.
 * @returns The rcode.
 * @throws {DnsTextError} If the text is neither.
 */
export function rcodeFromText(text: string): number {
  const named = rcodeFromName(text);
  if (named !== undefined) return named;
  // strtoul wraps negatives to huge values, so anything below 0 is out of range too.
  const r = parseCNumber(text, 0, 15);
  if (r.end !== text.length || r.overflow || r.value < 0) {
    throw new DnsTextError("unknown rcode", text);
  }
  return r.value + 0;
}

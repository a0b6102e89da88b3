// The DNS layer's byte-level writers, which the renderers use to write DNS text straight
// into their output buffer instead of building strings. This file is the only place that
// reaches into src/msgmod/dns/ internals.

import type { TextSink } from "./dns/_sink.ts";
import { WireMessage } from "./dns/message.ts";
import { writeMessageJson } from "./dns/message_to_json.ts";
import { writeMessage, writeMessageEscaped } from "./dns/message_to_text.ts";
import { writeIpv4, writeIpv6 } from "./dns/ip.ts";
import { writeName, writeNameEscaped } from "./dns/name.ts";
import { writeRdata } from "./dns/rdata_to_text.ts";

export { JSON_ESCAPES, TextSink } from "./dns/_sink.ts";
export { writeBase64 as writeBase64Range } from "./dns/base64.ts";
export { writeName } from "./dns/name.ts";

const parsed = new WireMessage();

/** Appends the text of a 4- or 16-byte address; false (nothing written) for other lengths. */
export function writeIpText(sink: TextSink, ip: Uint8Array): boolean {
  if (ip.length === 4) writeIpv4(sink, ip, 0);
  else if (ip.length === 16) writeIpv6(sink, ip, 0);
  else return false;
  return true;
}

/** Appends the dig-like text of a DNS message; false if it does not parse. */
export function writeMessageText(sink: TextSink, wire: Uint8Array): boolean {
  if (!parsed.parse(wire)) return false;
  writeMessage(sink, parsed);
  return true;
}

/** Appends that text JSON-escaped (for inside a JSON string); false if it does not parse. */
export function writeMessageTextEscaped(sink: TextSink, wire: Uint8Array): boolean {
  if (!parsed.parse(wire)) return false;
  writeMessageEscaped(sink, parsed);
  return true;
}

const NULL = new TextEncoder().encode("null");

/** Appends the JSON object of a DNS message, or `null` if it does not parse. */
export function writeMessageJsonText(sink: TextSink, wire: Uint8Array): void {
  if (parsed.parse(wire)) writeMessageJson(sink, parsed);
  else sink.lit(NULL);
}

/**
 * Appends rdata text as `wdns_rdata_to_str` makes it: as if in a buffer of its own, so the
 * writer's trailing-space trim never reaches what the sink held before. False when the
 * text cannot need JSON escaping.
 */
export function writeRdataText(
  sink: TextSink,
  rdata: Uint8Array,
  rrtype: number,
  rrclass: number,
): boolean {
  return writeRdata(sink, rdata, 0, rdata.length, rrtype & 0xffff, rrclass & 0xffff, sink.len);
}

/** Appends the text of a wire-form name (whole view). */
export function writeNameText(sink: TextSink, wire: Uint8Array): void {
  writeName(sink, wire, 0, wire.length);
}

/** Appends that text JSON-escaped (for inside a JSON string). */
export function writeNameTextEscaped(sink: TextSink, wire: Uint8Array): void {
  writeNameEscaped(sink, wire, 0, wire.length);
}

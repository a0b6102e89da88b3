/**
 * Whole DNS messages → the dig-like text of `wdns_message_to_str`, and the presentation
 * lines the nmsg message-field printers build around it.
 *
 * @module
 */

import { TextSink } from "./_sink.ts";
import { type DnsMessage, type DnsRecord, parseMessage } from "./message.ts";
import { writeName } from "./name.ts";
import { writeRdata } from "./rdata_to_text.ts";
import { opcodeName, rcodeName, rrclassName, rrtypeName } from "./tables.ts";

const SECTION_HEADINGS = [
  "\n;; QUESTION SECTION:\n",
  "\n;; ANSWER SECTION:\n",
  "\n;; AUTHORITY SECTION:\n",
  "\n;; ADDITIONAL SECTION:\n",
];

/** Writes one RR line (`_wdns_rr_to_ubuf`). */
function writeRecord(sink: TextSink, rr: DnsRecord, question: boolean): void {
  if (question) sink.byte(0x3b);
  writeName(sink, rr.name, 0, rr.name.length);
  if (!question) {
    sink.byte(0x20);
    sink.uint(rr.ttl);
  }
  sink.byte(0x20);
  const cls = rrclassName(rr.rrclass);
  if (cls !== undefined) sink.ascii(cls);
  else {
    sink.ascii("CLASS");
    sink.uint(rr.rrclass);
  }
  sink.byte(0x20);
  const type = rrtypeName(rr.rrtype);
  if (type !== undefined) sink.ascii(type);
  else {
    sink.ascii("TYPE");
    sink.uint(rr.rrtype);
  }
  if (!question) {
    sink.byte(0x20);
    writeRdata(sink, rr.rdata, 0, rr.rdata.length, rr.rrtype, rr.rrclass);
  }
  sink.byte(0x0a);
}

const optionSink = new TextSink(512);

/**
 * The EDNS option lines of an OPT rdata: its wdns text split on newlines, empty pieces
 * dropped (as `strtok` does).
 */
export function ednsOptionLines(options: Uint8Array): string[] {
  optionSink.clip(0);
  writeRdata(optionSink, options, 0, options.length, 41, 0);
  const text = optionSink.text();
  return text.split("\n").filter((s) => s.length > 0);
}

/** Writes the whole text of a parsed message (`wdns_message_to_str`). */
export function writeMessage(sink: TextSink, m: DnsMessage): void {
  const f = m.flags;
  sink.ascii(";; ->>HEADER<<- opcode: ");
  const opcode = (f >> 11) & 0xf;
  const op = opcodeName(opcode);
  if (op !== undefined) sink.ascii(op);
  else sink.uint(opcode);
  sink.ascii(", rcode: ");
  const rc = rcodeName(m.rcode);
  if (rc !== undefined) sink.ascii(rc);
  else sink.uint(m.rcode);
  sink.ascii(", id: ");
  sink.uint(m.id);
  sink.ascii("\n;; flags:");
  if (f & 0x8000) sink.ascii(" qr");
  if (f & 0x0400) sink.ascii(" aa");
  if (f & 0x0200) sink.ascii(" tc");
  if (f & 0x0100) sink.ascii(" rd");
  if (f & 0x0080) sink.ascii(" ra");
  if (f & 0x0020) sink.ascii(" ad");
  if (f & 0x0010) sink.ascii(" cd");
  const s = m.sections;
  sink.ascii("; QUERY: ");
  sink.uint(s[0].length);
  sink.ascii(", ANSWER: ");
  sink.uint(s[1].length);
  sink.ascii(", AUTHORITY: ");
  sink.uint(s[2].length);
  sink.ascii(", ADDITIONAL: ");
  sink.uint(s[3].length);
  sink.byte(0x0a);
  const edns = m.edns;
  if (edns !== undefined) {
    sink.ascii("\n;; OPT PSEUDOSECTION:\n; EDNS: version: ");
    sink.uint(edns.version);
    sink.ascii(edns.flags & 0x8000 ? ", flags: do; udp: " : ", flags:; udp: ");
    sink.uint(edns.udpSize);
    if (edns.options !== undefined) {
      for (const line of ednsOptionLines(edns.options)) {
        sink.ascii("\n; ");
        sink.ascii(line);
      }
    }
  }
  for (let sec = 0; sec < 4; sec++) {
    sink.ascii(SECTION_HEADINGS[sec]!);
    for (const rr of s[sec as 0 | 1 | 2 | 3]) writeRecord(sink, rr, sec === 0);
  }
}

const sink = new TextSink(4096);

/**
 * The dig-like text of a DNS message exactly as `wdns_message_to_str` writes it: header
 * line, flags line with per-section RR counts, the OPT pseudo-section when EDNS is present,
 * then the four sections with one line per RR in wire order. The text ends with a newline
 * (the last section heading's, when that section is empty).
 *
 * @example
 * ```ts
 * import { messageToText } from "./message_to_text.ts";
 * import assert from "node:assert/strict";
 *
 * const q = new Uint8Array([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
 *   7, 101, 120, 97, 109, 112, 108, 101, 0, 0, 1, 0, 1]);
 * assert.equal(
 *   messageToText(q),
 *   ";; ->>HEADER<<- opcode: QUERY, rcode: NOERROR, id: 1\n" +
 *     ";; flags: rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n" +
 *     "\n;; QUESTION SECTION:\n;example. IN A\n" +
 *     "\n;; ANSWER SECTION:\n\n;; AUTHORITY SECTION:\n\n;; ADDITIONAL SECTION:\n",
 * );
 * assert.equal(messageToText(new Uint8Array(3)), undefined);
 * ```
 *
 * @param wire The DNS message (a view; not modified).
 * @returns The text, or `undefined` if wdns cannot parse the message.
 */
export function messageToText(wire: Uint8Array): string | undefined {
  const m = parseMessage(wire);
  if (m === undefined) return undefined;
  sink.clip(0);
  writeMessage(sink, m);
  return sink.text();
}

/**
 * The presentation rendering of a DNS-message field (`dnsqr_message_print` of dnsqr,
 * dnstap and dnsobs; `dns_message_print` of the SIE modules, which is the same):
 * `<name>: [<len> octets]<endline><message text>---<endline>`, or
 * `<name>: <PARSE ERROR><endline>` when the message does not parse.
 *
 * @example
 * ```ts
 * import { messageToPres } from "./message_to_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(messageToPres("response", new Uint8Array(5)), "response: <PARSE ERROR>\n");
 * ```
 *
 * @param fieldName The field name that starts the line.
 * @param wire The DNS message bytes.
 * @param endline The line terminator (default `"\n"`).
 * @returns The complete lines, ending with `endline`.
 */
export function messageToPres(fieldName: string, wire: Uint8Array, endline = "\n"): string {
  const text = messageToText(wire);
  if (text === undefined) return `${fieldName}: <PARSE ERROR>${endline}`;
  return `${fieldName}: [${wire.length} octets]${endline}${text}---${endline}`;
}

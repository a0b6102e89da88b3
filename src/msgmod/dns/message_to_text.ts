/**
 * Whole DNS messages → the dig-like text of `wdns_message_to_str`, and the presentation
 * lines the nmsg message-field printers build around it.
 *
 * @module
 */

import { TextSink } from "./_sink.ts";
import {
  RR_CLASS,
  RR_NAME,
  RR_NAME_LEN,
  RR_RDATA,
  RR_RDATA_LEN,
  RR_SECTION,
  RR_STRIDE,
  RR_TTL,
  RR_TYPE,
  WireMessage,
} from "./message.ts";
import { writeName, writeNameEscaped } from "./name.ts";
import { writeRdata } from "./rdata_to_text.ts";
import { opcodeName, rcodeName } from "./tables.ts";
import { writeClassAndType } from "./_mnemonic_bytes.ts";

const encoder = new TextEncoder();
const ANSWER = encoder.encode(", ANSWER: ");
const AUTHORITY = encoder.encode(", AUTHORITY: ");
const ADDITIONAL = encoder.encode(", ADDITIONAL: ");
const EDNS_DO = encoder.encode(", flags: do; udp: ");
const EDNS_NO_FLAGS = encoder.encode(", flags:; udp: ");
// The header line up to the rcode, by opcode (undefined: an opcode printed as a number).
const HEADER_OPCODE = Array.from({ length: 16 }, (_, n) => {
  const s = opcodeName(n);
  return s === undefined ? undefined : encoder.encode(`;; ->>HEADER<<- opcode: ${s}, rcode: `);
});
const HEADER_START = encoder.encode(";; ->>HEADER<<- opcode: ");
const RCODE_START = encoder.encode(", rcode: ");
// The rcode and what follows it up to the id, by rcode.
const RCODE_ID = Array.from({ length: 17 }, (_, n) => {
  const s = rcodeName(n);
  return s === undefined ? undefined : encoder.encode(`${s}, id: `);
});
const ID_START = encoder.encode(", id: ");
// The whole header line up to the id, by opcode × 17 + rcode, when both have names.
const HEADER_TO_ID = Array.from({ length: 16 * 17 }, (_, k) => {
  const op = HEADER_OPCODE[(k / 17) | 0];
  const rc = RCODE_ID[k % 17];
  return op && rc && new Uint8Array([...op, ...rc]);
});

// The header flags in wdns's order (qr aa tc rd ra ad cd), indexed by flagIndex.
const FLAG_NAMES = [" qr", " aa", " tc", " rd", " ra", " ad", " cd"];
/** The 7-bit index of a flags word's printed flags. */
export function flagIndex(f: number): number {
  return ((f >> 15) & 1) | ((f >> 9) & 2) | ((f >> 7) & 4) | ((f >> 5) & 8) | ((f >> 3) & 16) |
    (f & 32) | ((f << 2) & 64);
}

/**
 * The constants that hold line breaks, in the text itself or in the form the text takes
 * inside a JSON string (`\n` escaped), where what records hold is escaped too.
 */
interface Style {
  /** The flags line up to the question count, by flagIndex. */
  readonly flagsLine: readonly Uint8Array[];
  readonly eol: Uint8Array;
  /** The end of the flags line and the start of the OPT pseudo-section. */
  readonly eolEdns: Uint8Array;
  /** The end of the flags line and the question heading (no OPT pseudo-section). */
  readonly eolQuestion: Uint8Array;
  readonly optionPrefix: Uint8Array;
  readonly headings: readonly Uint8Array[];
  /** JSON-escape record and option text. */
  readonly escape: boolean;
}

function style(escape: boolean): Style {
  const bytes = (s: string) => encoder.encode(escape ? s.replaceAll("\n", "\\n") : s);
  return {
    flagsLine: Array.from(
      { length: 128 },
      (_, k) => bytes(`\n;; flags:${FLAG_NAMES.filter((_, i) => k & (1 << i)).join("")}; QUERY: `),
    ),
    eol: bytes("\n"),
    eolEdns: bytes("\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: "),
    eolQuestion: bytes("\n\n;; QUESTION SECTION:\n"),
    optionPrefix: bytes("\n; "),
    headings: [
      "\n;; QUESTION SECTION:\n",
      "\n;; ANSWER SECTION:\n",
      "\n;; AUTHORITY SECTION:\n",
      "\n;; ADDITIONAL SECTION:\n",
    ].map(bytes),
    escape,
  };
}

const TEXT = style(false);
const JSON_STRING = style(true);

/** Writes the owner name of the row at `at` of `w`, JSON-escaped with `escaped`. */
export function writeRowName(sink: TextSink, w: WireMessage, at: number, escaped: boolean): void {
  const off = w.rr[at + RR_NAME]!;
  const start = off & 0x7fffffff;
  const end = start + w.rr[at + RR_NAME_LEN]!;
  if (escaped) writeNameEscaped(sink, w.source(off), start, end);
  else writeName(sink, w.source(off), start, end);
}

/**
 * Writes the rdata text of the row at `at` of `w`, as `_wdns_rr_to_ubuf` does (an rdata
 * that prints nothing trims the space before it); false if it cannot need JSON escaping.
 */
export function writeRowRdata(sink: TextSink, w: WireMessage, at: number): boolean {
  const rr = w.rr;
  const off = rr[at + RR_RDATA]!;
  const len = rr[at + RR_RDATA_LEN]!;
  return writeRdata(
    sink,
    w.source(off),
    off & 0x7fffffff,
    len,
    rr[at + RR_TYPE]!,
    rr[at + RR_CLASS]!,
  );
}

/** Writes one RR line (`_wdns_rr_to_ubuf`) for row `i` of `w`. */
function writeRecord(sink: TextSink, w: WireMessage, i: number, st: Style): void {
  const rr = w.rr;
  const at = i * RR_STRIDE;
  const question = rr[at + RR_SECTION] === 0;
  if (question) sink.byte(0x3b);
  writeRowName(sink, w, at, st.escape);
  if (!question) {
    sink.byte(0x20);
    sink.uint(rr[at + RR_TTL]!);
  }
  writeClassAndType(sink, rr[at + RR_CLASS]!, rr[at + RR_TYPE]!);
  if (!question) {
    sink.byte(0x20);
    // Numbers and mnemonics need no JSON escaping: only the rdata text can. (An rdata that
    // prints nothing trims the space before it, which leaves nothing to escape.)
    const mark = sink.len;
    if (writeRowRdata(sink, w, at) && st.escape) sink.escapeJsonSince(mark);
  }
  sink.lit(st.eol);
}

const optionSink = new TextSink(512);
let optionSpans = new Int32Array(16);

/**
 * Renders an OPT rdata's options (wdns text) into a scratch sink and finds its non-empty
 * newline-separated pieces (as `strtok` yields them): piece `k` is
 * `text.buf[spans[2k], spans[2k + 1])`. Both are valid until the next call.
 */
export function ednsOptionLines(
  w: WireMessage,
): { text: TextSink; spans: Int32Array; count: number } {
  optionSink.clip(0);
  writeRdata(optionSink, w.msg, w.ednsOptions, w.ednsOptionsLen, 41, 0);
  const b = optionSink.buf;
  let start = 0;
  let count = 0;
  for (let i = 0; i <= optionSink.len; i++) {
    if (i === optionSink.len || b[i] === 0x0a) {
      if (i > start) {
        if (2 * count + 2 > optionSpans.length) {
          const bigger = new Int32Array(optionSpans.length * 2);
          bigger.set(optionSpans);
          optionSpans = bigger;
        }
        optionSpans[2 * count] = start;
        optionSpans[2 * count + 1] = i;
        count++;
      }
      start = i + 1;
    }
  }
  lines.text = optionSink;
  lines.spans = optionSpans;
  lines.count = count;
  return lines;
}

const lines = { text: optionSink, spans: optionSpans, count: 0 };

/** Writes the whole text of a parsed message (`wdns_message_to_str`). */
export function writeMessage(sink: TextSink, w: WireMessage): void {
  writeStyled(sink, w, TEXT);
}

/**
 * Writes the text of a parsed message as it appears inside a JSON string (the quotes
 * left out): what {@linkcode writeMessage} writes, JSON-escaped.
 */
export function writeMessageEscaped(sink: TextSink, w: WireMessage): void {
  writeStyled(sink, w, JSON_STRING);
}

function writeStyled(sink: TextSink, w: WireMessage, st: Style): void {
  const f = w.flags;
  const opcode = (f >> 11) & 0xf;
  const toId = w.rcode < 17 ? HEADER_TO_ID[opcode * 17 + w.rcode] : undefined;
  if (toId !== undefined) sink.lit(toId);
  else {
    const op = HEADER_OPCODE[opcode];
    if (op !== undefined) sink.lit(op);
    else {
      sink.lit(HEADER_START);
      sink.uint(opcode);
      sink.lit(RCODE_START);
    }
    const rc = w.rcode < 17 ? RCODE_ID[w.rcode] : undefined;
    if (rc !== undefined) sink.lit(rc);
    else {
      sink.uint(w.rcode);
      sink.lit(ID_START);
    }
  }
  sink.uint(w.id);
  sink.lit(st.flagsLine[flagIndex(f)]!);
  const s = w.sectionCounts;
  sink.uint(s[0]!);
  sink.lit(ANSWER);
  sink.uint(s[1]!);
  sink.lit(AUTHORITY);
  sink.uint(s[2]!);
  sink.lit(ADDITIONAL);
  sink.uint(s[3]!);
  if (!w.edns) sink.lit(st.eolQuestion);
  else {
    sink.lit(st.eolEdns);
    sink.uint(w.ednsVersion);
    sink.lit(w.ednsFlags & 0x8000 ? EDNS_DO : EDNS_NO_FLAGS);
    sink.uint(w.ednsUdp);
    if (w.ednsOptions >= 0) {
      const { text, spans, count } = ednsOptionLines(w);
      for (let k = 0; k < count; k++) {
        sink.lit(st.optionPrefix);
        const mark = sink.len;
        sink.range(text.buf, spans[2 * k]!, spans[2 * k + 1]!);
        if (st.escape) sink.escapeJsonSince(mark);
      }
    }
    sink.lit(st.headings[0]!);
  }
  // Rows are in wire order, so each section's rows are contiguous.
  let i = 0;
  for (let sec = 0; sec < 4; sec++) {
    if (sec > 0) sink.lit(st.headings[sec]!);
    for (const stop = i + s[sec]!; i < stop; i++) writeRecord(sink, w, i, st);
  }
}

const sink = new TextSink(4096);
const parsed = new WireMessage();

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
  if (!parsed.parse(wire)) return undefined;
  sink.clip(0);
  writeMessage(sink, parsed);
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

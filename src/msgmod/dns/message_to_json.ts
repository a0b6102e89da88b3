/**
 * Whole DNS messages → the JSON object of nmsg's `dnsqr_message_format` (the `query_json` /
 * `response_json` fields of dnsqr, dnstap and dnsobs).
 *
 * @module
 */

import { TextSink } from "./_sink.ts";
import { RR_CLASS, RR_STRIDE, RR_TTL, RR_TYPE, WireMessage } from "./message.ts";
import { ednsOptionLines, flagIndex, writeRowName, writeRowRdata } from "./message_to_text.ts";
import { opcodeName, rcodeName, rrtypeName } from "./tables.ts";
import { writeClassText, writeTypeText } from "./_mnemonic_bytes.ts";

const encoder = new TextEncoder();
const J_QNAME = encoder.encode('{"qname":"');
const J_NEXT_QNAME = encoder.encode(',{"qname":"');
const J_RRNAME = encoder.encode('{"rrname":"');
const J_NEXT_RRNAME = encoder.encode(',{"rrname":"');
const J_TYPE = encoder.encode("TYPE");
const J_RRTTL = encoder.encode('","rrttl":');
const J_RDATA = encoder.encode(',"rdata":[');
const J_END_RRSET = encoder.encode("]}");
const J_HEADER = encoder.encode('{"header":{"opcode":');
const J_RCODE = encoder.encode(',"rcode":');
const J_ID = encoder.encode(',"id":');
const J_FLAGS = encoder.encode(',"flags":[');
const J_EDNS = encoder.encode(',"opt":{"edns":{"version":');
const J_OPTIONS = encoder.encode(',"options":[');
const J_END_EDNS = encoder.encode("}}");
const J_QUESTION = encoder.encode('},"question":');
const J_ANSWER = encoder.encode(',"answer":');
const J_AUTHORITY = encoder.encode(',"authority":');
const J_ADDITIONAL = encoder.encode(',"additional":');
const J_QCLASS = encoder.encode(',"qclass":"');
const J_RRCLASS = encoder.encode(',"rrclass":"');
const J_QTYPE = encoder.encode('","qtype":"');
const J_RRTYPE = encoder.encode('","rrtype":"');
const J_DO_UDP = encoder.encode(',"flags":["do"],"udp":');
const J_NO_FLAGS_UDP = encoder.encode(',"flags":[],"udp":');

// RRset grouping state, reused per section: the set each row joined, first rows, min TTLs.
// Typed arrays, not JS arrays emptied by `length = 0`, which drops their storage each time.
let setOf = new Int32Array(64);
let setFirst = new Int32Array(64);
let setTtl = new Uint32Array(64);

function writeClassAndType(sink: TextSink, rrclass: number, rrtype: number, q: boolean): void {
  sink.lit(q ? J_QCLASS : J_RRCLASS);
  writeClassText(sink, rrclass);
  sink.lit(q ? J_QTYPE : J_RRTYPE);
  // nmsg prints an unknown type with the class number (a bug kept for byte-exact output).
  if (rrtypeName(rrtype) !== undefined) writeTypeText(sink, rrtype);
  else {
    sink.lit(J_TYPE);
    sink.uint(rrclass);
  }
  sink.byte(0x22);
}

/** Writes the JSON array of section rows `[from, to)` of `w`. */
function writeSection(
  sink: TextSink,
  w: WireMessage,
  from: number,
  to: number,
  question: boolean,
): void {
  const rr = w.rr;
  sink.byte(0x5b);
  if (question) {
    for (let i = from; i < to; i++) {
      const at = i * RR_STRIDE;
      sink.lit(i > from ? J_NEXT_QNAME : J_QNAME);
      writeRowName(sink, w, at, true);
      sink.byte(0x22);
      writeClassAndType(sink, rr[at + RR_CLASS]!, rr[at + RR_TYPE]!, true);
      sink.byte(0x7d);
    }
    sink.byte(0x5d);
    return;
  }
  if (setOf.length < to) {
    const n = Math.max(to, setOf.length * 2);
    setOf = new Int32Array(n);
    setFirst = new Int32Array(n);
    setTtl = new Uint32Array(n);
  }
  let sets = 0;
  for (let i = from; i < to; i++) {
    const at = i * RR_STRIDE;
    let found = -1;
    for (let k = sets - 1; k >= 0; k--) {
      const f = setFirst[k]! * RR_STRIDE;
      if (
        rr[f + RR_TYPE] === rr[at + RR_TYPE] && rr[f + RR_CLASS] === rr[at + RR_CLASS] &&
        w.sameOwner(f, at)
      ) {
        found = k;
        break;
      }
    }
    if (found < 0) {
      setOf[i] = sets;
      setFirst[sets] = i;
      setTtl[sets++] = rr[at + RR_TTL]!;
    } else {
      setOf[i] = found;
      if (rr[at + RR_TTL]! < setTtl[found]!) setTtl[found] = rr[at + RR_TTL]!;
    }
  }
  for (let k = 0; k < sets; k++) {
    const first = setFirst[k]!;
    const at = first * RR_STRIDE;
    const rrtype = rr[at + RR_TYPE]!;
    const rrclass = rr[at + RR_CLASS]!;
    sink.lit(k > 0 ? J_NEXT_RRNAME : J_RRNAME);
    writeRowName(sink, w, at, true);
    sink.lit(J_RRTTL);
    sink.uint(setTtl[k]!);
    writeClassAndType(sink, rrclass, rrtype, false);
    sink.lit(J_RDATA);
    let firstRdata = true;
    for (let i = first; i < to; i++) {
      if (setOf[i] !== k) continue;
      if (!firstRdata) sink.byte(0x2c);
      firstRdata = false;
      sink.byte(0x22);
      // The trailing-space trim cannot reach the opening quote, as in a fresh buffer.
      const mark = sink.len;
      if (writeRowRdata(sink, w, i * RR_STRIDE)) sink.escapeJsonSince(mark);
      sink.byte(0x22);
    }
    sink.lit(J_END_RRSET);
  }
  sink.byte(0x5d);
}

// Every combination of the header flags as a JSON list body, indexed by flagIndex.
const FLAG_NAMES = ['"qr"', '"aa"', '"tc"', '"rd"', '"ra"', '"ad"', '"cd"'];
const FLAG_COMBOS = Array.from(
  { length: 128 },
  (_, k) => encoder.encode(FLAG_NAMES.filter((_, i) => k & (1 << i)).join(",")),
);

const sink = new TextSink(8192);
const parsed = new WireMessage();

/**
 * The JSON object nmsg's `dnsqr_message_format` writes for a DNS message (inserted raw into
 * the `query_json` / `response_json` fields), or `null` when wdns cannot parse it:
 *
 * `{"header":{"opcode":…,"rcode":…,"id":…,"flags":[…][,"opt":{"edns":{…}}]},"question":[…],
 * "answer":[…],"authority":[…],"additional":[…]}`
 *
 * Answer/authority/additional are grouped into RRsets (same owner ignoring ASCII case, type
 * and class; minimum TTL; rdata in arrival order). Unknown opcodes and rcodes are bare
 * integers; an unknown type is written `"TYPE<class number>"`, as nmsg does.
 *
 * @example
 * ```ts
 * import { messageToJson } from "./message_to_json.ts";
 * import assert from "node:assert/strict";
 *
 * const q = new Uint8Array([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
 *   7, 101, 120, 97, 109, 112, 108, 101, 0, 0, 1, 0, 1]);
 * assert.equal(
 *   messageToJson(q),
 *   '{"header":{"opcode":"QUERY","rcode":"NOERROR","id":1,"flags":["rd"]},' +
 *     '"question":[{"qname":"example.","qclass":"IN","qtype":"A"}],' +
 *     '"answer":[],"authority":[],"additional":[]}',
 * );
 * assert.equal(messageToJson(new Uint8Array(0)), "null");
 * ```
 *
 * @param wire The DNS message (a view; not modified).
 * @returns Raw JSON text (an object, or `null`).
 */
export function messageToJson(wire: Uint8Array): string {
  if (!parsed.parse(wire)) return "null";
  sink.clip(0);
  writeMessageJson(sink, parsed);
  return sink.text();
}

/**
 * Appends the JSON object of a parsed message (`dnsqr_message_format` on success) to `sink`;
 * the byte-level form of {@linkcode messageToJson} for renderers that write into a buffer.
 */
export function writeMessageJson(sink: TextSink, w: WireMessage): void {
  sink.lit(J_HEADER);
  const opcode = (w.flags >> 11) & 0xf;
  const op = opcodeName(opcode);
  if (op !== undefined) {
    sink.byte(0x22);
    sink.ascii(op);
    sink.byte(0x22);
  } else {
    sink.uint(opcode);
  }
  sink.lit(J_RCODE);
  const rc = rcodeName(w.rcode);
  if (rc !== undefined) {
    sink.byte(0x22);
    sink.ascii(rc);
    sink.byte(0x22);
  } else {
    sink.uint(w.rcode);
  }
  sink.lit(J_ID);
  sink.uint(w.id);
  sink.lit(J_FLAGS);
  sink.lit(FLAG_COMBOS[flagIndex(w.flags)]!);
  sink.byte(0x5d);
  if (w.edns) {
    sink.lit(J_EDNS);
    sink.uint(w.ednsVersion);
    sink.lit(w.ednsFlags & 0x8000 ? J_DO_UDP : J_NO_FLAGS_UDP);
    sink.uint(w.ednsUdp);
    if (w.ednsOptions >= 0) {
      sink.lit(J_OPTIONS);
      const { text, spans, count } = ednsOptionLines(w);
      for (let k = 0; k < count; k++) {
        if (k > 0) sink.byte(0x2c);
        sink.byte(0x22);
        const mark = sink.len;
        sink.range(text.buf, spans[2 * k]!, spans[2 * k + 1]!);
        sink.escapeJsonSince(mark);
        sink.byte(0x22);
      }
      sink.byte(0x5d);
    }
    sink.lit(J_END_EDNS);
  }
  const c = w.sectionCounts;
  const a = c[0]!;
  const b = a + c[1]!;
  const d = b + c[2]!;
  sink.lit(J_QUESTION);
  writeSection(sink, w, 0, a, true);
  sink.lit(J_ANSWER);
  writeSection(sink, w, a, b, false);
  sink.lit(J_AUTHORITY);
  writeSection(sink, w, b, d, false);
  sink.lit(J_ADDITIONAL);
  writeSection(sink, w, d, d + c[3]!, false);
  sink.byte(0x7d);
}

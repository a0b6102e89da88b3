/**
 * Whole DNS messages → the JSON object of nmsg's `dnsqr_message_format` (the `query_json` /
 * `response_json` fields of dnsqr, dnstap and dnsobs).
 *
 * @module
 */

import { TextSink } from "./_sink.ts";
import { type DnsRecord, parseMessage } from "./message.ts";
import { ednsOptionLines } from "./message_to_text.ts";
import { writeName } from "./name.ts";
import { writeRdata } from "./rdata_to_text.ts";
import { opcodeName, rcodeName, rrclassName, rrtypeName } from "./tables.ts";

// JSON escapes for the ASCII text wdns produces (nmsg_strbuf_append_str_json).
const JSON_ESCAPES: (string | undefined)[] = new Array(128).fill(undefined);
for (let c = 0; c < 0x20; c++) JSON_ESCAPES[c] = "\\u00" + c.toString(16).padStart(2, "0");
JSON_ESCAPES[0x08] = "\\b";
JSON_ESCAPES[0x0c] = "\\f";
JSON_ESCAPES[0x0a] = "\\n";
JSON_ESCAPES[0x0d] = "\\r";
JSON_ESCAPES[0x09] = "\\t";
JSON_ESCAPES[0x22] = '\\"';
JSON_ESCAPES[0x5c] = "\\\\";

/** Moves `tmp[from..)` into `sink` as the body of a JSON string, escaping as nmsg does. */
function writeJsonEscapedFrom(sink: TextSink, tmp: TextSink, from: number): void {
  const b = tmp.buf;
  for (let i = from; i < tmp.len; i++) {
    const c = b[i]!;
    const e = c < 128 ? JSON_ESCAPES[c] : undefined;
    if (e === undefined) sink.byte(c);
    else sink.ascii(e);
  }
}

function writeJsonString(sink: TextSink, s: string): void {
  sink.byte(0x22);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const e = c < 128 ? JSON_ESCAPES[c] : undefined;
    if (e === undefined) sink.byte(c);
    else sink.ascii(e);
  }
  sink.byte(0x22);
}

const tmp = new TextSink(1024);

function sameOwner(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a[i]!;
    let y = b[i]!;
    if (x >= 0x41 && x <= 0x5a) x |= 0x20;
    if (y >= 0x41 && y <= 0x5a) y |= 0x20;
    if (x !== y) return false;
  }
  return true;
}

interface RrSet {
  first: DnsRecord;
  ttl: number;
  rdatas: Uint8Array[];
}

/** Groups a section into RRsets the way `_wdns_insert_rr_rrset_array` does. */
function rrsets(records: readonly DnsRecord[]): RrSet[] {
  const sets: RrSet[] = [];
  for (const rr of records) {
    let found: RrSet | undefined;
    for (let i = sets.length - 1; i >= 0; i--) {
      const s = sets[i]!;
      if (
        s.first.rrtype === rr.rrtype && s.first.rrclass === rr.rrclass &&
        sameOwner(s.first.name, rr.name)
      ) {
        found = s;
        break;
      }
    }
    if (found === undefined) sets.push({ first: rr, ttl: rr.ttl, rdatas: [rr.rdata] });
    else {
      found.rdatas.push(rr.rdata);
      if (rr.ttl < found.ttl) found.ttl = rr.ttl;
    }
  }
  return sets;
}

function writeClassAndType(sink: TextSink, rrclass: number, rrtype: number, q: boolean): void {
  sink.ascii(q ? ',"qclass":"' : ',"rrclass":"');
  const cls = rrclassName(rrclass);
  if (cls !== undefined) sink.ascii(cls);
  else {
    sink.ascii("CLASS");
    sink.uint(rrclass);
  }
  sink.ascii(q ? '","qtype":"' : '","rrtype":"');
  const type = rrtypeName(rrtype);
  if (type !== undefined) sink.ascii(type);
  else {
    // nmsg prints the class number here (a bug kept for byte-exact output).
    sink.ascii("TYPE");
    sink.uint(rrclass);
  }
  sink.byte(0x22);
}

function writeSection(sink: TextSink, records: readonly DnsRecord[], question: boolean): void {
  sink.byte(0x5b);
  if (question) {
    for (let i = 0; i < records.length; i++) {
      const rr = records[i]!;
      sink.ascii(i > 0 ? ',{"qname":"' : '{"qname":"');
      tmp.clip(0);
      writeName(tmp, rr.name, 0, rr.name.length);
      writeJsonEscapedFrom(sink, tmp, 0);
      sink.byte(0x22);
      writeClassAndType(sink, rr.rrclass, rr.rrtype, true);
      sink.byte(0x7d);
    }
  } else {
    const sets = rrsets(records);
    for (let i = 0; i < sets.length; i++) {
      const set = sets[i]!;
      const rr = set.first;
      sink.ascii(i > 0 ? ',{"rrname":"' : '{"rrname":"');
      tmp.clip(0);
      writeName(tmp, rr.name, 0, rr.name.length);
      writeJsonEscapedFrom(sink, tmp, 0);
      sink.ascii('","rrttl":');
      sink.uint(set.ttl);
      writeClassAndType(sink, rr.rrclass, rr.rrtype, false);
      sink.ascii(',"rdata":[');
      for (let j = 0; j < set.rdatas.length; j++) {
        const rdata = set.rdatas[j]!;
        if (j > 0) sink.byte(0x2c);
        sink.byte(0x22);
        tmp.clip(0);
        writeRdata(tmp, rdata, 0, rdata.length, rr.rrtype, rr.rrclass);
        writeJsonEscapedFrom(sink, tmp, 0);
        sink.byte(0x22);
      }
      sink.ascii("]}");
    }
  }
  sink.byte(0x5d);
}

const FLAG_BITS: ReadonlyArray<readonly [number, string]> = [
  [0x8000, '"qr"'],
  [0x0400, '"aa"'],
  [0x0200, '"tc"'],
  [0x0100, '"rd"'],
  [0x0080, '"ra"'],
  [0x0020, '"ad"'],
  [0x0010, '"cd"'],
];

const sink = new TextSink(8192);

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
  const m = parseMessage(wire);
  if (m === undefined) return "null";
  sink.clip(0);
  sink.ascii('{"header":{"opcode":');
  const opcode = (m.flags >> 11) & 0xf;
  const op = opcodeName(opcode);
  if (op !== undefined) {
    sink.byte(0x22);
    sink.ascii(op);
    sink.byte(0x22);
  } else {
    sink.uint(opcode);
  }
  sink.ascii(',"rcode":');
  const rc = rcodeName(m.rcode);
  if (rc !== undefined) {
    sink.byte(0x22);
    sink.ascii(rc);
    sink.byte(0x22);
  } else {
    sink.uint(m.rcode);
  }
  sink.ascii(',"id":');
  sink.uint(m.id);
  sink.ascii(',"flags":[');
  let first = true;
  for (const [bit, text] of FLAG_BITS) {
    if ((m.flags & bit) === 0) continue;
    if (!first) sink.byte(0x2c);
    sink.ascii(text);
    first = false;
  }
  sink.byte(0x5d);
  const edns = m.edns;
  if (edns !== undefined) {
    sink.ascii(',"opt":{"edns":{"version":');
    sink.uint(edns.version);
    sink.ascii(edns.flags & 0x8000 ? ',"flags":["do"],"udp":' : ',"flags":[],"udp":');
    sink.uint(edns.udpSize);
    if (edns.options !== undefined) {
      sink.ascii(',"options":[');
      const lines = ednsOptionLines(edns.options);
      for (let i = 0; i < lines.length; i++) {
        if (i > 0) sink.byte(0x2c);
        writeJsonString(sink, lines[i]!);
      }
      sink.byte(0x5d);
    }
    sink.ascii("}}");
  }
  sink.ascii('},"question":');
  writeSection(sink, m.sections[0], true);
  sink.ascii(',"answer":');
  writeSection(sink, m.sections[1], false);
  sink.ascii(',"authority":');
  writeSection(sink, m.sections[2], false);
  sink.ascii(',"additional":');
  writeSection(sink, m.sections[3], false);
  sink.byte(0x7d);
  return sink.text();
}

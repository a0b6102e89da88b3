// Whole-message rendering: wdns_message_to_str text (message-modules.md §2.8) and the
// dnsqr JSON object (§2.9), on hand-built RFC 1035 messages.

import assert from "node:assert/strict";
import {
  messageToJson,
  messageToPres,
  messageToText,
  parseMessage,
} from "../../../src/msgmod/dns/mod.ts";
import { bytes, cstr, header, name, question, rr, u16, u32 } from "./_wire.ts";

const QR = 0x8000;
const AA = 0x0400;
const TC = 0x0200;
const RD = 0x0100;
const RA = 0x0080;
const AD = 0x0020;
const CD = 0x0010;
const EMPTY_SECTIONS = "\n;; ANSWER SECTION:\n\n;; AUTHORITY SECTION:\n\n;; ADDITIONAL SECTION:\n";

/** An OPT RR: udp size in the class, ext-rcode/version/flags in the TTL. */
const opt = (udp: number, extRcode: number, version: number, flags: number, rdata: number[] = []) =>
  rr([0], 41, udp, (extRcode << 24) | (version << 16) | flags, rdata);

Deno.test("messageToText() renders a query", () => {
  const q = bytes(header(60913, RD | AD, 1, 0, 0, 0), question(name("icann.org"), 1, 1));
  assert.equal(
    messageToText(q),
    ";; ->>HEADER<<- opcode: QUERY, rcode: NOERROR, id: 60913\n" +
      ";; flags: rd ad; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n" +
      "\n;; QUESTION SECTION:\n;icann.org. IN A\n" + EMPTY_SECTIONS,
  );
  assert.equal(
    messageToPres("query", q),
    `query: [${q.length} octets]\n${messageToText(q)}---\n`,
  );
  assert.equal(
    messageToJson(q),
    '{"header":{"opcode":"QUERY","rcode":"NOERROR","id":60913,"flags":["rd","ad"]},' +
      '"question":[{"qname":"icann.org.","qclass":"IN","qtype":"A"}],"answer":[],"authority":[],"additional":[]}',
  );
});

Deno.test("messageToText() renders every flag and unknown opcodes", () => {
  const m = bytes(header(1, QR | (3 << 11) | AA | TC | RD | RA | AD | CD | 9, 0, 0, 0, 0));
  assert.equal(
    messageToText(m),
    ";; ->>HEADER<<- opcode: 3, rcode: NOTAUTH, id: 1\n" +
      ";; flags: qr aa tc rd ra ad cd; QUERY: 0, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n" +
      "\n;; QUESTION SECTION:\n" + EMPTY_SECTIONS,
  );
  assert.equal(
    messageToJson(m),
    '{"header":{"opcode":3,"rcode":"NOTAUTH","id":1,"flags":["qr","aa","tc","rd","ra","ad","cd"]},' +
      '"question":[],"answer":[],"authority":[],"additional":[]}',
  );
});

Deno.test("messageToText() renders the OPT pseudo-section and its options", () => {
  const cookie = [...u16(10), ...u16(8), 0xca, 0x22, 0xa0, 0xc8, 0x69, 0xd9, 0x10, 0x81];
  const m = bytes(
    header(7, RD, 1, 0, 0, 1),
    question(name("icann.org"), 1, 1),
    opt(4096, 0, 0, 0x8000, cookie),
  );
  assert.equal(
    messageToText(m),
    ";; ->>HEADER<<- opcode: QUERY, rcode: NOERROR, id: 7\n" +
      ";; flags: rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n" +
      "\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags: do; udp: 4096\n" +
      '; OPT=10: ca 22 a0 c8 69 d9 10 81 ("."..i...")\n' +
      ";; QUESTION SECTION:\n;icann.org. IN A\n" + EMPTY_SECTIONS,
  );
  assert.equal(
    messageToJson(m),
    '{"header":{"opcode":"QUERY","rcode":"NOERROR","id":7,"flags":["rd"],' +
      '"opt":{"edns":{"version":0,"flags":["do"],"udp":4096,' +
      '"options":["OPT=10: ca 22 a0 c8 69 d9 10 81 (\\".\\"..i...\\")"]}}},' +
      '"question":[{"qname":"icann.org.","qclass":"IN","qtype":"A"}],"answer":[],"authority":[],"additional":[]}',
  );
  const noOptions = bytes(header(7, 0, 0, 0, 0, 1), opt(1232, 0, 0, 0));
  assert.match(
    messageToText(noOptions)!,
    /; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:/,
  );
  assert.match(
    messageToJson(noOptions),
    /"opt":\{"edns":\{"version":0,"flags":\[\],"udp":1232,"options":\[\]\}\}/,
  );
});

Deno.test("messageToText() shifts the EDNS extended rcode by 8 and counts without the OPT", () => {
  const m = bytes(
    header(2, QR | 5, 0, 0, 0, 2),
    opt(512, 1, 0, 0),
    rr(name("x"), 1, 1, 60, [192, 0, 2, 1]),
  );
  const text = messageToText(m)!;
  assert.match(text, /^;; ->>HEADER<<- opcode: QUERY, rcode: 261, id: 2\n/);
  assert.match(text, /ADDITIONAL: 1\n/);
  assert.match(messageToJson(m), /"rcode":261,/);
  // Extended rcode 1 with header rcode 0 is 256, not BADVERS (16).
  assert.match(messageToText(bytes(header(2, QR, 0, 0, 0, 1), opt(512, 1, 0, 0)))!, /rcode: 256,/);
});

Deno.test("messageToText() takes only the first OPT; later ones are plain RRs", () => {
  const m = bytes(header(3, 0, 0, 0, 0, 2), opt(512, 0, 0, 0), opt(1024, 0, 1, 0));
  const text = messageToText(m)!;
  assert.match(text, /udp: 512\n/);
  // Empty rdata prints nothing, and wdns's final trim then removes the separator space.
  assert.match(text, /;; ADDITIONAL SECTION:\n\. 65536 CLASS1024 OPT\n$/);
});

Deno.test("messageToText() treats an OPT question as EDNS without options", () => {
  const m = bytes(header(4, 0, 1, 0, 0, 0), question([0], 41, 4096));
  assert.equal(
    messageToText(m),
    ";; ->>HEADER<<- opcode: QUERY, rcode: NOERROR, id: 4\n" +
      ";; flags:; QUERY: 0, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n" +
      "\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 4096" +
      "\n;; QUESTION SECTION:\n" + EMPTY_SECTIONS,
  );
  assert.match(messageToJson(m), /"opt":\{"edns":\{"version":0,"flags":\[\],"udp":4096\}\}\}/);
});

Deno.test("messageToText() renders RRs in wire order with decompressed names", () => {
  // question at 12: 3 www 7 example 3 com 0 (17 bytes)
  const m = bytes(
    header(5, QR | AA, 1, 2, 1, 1),
    question(name("www.example.com"), 1, 1),
    rr([0xc0, 12], 5, 1, 300, [3, ..."web".split("").map((c) => c.charCodeAt(0)), 0xc0, 16]),
    rr([3, 0x77, 0x65, 0x62, 0xc0, 16], 1, 1, 60, [192, 0, 2, 7]),
    rr([0xc0, 16], 2, 1, 172800, name("ns.example.com")),
    rr(name("ns.example.com"), 28, 1, 172800, [
      0x20,
      0x01,
      0x0d,
      0xb8,
      ...new Array(11).fill(0),
      1,
    ]),
  );
  assert.equal(
    messageToText(m),
    ";; ->>HEADER<<- opcode: QUERY, rcode: NOERROR, id: 5\n" +
      ";; flags: qr aa; QUERY: 1, ANSWER: 2, AUTHORITY: 1, ADDITIONAL: 1\n" +
      "\n;; QUESTION SECTION:\n;www.example.com. IN A\n" +
      "\n;; ANSWER SECTION:\nwww.example.com. 300 IN CNAME web.example.com.\nweb.example.com. 60 IN A 192.0.2.7\n" +
      "\n;; AUTHORITY SECTION:\nexample.com. 172800 IN NS ns.example.com.\n" +
      "\n;; ADDITIONAL SECTION:\nns.example.com. 172800 IN AAAA 2001:db8::1\n",
  );
});

Deno.test("messageToJson() groups RRsets: owner case-insensitive, minimum TTL, arrival order", () => {
  const m = bytes(
    header(6, QR, 0, 4, 0, 0),
    rr(name("Org"), 2, 1, 300, name("a0.org")),
    rr(name("x.org"), 1, 1, 60, [192, 0, 2, 1]),
    rr(name("org"), 2, 1, 100, name("a2.org")),
    rr(name("org"), 2, 3, 100, name("ch.org")),
  );
  assert.equal(
    messageToJson(m),
    '{"header":{"opcode":"QUERY","rcode":"NOERROR","id":6,"flags":["qr"]},"question":[],' +
      '"answer":[{"rrname":"Org.","rrttl":100,"rrclass":"IN","rrtype":"NS","rdata":["a0.org.","a2.org."]},' +
      '{"rrname":"x.org.","rrttl":60,"rrclass":"IN","rrtype":"A","rdata":["192.0.2.1"]},' +
      '{"rrname":"org.","rrttl":100,"rrclass":"CH","rrtype":"NS","rdata":["ch.org."]}],' +
      '"authority":[],"additional":[]}',
  );
  // Text keeps every RR on its own line, in wire order.
  assert.match(
    messageToText(m)!,
    /ANSWER SECTION:\nOrg\. 300 IN NS a0\.org\.\nx\.org\. 60 IN A 192\.0\.2\.1\norg\. 100 IN NS a2\.org\.\n/,
  );
});

Deno.test("messageToJson() writes unknown types with the class number, as nmsg does", () => {
  const m = bytes(
    header(8, 0, 1, 1, 0, 0),
    question(name("x"), 999, 3),
    rr(name("x"), 999, 1234, 5, [0xab]),
  );
  assert.equal(
    messageToJson(m),
    '{"header":{"opcode":"QUERY","rcode":"NOERROR","id":8,"flags":[]},' +
      '"question":[{"qname":"x.","qclass":"CH","qtype":"TYPE3"}],' +
      '"answer":[{"rrname":"x.","rrttl":5,"rrclass":"CLASS1234","rrtype":"TYPE1234","rdata":["\\\\# 1 ab "]}],' +
      '"authority":[],"additional":[]}',
  );
  assert.match(messageToText(m)!, /;x\. CH TYPE999\n[^]*\nx\. 5 CLASS1234 TYPE999 \\# 1 ab \n/);
});

Deno.test("messageToText() escapes rdata text for JSON", () => {
  const m = bytes(header(9, 0, 0, 1, 0, 0), rr(name("t"), 16, 1, 1, cstr('say "hi"\\')));
  assert.match(messageToJson(m), /"rdata":\["\\"say \\\\\\"hi\\\\\\"\\\\\\\\\\""\]/);
  assert.match(messageToText(m)!, /t\. 1 IN TXT "say \\"hi\\"\\\\"\n/);
});

Deno.test("messageToText() stops quietly when the packet ends before the counts", () => {
  const m = bytes(
    header(10, QR, 1, 5, 5, 5),
    question(name("x"), 1, 1),
    rr(name("x"), 1, 1, 1, [1, 2, 3, 4]),
  );
  assert.match(messageToText(m)!, /QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0\n/);
});

Deno.test("messageToText() and messageToJson() report unparseable messages", () => {
  const bad: Uint8Array[] = [
    new Uint8Array(0),
    new Uint8Array(11),
    // forward compression pointer
    bytes(header(1, 0, 1, 0, 0, 0), 0xc0, 14, 0, 1, 0, 1),
    // pointer to itself
    bytes(header(1, 0, 1, 0, 0, 0), 0xc0, 12, 0, 1, 0, 1),
    // label length octet 64..191
    bytes(header(1, 0, 1, 0, 0, 0), 0x40, 0, 1, 0, 1),
    // question cut short
    bytes(header(1, 0, 1, 0, 0, 0), name("x"), 0, 1),
    // rdata length past the end
    bytes(header(1, 0, 0, 1, 0, 0), name("x"), u16(1), u16(1), u32(1), u16(8), 1, 2, 3, 4),
    // A rdata of 5 bytes (trailing junk in a layout)
    bytes(header(1, 0, 0, 1, 0, 0), rr(name("x"), 1, 1, 1, [1, 2, 3, 4, 5])),
    // NSEC bitmap longer than 32 bytes
    bytes(header(1, 0, 0, 1, 0, 0), rr(name("x"), 47, 1, 1, [0, 0, 33, ...new Array(33).fill(0)])),
    // name over 255 bytes
    bytes(
      header(1, 0, 1, 0, 0, 0),
      ...new Array(5).fill([63, ...new Array(63).fill(0x61)]).flat(),
      0,
      0,
      1,
      0,
      1,
    ),
  ];
  for (const [i, m] of bad.entries()) {
    assert.equal(messageToText(m), undefined, `case ${i}`);
    assert.equal(messageToJson(m), "null", `case ${i}`);
    assert.equal(parseMessage(m), undefined, `case ${i}`);
    assert.equal(messageToPres("response", m), "response: <PARSE ERROR>\n");
  }
});

Deno.test("messageToText() survives hostile bytes", () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256;
  for (let i = 0; i < 2000; i++) {
    const m = new Uint8Array(12 + (i % 200));
    for (let k = 0; k < m.length; k++) m[k] = rnd();
    m[4] =
      m[6] =
      m[8] =
      m[10] =
        0xff; // huge counts
    const text = messageToText(m);
    const json = messageToJson(m);
    assert.equal(text === undefined, json === "null");
    if (json !== "null") JSON.parse(json);
  }
});

Deno.test("parseMessage() exposes the parsed records", () => {
  const m = bytes(
    header(11, QR, 1, 1, 0, 1),
    question(name("x"), 1, 1),
    rr([0xc0, 12], 1, 1, 9, [1, 2, 3, 4]),
    opt(512, 0, 0, 0x8000),
  );
  const p = parseMessage(m)!;
  assert.equal(p.id, 11);
  assert.equal(p.sections[1][0]!.ttl, 9);
  assert.deepEqual(p.sections[1][0]!.name, bytes(name("x")));
  assert.deepEqual(p.sections[1][0]!.rdata, bytes(1, 2, 3, 4));
  assert.deepEqual(p.edns, { version: 0, flags: 0x8000, udpSize: 512, options: new Uint8Array(0) });
});

Deno.test("messageToJson() escapes quotes and backslashes in names and rdata, and only there", () => {
  // An owner with a quote and a space, a TXT string with a quote and a backslash, an A and
  // an unknown type (generic `\#` text): through JSON.parse (RFC 8259) every owner and
  // rdata is the wdns text of the message-text rendering.
  const owner = [3, 0x22, 0x20, 0x61, 0];
  const msg = bytes(
    header(7, QR, 0, 3, 0, 0),
    rr(owner, 16, 1, 60, cstr('say "hi" \\ ')),
    rr(owner, 1, 1, 60, [192, 0, 2, 1]),
    rr(owner, 65280, 1, 60, [1, 2]),
  );
  const lines = messageToText(msg)!.split("\n").filter((l) => l.startsWith('"'));
  assert.equal(lines.length, 3);
  assert.equal(lines[0], '"\\032a. 60 IN TXT "say \\"hi\\" \\\\ "');
  const json = JSON.parse(messageToJson(msg));
  // One RRset per type, all with the same owner.
  assert.deepEqual(
    json.answer.map((s: { rrname: string; rdata: string[] }) => [s.rrname, s.rdata[0]]),
    lines.map((l) => {
      const [name, , , , ...rdata] = l.split(" ");
      return [name, rdata.join(" ")];
    }),
  );
});

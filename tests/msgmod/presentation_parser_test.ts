// Presentation input (-f): libnmsg's per-type rules, with the bugs of the golden README's
// "Reference bugs" 1-3 fixed.

import assert from "node:assert/strict";
import {
  defaultRegistry,
  formatJson,
  NmsgParseError,
  type Payload,
  PresentationParser,
} from "../../mod.ts";

const registry = defaultRegistry();
const now = () => ({ sec: 1577836800, nsec: 0 });

function parse(mname: string, text: string, vname = "base"): Payload[] {
  const parser = new PresentationParser(registry.lookupByName(vname, mname)!, { now });
  const out: Payload[] = [];
  for (const line of text.split("\n")) {
    const p = parser.pushLine(line);
    if (p) out.push(p);
  }
  const last = parser.finish();
  if (last) out.push(last);
  return out;
}

function message(p: Payload): string {
  return JSON.parse(formatJson(p, registry)).message;
}

Deno.test("multi-line fields load up to the '.' line (reference bug 1)", () => {
  const text = Deno.readTextFileSync(
    new URL("../../../shared/golden/inputs/crafted_http_mlstring.pres", import.meta.url),
  );
  const ps = parse("http", text);
  assert.equal(ps.length, 1);
  // The golden README's expected JSON for this file.
  assert.equal(
    JSON.stringify(message(ps[0]!)),
    '{"type":"sinkhole","srcport":80,"request":"GET / HTTP/1.1\\nHost: example\\n"}',
  );
});

Deno.test("an unknown key is an error naming the key and the line (reference bug 2)", () => {
  assert.throws(() => parse("http", "type: sinkhole\nbogus: 5\n\n"), (e: unknown) => {
    assert.ok(e instanceof NmsgParseError);
    assert.equal(e.line, 2);
    assert.match(e.message, /^line 2: unknown field "bogus"/);
    return true;
  });
  // The header line of presentation output is not input.
  assert.throws(
    () => parse("dns", "[36] [2011-02-09 19:41:52.068575000] [1:7 base dns] [00000000] [] [] \n"),
    NmsgParseError,
  );
});

Deno.test("values are the rest of the line; bools load; blank lines do not make empty messages", () => {
  const ps = parse(
    "email",
    "\n\nsrchost: two words\nrcpt: a@x\nrcpt: b@x\n\n\n\nhelo: last without blank line",
  );
  assert.equal(ps.length, 2);
  assert.deepEqual(message(ps[0]!), {
    srchost: "two words",
    rcpt: ["a@x", "b@x"],
    bodyurl: [],
  });
  assert.deepEqual(message(ps[1]!), { helo: "last without blank line", rcpt: [], bodyurl: [] });
  const nd = new PresentationParser(registry.lookupByName("SIE", "newdomain")!, { now });
  nd.pushLine("new_rr: True");
  nd.pushLine("new_rr: false");
  assert.deepEqual(JSON.parse(formatJson(nd.pushLine("")!, registry)).message.new_rr, [
    true,
    false,
  ]);
});

Deno.test("numbers follow strtoul/strtol rules: base prefixes, ranges, wrapping", () => {
  const [p] = parse("http", "type: unknown\nsrcport: 0x50\ndstport: 070\np0f_dist: -40000\n\n");
  assert.deepEqual(message(p!), { type: "unknown", srcport: 80, dstport: 56, p0f_dist: 25536 });
  assert.throws(() => parse("http", "srcport: 65536\n\n"), NmsgParseError);
  assert.throws(() => parse("http", "srcport: 12abc\n\n"), NmsgParseError);
  assert.throws(() => parse("http", "p0f_dist: 32768\n\n"), NmsgParseError);
  const [qr] = parse("qr", "type: QUERY\nnum_response: 4294967297\nmore_available: -1\n\n", "SIE");
  assert.deepEqual(message(qr!), { type: "QUERY", num_response: 1, more_available: 4294967295 });
});

Deno.test("enum names are case-sensitive; bytes fields and empty values are errors", () => {
  assert.throws(() => parse("http", "type: SINKHOLE\n\n"), NmsgParseError);
  assert.throws(() => parse("pkt", "payload: AAEC\n\n"), NmsgParseError);
  assert.throws(() => parse("logline", "category:\n\n"), NmsgParseError);
});

Deno.test("finish() rejects an unterminated multi-line field", () => {
  const parser = new PresentationParser(registry.lookupByName("base", "email")!, { now });
  parser.pushLine("body:");
  parser.pushLine("text");
  assert.throws(() => parser.finish(), NmsgParseError);
});

Deno.test("payloads take the parser's clock and the module's ids", () => {
  const [p] = parse("logline", "category: c\n\n");
  assert.equal(p!.vid, 1);
  assert.equal(p!.msgtype, 6);
  assert.equal(p!.timeSec, 1577836800);
  assert.deepEqual([...p!.payload!], [0x0a, 2, 0x63, 0]);
});

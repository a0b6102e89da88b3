// Domain name text ↔ wire (message-modules.md §2.1, §2.12; RFC 1035 §3.1, §5.1).

import assert from "node:assert/strict";
import {
  DnsTextError,
  nameFieldToText,
  nameFromText,
  nameToText,
  skipName,
} from "../../../src/msgmod/dns/mod.ts";
import { writeNameEscaped } from "../../../src/msgmod/dns/name.ts";
import { TextSink } from "../../../src/msgmod/dns/_sink.ts";
import { bytes, name } from "./_wire.ts";

Deno.test("nameToText() writes labels with wdns escapes", () => {
  assert.equal(nameToText(bytes(name("test1.example.net"))), "test1.example.net.");
  assert.equal(nameToText(bytes(0)), ".");
  assert.equal(nameToText(new Uint8Array(0)), ".");
  assert.equal(nameToText(bytes(3, "a.b", 4, "c d", 1, 0)), "a\\.b.c\\032d\\001.");
  assert.equal(nameToText(bytes(3, "A\\~", 2, 0x7f, 0x21, 0)), "A\\\\~.\\127!.");
  // No terminator: the labels present are written.
  assert.equal(nameToText(bytes(3, "com")), "com.");
  // A length running past the end takes what is there.
  assert.equal(nameToText(bytes(5, "ab")), "ab.");
});

Deno.test("writeNameEscaped() writes the name text as a JSON string holds it", () => {
  // Every byte value in a label, with the JSON string escapes of RFC 8259 §7 applied to the
  // wdns text (the ASCII text has no other characters JSON escapes).
  const labels: number[] = [];
  for (let c = 0; c < 256; c += 16) labels.push(16, ...Array.from({ length: 16 }, (_, k) => c + k));
  const wire = bytes(...labels, 3, '"\\.', 0);
  const sink = new TextSink(8);
  sink.byte(0x22);
  writeNameEscaped(sink, wire, 0, wire.length);
  sink.byte(0x22);
  const text = nameToText(wire);
  assert.equal(sink.text(), JSON.stringify(text));
  // The last label, `"\.`, is `"\\\.` in wdns text and `\"\\\\\\.` in the JSON string.
  assert.ok(text.endsWith('."\\\\\\..'));
  assert.ok(sink.text().endsWith('.\\"\\\\\\\\\\\\.."'));
  sink.clip(0);
  writeNameEscaped(sink, bytes(0), 0, 1);
  assert.equal(sink.text(), ".");
});

Deno.test('nameFieldToText() gives "" for empty or over-long fields', () => {
  assert.equal(nameFieldToText(bytes(name("cdnvideo.ru"))), "cdnvideo.ru.");
  assert.equal(nameFieldToText(undefined), "");
  assert.equal(nameFieldToText(new Uint8Array(0)), "");
  assert.equal(nameFieldToText(new Uint8Array(256).fill(1)), "");
  assert.notEqual(nameFieldToText(new Uint8Array(255).fill(1)), "");
});

Deno.test("nameFromText() parses like wdns_str_to_name_case", () => {
  assert.deepEqual(nameFromText("WWW.Example.com"), bytes(name("WWW.Example.com")));
  assert.deepEqual(nameFromText("WWW.Example.com."), bytes(name("WWW.Example.com")));
  assert.deepEqual(nameFromText(""), bytes(0));
  assert.deepEqual(nameFromText("."), bytes(0));
  assert.deepEqual(nameFromText("a\\.b.c\\032d\\001."), bytes(3, "a.b", 4, "c d", 1, 0));
  assert.deepEqual(nameFromText("\\A"), bytes(1, "A", 0));
  // Labels over 63 bytes are not rejected.
  assert.deepEqual(nameFromText("x".repeat(64)), bytes(64, "x".repeat(64), 0));
});

Deno.test("nameFromText() downcases only on request and never escapes", () => {
  assert.deepEqual(
    nameFromText("WWW.Ex\\065mple", { downcase: true }),
    bytes(3, "www", 7, "exAmple", 0),
  );
});

Deno.test("nameFromText() rejects what wdns rejects", () => {
  for (const bad of ["a..b", ".a", "..", "a\\25", "a\\256", "a\\2x5", "a\\"]) {
    assert.throws(() => nameFromText(bad), DnsTextError, bad);
  }
  // 255 bytes is the limit: 127 one-byte labels + root = 255.
  const ok = Array(127).fill("a").join(".");
  assert.equal(nameFromText(ok).length, 255);
  assert.throws(() => nameFromText(ok + ".b"), DnsTextError);
});

Deno.test("skipName() finds the end of a name without following pointers", () => {
  const pkt = bytes(name("a.b"), 0xc0, 0x00, 9);
  assert.equal(skipName(pkt, 0), 5);
  assert.equal(skipName(pkt, 5), 7);
  assert.equal(skipName(bytes(3, "ab"), 0), 3);
  assert.equal(skipName(bytes(), 0), 0);
});

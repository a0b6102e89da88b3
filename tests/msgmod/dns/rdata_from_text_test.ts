// rdataFromText against RFC wire layouts for the textual forms of the spec
// (message-modules.md §2.13), including wdns's leniencies and refusals.

import assert from "node:assert/strict";
import { DnsTextError, DnsUnsupportedError, rdataFromText } from "../../../src/msgmod/dns/mod.ts";
import { bytes, cstr, hex, name, RRSIG_EXAMPLE, SVCB_EXAMPLE, u16, u32 } from "./_wire.ts";

const IN = 1;
const p = (text: string, type: number, cls = IN) => rdataFromText(text, type, cls);
const eq = (text: string, type: number, ...want: (number | string | number[])[]) =>
  assert.deepEqual(p(text, type), bytes(...want), `${type} ${JSON.stringify(text)}`);
const bad = (text: string, type: number) =>
  assert.throws(() => p(text, type), DnsTextError, `${type} ${JSON.stringify(text)}`);

Deno.test("rdataFromText() parses the generic \\# form", () => {
  eq("\\# 2 0102", 999, 1, 2);
  eq("\\# 4 0a 0b 0c 0d", 999, 10, 11, 12, 13);
  eq("\\# 0", 999);
  bad("\\# 3 0102", 999);
  bad("\\#2 0102", 999);
  bad("# 2 0102", 999);
  bad("\\# 2 01020", 999);
  bad("\\# x 0102", 999);
  bad("10.11.12.13", 999);
});

Deno.test("rdataFromText() gives empty rdata for IN-only types in another class", () => {
  assert.deepEqual(p("anything at all", 1, 3), new Uint8Array(0));
});

Deno.test("rdataFromText() parses addresses", () => {
  eq("10.11.12.13", 1, 10, 11, 12, 13);
  bad("not an IP address", 1);
  bad("10.11.12", 1);
  bad("10.11.12.013", 1);
  eq("::1", 28, hex("00000000000000000000000000000001"));
  eq("2001:db8::1", 28, hex("20010db8000000000000000000000001"));
  eq("::ffff:192.0.2.1", 28, hex("00000000000000000000ffffc0000201"));
  bad("2001:db8:::1", 28);
  bad("1:2:3:4:5:6:7:8:9", 28);
});

Deno.test("rdataFromText() parses names, keeping case", () => {
  eq("WWW.Example.com", 2, name("WWW.Example.com"));
  eq("ns.example.", 5, name("ns.example"));
  eq(".", 2, 0);
  bad("a..b", 2);
});

Deno.test("rdataFromText() stops at missing fields and ignores extra text", () => {
  eq("10", 15, u16(10));
  eq("10 a. extra junk", 15, u16(10), name("a"));
  eq(
    "ns.example. host.example. 1 2 3 4 5",
    6,
    name("ns.example"),
    name("host.example"),
    u32(1),
    u32(2),
    u32(3),
    u32(4),
    u32(5),
  );
  eq("ns.example. host.example. 1 2", 6, name("ns.example"), name("host.example"), u32(1), u32(2));
  eq("", 15);
});

Deno.test("rdataFromText() checks integer fields", () => {
  eq("65535 a.", 15, u16(65535), name("a"));
  bad("65536 a.", 15);
  bad("-1 a.", 15);
  bad("1x a.", 15);
  eq("a. b. 4294967295", 6, name("a"), name("b"), u32(4294967295));
  bad("a. b. 4294967296", 6);
});

Deno.test("rdataFromText() parses character strings", () => {
  eq('"Hello"', 16, cstr("Hello"));
  eq('"a b" c', 16, cstr("a b"), cstr("c"));
  eq(
    '"hello world" "" "q\\"b\\\\\\000\\127\\255~"',
    16,
    cstr("hello world"),
    cstr(""),
    cstr([0x71, 0x22, 0x62, 0x5c, 0, 127, 255, 0x7e]),
  );
  eq('"INTEL" "Linux"', 13, cstr("INTEL"), cstr("Linux"));
  bad('"unterminated', 16);
  bad('"bad \\x escape"', 16);
  bad('"\\256"', 16);
  bad(`"${"x".repeat(256)}"`, 16);
  eq(`"${"x".repeat(255)}"`, 16, cstr("x".repeat(255)));
});

Deno.test("rdataFromText() parses DNSSEC types", () => {
  assert.deepEqual(p(RRSIG_EXAMPLE.text, RRSIG_EXAMPLE.type), RRSIG_EXAMPLE.wire);
  bad("NOSUCHTYPE 8 2", 46);
  eq("257 3 8 AwEAAQ==", 48, u16(257), 3, 8, hex("03010001"));
  eq("257 3 8 AwEA AQ==", 48, u16(257), 3, 8, hex("03010001"));
  eq(
    "42665 8 1 D5E99D85351D361BD6B5B1582F634E8A85CF1BF7",
    43,
    u16(42665),
    8,
    1,
    hex("D5E99D85351D361BD6B5B1582F634E8A85CF1BF7"),
  );
  bad("42665 8 1 D5E", 43);
  eq(
    "next.example. A MX RRSIG NSEC CAA",
    47,
    name("next.example"),
    0,
    6,
    hex("400100000003"),
    1,
    1,
    0x40,
  );
  // Types are sorted and de-duplicated into windows.
  eq("x. A TYPE1234 NS A", 47, name("x"), 0, 1, 0x60, 4, 27, ...new Array(26).fill(0), 0x20);
  eq("x. TYPE0", 47, name("x"), 0, 1, 0x80);
  bad("x. A BOGUS", 47);
  eq(
    "1 1 10 aabbccdd 04106105 A",
    50,
    1,
    1,
    u16(10),
    4,
    hex("aabbccdd"),
    5,
    hex("0102030405"),
    0,
    1,
    0x40,
  );
  eq("1 0 0 - 0", 50, 1, 0, u16(0), 0, 0);
  bad("1 0 0 abc 0", 50);
  bad("1 0 0 - WW", 50);
  // A one-character hash stands for an empty one.
  eq("1 0 0 - W", 50, 1, 0, u16(0), 0, 0);
  eq("1 0 10 abcd", 51, 1, 0, u16(10), 2, 0xab, 0xcd);
  eq("1 0 10 -", 51, 1, 0, u16(10), 0);
  eq("66 3 A NS", 62, u32(66), u16(3), 0, 1, 0x60);
});

Deno.test("rdataFromText() parses A6 prefixes", () => {
  eq("0 ::1", 38, 0, hex("00000000000000000000000000000001"));
  eq("64 ::1 a6.example.", 38, 64, hex("0000000000000001"), name("a6.example"));
  eq("128 a6.example.", 38, 128, name("a6.example"));
  bad("0 ::1 a6.example.", 38);
  bad("129 ::1", 38);
  bad("64", 38);
});

Deno.test("rdataFromText() parses SVCB parameters", () => {
  assert.deepEqual(p(SVCB_EXAMPLE.text, SVCB_EXAMPLE.type), SVCB_EXAMPLE.wire);
  eq("0 alias.example.", 65, u16(0), name("alias.example"));
  bad("1 . bogus=1", 64);
  bad("1 . port", 64);
  bad("1 . no-default-alpn=x", 64);
  bad("1 . port=65536", 64);
  bad("1 . ipv4hint=192.0.2", 64);
});

Deno.test("rdataFromText() parses EUI, URI and CAA", () => {
  eq("00-01-02-ab-cd-ef", 108, hex("000102abcdef"));
  bad("00-01-02-ab-cd", 108);
  bad("00:01:02:ab:cd:ef", 108);
  eq("00-01-02-ab-cd-ef-0a-0b", 109, hex("000102abcdef0a0b"));
  eq('10 1 "ftp://ftp1.example.com/public"', 256, u16(10), u16(1), "ftp://ftp1.example.com/public");
  bad("10 1 ftp://unquoted", 256);
  eq('0 issue "ca.example.net; x=\\"y\\""', 257, 0, cstr("issue"), 'ca.example.net; x="y"');
});

Deno.test("rdataFromText() refuses what wdns cannot parse at all", () => {
  assert.throws(() => p("OPT=10: ca 22", 41), DnsUnsupportedError);
  assert.deepEqual(p("", 41), new Uint8Array(0));
  const long = Array(5).fill("a".repeat(60)).join(".");
  assert.throws(() => p(long, 2), DnsUnsupportedError);
});

Deno.test("rdataFromText() fails only with its typed errors on arbitrary text", () => {
  let seed = 5;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  const alphabet = ' \t"\\.-,=0123456789abcdefxyz:ABZ#+/()é\0';
  for (let type = 0; type < 270; type++) {
    for (let k = 0; k < 20; k++) {
      const text = Array.from({ length: rnd(30) }, () => alphabet[rnd(alphabet.length)]).join("");
      try {
        rdataFromText(text, type, IN);
      } catch (e) {
        assert.ok(e instanceof DnsTextError || e instanceof DnsUnsupportedError, String(e));
      }
    }
  }
});

// rdataToText against the spec's documented wdns renderings (message-modules.md §2.10) and
// RFC presentation formats; inputs are hand-built wire rdata.

import assert from "node:assert/strict";
import { rdataToText } from "../../../src/msgmod/dns/mod.ts";
import { bytes, cstr, hex, name, RRSIG_EXAMPLE, SVCB_EXAMPLE, u16, u32 } from "./_wire.ts";

const IN = 1;
const CH = 3;
const t = (type: number, ...parts: (number | string | number[] | Uint8Array)[]) =>
  rdataToText(bytes(...parts), type, IN);

Deno.test("rdataToText() renders A, AAAA and the IN-only rule", () => {
  assert.equal(t(1, 192, 0, 2, 1), "192.0.2.1");
  assert.equal(t(28, hex("00000000000000000000000000000001")), "::1");
  assert.equal(t(28, hex("00000000000000000000ffffc0000201")), "::ffff:192.0.2.1");
  assert.equal(t(28, hex("20010db8000000000000000000000001")), "2001:db8::1");
  assert.equal(t(28, hex("261000a1107100000000000000000002")), "2610:a1:1071::2");
  assert.equal(rdataToText(bytes(192, 0, 2, 1), 1, CH), "");
  assert.equal(rdataToText(bytes(hex("00000000000000000000000000000001")), 28, CH), "");
});

Deno.test("rdataToText() renders single-name types", () => {
  for (const type of [2, 3, 4, 5, 7, 8, 9, 12, 39]) {
    assert.equal(t(type, name("ns1.example.com")), "ns1.example.com.", `type ${type}`);
  }
  assert.equal(t(39, name("dname.example")), "dname.example.");
  assert.equal(t(2, 0), ".");
});

Deno.test("rdataToText() escapes names like wdns_domain_to_str", () => {
  assert.equal(t(2, 3, "a.b", 4, "c d", 1, 0), "a\\.b.c\\032d\\001.");
  assert.equal(t(2, 2, "\\", 0xff, 0), "\\\\\\255.");
});

Deno.test("rdataToText() renders SOA, also truncated", () => {
  const soa = [
    ...name("ns.example"),
    ...name("host.example"),
    ...u32(1),
    ...u32(2),
    ...u32(3),
    ...u32(4),
    ...u32(5),
  ];
  assert.equal(t(6, soa), "ns.example. host.example. 1 2 3 4 5");
  assert.equal(t(6, soa.slice(0, soa.length - 12)), "ns.example. host.example. 1 2");
  assert.equal(t(6, ...name("a"), ...name("b"), ...u32(4294967295)), "a. b. 4294967295");
});

Deno.test("rdataToText() renders MX, AFSDB, RT, KX, PX, SRV, NAPTR", () => {
  for (const type of [15, 18, 21, 36]) {
    assert.equal(t(type, u16(10), name("mx.example")), "10 mx.example.");
  }
  assert.equal(t(15, 0x0a, 0x00), "2560");
  assert.equal(t(26, u16(10), name("a.example"), name("b.example")), "10 a.example. b.example.");
  assert.equal(t(33, u16(1), u16(2), u16(3), name("srv.example")), "1 2 3 srv.example.");
  assert.equal(
    t(35, u16(100), u16(10), cstr("S"), cstr("SIP+D2U"), cstr(""), name("_sip._udp.example")),
    '100 10 "S" "SIP+D2U" "" _sip._udp.example.',
  );
});

Deno.test("rdataToText() renders character strings with wdns escapes", () => {
  assert.equal(t(16, cstr("Hello")), '"Hello"');
  assert.equal(t(16, cstr("v=spf1 -all")), '"v=spf1 -all"');
  assert.equal(t(99, cstr("v=spf1 -all")), '"v=spf1 -all"');
  assert.equal(t(16), "");
  assert.equal(
    t(16, cstr("hello world"), cstr(""), cstr([0x71, 0x22, 0x62, 0x5c, 0, 127, 255, 0x7e])),
    '"hello world" "" "q\\"b\\\\\\000\\127\\255~"',
  );
  assert.equal(t(13, cstr("INTEL"), cstr('Linux x"y\\z')), '"INTEL" "Linux x\\"y\\\\z"');
  assert.equal(t(19, cstr("311061700956")), '"311061700956"');
  assert.equal(t(20, cstr("150862028003217"), cstr("004")), '"150862028003217" "004"');
});

Deno.test("rdataToText() renders NULL, WKS, NXT, MINFO, RP", () => {
  assert.equal(t(10, 0x00, 0x01, 0xab), "0001AB");
  assert.equal(t(11, u32(0xc0000201), 6, 0, 0, 0x80), "3221225985 6 000080");
  assert.equal(t(30, name("next.example"), 0x40, 0x01), "next.example. 4001");
  assert.equal(t(14, name("a.example"), name("b.example")), "a.example. b.example.");
  assert.equal(t(17, name("a.example"), name("b.example")), "a.example. b.example.");
});

Deno.test("rdataToText() renders SIG, RRSIG, DNSKEY, CDNSKEY, DS, CDS, TLSA", () => {
  assert.equal(
    t(
      24,
      u16(1),
      5,
      2,
      u32(3600),
      u32(1700000000),
      u32(1690000000),
      u16(1234),
      name("signer.example"),
      1,
      2,
      3,
    ),
    "1 5 2 3600 1700000000 1690000000 1234 signer.example. 010203",
  );
  assert.equal(t(46, RRSIG_EXAMPLE.wire), RRSIG_EXAMPLE.text);
  assert.equal(t(46, u16(999), 8, 1), "TYPE999 8 1");
  assert.equal(t(48, u16(257), 3, 8, hex("03010001")), "257 3 8 AwEAAQ==");
  assert.equal(t(60, u16(257), 3, 8, hex("03010001")), "257 3 8 AwEAAQ==");
  const digest = Array.from({ length: 32 }, (_, i) => i);
  const upper = digest.map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join("");
  assert.equal(t(43, u16(12345), 8, 2, digest), `12345 8 2 ${upper}`);
  assert.equal(t(59, u16(12345), 8, 2, digest), `12345 8 2 ${upper}`);
  assert.equal(t(52, 3, 1, 1, hex("abcdef")), "3 1 1 ABCDEF");
  assert.equal(t(61, 1, 2, 3, 4, 5), "AQIDBAU=");
});

Deno.test("rdataToText() renders NSEC, NSEC3, NSEC3PARAM, CSYNC type bitmaps", () => {
  assert.equal(
    t(47, name("next.example"), 0, 6, hex("400100000003"), 1, 1, 0x40),
    "next.example. A MX RRSIG NSEC CAA",
  );
  assert.equal(t(47, name("aaa"), 0, 7, hex("22000000000380")), "aaa. NS SOA RRSIG NSEC DNSKEY");
  assert.equal(
    t(50, 1, 1, u16(10), 4, hex("aabbccdd"), 5, hex("0102030405"), 0, 1, 0x40),
    "1 1 10 aabbccdd 04106105 A",
  );
  assert.equal(t(50, 1, 0, u16(0), 0, 0), "1 0 0 - 0");
  assert.equal(t(51, 1, 0, u16(10), 2, 0xab, 0xcd), "1 0 10 abcd");
  assert.equal(t(51, 1, 0, u16(10), 0), "1 0 10 -");
  assert.equal(t(62, u32(66), u16(3), 0, 1, 0x60), "66 3 A NS");
  // An unnamed type in the bitmap uses the generic mnemonic.
  assert.equal(t(47, name("x"), 0, 7, hex("00000000000004"), 4, 1, 0x08), "x. TYPE53 TYPE1028");
});

Deno.test("rdataToText() renders A6", () => {
  assert.equal(t(38, 0, hex("00000000000000000000000000000001")), "0 ::1");
  assert.equal(t(38, 64, hex("0000000000000001"), name("a6.example")), "64 ::1 a6.example.");
  assert.equal(t(38, 128, name("a6.example")), "128 a6.example.");
});

Deno.test("rdataToText() renders SVCB and HTTPS parameters", () => {
  assert.equal(t(64, SVCB_EXAMPLE.wire), SVCB_EXAMPLE.text);
  assert.equal(t(65, SVCB_EXAMPLE.wire), SVCB_EXAMPLE.text);
  assert.equal(t(65, u16(0), name("alias.example")), "0 alias.example.");
  assert.equal(rdataToText(bytes(u16(0), name("alias.example")), 65, CH), "");
});

Deno.test("rdataToText() renders EUI48, EUI64, URI, CAA", () => {
  assert.equal(t(108, hex("000102abcdef")), "00-01-02-ab-cd-ef");
  assert.equal(t(109, hex("000102abcdef0a0b")), "00-01-02-ab-cd-ef-0a-0b");
  assert.equal(
    t(256, u16(10), u16(1), "ftp://ftp1.example.com/public"),
    '10 1 "ftp://ftp1.example.com/public"',
  );
  assert.equal(
    t(257, 0, cstr("issue"), 'ca.example.net; x="y"'),
    '0 "issue" "ca.example.net; x=\\"y\\""',
  );
});

Deno.test("rdataToText() renders EDNS options of OPT rdata", () => {
  const opt = [
    ...u16(10),
    ...u16(8),
    ...hex("ca22a0c869d91081"),
    ...u16(8),
    ...u16(7),
    ...u16(1),
    24,
    0,
    192,
    0,
    2,
    ...u16(15),
    ...u16(6),
    ...u16(18),
    ..."oops".split("").map((c) => c.charCodeAt(0)),
  ];
  assert.equal(
    t(41, opt),
    'OPT=10: ca 22 a0 c8 69 d9 10 81 ("."..i...")\nCLIENT-SUBNET: 192.0.2.0/24/0\nEDE: 18 (Prohibited): (oops)',
  );
});

Deno.test("rdataToText() uses the generic form for types without a layout", () => {
  assert.equal(t(999, 10, 11, 12, 13), "\\# 4 0a 0b 0c 0d ");
  assert.equal(t(999), "\\# 0 ");
  for (const type of [22, 25, 29, 44, 45, 49, 55, 249, 250, 255, 32768, 32769, 65535]) {
    assert.equal(t(type, 0x47, 0x00), "\\# 2 47 00 ", `type ${type}`);
  }
  // Types are 16-bit: 65537 is A.
  assert.equal(rdataToText(bytes(192, 0, 2, 1), 65537, IN), "192.0.2.1");
});

Deno.test("rdataToText() marks rdata too short for its layout", () => {
  assert.equal(t(1, 192, 0, 2), " ### PARSE ERROR ###");
  assert.equal(t(6, name("a"), name("b"), u32(1), 0, 0), "a. b. 1  ### PARSE ERROR ###");
  // A compression pointer inside rdata is an invalid length octet (wdns_res 3).
  assert.equal(t(2, 0xc0, 0x0c), " ### PARSE ERROR #3 ###");
  assert.equal(t(16, 5, 0x61), " ### PARSE ERROR ###");
});

Deno.test("rdataToText() never throws on arbitrary bytes", () => {
  let seed = 11;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  for (let type = 0; type < 270; type++) {
    for (let k = 0; k < 20; k++) {
      const r = new Uint8Array(rnd(48)).map(() => (rnd(3) === 0 ? rnd(8) : rnd(256)));
      assert.equal(typeof rdataToText(r, type, rnd(4) === 0 ? CH : IN), "string");
    }
  }
});

// RR type/class/rcode/opcode tables and the nmsg field renderings built on them
// (message-modules.md §2.2, §2.3, §2.5, §2.11).

import assert from "node:assert/strict";
import {
  DnsTextError,
  opcodeName,
  rcodeFromText,
  rcodeName,
  rcodeToJson,
  rcodeToPres,
  rrclassFromName,
  rrclassFromText,
  rrclassToJson,
  rrclassToPres,
  rrclassToText,
  rrtypeFromName,
  rrtypeFromText,
  rrtypeName,
  rrtypeToPres,
  rrtypeToText,
} from "../../../src/msgmod/dns/mod.ts";

const TYPES =
  "A=1 NS=2 MD=3 MF=4 CNAME=5 SOA=6 MB=7 MG=8 MR=9 NULL=10 WKS=11 PTR=12 HINFO=13 MINFO=14 MX=15 " +
  "TXT=16 RP=17 AFSDB=18 X25=19 ISDN=20 RT=21 NSAP=22 NSAP-PTR=23 SIG=24 KEY=25 PX=26 GPOS=27 AAAA=28 " +
  "LOC=29 NXT=30 EID=31 NIMLOC=32 SRV=33 ATMA=34 NAPTR=35 KX=36 CERT=37 A6=38 DNAME=39 SINK=40 OPT=41 " +
  "APL=42 DS=43 SSHFP=44 IPSECKEY=45 RRSIG=46 NSEC=47 DNSKEY=48 DHCID=49 NSEC3=50 NSEC3PARAM=51 TLSA=52 " +
  "HIP=55 NINFO=56 RKEY=57 TALINK=58 CDS=59 CDNSKEY=60 OPENPGPKEY=61 CSYNC=62 SVCB=64 HTTPS=65 SPF=99 " +
  "UINFO=100 UID=101 GID=102 UNSPEC=103 NID=104 L32=105 L64=106 LP=107 EUI48=108 EUI64=109 TKEY=249 " +
  "TSIG=250 IXFR=251 AXFR=252 MAILB=253 MAILA=254 ANY=255 URI=256 CAA=257 TA=32768 DLV=32769";

Deno.test("rrtypeName() and rrtypeFromName() cover wdns's 84 types", () => {
  const pairs = TYPES.split(" ").map((p) => p.split("=") as [string, string]);
  assert.equal(pairs.length, 84);
  for (const [s, n] of pairs) {
    assert.equal(rrtypeName(Number(n)), s);
    assert.equal(rrtypeFromName(s), Number(n));
    assert.equal(rrtypeFromName(s.toLowerCase()), Number(n));
  }
  for (const n of [0, 53, 63, 261, 65535]) assert.equal(rrtypeName(n), undefined);
});

Deno.test("rrtypeFromName() parses TYPEnnn like wdns", () => {
  assert.equal(rrtypeFromName("TYPE01"), 1);
  assert.equal(rrtypeFromName("type65535"), 65535);
  assert.equal(rrtypeFromName("TYPE65536"), 0);
  assert.equal(rrtypeFromName("TYPE"), 0);
  assert.equal(rrtypeFromName("TYPE1x"), 0);
  assert.equal(rrtypeFromName("NSAP_PTR"), 0);
  assert.equal(rrtypeFromName("garbage"), 0);
});

Deno.test("RR type field renderings", () => {
  assert.equal(rrtypeToPres(1), "A (1)");
  assert.equal(rrtypeToPres(999), "<UNKNOWN> (999)");
  assert.equal(rrtypeToText(1), "A");
  assert.equal(rrtypeToText(999), "TYPE999");
  assert.equal(rrtypeFromText("TYPE0"), 0);
  assert.equal(rrtypeFromText("type0"), 0);
  assert.throws(() => rrtypeFromText("TYPE0", "sie"), DnsTextError);
  assert.equal(rrtypeFromText("aaaa", "sie"), 28);
  for (const bad of ["garbage", "<UNKNOWN>", ""]) {
    assert.throws(() => rrtypeFromText(bad), DnsTextError);
  }
});

Deno.test("RR class field renderings, base and SIE", () => {
  assert.equal(rrclassToPres(1), "IN (1)");
  assert.equal(rrclassToPres(1234), "CLASS1234 (1234)");
  assert.equal(rrclassToPres(1234, "sie"), "<UNKNOWN> (1234)");
  assert.equal(rrclassToJson(3), "CH");
  assert.equal(rrclassToJson(1234), "CLASS1234");
  assert.equal(rrclassToJson(1234, "sie"), "<UNKNOWN>");
  assert.equal(rrclassToText(32769), "CLASS32769");
  for (
    const [s, n] of [["IN", 1], ["ch", 3], ["Hs", 4], ["NONE", 254], ["ANY", 255], [
      "CLASS32769",
      32769,
    ]] as const
  ) {
    assert.equal(rrclassFromName(s), n);
    assert.equal(rrclassFromText(s), n);
  }
  assert.equal(rrclassFromText("CLASS0"), 0);
  assert.throws(() => rrclassFromText("garbage"), DnsTextError);
  // The SIE parser stores IN whatever the text.
  assert.equal(rrclassFromText("CH", "sie"), 1);
  assert.equal(rrclassFromText("garbage", "sie"), 1);
});

Deno.test("rcode field renderings and parsing", () => {
  const names = [
    "NOERROR",
    "FORMERR",
    "SERVFAIL",
    "NXDOMAIN",
    "NOTIMP",
    "REFUSED",
    "YXDOMAIN",
    "YXRRSET",
    "NXRRSET",
    "NOTAUTH",
    "NOTZONE",
  ];
  names.forEach((s, n) => {
    assert.equal(rcodeName(n), s);
    assert.equal(rcodeFromText(s.toLowerCase()), n);
  });
  assert.equal(rcodeName(16), "BADVERS");
  assert.equal(rcodeToPres(0), "NOERROR (0)");
  assert.equal(rcodeToPres(20), "<UNKNOWN> (20)");
  assert.equal(rcodeToJson(20), "20");
  assert.equal(rcodeFromText("15"), 15);
  assert.equal(rcodeFromText("0xf"), 15);
  assert.equal(rcodeFromText("BADVERS"), 16);
  for (const bad of ["16", "-1", "1x", "bogus", " "]) {
    assert.throws(() => rcodeFromText(bad), DnsTextError, bad);
  }
});

Deno.test("opcodeName() knows the wdns opcodes", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map(opcodeName), [
    "QUERY",
    "IQUERY",
    "STATUS",
    undefined,
    "NOTIFY",
    "UPDATE",
    undefined,
  ]);
});

// Number and text formatting: glibc printf/strftime equivalents, libnmsg's JSON string
// repair and escaping, byte-faithful text. Expectations are the spec's verified C outputs.

import assert from "node:assert/strict";
import { fixedDigits, formatFixed, jsonDouble, jsonSigned } from "../../src/msgmod/_number.ts";
import { sink, writeJsonCString, writeUtc } from "../../src/msgmod/_out.ts";
import { bytesText } from "../../src/msgmod/_text.ts";
import { encodeText } from "../../mod.ts";

Deno.test("formatFixed() rounds exact binary ties to even as glibc does", () => {
  assert.equal(formatFixed(0.0078125, 6), "0.007812");
  assert.equal(formatFixed(0.0234375, 6), "0.023438");
  assert.equal(formatFixed(2 ** -19, 18), "0.000001907348632812");
  assert.equal(formatFixed(0.1, 6), "0.100000");
  assert.equal(formatFixed(-1.5, 6), "-1.500000");
  assert.equal(formatFixed(-0, 6), "-0.000000");
  assert.equal(formatFixed(2.5, 0), "2");
  assert.equal(formatFixed(3.5, 0), "4");
});

Deno.test("formatFixed() prints every digit of huge values and C names for non-finite ones", () => {
  assert.equal(formatFixed(1e21, 1), "1000000000000000000000.0");
  assert.equal(
    formatFixed(1e300, 0),
    "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375" +
      "080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830" +
      "233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838" +
      "115669472196386865459400540160",
  );
  assert.equal(formatFixed(Infinity, 6), "inf");
  assert.equal(formatFixed(-Infinity, 6), "-inf");
  assert.equal(formatFixed(NaN, 6), "nan");
});

Deno.test("jsonDouble() is %.18f without trailing zeros, keeping one decimal", () => {
  assert.equal(jsonDouble(0.00571), "0.00571");
  assert.equal(jsonDouble(1), "1.0");
  assert.equal(jsonDouble(0), "0.0");
  assert.equal(jsonDouble(1e20), "100000000000000000000.0");
  assert.equal(jsonDouble(0.1), "0.100000000000000006");
  assert.equal(jsonDouble(2.5e-7), "0.00000025");
  assert.equal(jsonDouble(72.502579), "72.502578999999997222");
  assert.equal(jsonDouble(1e-300), "0.0");
});

Deno.test("jsonSigned() prints negative values as 64-bit two's complement", () => {
  assert.equal(jsonSigned(-1), "18446744073709551615");
  assert.equal(jsonSigned(-300), "18446744073709551316");
  assert.equal(jsonSigned(-2n), "18446744073709551614");
  assert.equal(jsonSigned(42), "42");
});

function utcText(sec: number): string {
  sink.clip(0);
  writeUtc(sink, sec);
  return new TextDecoder().decode(sink.buf.subarray(0, sink.len));
}

Deno.test("writeUtc() and fixedDigits() format times as strftime and num_to_str do", () => {
  assert.equal(utcText(0), "1970-01-01 00:00:00");
  assert.equal(utcText(1297280512), "2011-02-09 19:41:52");
  assert.equal(utcText(-62000000000), "5-04-19 09:46:40");
  assert.equal(utcText(253402300800), "10000-01-01 00:00:00");
  assert.equal(utcText(-1), "1969-12-31 23:59:59");
  assert.equal(fixedDigits(10000, 4), "0000");
  assert.equal(fixedDigits(68575000, 9), "068575000");
  assert.equal(fixedDigits(-500000000, 9), "+00000000");
});

function jsonString(bytes: number[]): string {
  sink.clip(0);
  writeJsonCString(sink, new Uint8Array(bytes));
  return new TextDecoder().decode(sink.buf.subarray(0, sink.len));
}

Deno.test("JSON strings get libnmsg's UTF-8 repair, NUL cut and escaping", () => {
  // E8 81 20: a truncated 3-byte sequence loses one byte at a time.
  assert.equal(jsonString([0x61, 0xe8, 0x81, 0x20, 0x62]), '"a\ufffd\ufffd b"');
  // Overlong sequences become one U+FFFD each.
  assert.equal(jsonString([0xc1, 0x80]), '"\ufffd"');
  assert.equal(jsonString([0xe0, 0x90, 0x80]), '"\ufffd"');
  assert.equal(jsonString([0xf0, 0x88, 0x80, 0x80]), '"\ufffd"');
  // Text ends at a NUL.
  assert.equal(jsonString([0x61, 0x62, 0, 0x63]), '"ab"');
  assert.equal(
    jsonString([1, 8, 9, 10, 12, 13, 0x1f, 0x22, 0x2f, 0x5c, 0x7f]),
    '"\\u0001\\b\\t\\n\\f\\r\\u001f\\"/\\\\\x7f"',
  );
  assert.equal(jsonString([0xc3, 0xa9]), '"é"');
});

Deno.test("bytesText() and encodeText() round-trip any bytes", () => {
  const cases = [
    [0x61, 0xff, 0x62],
    [0xed, 0xa0, 0x80],
    [0xef, 0xbb, 0xbf, 0x41],
    [0xf0, 0x9f, 0x98, 0x80, 0xc3],
    [0xef, 0xbf, 0xbd],
  ];
  for (const c of cases) {
    const b = new Uint8Array(c);
    assert.deepEqual(encodeText(bytesText(b)), b);
  }
  assert.equal(bytesText(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])), "\ufeffA");
  assert.equal(bytesText(new Uint8Array([0x61, 0xff])), "a\udcff");
});

// JSON input (-j): the bugs of the golden README's "Reference bugs" 4, 5 and 7 fixed, the
// failures that stop nmsgtool, and what libnmsg does with a message that sets nothing.

import assert from "node:assert/strict";
import {
  Aliases,
  defaultRegistry,
  formatJson,
  formatPresentation,
  NmsgMessage,
  NmsgParseError,
  NmsgUnsupportedError,
  parseJsonPayload,
  type Payload,
} from "../../mod.ts";

const registry = defaultRegistry();
const T = '"time":"2020-01-01 00:00:00.000000000"';

Deno.test("a time fraction is a decimal fraction (reference bug 4)", () => {
  const line = (t: string) =>
    `{"time":"2020-01-01 00:00:03${t}","vname":"base","mname":"logline","message":{}}`;
  assert.equal(parseJsonPayload(line(".5"), registry).timeNsec, 500000000);
  assert.equal(parseJsonPayload(line(".123"), registry).timeNsec, 123000000);
  assert.equal(parseJsonPayload(line(".0000000017"), registry).timeNsec, 1);
  assert.equal(parseJsonPayload(line(""), registry).timeNsec, 0);
});

Deno.test("a null inside a list is a parse error (reference bug 5)", () => {
  const text = Deno.readTextFileSync(
    new URL("../../../shared/golden/inputs/crafted_json_null_elem.json", import.meta.url),
  );
  assert.throws(() => parseJsonPayload(text, registry), NmsgParseError);
});

Deno.test("an enum number is accepted when the enum defines it (reference bug 7)", () => {
  const p = parseJsonPayload(
    `{${T},"vname":"base","mname":"packet","message":{"payload_type":1,"payload":"RQ=="}}`,
    registry,
  );
  assert.match(formatJson(p, registry), /"payload_type":"IP"/);
  assert.throws(
    () =>
      parseJsonPayload(
        `{${T},"vname":"base","mname":"packet","message":{"payload_type":0}}`,
        registry,
      ),
    NmsgParseError,
  );
});

Deno.test("fields nmsgtool cannot read at all stop the input with NmsgUnsupportedError", () => {
  assert.throws(
    () =>
      parseJsonPayload(
        `{${T},"vname":"SIE","mname":"dnsdedupe","message":{"response":"x"}}`,
        registry,
      ),
    NmsgUnsupportedError,
  );
});

Deno.test("a message that sets no field has no payload bytes but renders like libnmsg", () => {
  const p = parseJsonPayload(`{${T},"vname":"base","mname":"http","message":{}}`, registry);
  assert.equal(p.payload, undefined);
  // Required fields keep protobuf-c's initial value (spec §1.3/§1.4): http's type is 0,
  // "unknown". The size in the header is that of the payload bytes, none (as the golden
  // json-pres_crafted_modules case shows for an email read from "message":{}).
  assert.equal(
    formatJson(p, registry),
    `{${T},"vname":"base","mname":"http","message":{"type":"unknown"}}`,
  );
  assert.equal(
    formatPresentation(p, registry),
    "[0] [2020-01-01 00:00:00.000000000] [1:4 base http] [00000000] [] [] \ntype: unknown\n\n",
  );
});

Deno.test("operator and group names resolve through the aliases, case-insensitively", () => {
  const aliases = new Aliases(new Map([[1, "FSI"]]), new Map([[3, "trafficconverter"]]));
  const p = parseJsonPayload(
    `{${T},"vname":"base","mname":"logline","source":"a1b2c3d4","operator":"fsi",` +
      `"group":"TrafficConverter","message":{}}`,
    registry,
    { aliases },
  );
  assert.deepEqual([p.source, p.operator, p.group], [0xa1b2c3d4, 1, 3]);
  const unknown = parseJsonPayload(
    `{${T},"vname":"base","mname":"logline","operator":"nobody","message":{}}`,
    registry,
  );
  assert.equal(unknown.operator, undefined);
});

Deno.test("a line without a time takes the clock's; bad lines are parse errors", () => {
  const p = parseJsonPayload('{"vname":"base","mname":"logline","message":{}}', registry, {
    now: () => ({ sec: 7, nsec: 8 }),
  });
  assert.deepEqual([p.timeSec, p.timeNsec], [7, 8]);
  for (
    const bad of [
      "not json",
      "[]",
      '{"vname":"base","mname":"nosuch","message":{}}',
      '{"vname":1,"mname":"logline","message":{}}',
      `{${T},"vname":"base","mname":"logline"}`,
      `{${T},"vname":"base","mname":"logline","message":{"category":1}}`,
    ]
  ) {
    assert.throws(() => parseJsonPayload(bad, registry), NmsgParseError, bad);
  }
});

Deno.test("64-bit integers keep every digit", () => {
  const p = parseJsonPayload(
    `{${T},"vname":"SIE","mname":"delay","message":{"query_ip":"::","response_ip":"::",` +
      `"delay":0.5,"response_time_sec":-9223372036854775807}}`,
    registry,
  );
  assert.match(formatJson(p, registry), /"response_time_sec":9223372036854775809}/);
});

/** A JSON input line for `vname/mname` with `message`, at 2020-01-01 00:00:00. */
const line = (vname: string, mname: string, message: string) =>
  `{${T},"vname":"${vname}","mname":"${mname}","message":${message}}`;

/** Integers as decimal text, whether stored as number or bigint. */
const norm = (v: unknown) => typeof v === "number" || typeof v === "bigint" ? String(v) : v;

/** The raw values of a field of a payload read from JSON. */
function raw(p: Payload, name: string): unknown[] {
  return NmsgMessage.fromPayload(p, registry)!.rawAll(name).map(norm);
}

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("JSON input values convert per field type as §1.7 says", () => {
  const cases: [string, string, string, Record<string, unknown[]>][] = [
    // double: a JSON double, exponent form included; int64: a JSON integer.
    [
      "SIE",
      "delay",
      '{"query_ip":"1.2.3.4","response_ip":"::1","delay":1e3,"response_time_sec":-1}',
      {
        delay: [1000],
        response_time_sec: [-1n],
        query_ip: [new Uint8Array([1, 2, 3, 4])],
      },
    ],
    // uint64: integers above INT64_MAX are clamped, negative ones wrap, strings are decimal.
    ["base", "dnsobs", '{"time":18446744073709551615}', { time: [9223372036854775807n] }],
    ["base", "dnsobs", '{"time":-1}', { time: [18446744073709551615n] }],
    ["base", "dnsobs", '{"time":"123456789012345678"}', { time: [123456789012345678n] }],
    // uint16 negative values wrap; int16/int32 at their limits; enum names in any case.
    [
      "base",
      "http",
      '{"type":"SINKHOLE","srcport":-1,"dstport":65535,"p0f_dist":-32768,"p0f_uptime":2147483647}',
      {
        type: [1],
        srcport: [65535],
        dstport: [65535],
        p0f_dist: [-32768],
        p0f_uptime: [2147483647],
      },
    ],
    // enum numbers in range.
    ["base", "http", '{"type":0}', { type: [0] }],
    // uint32 negative values wrap.
    ["SIE", "qr", '{"type":"query","num_response":-1}', { num_response: [4294967295] }],
    // bool: a JSON bool, an integer, or true/false in any case; strings are stored up to
    // their first NUL, plus one (strlen + 1).
    [
      "SIE",
      "newdomain",
      '{"new_domain":"TRUE","new_rrname":0,"new_rr":[true,false,1],"keys":["a","b\\u0000c"]}',
      {
        new_domain: [true],
        new_rrname: [false],
        new_rr: [true, false, true],
        keys: [enc("a\0"), enc("b\0")],
      },
    ],
    ["base", "logline", '{"category":"\\ud83d\\ude00 \\u00e9"}', {
      category: [enc("\u{1f600} \u00e9\0")],
    }],
    // bytes: base64, or an object's b64 member; ip: v4 then v6 text; null is absent.
    ["base", "pkt", '{"payload":{"b64":"AAEC"},"len_frame":4294967295}', {
      payload: [new Uint8Array([0, 1, 2])],
      len_frame: [4294967295],
    }],
    ["base", "pkt", '{"payload":"AAEC"}', { payload: [new Uint8Array([0, 1, 2])] }],
    ["base", "encode", '{"type":"json","payload":{"val":{"x":1},"b64":"eyJhIjoxfQ=="}}', {
      payload: [enc('{"a":1}')],
    }],
    ["base", "ipconn", '{"srcip":null,"dstip":"2001:DB8::A"}', {
      srcip: [],
      dstip: [new Uint8Array([0x20, 1, 0x0d, 0xb8, ...new Array(11).fill(0), 0x0a])],
    }],
  ];
  for (const [vname, mname, message, want] of cases) {
    const p = parseJsonPayload(line(vname, mname, message), registry);
    for (const [name, values] of Object.entries(want)) {
      assert.deepEqual(raw(p, name), values.map(norm), `${mname} ${message}: ${name}`);
    }
  }
});

Deno.test("numbers are integers or doubles by their text, as json-c types them", () => {
  const delay = (value: string, rest = "") =>
    line("SIE", "delay", `{"query_ip":"::","response_ip":"::","delay":${value}${rest}}`);
  // A double field takes integer-valued literals written with a fraction or exponent,
  // also with blanks around them, and rejects the same value written as an integer.
  for (const v of ["1.0", "2.000 ", " 3.0\t", "1e2", "1.5E+1", "-0.0", "1.00000000000000001"]) {
    assert.equal(raw(parseJsonPayload(delay(v), registry), "delay").length, 1, v);
  }
  assert.throws(() => parseJsonPayload(delay("1"), registry), NmsgParseError);
  // An int64 field rejects them, in lists too; look-alikes inside strings change nothing.
  assert.throws(
    () => parseJsonPayload(delay("0.5", ',"response_time_sec":7.0'), registry),
    NmsgParseError,
  );
  const nsecs = (list: string) =>
    line("base", "dnsqr", `{"type":"UDP_QUERY_ONLY","query_time_nsec":${list}}`);
  assert.throws(() => parseJsonPayload(nsecs("[1,2.0]"), registry), NmsgParseError);
  assert.deepEqual(raw(parseJsonPayload(nsecs("[1, 2 ]"), registry), "query_time_nsec"), [
    "1",
    "2",
  ]);
  const p = parseJsonPayload(
    delay("0.5", ',"response_time_sec":1234567890123456789,"x":":1.0,"'),
    registry,
  );
  assert.deepEqual(raw(p, "response_time_sec"), ["1234567890123456789"]);
});

Deno.test("JSON input values out of range or of the wrong kind are parse errors (§1.7)", () => {
  for (
    const [vname, mname, message] of [
      ["SIE", "delay", '{"query_ip":"::","response_ip":"::","delay":1,"response_time_sec":1}'],
      ["base", "http", '{"type":-1}'],
      ["base", "http", '{"type":2}'],
      ["base", "http", '{"srcport":65536}'],
      ["base", "http", '{"p0f_dist":-32769}'],
      ["base", "http", '{"p0f_uptime":2147483648}'],
      ["SIE", "qr", '{"type":"query","num_response":4294967296}'],
      ["base", "ipconn", '{"proto":65536}'],
      ["base", "ipconn", '{"srcip":5}'],
      ["base", "ipconn", '{"srcip":"not an address"}'],
      ["SIE", "newdomain", '{"new_rr":null}'],
      ["SIE", "newdomain", '{"new_rr":true}'],
      // A field with a parse function takes a string only.
      ["base", "dnsobs", '{"qtype":1}'],
    ]
  ) {
    assert.throws(
      () => parseJsonPayload(line(vname!, mname!, message!), registry),
      NmsgParseError,
      `${mname} ${message}`,
    );
  }
});

Deno.test("the JSON envelope: strptime times, integer or double seconds, %x sources (§1.7)", () => {
  const at = (time: string) =>
    parseJsonPayload(`{"time":${time},"vname":"ISC","mname":"LogLine","message":{}}`, registry);
  assert.deepEqual([at('"2020-01-01 00:00:00"').timeSec, at('"2020-01-01 00:00:00"').timeNsec], [
    1577836800,
    0,
  ]);
  assert.deepEqual([at("1577836800").timeSec, at("1577836800").timeNsec], [1577836800, 0]);
  assert.deepEqual([at("1577836800.25").timeSec, at("1577836800.25").timeNsec], [
    1577836800,
    250000000,
  ]);
  // ISC is base; names in any case.
  assert.deepEqual([at("0").vid, at("0").msgtype], [1, 6]);
  assert.throws(() => at('"2020-01-01T00:00:00.000000000"'), NmsgParseError);
  const env = (extra: string) =>
    parseJsonPayload(`{${T},"vname":"base","mname":"logline"${extra},"message":{}}`, registry);
  assert.equal(env(',"source":"0xABCD"').source, 0xabcd);
  assert.equal(env(',"source":"abcd"').source, 0xabcd);
  assert.equal(env(',"source":43981').source, 0xabcd);
  assert.equal(env(',"operator":5').operator, 5);
  // An operator or group name without an alias is 0, i.e. not set.
  assert.equal(env(',"group":"nogroup"').group, undefined);
});

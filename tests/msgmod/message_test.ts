// The module registry, user modules and the typed field API of NmsgMessage.

import assert from "node:assert/strict";
import {
  BUILTIN_MODULES,
  defaultRegistry,
  formatJson,
  formatPresentation,
  MessageModule,
  NmsgFormatError,
  NmsgMessage,
} from "../../mod.ts";

const registry = defaultRegistry();
const module = (v: string, t: string) => registry.lookupByName(v, t)!;

Deno.test("ModuleRegistry looks modules up by number and by name, any case, ISC = base", () => {
  const ids = BUILTIN_MODULES.map((m) => `${m.vid}:${m.msgtype} ${m.vname}/${m.mname}`);
  assert.deepEqual(ids, [
    "1:1 base/ncap",
    "1:2 base/email",
    "1:3 base/linkpair",
    "1:4 base/http",
    "1:5 base/ipconn",
    "1:6 base/logline",
    "1:7 base/dns",
    "1:8 base/pkt",
    "1:9 base/dnsqr",
    "1:10 base/xml",
    "1:11 base/encode",
    "1:12 base/packet",
    "1:13 base/dnstap",
    "1:14 base/dnsobs",
    "2:1 SIE/dnsdedupe",
    "2:2 SIE/reputation",
    "2:3 SIE/qr",
    "2:4 SIE/delay",
    "2:5 SIE/newdomain",
    "2:6 SIE/dnsnx",
  ]);
  assert.equal(registry.lookup(1, 9)?.mname, "dnsqr");
  assert.equal(registry.lookupByName("ISC", "HTTP")?.msgtype, 4);
  assert.equal(registry.lookupByName("sie", "DnsDedupe")?.vid, 2);
  assert.equal(registry.lookupByName("base", "nope"), undefined);
  assert.equal(registry.lookupByName("GTISC", "x"), undefined);
  assert.equal(registry.vendorName(2), "SIE");
  assert.equal(registry.vendorName(3), undefined);
  assert.equal(registry.msgtypeId(1, "DNSOBS"), 14);
  assert.equal(registry.modules().length, 20);
});

const pingSchema = {
  typeName: "acme.Ping",
  fields: [
    { name: "host", number: 1, type: "bytes", label: "required" },
    { name: "rtt", number: 2, type: "double", label: "optional" },
    { name: "hops", number: 3, type: "uint32", label: "repeated" },
  ],
} as const;

Deno.test("register() adds a user module that renders and replaces one of the same ids", () => {
  const r = defaultRegistry();
  const ping = new MessageModule({
    vid: 1000,
    vname: "acme",
    msgtype: 1,
    mname: "ping",
    schema: pingSchema,
    fields: [
      { name: "host", type: "string" },
      { name: "rtt", type: "double" },
      { name: "hops", type: "uint16", noprint: true },
      {
        name: "slow",
        type: "bool",
        get: (m, i) => i === 0 ? (m.raw("rtt") as number) > 1 : undefined,
      },
    ],
  });
  r.register(ping);
  // 17 bytes: host "h\0" (4), rtt as a double (9), two hops (2 + 2).
  const p = new NmsgMessage(ping).set("host", "h").set("rtt", 1.5).set("hops", [1, 2])
    .toPayload();
  assert.equal(
    formatPresentation(p, r),
    "[17] [1970-01-01 00:00:00.000000000] [1000:1 acme ping] [00000000] [] [] \n" +
      "host: h\nrtt: 1.500000\nslow: True\n\n",
  );
  assert.equal(
    formatJson(p, r),
    '{"time":"1970-01-01 00:00:00.000000000","vname":"acme","mname":"ping",' +
      '"message":{"host":"h","rtt":1.5,"hops":[1,2],"slow":true}}',
  );
  assert.equal(r.lookupByName("ACME", "PING"), ping);
  assert.equal(defaultRegistry().lookup(1000, 1), undefined);
});

Deno.test("MessageModule rejects fields that are neither in the schema nor derived", () => {
  assert.throws(
    () =>
      new MessageModule({
        vid: 1000,
        vname: "acme",
        msgtype: 2,
        mname: "bad",
        schema: pingSchema,
        fields: [{ name: "nope", type: "string" }],
      }),
    TypeError,
  );
});

Deno.test("NmsgMessage gets and sets typed values: enum names, text, addresses, numbers", () => {
  const msg = new NmsgMessage(module("base", "http"))
    .set("type", "SINKHOLE")
    .set("srcip", "2001:db8::1")
    .set("srcport", 443)
    .set("p0f_dist", -1)
    .set("request", "GET /\n");
  assert.equal(msg.get("type"), "sinkhole");
  assert.equal(msg.raw("type"), 1);
  assert.equal(msg.get("srcip"), "2001:db8::1");
  assert.equal(msg.get("srcport"), 443);
  assert.equal(msg.get("p0f_dist"), -1);
  assert.equal(msg.get("request"), "GET /\n");
  assert.deepEqual([...msg.raw("request") as Uint8Array].slice(-2), [10, 0]);
  assert.equal(msg.has("dstip"), false);
  assert.equal(msg.enumValue("type", "Unknown"), 0);
  msg.setRaw("type", 9);
  assert.equal(msg.get("type"), 9);
  assert.throws(() => msg.set("srcport", 70000), RangeError);
  assert.throws(() => msg.set("type", "nope"), RangeError);
  assert.throws(() => msg.set("srcip", "999.1.1.1"), TypeError);
  assert.throws(() => msg.set("nope", 1), TypeError);
});

Deno.test("NmsgMessage reads 64-bit values as bigint and repeated fields as lists", () => {
  const msg = new NmsgMessage(module("base", "dnsqr"))
    .set("query_time_sec", [1700000000, 2n ** 62n])
    .add("query_packet", new Uint8Array([1, 2]));
  assert.deepEqual(msg.getAll("query_time_sec"), [1700000000n, 2n ** 62n]);
  assert.equal(msg.count("query_packet"), 1);
  assert.deepEqual(msg.get("query_packet"), new Uint8Array([1, 2]));
  assert.equal(msg.get("query_packet", 1), undefined);
  msg.clear("query_time_sec");
  assert.deepEqual(msg.getAll("query_time_sec"), []);
});

Deno.test("NmsgMessage derives virtual fields and refuses to set them", () => {
  const msg = new NmsgMessage(module("SIE", "newdomain")).set("new_rr", [true, false]);
  assert.deepEqual(msg.getAll("new_rr"), [true, false]);
  const ncap = new NmsgMessage(module("base", "ncap")).set("type", "Legacy").set("ltype", "TCP")
    .set("lint0", 25).set("payload", new Uint8Array([1]));
  assert.equal(ncap.get("srcport"), 25);
  assert.equal(ncap.get("proto"), 6);
  assert.throws(() => ncap.set("proto", 17), TypeError);
});

Deno.test("toPayload() keeps the original bytes until a field changes, then re-encodes", () => {
  const original = new NmsgMessage(module("base", "logline")).set("category", "a").toPayload();
  const msg = NmsgMessage.fromPayload(original, registry)!;
  assert.equal(msg.toPayload(), original);
  msg.set("message", "b");
  const changed = msg.toPayload();
  assert.notEqual(changed, original);
  assert.deepEqual([...changed.payload!], [0x0a, 2, 0x61, 0, 0x12, 2, 0x62, 0]);
});

Deno.test("a payload that does not decode is reported, not rendered", () => {
  const p = { vid: 1, msgtype: 4, timeSec: 0, timeNsec: 0, payload: new Uint8Array([0x12, 0]) };
  const msg = NmsgMessage.fromPayload(p, registry)!;
  assert.equal(msg.isValid(), false);
  assert.throws(() => msg.get("type"), NmsgFormatError);
  assert.equal(formatPresentation(p, registry), undefined);
  assert.equal(NmsgMessage.fromPayload({ ...p, vid: 77 }, registry), undefined);
});

Deno.test("getters of a payload that does not decode throw NmsgFormatError naming the fault", () => {
  // Fuzz finding F1: dnsqr bytes 0a (field 1, length-delimited, no length) with a right CRC.
  const p = { vid: 1, msgtype: 9, timeSec: 0, timeNsec: 0, payload: new Uint8Array([0x0a]) };
  const msg = NmsgMessage.fromPayload(p, registry)!;
  for (const read of [() => msg.get("qname"), () => msg.getAll("query"), () => msg.count("id")]) {
    assert.throws(read, (e: unknown) => {
      assert.ok(e instanceof NmsgFormatError);
      assert.equal(e.code, "protobuf");
      assert.match(e.message, /^offset \d+: base\/dnsqr payload does not decode: [^\n]+$/);
      return true;
    });
  }
  const none = NmsgMessage.fromPayload({ vid: 1, msgtype: 9, timeSec: 0, timeNsec: 0 }, registry)!;
  assert.throws(
    () => none.raw("id"),
    /^NmsgFormatError: base\/dnsqr payload does not decode: no payload bytes$/,
  );
});

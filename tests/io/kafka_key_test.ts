import assert from "node:assert/strict";
import { KafkaKeyError, kafkaMessageKey } from "../../src/io/kafka_key.ts";
import { defaultRegistry } from "../../src/msgmod/builtin.ts";
import { NmsgMessage } from "../../src/msgmod/message.ts";
import { readPayloads } from "../../src/wire/container_reader.ts";
import { GOLDEN_DIR } from "../_golden.ts";

const registry = defaultRegistry();
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function message(vname: string, mname: string, fields: Record<string, string | number>) {
  const msg = new NmsgMessage(registry.lookupByName(vname, mname)!);
  for (const [k, v] of Object.entries(fields)) msg.set(k, v);
  return NmsgMessage.fromPayload(msg.toPayload(), registry)!;
}

Deno.test("kafkaMessageKey() renders enums, addresses, strings and numbers as libnmsg does", () => {
  const http = message("base", "http", {
    type: "sinkhole",
    srcip: "2001:db8::1",
    srcport: 65535,
    request: "GET /",
  });
  assert.equal(text(kafkaMessageKey(http, "type")), "sinkhole");
  assert.equal(text(kafkaMessageKey(http, "srcip")), "2001:db8::1");
  assert.equal(text(kafkaMessageKey(http, "srcport")), "65535");
  assert.equal(text(kafkaMessageKey(http, "request")), "GET /");
  // Absent value: empty key.
  assert.equal(kafkaMessageKey(http, "dstport").length, 0);
});

Deno.test("kafkaMessageKey() uses a field's formatter (DNS names, types, classes)", async () => {
  using f = await Deno.open(GOLDEN_DIR + "inputs/generic-tests_dnsqr.nmsg");
  const payloads = await Array.fromAsync(readPayloads(f));
  const json = text(
    await Deno.readFile(GOLDEN_DIR + "expected/nmsg-json_generic-tests_dnsqr.stdout"),
  )
    .trimEnd().split("\n").map((l) => JSON.parse(l).message);
  for (let i = 0; i < payloads.length; i++) {
    const msg = NmsgMessage.fromPayload(payloads[i]!, registry)!;
    for (const field of ["qname", "qtype", "qclass"]) {
      assert.equal(text(kafkaMessageKey(msg, field)), json[i][field], `${i} ${field}`);
    }
  }
});

Deno.test("kafkaMessageKey() takes a repeated field's first value as stored in memory", async () => {
  using f = await Deno.open(GOLDEN_DIR + "inputs/generic-tests_dnsqr.nmsg");
  const [p] = await Array.fromAsync(readPayloads(f));
  const json = JSON.parse(
    text(await Deno.readFile(GOLDEN_DIR + "expected/nmsg-json_generic-tests_dnsqr.stdout")).split(
      "\n",
    )[0]!,
  ).message;
  const msg = NmsgMessage.fromPayload(p!, registry)!;
  // libnmsg hands out the int64 and the uint32 as their 8 and 4 little-endian bytes.
  const sec = new DataView(kafkaMessageKey(msg, "query_time_sec").buffer.slice(0));
  assert.equal(kafkaMessageKey(msg, "query_time_sec").length, 8);
  assert.equal(sec.getBigInt64(0, true), BigInt(json.query_time_sec[0]));
  const nsec = kafkaMessageKey(msg, "query_time_nsec");
  assert.equal(nsec.length, 4);
  assert.equal(new DataView(nsec.slice().buffer).getUint32(0, true), json.query_time_nsec[0]);
});

Deno.test("kafkaMessageKey() refuses a field the message type does not have", () => {
  const http = message("base", "http", { type: "sinkhole" });
  assert.throws(() => kafkaMessageKey(http, "qname"), KafkaKeyError);
});

import assert from "node:assert/strict";
import { EndpointError } from "../../src/io/endpoint_error.ts";
import { parseKafkaEndpoint } from "../../src/io/kafka_endpoint.ts";

Deno.test("parseKafkaEndpoint() reads topic, broker and the default offset newest", () => {
  assert.deepEqual(parseKafkaEndpoint("nmsg:ch202@kafka1:9092"), {
    format: "nmsg",
    topic: "ch202",
    broker: "kafka1:9092",
    offset: "newest",
    addressFamily: "any",
  });
  assert.deepEqual(parseKafkaEndpoint("json:t@127.0.0.1"), {
    format: "json",
    topic: "t",
    broker: "127.0.0.1",
    offset: "newest",
    addressFamily: "v4",
  });
});

Deno.test("parseKafkaEndpoint() reads #partition and %group, and bracketed IPv6 brokers", () => {
  assert.deepEqual(parseKafkaEndpoint("nmsg:t#3@[2001:db8::1]:9092,OLDEST"), {
    format: "nmsg",
    topic: "t",
    partition: 3,
    broker: "[2001:db8::1]:9092",
    offset: "oldest",
    addressFamily: "v6",
  });
  const g = parseKafkaEndpoint("json:t%my-group@10.0.0.1:9092,Newest");
  assert.equal(g.group, "my-group");
  assert.equal(g.partition, undefined);
  assert.equal(g.offset, "newest");
  assert.equal(g.addressFamily, "v4");
});

Deno.test("parseKafkaEndpoint() reads numeric offsets as C's %i does", () => {
  const offset = (s: string) => parseKafkaEndpoint(`nmsg:t#0@h,${s}`).offset;
  assert.equal(offset("42"), 42n);
  assert.equal(offset("-2"), -2n);
  assert.equal(offset("0x10"), 16n);
  assert.equal(offset("010"), 8n);
  assert.equal(offset("12abc"), 12n);
  assert.equal(offset("99999999999999999999"), 0x7fffffffffffffffn);
  // Numeric offsets are accepted without a partition too (libnmsg's check always passes).
  assert.equal(parseKafkaEndpoint("nmsg:t@h,7").offset, 7n);
});

Deno.test("parseKafkaEndpoint() rejects what libnmsg rejects, with its reasons", () => {
  const cases: [string, RegExp][] = [
    ["kafka:t@h", /nmsg or json protocol must be set/],
    ["nmsg:t", /missing '@'/],
    ["nmsg:t,oldest@h", /invalid offset position/],
    ["nmsg:t@h#1", /invalid partition position/],
    ["nmsg:t#1%g@h", /cannot use group and partition together/],
    ["nmsg:t@h%g", /invalid group position/],
    ["nmsg:t%@h", /group id cannot be empty/],
    ["nmsg:@h", /invalid Kafka endpoint/],
    ["nmsg:#1@h", /invalid Kafka endpoint/],
    ["nmsg:t@,oldest", /invalid Kafka endpoint/],
    ["nmsg:t@h,later", /invalid offset in Kafka endpoint/],
    ["nmsg:t@h,", /invalid offset in Kafka endpoint/],
    ["nmsg:t#x@h", /invalid partition/],
    ["nmsg:t@", /invalid Kafka endpoint/],
  ];
  for (const [spec, reason] of cases) {
    assert.throws(
      () => parseKafkaEndpoint(spec),
      (e: unknown) => e instanceof EndpointError && reason.test(e.message),
      spec,
    );
  }
});

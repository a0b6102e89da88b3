import assert from "node:assert/strict";
import {
  KafkaError,
  type KafkaEvent,
  RD_KAFKA_OFFSET_BEGINNING,
  RD_KAFKA_PARTITION_UA,
  RD_KAFKA_RESP_ERR__PARTITION_EOF,
  RdKafka,
  RdKafkaConf,
  rdkafkaVersion,
} from "../../src/ffi/rdkafka.ts";
import { MockKafkaCluster } from "../../src/ffi/rdkafka_mock.ts";
import { findLibrary } from "../_native.ts";

const ignore = findLibrary("librdkafka") === undefined;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test({
  name: "rdkafkaVersion() and RdKafkaConf.set() report librdkafka's own texts",
  ignore,
  fn() {
    assert.match(rdkafkaVersion(), /^\d+\.\d+\.\d+/);
    using conf = new RdKafkaConf();
    conf.set("linger.ms", "5");
    assert.throws(
      () => conf.set("linger.ms", "soon"),
      (e: unknown) =>
        e instanceof KafkaError &&
        /^Setting linger.ms=soon failed: Invalid value for configuration property/.test(e.message),
    );
  },
});

Deno.test({
  name: "RdKafka turns logs and errors into events instead of printing (unreachable broker)",
  ignore,
  async fn() {
    const conf = new RdKafkaConf();
    conf.set("bootstrap.servers", "127.0.0.1:1");
    const rk = RdKafka.create("producer", conf);
    const events: KafkaEvent[] = [];
    const end = Date.now() + 10000;
    while (!events.some((e) => e.type === "error") && Date.now() < end) {
      events.push(...await rk.eventsWait(200));
    }
    await rk.destroy();
    const error = events.find((e) => e.type === "error");
    assert.ok(
      error && error.type === "error" && /Connection refused/.test(error.reason),
      JSON.stringify(events),
    );
    assert.ok(events.some((e) => e.type === "log" && e.facility === "FAIL"));
  },
});

Deno.test({
  name:
    "RdKafka produces with keys, counts deliveries, and consumes every partition through one queue",
  ignore,
  async fn() {
    const mc = MockKafkaCluster.start();
    try {
      assert.match(mc.bootstraps, /^127\.0\.0\.1:\d+$/);
      mc.createTopic("t", 3);
      const pconf = new RdKafkaConf();
      pconf.set("bootstrap.servers", mc.bootstraps);
      const p = RdKafka.create("producer", pconf);
      const t = p.topic("t");
      for (let i = 0; i < 300; i++) {
        assert.ok(t.produce(RD_KAFKA_PARTITION_UA, enc(`v${i}`), enc(`k${i}`)));
      }
      let delivered = 0;
      assert.ok(
        await p.flush(10000, (e) => {
          if (e.type === "delivery" && e.error === 0) delivered += e.count;
        }),
      );
      assert.equal(delivered, 300);
      t.destroy();
      await p.destroy();

      const cconf = new RdKafkaConf();
      cconf.set("bootstrap.servers", mc.bootstraps);
      cconf.set("enable.partition.eof", "true");
      const c = RdKafka.create("consumer", cconf);
      const ct = c.topic("t");
      assert.equal(await c.partitionCount(ct, 5000), 3);
      const q = c.newQueue();
      for (let i = 0; i < 3; i++) ct.consumeStart(i, BigInt(RD_KAFKA_OFFSET_BEGINNING), q);
      const seen = new Map<string, string>();
      let eofs = 0;
      const end = Date.now() + 30000;
      while (eofs < 3 && Date.now() < end) {
        for (const m of await q.consumeWait(500)) {
          if (m.error === RD_KAFKA_RESP_ERR__PARTITION_EOF) eofs++;
          else seen.set(dec(m.key!), dec(m.payload));
        }
      }
      assert.equal(seen.size, 300);
      assert.equal(seen.get("k123"), "v123");
      for (let i = 0; i < 3; i++) await ct.consumeStop(i);
      q.destroy();
      ct.destroy();
      await c.destroy();
    } finally {
      await mc.destroy();
    }
  },
});

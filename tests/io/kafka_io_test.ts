// Kafka inputs and outputs against librdkafka's mock cluster (real Kafka-protocol brokers
// on 127.0.0.1, started in this process through FFI).

import assert from "node:assert/strict";
import { MockKafkaCluster } from "../../src/ffi/rdkafka_mock.ts";
import {
  KafkaError,
  RD_KAFKA_OFFSET_BEGINNING,
  RdKafka,
  RdKafkaConf,
} from "../../src/ffi/rdkafka.ts";
import { KafkaInput, KafkaJsonInput } from "../../src/io/kafka_input.ts";
import { KafkaJsonOutput, KafkaOutput } from "../../src/io/kafka_output.ts";
import { KafkaKeyError } from "../../src/io/kafka_key.ts";
import { parseKafkaConfigPairs } from "../../src/io/kafka_config.ts";
import { nodeZlib } from "../../src/io/zlib_node.ts";
import { defaultRegistry } from "../../src/msgmod/builtin.ts";
import { NmsgUnsupportedError } from "../../src/msgmod/errors.ts";
import { formatJson } from "../../src/msgmod/json.ts";
import { readPayloads } from "../../src/wire/container_reader.ts";
import type { Payload } from "../../src/wire/payload.ts";
import { GOLDEN_DIR } from "../_golden.ts";
import { findLibrary } from "../_native.ts";
import { collect } from "./_collect.ts";

const ignore = findLibrary("librdkafka") === undefined;
const registry = ignore ? undefined! : defaultRegistry();

async function golden(name: string): Promise<Payload[]> {
  using f = await Deno.open(GOLDEN_DIR + "inputs/" + name);
  return (await Array.fromAsync(readPayloads(f, { zlib: nodeZlib }))).map(copy);
}

function copy(p: Payload): Payload {
  return { ...p, ...(p.payload ? { payload: p.payload.slice() } : {}) };
}

/** How long a test waits for messages. */
const WAIT_MS = 30000;

/** Every message of a topic's partitions, with its key and partition (raw consumer). */
async function rawMessages(bootstraps: string, topic: string, partitions: number, n: number) {
  const conf = new RdKafkaConf();
  conf.set("bootstrap.servers", bootstraps);
  const rk = RdKafka.create("consumer", conf);
  const t = rk.topic(topic);
  const q = rk.newQueue();
  for (let p = 0; p < partitions; p++) t.consumeStart(p, BigInt(RD_KAFKA_OFFSET_BEGINNING), q);
  const out: { partition: number; key: string | null; value: string }[] = [];
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  const end = Date.now() + WAIT_MS;
  while (out.length < n && Date.now() < end) {
    for (const m of await q.consumeWait(500)) {
      if (m.error === 0) {
        out.push({ partition: m.partition, key: m.key && text(m.key), value: text(m.payload) });
      }
    }
  }
  for (let p = 0; p < partitions; p++) await t.consumeStop(p);
  q.destroy();
  t.destroy();
  await rk.destroy();
  return out;
}

function withCluster(name: string, fn: (mc: MockKafkaCluster) => Promise<void>) {
  Deno.test({
    name,
    ignore,
    async fn() {
      const mc = MockKafkaCluster.start();
      try {
        await fn(mc);
      } finally {
        await mc.destroy();
      }
    },
  });
}

withCluster(
  "KafkaOutput -> KafkaInput (nmsg:, one partition): every payload in order, fragments reassembled",
  async (mc) => {
    mc.createTopic("nmsg", 1);
    const big = {
      vid: 1,
      msgtype: 6,
      timeSec: 9,
      timeNsec: 0,
      payload: new Uint8Array(30000).fill(7),
    };
    const payloads = [
      ...await golden("generic-tests_dnsqr.nmsg"),
      big,
      ...await golden("crafted_mixed.nmsg"),
    ];
    const out = KafkaOutput.open(`nmsg:nmsg@${mc.bootstraps}`);
    for (const p of payloads) await out.write(p);
    await out.close();
    const s = out.stats();
    assert.equal(s.delivered, s.produced);
    assert.deepEqual([s.dropped, s.failed], [0, 0]);
    const input = await KafkaInput.open(`nmsg:nmsg@${mc.bootstraps},oldest`);
    try {
      assert.deepEqual(await collect(input, payloads.length), payloads);
      // The 30000-byte payload went as 4 fragments of at most 8160 bytes, one container.
      assert.equal(input.stats().containersReceived, s.produced - 3);
      assert.equal(input.stats().containersDropped, 0);
    } finally {
      await input.close();
    }
  },
);

withCluster(
  "KafkaInput reads every partition of a topic, or one with #n, from a numbered offset",
  async (mc) => {
    mc.createTopic("four", 4);
    const payloads = await golden("generic-tests_lorem.nmsg");
    const out = KafkaOutput.open(`nmsg:four@${mc.bootstraps}`, { unbuffered: true });
    for (const p of payloads) await out.write(p);
    await out.close();
    assert.equal(out.stats().delivered, payloads.length);
    const all = await KafkaInput.open(`nmsg:four@${mc.bootstraps},oldest`);
    const got = await collect(all, payloads.length);
    await all.close();
    const key = (p: Payload) => JSON.stringify([p.timeSec, p.timeNsec, [...p.payload ?? []]]);
    assert.deepEqual(got.map(key).sort(), payloads.map(key).sort());
    // Partition by partition, from offset 0 (numeric), the four together are the whole.
    const raw = await rawMessages(mc.bootstraps, "four", 4, payloads.length);
    let total = 0;
    for (let p = 0; p < 4; p++) {
      const n = raw.filter((m) => m.partition === p).length;
      if (n === 0) continue;
      const one = await KafkaInput.open(`nmsg:four#${p}@${mc.bootstraps},0`);
      total += (await collect(one, n)).length;
      await one.close();
    }
    assert.equal(total, payloads.length);
  },
);

withCluster(
  "KafkaJsonOutput -> KafkaJsonInput: the golden JSON, keyed by --kafkakey",
  async (mc) => {
    mc.createTopic("json", 1);
    const payloads = await golden("generic-tests_dnsqr.nmsg");
    const out = KafkaJsonOutput.open(`json:json@${mc.bootstraps}`, registry, { keyField: "qname" });
    for (const p of payloads) await out.write(p);
    await out.close();
    const lines = new TextDecoder().decode(
      await Deno.readFile(GOLDEN_DIR + "expected/nmsg-json_generic-tests_dnsqr.stdout"),
    ).trimEnd().split("\n");
    const raw = await rawMessages(mc.bootstraps, "json", 1, payloads.length);
    // One JSON object per message, no newline, exactly as nmsgtool -J prints them.
    assert.deepEqual(raw.map((m) => m.value), lines);
    // The key is the qname as presentation shows it (formatter output).
    assert.deepEqual(raw.map((m) => m.key), lines.map((l) => JSON.parse(l).message.qname));
    const input = await KafkaJsonInput.open(`json:json@${mc.bootstraps},oldest`, registry);
    try {
      const got = await collect(input, payloads.length);
      assert.deepEqual(got.map((p) => formatJson(p, registry)), lines);
    } finally {
      await input.close();
    }
  },
);

withCluster("KafkaJsonInput skips messages it cannot parse, as nmsgtool does", async (mc) => {
  mc.createTopic("mixed", 1);
  const conf = new RdKafkaConf();
  conf.set("bootstrap.servers", mc.bootstraps);
  const rk = RdKafka.create("producer", conf);
  const t = rk.topic("mixed");
  const enc = (s: string) => new TextEncoder().encode(s);
  const good =
    '{"time":"2020-01-01 00:00:00.000000000","vname":"base","mname":"logline","message":{"category":"x"}}';
  for (const v of ["not json", "", '{"vname":"bogus","mname":"x"}', good]) {
    assert.ok(t.produce(0, enc(v), null));
  }
  assert.ok(await rk.flush(5000, () => {}));
  t.destroy();
  await rk.destroy();
  const lines: string[] = [];
  const input = await KafkaJsonInput.open(`json:mixed@${mc.bootstraps},oldest`, registry, {
    log: (level, line) => lines.push(`${level} ${line}`),
  });
  try {
    const got = await collect(input, 1);
    assert.deepEqual(got.map((p) => formatJson(p, registry)), [good]);
    assert.deepEqual(lines.filter((l) => l.includes("parse error")), [
      '2 Kafka JSON parse error: "not json"',
      '2 Kafka JSON parse error: ""',
      '2 Kafka JSON parse error: "{"vname":"bogus","mname":"x"}"',
    ]);
  } finally {
    await input.close();
  }
});

withCluster(
  "KafkaJsonInput stops at a message it cannot read at all, after the payloads before it",
  async (mc) => {
    mc.createTopic("stop", 1);
    const conf = new RdKafkaConf();
    conf.set("bootstrap.servers", mc.bootstraps);
    const rk = RdKafka.create("producer", conf);
    const t = rk.topic("stop");
    const line = (mname: string, message: string) =>
      `{"time":"2020-01-01 00:00:00.000000000","vname":"SIE","mname":"${mname}","message":${message}}`;
    const good = line("dnsdedupe", '{"type":"INSERTION"}');
    // A SIE response field cannot be read from JSON: nmsgtool stops there.
    for (const v of [good, good, line("dnsdedupe", '{"response":"AAAA"}'), good]) {
      assert.ok(t.produce(0, new TextEncoder().encode(v), null));
    }
    assert.ok(await rk.flush(5000, () => {}));
    t.destroy();
    await rk.destroy();
    const input = await KafkaJsonInput.open(`json:stop@${mc.bootstraps},oldest`, registry);
    const timer = setTimeout(() => input.close(), 30000);
    let payloads = 0;
    try {
      await assert.rejects(async () => {
        for (let b = await input.read(); b !== null; b = await input.read()) {
          payloads += b.payloads.length;
        }
      }, NmsgUnsupportedError);
      assert.equal(payloads, 2);
    } finally {
      clearTimeout(timer);
      await input.close();
    }
  },
);

withCluster("KafkaJsonOutput refuses a payload without the key field", async (mc) => {
  mc.createTopic("k", 1);
  const out = KafkaJsonOutput.open(`json:k@${mc.bootstraps}`, registry, { keyField: "nosuch" });
  const [p] = await golden("generic-tests_dnsqr.nmsg");
  assert.throws(() => out.write(p!), KafkaKeyError);
  await out.close();
});

withCluster(
  "Kafka clients apply NMSG_KAFKA_CONFIG settings and report librdkafka's reasons",
  async (mc) => {
    mc.createTopic("cfg", 1);
    assert.throws(
      () =>
        KafkaOutput.open(`nmsg:cfg@${mc.bootstraps}`, {
          config: parseKafkaConfigPairs("no.such.property=1"),
        }),
      (e: unknown) =>
        e instanceof KafkaError &&
        e.message ===
          'Setting no.such.property=1 failed: No such configuration property: "no.such.property"',
    );
    // A section named like the broker applies after [default].
    const lines: string[] = [];
    const out = KafkaOutput.open(`nmsg:cfg@${mc.bootstraps}`, {
      config: new Map([
        ["default", new Map([["linger.ms", "1"]])],
        [mc.bootstraps, new Map([["linger.ms", "2"]])],
      ]),
      log: (_l, line) => lines.push(line),
    });
    await out.close();
    assert.deepEqual(lines.filter((l) => l.includes("linger.ms")), [
      "_kafka_process_config_apply: set kafka configuration value linger.ms to 1.",
      "_kafka_process_config_apply: set kafka configuration value linger.ms to 2.",
    ]);
  },
);

// nmsgtool's Kafka options as users run them, against librdkafka's mock cluster (started
// in this process through FFI, listening on 127.0.0.1): files sent with --writekafka and
// read back with --readkafka (nmsg: and json:), compared with the golden renderings; two
// readers in one consumer group splitting a topic; no payload lost when a writer is
// interrupted; endpoint errors. Every wait is bounded and every process is stopped.

import assert from "node:assert/strict";
import { MockKafkaCluster } from "../../src/ffi/rdkafka_mock.ts";
import { runTool } from "../_cli.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";
import { findLibrary } from "../_native.ts";
import { startTool, waitUntil } from "./_background_tool.ts";

const ignore = findLibrary("librdkafka") === undefined;
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const DNSQR = GOLDEN_DIR + "inputs/generic-tests_dnsqr.nmsg";
const DNSQR_PRES = text(goldenBytes("expected/nmsg-pres_generic-tests_dnsqr.stdout"));
const DNSQR_JSON = text(goldenBytes("expected/nmsg-json_generic-tests_dnsqr.stdout"));

function totals(stderr: string) {
  const m = /payloads_in (\d+) payloads_out (\d+) container_recvs (\d+) container_drops (\d+)/
    .exec(stderr);
  assert.ok(m, stderr);
  return { payloadsIn: +m[1]!, payloadsOut: +m[2]!, recvs: +m[3]!, drops: +m[4]! };
}

function count(stderr: string, what: "produced" | "delivered" | "dropped"): number {
  const m = new RegExp(`_kafka_ctx_destroy: ${what} (\\d+) messages`).exec(stderr);
  assert.ok(m, stderr);
  return +m[1]!;
}

function readText(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}

const lines = (path: string) => readText(path).split("\n").filter((l) => l !== "");

function withCluster(name: string, fn: (mc: MockKafkaCluster, dir: string) => Promise<void>) {
  Deno.test({
    name,
    ignore,
    async fn() {
      const mc = MockKafkaCluster.start();
      const dir = await Deno.makeTempDir();
      try {
        await fn(mc, dir);
      } finally {
        await mc.destroy();
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

withCluster(
  "nmsgtool --writekafka nmsg: then --readkafka nmsg:…,oldest: golden presentation, all delivered",
  async (mc, dir) => {
    mc.createTopic("rt", 1);
    const w = await runTool("nmsgtool", [
      "-r",
      DNSQR,
      "--writekafka",
      `nmsg:rt@${mc.bootstraps}`,
      "-ddd",
    ]);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, new RegExp(`nmsgtool: nmsg Kafka output: rt@${mc.bootstraps}\n`));
    const produced = count(w.stderr, "produced");
    assert.equal(count(w.stderr, "delivered"), produced);
    assert.equal(count(w.stderr, "dropped"), 0);
    const out = `${dir}/out.pres`;
    const r = startTool("nmsgtool", [
      "--readkafka",
      `nmsg:rt@${mc.bootstraps},oldest`,
      "-o",
      out,
      "--unbuffered",
      "-dd",
    ]);
    try {
      await waitUntil(
        "the reader has printed the file",
        () => readText(out).length >= DNSQR_PRES.length,
      );
    } finally {
      const res = await r.stop("SIGTERM");
      assert.equal(res.code, 1);
      // Every container the writer produced arrived; Kafka inputs count no losses.
      assert.deepEqual(totals(res.stderr), {
        payloadsIn: 32,
        payloadsOut: 32,
        recvs: produced,
        drops: 0,
      });
    }
    assert.equal(readText(out), DNSQR_PRES);
  },
);

withCluster(
  "nmsgtool --writekafka json: --kafkakey then --readkafka json:…,oldest: golden JSON",
  async (mc, dir) => {
    mc.createTopic("rtj", 1);
    const w = await runTool("nmsgtool", [
      "-r",
      DNSQR,
      "--writekafka",
      `json:rtj@${mc.bootstraps}`,
      "--kafkakey",
      "qname",
      "-ddd",
    ]);
    assert.equal(w.code, 0, w.stderr);
    assert.equal(count(w.stderr, "produced"), 32);
    assert.equal(count(w.stderr, "delivered"), 32);
    const out = `${dir}/out.json`;
    const r = startTool("nmsgtool", [
      "--readkafka",
      `json:rtj@${mc.bootstraps},oldest`,
      "-J",
      out,
      "--unbuffered",
      "-dd",
    ]);
    try {
      await waitUntil("the reader has written 32 lines", () => lines(out).length >= 32);
    } finally {
      const res = await r.stop("SIGINT");
      assert.equal(res.code, 1);
      assert.match(res.stderr, /nmsgtool: nmsg Kafka json input: rtj@/);
    }
    assert.equal(readText(out), DNSQR_JSON);
  },
);

withCluster(
  "two nmsgtool readers in one consumer group split a topic, none lost or duplicated",
  async (mc, dir) => {
    mc.createTopic("grp", 4);
    // The mock coordinator forms a group 3 s after the first member joins. A member joining
    // later starts a rebalance that waits session.timeout.ms - 1 s (44 s by default) for the
    // others to rejoin, and offsets consumed meanwhile cannot be committed, so the next
    // owner reads them again. Short sessions bound that wait; writing the topic only once
    // both readers hold partitions keeps each message with one reader however the group
    // formed. At -dddd a reader reports reaching the end of each partition it is given.
    const outs = [`${dir}/a.json`, `${dir}/b.json`];
    const readers = outs.map((out) =>
      startTool("nmsgtool", [
        "--readkafka",
        `nmsg:grp%collectors@${mc.bootstraps},oldest`,
        "-J",
        out,
        "--unbuffered",
        "-dddd",
      ], { env: { NMSG_KAFKA_CONFIG: "session.timeout.ms=6000:heartbeat.interval.ms=500" } })
    );
    const ended = (partition: number, offset: number) =>
      readers.some((r) =>
        r.stderr().includes(`end of partition ${partition} at offset ${offset}\n`)
      );
    try {
      await waitUntil(
        "both readers hold partitions",
        () => readers.every((r) => /end of partition \d at offset 0\n/.test(r.stderr())),
      );
      // One Kafka message per payload, striped over partitions 0 and 3: with the range
      // assignor one reader has partitions 0 and 1, the other 2 and 3.
      const w = await runTool("nmsgtool", [
        "-r",
        DNSQR,
        "--unbuffered",
        "--writekafka",
        `nmsg:grp#0@${mc.bootstraps}`,
        "--writekafka",
        `nmsg:grp#3@${mc.bootstraps}`,
      ]);
      assert.equal(w.code, 0, w.stderr);
      await waitUntil(
        "the readers have read both partitions to the end and written 32 lines",
        () =>
          ended(0, 16) && ended(3, 16) &&
          lines(outs[0]!).length + lines(outs[1]!).length >= 32,
      );
    } finally {
      for (const r of readers) assert.equal((await r.stop("SIGTERM")).code, 1);
    }
    const [a, b] = outs.map(lines);
    assert.deepEqual([a!.length, b!.length], [16, 16]);
    assert.deepEqual([...a!, ...b!].sort(), DNSQR_JSON.trimEnd().split("\n").sort());
  },
);

withCluster(
  "nmsgtool --writekafka interrupted by SIGINT flushes and delivers every payload it read",
  async (mc, dir) => {
    mc.createTopic("stop", 1);
    const out = `${dir}/out.json`;
    const reader = startTool("nmsgtool", [
      "--readkafka",
      `nmsg:stop@${mc.bootstraps},oldest`,
      "-J",
      out,
      "--unbuffered",
    ]);
    const writer = startTool("nmsgtool", [
      "-r",
      "-",
      "--writekafka",
      `nmsg:stop@${mc.bootstraps}`,
      "-ddd",
    ], {
      stdin: true,
    });
    const file = await Deno.readFile(DNSQR);
    let written = 0;
    try {
      // Containers go out as they fill; interrupt the writer in the middle of the stream.
      while (lines(out).length < 200) {
        await writer.write(file);
        written += 32;
        if (writer.exited() || written > 50000) throw new Error(writer.stderr());
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      const w = await writer.stop("SIGINT");
      assert.equal(w.code, 1);
      assert.match(w.stderr, /nmsgtool: signalled break\n/);
      const sent = totals(w.stderr).payloadsOut;
      assert.ok(sent >= 200);
      assert.equal(count(w.stderr, "delivered"), count(w.stderr, "produced"));
      try {
        await waitUntil(`the reader has ${sent} payloads`, () => lines(out).length >= sent);
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        await reader.stop("SIGTERM");
      }
      assert.equal(lines(out).length, sent);
    }
  },
);

Deno.test({
  name:
    "nmsgtool --readkafka/--writekafka: malformed endpoints and settings exit 1 with the reason",
  ignore,
  async fn() {
    const noAt = await runTool("nmsgtool", ["--readkafka", "nmsg:topic", "-o", "-"]);
    assert.equal(noAt.code, 1);
    assert.equal(
      noAt.stderr,
      `nmsgtool: Invalid endpoint "nmsg:topic": missing '@' in Kafka endpoint\n` +
        "nmsgtool: nmsg_input_open_kafka_endpoint() failed\n",
    );
    const proto = await runTool("nmsgtool", ["-r", DNSQR, "--writekafka", "kafka:t@h"]);
    assert.equal(proto.code, 1);
    assert.equal(
      proto.stderr,
      "nmsgtool: Error: nmsg or json protocol must be set for Kafka topic\n",
    );
    const cfg = await runTool("nmsgtool", ["-r", DNSQR, "--writekafka", "json:t@127.0.0.1:1"], {
      env: { NMSG_KAFKA_CONFIG: "linger.ms" },
    });
    assert.equal(cfg.code, 1);
    assert.match(
      cfg.stderr,
      /bad item "linger.ms"\nnmsgtool: nmsg_output_open_kafka_json\(\) failed\n$/,
    );
  },
});

Deno.test({
  name:
    "nmsgtool --writekafka to a dead broker: librdkafka logs at NMSG_KAFKA_LOG_LEVEL, timed-out deliveries counted",
  ignore,
  async fn() {
    const r = await runTool(
      "nmsgtool",
      ["-r", DNSQR, "--writekafka", "nmsg:t@127.0.0.1:1", "-ddd"],
      {
        env: { NMSG_KAFKA_CONFIG: "message.timeout.ms=300", NMSG_KAFKA_LOG_LEVEL: "2" },
      },
    );
    // libnmsg counts undeliverable messages and still exits 0.
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /_kafka_process_config_apply: set kafka configuration value message.timeout.ms to 300\./,
    );
    assert.match(r.stderr, /_kafka_log_cb: 3: FAIL - .*Connection refused/);
    assert.match(r.stderr, /_kafka_error_cb: got Kafka error -195: .*Connection refused/);
    assert.match(r.stderr, /_kafka_delivery_cb: got Kafka error -192: Local: Message timed out/);
    assert.equal(count(r.stderr, "delivered"), 0);
    assert.equal(count(r.stderr, "dropped"), count(r.stderr, "produced"));
    const quiet = await runTool("nmsgtool", ["-r", DNSQR, "--writekafka", "nmsg:t@127.0.0.1:1"], {
      env: { NMSG_KAFKA_CONFIG: "message.timeout.ms=300" },
    });
    // At debug level 1: the error lines only, no librdkafka log lines, no timeouts (level 2).
    assert.doesNotMatch(quiet.stderr, /_kafka_log_cb|_kafka_delivery_cb/);
    assert.match(quiet.stderr, /_kafka_error_cb: got Kafka error/);
  },
});

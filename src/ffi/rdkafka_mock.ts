/**
 * librdkafka's built-in mock cluster (`rdkafka_mock.h`): real Kafka-protocol brokers on
 * 127.0.0.1, run by threads of a client instance. Used to test Kafka inputs and outputs
 * without a broker. Its symbols live in their own table so that a librdkafka built
 * without them still loads for normal use.
 *
 * @module
 */

import { cString, readCString } from "./libc_memory.ts";
import { openLibrary } from "./loader.ts";
import { KafkaError, RdKafka, RdKafkaConf } from "./rdkafka.ts";

const SYMBOLS = {
  /** rd_kafka_mock_cluster_t *rd_kafka_mock_cluster_new(rd_kafka_t *rk, int broker_cnt); */
  rd_kafka_mock_cluster_new: { parameters: ["u64", "i32"], result: "u64" },
  /** void rd_kafka_mock_cluster_destroy(rd_kafka_mock_cluster_t *mcluster); */
  rd_kafka_mock_cluster_destroy: { parameters: ["u64"], result: "void", nonblocking: true },
  /** const char *rd_kafka_mock_cluster_bootstraps(const rd_kafka_mock_cluster_t *mcluster); */
  rd_kafka_mock_cluster_bootstraps: { parameters: ["u64"], result: "u64" },
  /** rd_kafka_resp_err_t rd_kafka_mock_topic_create(rd_kafka_mock_cluster_t *mcluster,
   *     const char *topic, int partition_cnt, int replication_factor); */
  rd_kafka_mock_topic_create: { parameters: ["u64", "buffer", "i32", "i32"], result: "i32" },
} as const;

type Symbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let mock: Symbols | undefined;

function lib(): Symbols {
  mock ??= openLibrary("librdkafka", SYMBOLS).lib.symbols;
  return mock;
}

/**
 * A mock Kafka cluster listening on 127.0.0.1 until destroyed.
 *
 * @example
 * ```ts
 * import { MockKafkaCluster } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * await using kafka = MockKafkaCluster.start();
 * kafka.createTopic("ch202", 4);
 * assert.match(kafka.bootstraps, /^127\.0\.0\.1:\d+$/);
 * ```
 */
export class MockKafkaCluster {
  readonly #client: RdKafka;
  #handle: bigint;
  /** The `bootstrap.servers` value that reaches it, e.g. `127.0.0.1:39201`. */
  readonly bootstraps: string;

  private constructor(client: RdKafka, handle: bigint) {
    this.#client = client;
    this.#handle = handle;
    this.bootstraps = readCString(lib().rd_kafka_mock_cluster_bootstraps(handle));
  }

  /**
   * Starts a cluster.
   *
   * @param brokers Number of brokers.
   * @returns The running cluster.
   * @throws {KafkaError} If librdkafka cannot start it.
   */
  static start(brokers = 1): MockKafkaCluster {
    const conf = new RdKafkaConf();
    // The owning client is never used to produce; keep its own logging quiet.
    conf.set("log_level", "0");
    const client = RdKafka.create("producer", conf);
    const mc = lib().rd_kafka_mock_cluster_new(client.handle, brokers);
    if (mc === 0n) {
      void client.destroy();
      throw new KafkaError("Starting the mock cluster", 0, "rd_kafka_mock_cluster_new failed");
    }
    return new MockKafkaCluster(client, mc);
  }

  /**
   * Creates a topic.
   *
   * @param name The topic.
   * @param partitions Its partition count.
   * @throws {KafkaError} If the cluster refuses.
   */
  createTopic(name: string, partitions: number): void {
    const err = lib().rd_kafka_mock_topic_create(this.#handle, cString(name), partitions, 1);
    if (err !== 0) throw new KafkaError(`Creating mock topic ${name}`, err);
  }

  /** Stops the brokers and releases the owning client. Idempotent. */
  async destroy(): Promise<void> {
    const h = this.#handle;
    if (h === 0n) return;
    this.#handle = 0n;
    await lib().rd_kafka_mock_cluster_destroy(h);
    await this.#client.destroy();
  }

  /** Same as {@linkcode MockKafkaCluster.destroy}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.destroy();
  }
}

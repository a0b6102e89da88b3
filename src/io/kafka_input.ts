/**
 * Reading NMSG from Kafka (nmsgtool `--readkafka`): `nmsg:` topics carry one NMSG unit per
 * Kafka message, `json:` topics one JSON object per message. Consumers read one partition
 * (`#n`), every partition of the topic, or the partitions a consumer group (`%group`)
 * assigns them, from the `oldest`, `newest` or a numbered offset.
 *
 * @module
 */

import type { ContainerStats, Input, PayloadBatch } from "../engine/types.ts";
import type { Aliases } from "../msgmod/aliases.ts";
import { NmsgParseError } from "../msgmod/errors.ts";
import { parseJsonPayload } from "../msgmod/json_parser.ts";
import type { ModuleRegistry } from "../msgmod/registry.ts";
import type { Payload } from "../wire/payload.ts";
import { KafkaConsumer } from "./_kafka_client.ts";
import type { KafkaClientOptions } from "./kafka_config.ts";
import { MessageUnitDecoder } from "./_message_unit.ts";
import type { MessageInputOptions } from "./message_input_options.ts";
import { parseKafkaEndpoint } from "./kafka_endpoint.ts";

/** Options for {@linkcode KafkaInput}. */
export interface KafkaInputOptions extends MessageInputOptions, KafkaClientOptions {
  /** How the input is named in messages. Default: the endpoint as given. */
  name?: string;
}

/** Options for {@linkcode KafkaJsonInput}. */
export interface KafkaJsonInputOptions extends KafkaClientOptions {
  /** How the input is named in messages. Default: the endpoint as given. */
  name?: string;
  /** Resolves operator and group names. */
  aliases?: Aliases;
}

/**
 * A Kafka input of NMSG units (`nmsg:`). Containers are counted; losses never are, as in
 * libnmsg: a topic's partitions interleave one writer's containers, so sequence numbers
 * (which libnmsg's Kafka writers do not set anyway) could not be trusted to show gaps.
 *
 * @example A round trip through librdkafka's mock cluster
 * ```ts
 * import { KafkaInput, KafkaOutput, MockKafkaCluster } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * await using kafka = MockKafkaCluster.start();
 * kafka.createTopic("ch202", 1);
 * const out = KafkaOutput.open(`nmsg:ch202@${kafka.bootstraps}`);
 * out.write({ vid: 1, msgtype: 6, timeSec: 1, timeNsec: 0 });
 * await out.close();
 * const input = await KafkaInput.open(`nmsg:ch202@${kafka.bootstraps},oldest`);
 * assert.equal((await input.read())?.payloads.length, 1);
 * await input.close();
 * ```
 */
export class KafkaInput implements Input {
  /** How the input is named in messages. */
  readonly name: string;
  readonly #consumer: KafkaConsumer;
  readonly #units: MessageUnitDecoder;
  #closed: Promise<void> | undefined;

  private constructor(name: string, consumer: KafkaConsumer, options: KafkaInputOptions) {
    this.name = name;
    this.#consumer = consumer;
    this.#units = new MessageUnitDecoder(name, options, false);
  }

  /**
   * Connects and starts consuming.
   *
   * @param spec `nmsg:topic[#partition|%group]@broker[,offset]`.
   * @param options Filters, librdkafka settings, logging.
   * @returns The input.
   * @throws {EndpointError} If the endpoint string is malformed.
   * @throws {KafkaError} If librdkafka refuses a setting or the topic cannot be consumed.
   * @throws {LibraryNotFoundError} If librdkafka is not installed.
   */
  static async open(spec: string, options: KafkaInputOptions = {}): Promise<KafkaInput> {
    const name = options.name ?? spec;
    const consumer = await KafkaConsumer.open(name, parseKafkaEndpoint(spec, "nmsg"), options);
    return new KafkaInput(name, consumer, options);
  }

  /**
   * Reads the payloads of the next messages, waiting for some if none are queued.
   *
   * @returns The payloads (views valid until the next `read()`), or `null` once closed.
   * @throws {KafkaError} If the consumer reports an error.
   */
  async read(): Promise<PayloadBatch | null> {
    while (this.#closed === undefined) {
      const messages = await this.#consumer.next();
      if (this.#closed !== undefined) break;
      const batch = this.#units.batch();
      for (const m of messages) {
        await this.#units.prepare(m.payload);
        this.#units.add(m.payload, batch);
      }
      if (batch.payloads.length > 0) return batch;
    }
    return null;
  }

  /** The partitions being read (for a group member: assigned so far). */
  assignedPartitions(): number {
    return this.#consumer.assignedPartitions();
  }

  /** Containers received (losses are never counted on Kafka). */
  stats(): ContainerStats {
    return this.#units.stats();
  }

  /** Stops consuming and leaves the group; a pending `read()` resolves `null`. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.#consumer.close();
    return this.#closed;
  }
}

/**
 * A Kafka input of JSON objects (`json:`), one payload per message. Messages that do not
 * parse are skipped (reported at level 2), as in libnmsg; an empty message is skipped too
 * (libnmsg ends the input on one). Like the other JSON input it has no container counters.
 *
 * @example (see {@linkcode KafkaJsonOutput} for a round trip)
 * ```ts
 * import { defaultRegistry, KafkaJsonInput, MockKafkaCluster } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * await using kafka = MockKafkaCluster.start();
 * kafka.createTopic("ch202", 2);
 * const input = await KafkaJsonInput.open(`json:ch202@${kafka.bootstraps}`, defaultRegistry());
 * assert.equal(input.name, `json:ch202@${kafka.bootstraps}`);
 * await input.close();
 * ```
 */
export class KafkaJsonInput implements Input {
  /** How the input is named in messages. */
  readonly name: string;
  readonly #consumer: KafkaConsumer;
  readonly #registry: ModuleRegistry;
  readonly #opts: { aliases?: Aliases };
  readonly #log: (level: number, line: string) => void;
  readonly #decoder = new TextDecoder();
  #closed: Promise<void> | undefined;
  /** A message the input stops at, held back until the payloads before it are handed out. */
  #fault: unknown;

  private constructor(
    name: string,
    consumer: KafkaConsumer,
    registry: ModuleRegistry,
    options: KafkaJsonInputOptions,
  ) {
    this.name = name;
    this.#consumer = consumer;
    this.#registry = registry;
    this.#opts = options.aliases === undefined ? {} : { aliases: options.aliases };
    this.#log = options.log ?? (() => {});
  }

  /**
   * Connects and starts consuming.
   *
   * @param spec `json:topic[#partition|%group]@broker[,offset]`.
   * @param registry Message modules.
   * @param options Aliases, librdkafka settings, logging.
   * @returns The input.
   * @throws {EndpointError} If the endpoint string is malformed.
   * @throws {KafkaError} If librdkafka refuses a setting or the topic cannot be consumed.
   * @throws {LibraryNotFoundError} If librdkafka is not installed.
   */
  static async open(
    spec: string,
    registry: ModuleRegistry,
    options: KafkaJsonInputOptions = {},
  ): Promise<KafkaJsonInput> {
    const name = options.name ?? spec;
    const consumer = await KafkaConsumer.open(name, parseKafkaEndpoint(spec, "json"), options);
    return new KafkaJsonInput(name, consumer, registry, options);
  }

  /**
   * Reads the payloads of the next messages, waiting for some if none are queued.
   *
   * @returns The payloads, or `null` once closed.
   * @throws {KafkaError} If the consumer reports an error.
   * @throws {NmsgUnsupportedError} For a message nmsgtool cannot read at all, once the
   *   payloads of the messages before it have been handed out.
   */
  async read(): Promise<PayloadBatch | null> {
    while (this.#closed === undefined) {
      if (this.#fault !== undefined) throw this.#fault;
      const messages = await this.#consumer.next();
      if (this.#closed !== undefined) break;
      const payloads: Payload[] = [];
      for (const m of messages) {
        const text = this.#decoder.decode(m.payload);
        try {
          payloads.push(parseJsonPayload(text, this.#registry, this.#opts));
        } catch (e) {
          if (e instanceof NmsgParseError) {
            this.#log(2, `Kafka JSON parse error: "${text}"`);
            continue;
          }
          this.#fault = e;
          break;
        }
      }
      if (payloads.length > 0) return { payloads };
    }
    return null;
  }

  /** Stops consuming and leaves the group; a pending `read()` resolves `null`. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.#consumer.close();
    return this.#closed;
  }
}

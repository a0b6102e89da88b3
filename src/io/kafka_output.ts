/**
 * Writing NMSG to Kafka (nmsgtool `--writekafka`): `nmsg:` topics get one NMSG unit per
 * Kafka message (8192-byte containers, unsequenced, fragments for larger payloads),
 * `json:` topics one JSON object per payload, keyed by a field with `--kafkakey`.
 * Producers are idempotent; delivery reports are counted, and `close()` waits until every
 * message is delivered or failed.
 *
 * @module
 */

import type { Output } from "../engine/types.ts";
import { formatJsonBytes } from "../msgmod/json.ts";
import { NmsgMessage } from "../msgmod/message.ts";
import type { ModuleRegistry } from "../msgmod/registry.ts";
import type { RenderOptions } from "../msgmod/render_options.ts";
import { NMSG_WBUFSZ_JUMBO } from "../wire/constants.ts";
import { ContainerWriter } from "../wire/container_writer.ts";
import type { Payload } from "../wire/payload.ts";
import type { ZlibCodec } from "../wire/zlib.ts";
import { KafkaProducer } from "./_kafka_client.ts";
import type { KafkaClientOptions } from "./kafka_config.ts";
import { WriteChain } from "./_write_chain.ts";
import { parseKafkaEndpoint } from "./kafka_endpoint.ts";
import { KafkaKeyError, kafkaMessageKey } from "./kafka_key.ts";
import { type PayloadStamp, stampPayload } from "./nmsg_output.ts";

/** Delivery counters of a producer. */
export interface KafkaProducerStats {
  /** Messages handed to librdkafka. */
  produced: number;
  /** Messages the broker acknowledged. */
  delivered: number;
  /** Messages given up on after `message.timeout.ms`. */
  dropped: number;
  /** Messages that failed otherwise (too large, not authorized, …). */
  failed: number;
}

/** Delivery counters of a producer. */
export interface KafkaProducerStats {
  /** Messages handed to librdkafka. */
  produced: number;
  /** Messages the broker acknowledged. */
  delivered: number;
  /** Messages given up on after `message.timeout.ms`. */
  dropped: number;
  /** Messages that failed otherwise (too large, not authorized, …). */
  failed: number;
}

/** Options for {@linkcode KafkaOutput}. */
export interface KafkaOutputOptions extends PayloadStamp, KafkaClientOptions {
  /** How the output is named in messages. Default: the endpoint as given. */
  name?: string;
  /** Compress containers with this codec (nmsgtool `-z`; e.g. `nodeZlib`). */
  zlib?: ZlibCodec | undefined;
  /** One container per payload (nmsgtool `--unbuffered`). */
  unbuffered?: boolean;
}

/** Options for {@linkcode KafkaJsonOutput}. */
export interface KafkaJsonOutputOptions extends RenderOptions, KafkaClientOptions {
  /** How the output is named in messages. Default: the endpoint as given. */
  name?: string;
  /** The field whose value keys each message (nmsgtool `--kafkakey`). Default: no key. */
  keyField?: string | undefined;
}

/**
 * What {@linkcode KafkaOutput} and {@linkcode KafkaJsonOutput} share: a producer, the
 * order of writes, flushing, stopping and closing.
 *
 * @example
 * ```ts
 * import { type KafkaProducerOutput, KafkaOutput, MockKafkaCluster } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * await using kafka = MockKafkaCluster.start();
 * const out: KafkaProducerOutput = KafkaOutput.open(`nmsg:t@${kafka.bootstraps}`);
 * await out.close();
 * assert.equal(out.stats().produced, 0);
 * ```
 */
export abstract class KafkaProducerOutput implements Output {
  /** How the output is named in messages. */
  readonly name: string;
  readonly #producer: KafkaProducer;
  readonly #chain: WriteChain = new WriteChain();
  #closed: Promise<void> | undefined;

  /**
   * Wraps a producer.
   *
   * @param name How the output is named in messages.
   * @param producer The producer (internal).
   */
  protected constructor(name: string, producer: KafkaProducer) {
    this.name = name;
    this.#producer = producer;
  }

  /**
   * Writes one payload.
   *
   * @param p The payload.
   * @param crc Its wire CRC, if known.
   * @returns A promise while librdkafka's queue is full, else `undefined`.
   */
  abstract write(p: Payload, crc?: number): Promise<void> | undefined;

  /**
   * Runs a write after those still waiting.
   *
   * @param step The write.
   * @returns A promise while it waits, else `undefined`.
   */
  protected queue(step: () => Promise<void> | undefined): Promise<void> | undefined {
    return this.#chain.run(step);
  }

  /**
   * Queues one Kafka message.
   *
   * @param value The message (copied).
   * @param key Its key (copied), or null.
   * @returns A promise while librdkafka's queue is full, else `undefined`.
   */
  protected produce(value: Uint8Array, key: Uint8Array | null): Promise<void> | undefined {
    return this.#producer.produce(value, key);
  }

  /**
   * Hands over what the output itself still buffers.
   *
   * @returns A promise while that waits, else `undefined`.
   */
  protected pending(): Promise<void> | undefined {
    return undefined;
  }

  /**
   * Delivery counters so far.
   *
   * @returns A snapshot.
   */
  stats(): KafkaProducerStats {
    return this.#producer.stats();
  }

  /** Hands over what is buffered and waits until the broker has acknowledged everything. */
  async flush(): Promise<void> {
    await this.#chain.idle();
    await this.pending();
    await this.#producer.flush();
  }

  /** A signal: the final flush waits at most 10 s for the broker. */
  stop(): void {
    this.#producer.stop();
  }

  /** Flushes and destroys the producer. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      try {
        await this.#chain.idle();
        await this.pending();
      } finally {
        await this.#producer.close();
      }
    })();
    return this.#closed;
  }
}

/**
 * A Kafka output of NMSG units (`nmsg:`), one per message.
 *
 * @example Delivery reports are counted (see {@linkcode KafkaInput} for a round trip)
 * ```ts
 * import { KafkaOutput, MockKafkaCluster } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * await using kafka = MockKafkaCluster.start();
 * kafka.createTopic("ch202", 1);
 * const out = KafkaOutput.open(`nmsg:ch202@${kafka.bootstraps}`, { unbuffered: true });
 * for (let i = 0; i < 3; i++) out.write({ vid: 1, msgtype: 6, timeSec: i, timeNsec: 0 });
 * await out.close();
 * assert.deepEqual(out.stats(), { produced: 3, delivered: 3, dropped: 0, failed: 0 });
 * ```
 */
export class KafkaOutput extends KafkaProducerOutput {
  readonly #writer: ContainerWriter;
  readonly #stamp: PayloadStamp;

  private constructor(name: string, producer: KafkaProducer, options: KafkaOutputOptions) {
    super(name, producer);
    this.#writer = new ContainerWriter({
      bufsz: NMSG_WBUFSZ_JUMBO,
      zlib: options.zlib,
      unbuffered: options.unbuffered ?? false,
    });
    this.#stamp = options;
  }

  /**
   * Creates the producer.
   *
   * @param spec `nmsg:topic[#partition]@broker` (a group or offset is ignored).
   * @param options Compression, buffering, source/operator/group, librdkafka settings.
   * @returns The output.
   * @throws {EndpointError} If the endpoint string is malformed.
   * @throws {KafkaError} If librdkafka refuses a setting.
   * @throws {LibraryNotFoundError} If librdkafka is not installed.
   */
  static open(spec: string, options: KafkaOutputOptions = {}): KafkaOutput {
    const producer = KafkaProducer.open(parseKafkaEndpoint(spec, "nmsg"), options);
    return new KafkaOutput(options.name ?? spec, producer, options);
  }

  /**
   * Adds a payload; produces the units it completes.
   *
   * @param p The payload.
   * @param crc Its wire CRC, if known.
   * @returns A promise while librdkafka's queue is full, else `undefined`.
   */
  write(p: Payload, crc?: number): Promise<void> | undefined {
    return this.queue(() => {
      const q = stampPayload(p, this.#stamp);
      return this.#produce(this.#writer.add(q, q === p ? crc : undefined), 0);
    });
  }

  /**
   * Produces the open container.
   *
   * @returns A promise while librdkafka's queue is full, else `undefined`.
   */
  protected override pending(): Promise<void> | undefined {
    return this.#produce(this.#writer.flush(), 0);
  }

  // librdkafka copies each unit, so the writer's buffers are free again at once.
  #produce(units: Uint8Array[], from: number): Promise<void> | undefined {
    for (let i = from; i < units.length; i++) {
      const wait = this.produce(units[i]!, null);
      if (wait !== undefined) return wait.then(() => this.#produce(units, i + 1));
    }
    return undefined;
  }
}

/**
 * A Kafka output of JSON objects (`json:`), one per payload, optionally keyed by a field.
 * A payload that cannot be rendered, or lacks the key field, fails the write (the run
 * stops, as in libnmsg).
 *
 * @example JSON objects keyed by a field, read back
 * ```ts
 * import {
 *   defaultRegistry,
 *   formatJson,
 *   KafkaJsonInput,
 *   KafkaJsonOutput,
 *   MockKafkaCluster,
 *   NmsgMessage,
 * } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const registry = defaultRegistry();
 * await using kafka = MockKafkaCluster.start();
 * kafka.createTopic("http", 1);
 * const p = new NmsgMessage(registry.lookupByName("base", "http")!)
 *   .set("type", "sinkhole").set("srcip", "192.0.2.1").toPayload();
 * const out = KafkaJsonOutput.open(`json:http@${kafka.bootstraps}`, registry, {
 *   keyField: "srcip",
 * });
 * out.write(p);
 * await out.close();
 * const input = await KafkaJsonInput.open(`json:http@${kafka.bootstraps},oldest`, registry);
 * const batch = await input.read();
 * assert.equal(formatJson(batch!.payloads[0]!, registry), formatJson(p, registry));
 * await input.close();
 * ```
 */
export class KafkaJsonOutput extends KafkaProducerOutput {
  readonly #registry: ModuleRegistry;
  readonly #options: RenderOptions;
  readonly #keyField: string | undefined;

  private constructor(
    name: string,
    producer: KafkaProducer,
    registry: ModuleRegistry,
    options: KafkaJsonOutputOptions,
  ) {
    super(name, producer);
    this.#registry = registry;
    this.#options = options;
    this.#keyField = options.keyField;
  }

  /**
   * Creates the producer.
   *
   * @param spec `json:topic[#partition]@broker` (a group or offset is ignored).
   * @param registry Message modules.
   * @param options Key field, aliases, source/operator/group, librdkafka settings.
   * @returns The output.
   * @throws {EndpointError} If the endpoint string is malformed.
   * @throws {KafkaError} If librdkafka refuses a setting.
   * @throws {LibraryNotFoundError} If librdkafka is not installed.
   */
  static open(
    spec: string,
    registry: ModuleRegistry,
    options: KafkaJsonOutputOptions = {},
  ): KafkaJsonOutput {
    const producer = KafkaProducer.open(parseKafkaEndpoint(spec, "json"), options);
    return new KafkaJsonOutput(options.name ?? spec, producer, registry, options);
  }

  /**
   * Produces one payload as a JSON object.
   *
   * @param p The payload.
   * @returns A promise while librdkafka's queue is full, else `undefined`.
   * @throws {NmsgRenderError} If the payload cannot be rendered.
   * @throws {KafkaKeyError} If its type has no `keyField` field.
   */
  write(p: Payload): Promise<void> | undefined {
    return this.queue(() => {
      let key: Uint8Array | null = null;
      if (this.#keyField !== undefined) {
        const msg = NmsgMessage.fromPayload(p, this.#registry);
        if (msg === undefined) {
          throw new KafkaKeyError(
            `no message module for ${p.vid}:${p.msgtype} to take the key from`,
          );
        }
        key = kafkaMessageKey(msg, this.#keyField);
      }
      // The JSON bytes live in a buffer the next rendering reuses; librdkafka copies them.
      return this.produce(formatJsonBytes(p, this.#registry, this.#options), key);
    });
  }
}

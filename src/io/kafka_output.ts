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
import {
  type KafkaClientOptions,
  KafkaProducer,
  type KafkaProducerStats,
} from "./_kafka_client.ts";
import { WriteChain } from "./_write_chain.ts";
import { parseKafkaEndpoint } from "./kafka_endpoint.ts";
import { KafkaKeyError, kafkaMessageKey } from "./kafka_key.ts";
import { type PayloadStamp, stampPayload } from "./nmsg_output.ts";

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

/** What the two Kafka outputs share: the producer and the order of writes. */
abstract class KafkaProducerOutput implements Output {
  readonly name: string;
  protected readonly producer: KafkaProducer;
  protected readonly chain: WriteChain = new WriteChain();
  #closed: Promise<void> | undefined;

  constructor(name: string, producer: KafkaProducer) {
    this.name = name;
    this.producer = producer;
  }

  abstract write(p: Payload, crc?: number): Promise<void> | undefined;

  /** What is still buffered in the output itself, handed to the producer. */
  protected pending(): Promise<void> | undefined {
    return undefined;
  }

  /** Delivery counters so far. */
  stats(): KafkaProducerStats {
    return this.producer.stats();
  }

  /** Hands over what is buffered and waits until the broker has acknowledged everything. */
  async flush(): Promise<void> {
    await this.chain.idle();
    await this.pending();
    await this.producer.flush();
  }

  /** A signal: the final flush waits at most 10 s for the broker. */
  stop(): void {
    this.producer.stop();
  }

  /** Flushes and destroys the producer. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      try {
        await this.chain.idle();
        await this.pending();
      } finally {
        await this.producer.close();
      }
    })();
    return this.#closed;
  }
}

/**
 * A Kafka output of NMSG units (`nmsg:`), one per message.
 *
 * @example (needs librdkafka and a broker; see tests/io/kafka_io_test.ts)
 * ```ts ignore
 * import { KafkaOutput } from "@nmsg-deno/nmsg";
 *
 * const out = KafkaOutput.open("nmsg:ch202@127.0.0.1:9092");
 * out.write({ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 });
 * await out.close();
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
    return this.chain.run(() => {
      const q = stampPayload(p, this.#stamp);
      return this.#produce(this.#writer.add(q, q === p ? crc : undefined), 0);
    });
  }

  protected override pending(): Promise<void> | undefined {
    return this.#produce(this.#writer.flush(), 0);
  }

  // librdkafka copies each unit, so the writer's buffers are free again at once.
  #produce(units: Uint8Array[], from: number): Promise<void> | undefined {
    for (let i = from; i < units.length; i++) {
      const wait = this.producer.produce(units[i]!, null);
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
 * @example (needs librdkafka and a broker)
 * ```ts ignore
 * import { defaultRegistry, KafkaJsonOutput } from "@nmsg-deno/nmsg";
 *
 * const out = KafkaJsonOutput.open("json:ch202@127.0.0.1:9092", defaultRegistry(), {
 *   keyField: "qname",
 * });
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
    return this.chain.run(() => {
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
      return this.producer.produce(formatJsonBytes(p, this.#registry, this.#options), key);
    });
  }
}

// The librdkafka clients behind the Kafka inputs and outputs, configured as libnmsg's
// kafkaio.c does (same settings, same order, so NMSG_KAFKA_CONFIG overrides the same
// ones), with the main queue's events turned into nmsgtool's debug lines.

import {
  KafkaError,
  type KafkaEvent,
  type KafkaMessage,
  RD_KAFKA_OFFSET_BEGINNING,
  RD_KAFKA_OFFSET_END,
  RD_KAFKA_PARTITION_UA,
  RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
  RD_KAFKA_RESP_ERR__PARTITION_EOF,
  RdKafka,
  RdKafkaConf,
  type RdKafkaQueue,
  type RdKafkaTopic,
} from "../ffi/rdkafka.ts";
import { type KafkaClientOptions, kafkaSettingsFor } from "./kafka_config.ts";
import type { KafkaEndpoint } from "./kafka_endpoint.ts";
import type { KafkaProducerStats } from "./kafka_output.ts";

/** How long one wait for messages or events lasts, ms (libnmsg's `NMSG_RBUF_TIMEOUT`). */
export const KAFKA_WAIT_MS = 500;

/**
 * nmsgtool's level for librdkafka log lines from `NMSG_KAFKA_LOG_LEVEL`: a decimal number
 * above 0 (default 3); anything else gives 1 with a warning, as libnmsg does.
 *
 * @param value The variable's value, if set.
 * @param log Where the warning goes.
 * @returns The level.
 */
export function kafkaLogLevel(
  value: string | undefined,
  log: (level: number, line: string) => void,
): number {
  if (value === undefined) return 3;
  if (!/^\d*\n?$/.test(value)) {
    log(1, `invalid value for env var NMSG_KAFKA_LOG_LEVEL: ${value}`);
    return 1;
  }
  const n = Number.parseInt(value, 10);
  return n > 0 && n <= 0x7fffffff ? n : 1;
}

/** The consumer's `client.id`: `nmsgtool.<pid, 10 digits>@<host name>`. */
function clientId(): string {
  let host = "localhost";
  try {
    host = Deno.hostname();
  } catch {
    // without --allow-sys=hostname the name is not essential
  }
  return `nmsgtool.${String(Deno.pid).padStart(10, "0")}@${host}`;
}

function newConf(ep: KafkaEndpoint): RdKafkaConf {
  const conf = new RdKafkaConf();
  conf.set("broker.address.family", ep.addressFamily);
  conf.set("bootstrap.servers", ep.broker);
  return conf;
}

function applyConfig(conf: RdKafkaConf, ep: KafkaEndpoint, options: KafkaClientOptions): void {
  if (options.config === undefined) return;
  for (const [key, value] of kafkaSettingsFor(options.config, ep.broker)) {
    conf.set(key, value);
    options.log?.(
      3,
      `_kafka_process_config_apply: set kafka configuration value ${key} to ${value}.`,
    );
  }
}

/** Turns the main queue's events into debug lines; counts deliveries. */
class EventLog {
  readonly #log: (level: number, line: string) => void;
  readonly #logLevel: number;
  delivered = 0;
  dropped = 0;
  failed = 0;

  constructor(options: KafkaClientOptions) {
    this.#log = options.log ?? (() => {});
    this.#logLevel = options.logLevel ?? 3;
  }

  handle = (e: KafkaEvent): void => {
    switch (e.type) {
      case "delivery":
        if (e.error === 0) this.delivered += e.count;
        else {
          const timedOut = e.error === RD_KAFKA_RESP_ERR__MSG_TIMED_OUT;
          if (timedOut) this.dropped += e.count;
          else this.failed += e.count;
          this.#log(
            timedOut ? 2 : 1,
            `_kafka_delivery_cb: got Kafka error ${e.error}: ${e.reason} (${e.count} messages)`,
          );
        }
        break;
      case "log":
        this.#log(this.#logLevel, `_kafka_log_cb: ${e.level}: ${e.facility} - ${e.message}`);
        break;
      case "error":
        this.#log(1, `_kafka_error_cb: got Kafka error ${e.error}: ${e.reason}`);
        break;
    }
  };
}

/**
 * A consumer: a legacy consumer of one partition or of all of them (through one queue),
 * or a consumer group member.
 */
export class KafkaConsumer {
  readonly #rk: RdKafka;
  readonly #events: EventLog;
  readonly #log: (level: number, line: string) => void;
  readonly #queue: RdKafkaQueue;
  readonly #topic: RdKafkaTopic | undefined;
  readonly #partitions: number[];
  readonly #name: string;
  #pending: Promise<unknown> | undefined;
  #closing: Promise<void> | undefined;
  /** Messages consumed (errors and partition ends excluded). */
  consumed = 0;

  private constructor(
    name: string,
    rk: RdKafka,
    events: EventLog,
    options: KafkaClientOptions,
    queue: RdKafkaQueue,
    topic: RdKafkaTopic | undefined,
    partitions: number[],
  ) {
    this.#name = name;
    this.#rk = rk;
    this.#events = events;
    this.#log = options.log ?? (() => {});
    this.#queue = queue;
    this.#topic = topic;
    this.#partitions = partitions;
  }

  /** Creates the consumer an endpoint describes and starts consuming. */
  static async open(
    name: string,
    ep: KafkaEndpoint,
    options: KafkaClientOptions,
  ): Promise<KafkaConsumer> {
    const conf = newConf(ep);
    let rk: RdKafka;
    try {
      conf.set("enable.partition.eof", "true");
      conf.set("allow.auto.create.topics", "false");
      const id = clientId();
      options.log?.(3, `_kafka_init_consumer: client ID: ${id}`);
      conf.set("client.id", id);
      applyConfig(conf, ep, options);
      if (ep.group !== undefined) {
        conf.set("group.id", ep.group);
        conf.set("auto.offset.reset", ep.offset === "newest" ? "latest" : "earliest");
      }
      rk = RdKafka.create("consumer", conf);
    } catch (e) {
      conf.destroy();
      throw e;
    }
    const events = new EventLog(options);
    let topic: RdKafkaTopic | undefined;
    let queue: RdKafkaQueue | undefined;
    try {
      if (ep.group !== undefined) {
        rk.subscribe(ep.topic);
        queue = rk.consumerQueue();
        return new KafkaConsumer(name, rk, events, options, queue, undefined, []);
      }
      topic = rk.topic(ep.topic);
      let partitions: number[];
      if (ep.partition !== undefined) partitions = [ep.partition];
      else {
        const n = await partitionCount(rk, topic);
        if (n === 0) throw new KafkaError(`Consuming ${ep.topic}`, 0, "topic has no partitions");
        partitions = Array.from({ length: n }, (_, i) => i);
      }
      queue = rk.newQueue();
      const offset = ep.offset === "oldest"
        ? BigInt(RD_KAFKA_OFFSET_BEGINNING)
        : ep.offset === "newest"
        ? BigInt(RD_KAFKA_OFFSET_END)
        : ep.offset;
      const started: number[] = [];
      try {
        for (const p of partitions) {
          topic.consumeStart(p, offset, queue);
          started.push(p);
        }
      } catch (e) {
        for (const p of started) await topic.consumeStop(p);
        throw e;
      }
      return new KafkaConsumer(name, rk, events, options, queue, topic, partitions);
    } catch (e) {
      for (const ev of rk.events()) events.handle(ev);
      queue?.destroy();
      topic?.destroy();
      await rk.destroy();
      throw e;
    }
  }

  /**
   * The next messages: those waiting, else whatever arrives within half a second (none
   * then). Partition ends are skipped; a consumer error is reported and thrown, ending
   * the input as in libnmsg. Payloads are valid until the next call.
   */
  async next(): Promise<KafkaMessage[]> {
    for (const e of this.#rk.events()) this.#events.handle(e);
    let list = this.#queue.consume();
    if (list.length === 0) {
      const wait = this.#queue.consumeWait(KAFKA_WAIT_MS);
      this.#pending = wait;
      try {
        list = await wait;
      } finally {
        this.#pending = undefined;
      }
    }
    const out: KafkaMessage[] = [];
    for (const m of list) {
      if (m.error === 0) {
        out.push(m);
        continue;
      }
      if (m.error === RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        this.#log(4, `${this.#name}: end of partition ${m.partition} at offset ${m.offset}`);
        continue;
      }
      // rd_kafka_message_errstr: the payload holds the text when there is one.
      const reason = m.payload.length > 0 ? new TextDecoder().decode(m.payload) : undefined;
      const err = new KafkaError(`Consuming ${this.#name}`, m.error, reason);
      this.#log(1, `_kafka_error_cb: got Kafka error ${m.error}: ${err.message}`);
      throw err;
    }
    this.consumed += out.length;
    return out;
  }

  /** The partitions this group member has been assigned (0 before the first rebalance). */
  assignedPartitions(): number {
    return this.#partitions.length > 0 ? this.#partitions.length : this.#rk.assignedPartitions();
  }

  /**
   * Stops consuming (after a wait in progress), leaves the group (committing offsets)
   * and destroys the client. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#pending?.catch(() => {});
      if (this.#topic !== undefined) {
        for (const p of this.#partitions) await this.#topic.consumeStop(p);
      }
      this.#queue.destroy();
      if (this.#topic === undefined) await this.#rk.consumerClose();
      this.#topic?.destroy();
      for (const e of this.#rk.events()) this.#events.handle(e);
      this.#log(3, `_kafka_ctx_destroy: consumed ${this.consumed} messages`);
      await this.#rk.destroy();
    })();
    return this.#closing;
  }
}

/** libnmsg retries the metadata request 10 times. */
async function partitionCount(rk: RdKafka, topic: RdKafkaTopic): Promise<number> {
  let last: unknown;
  for (let i = 0; i < 10; i++) {
    try {
      return await rk.partitionCount(topic, KAFKA_WAIT_MS);
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

/** How long a producer interrupted by a signal keeps trying to deliver, ms. */
const STOPPED_FLUSH_MS = 10000;

/** An idempotent producer to one topic, with delivery reports counted. */
export class KafkaProducer {
  readonly #rk: RdKafka;
  readonly #topic: RdKafkaTopic;
  readonly #partition: number;
  readonly #events: EventLog;
  readonly #log: (level: number, line: string) => void;
  #produced = 0;
  #stopped = false;
  #closing: Promise<void> | undefined;

  private constructor(
    rk: RdKafka,
    topic: RdKafkaTopic,
    ep: KafkaEndpoint,
    events: EventLog,
    options: KafkaClientOptions,
  ) {
    this.#rk = rk;
    this.#topic = topic;
    this.#partition = ep.partition ?? RD_KAFKA_PARTITION_UA;
    this.#events = events;
    this.#log = options.log ?? (() => {});
  }

  /** Creates the producer an endpoint describes. */
  static open(ep: KafkaEndpoint, options: KafkaClientOptions): KafkaProducer {
    const conf = newConf(ep);
    let rk: RdKafka;
    try {
      conf.set("enable.idempotence", "true");
      applyConfig(conf, ep, options);
      rk = RdKafka.create("producer", conf);
    } catch (e) {
      conf.destroy();
      throw e;
    }
    let topic: RdKafkaTopic;
    try {
      topic = rk.topic(ep.topic);
    } catch (e) {
      void rk.destroy();
      throw e;
    }
    return new KafkaProducer(rk, topic, ep, new EventLog(options), options);
  }

  /** Counters so far. */
  stats(): KafkaProducerStats {
    const e = this.#events;
    return {
      produced: this.#produced,
      delivered: e.delivered,
      dropped: e.dropped,
      failed: e.failed,
    };
  }

  /**
   * Queues one message (librdkafka copies it). Waits only while librdkafka's queue is
   * full, serving delivery reports meanwhile.
   */
  produce(value: Uint8Array, key: Uint8Array | null): Promise<void> | undefined {
    if (this.#topic.produce(this.#partition, value, key)) {
      this.#produced++;
      // Delivery reports are taken now and then without waiting, as libnmsg polls.
      if ((this.#produced & 63) === 0) this.#serve();
      return undefined;
    }
    // The caller may reuse its buffers while this waits.
    return this.#produceWaiting(value.slice(), key?.slice() ?? null);
  }

  async #produceWaiting(value: Uint8Array, key: Uint8Array | null): Promise<void> {
    do {
      for (const e of await this.#rk.eventsWait(KAFKA_WAIT_MS)) this.#events.handle(e);
      if (this.#stopped) {
        this.#events.dropped++;
        return;
      }
    } while (!this.#topic.produce(this.#partition, value, key));
    this.#produced++;
  }

  #serve(): void {
    for (const e of this.#rk.events()) this.#events.handle(e);
  }

  /** Waits until everything produced is delivered or failed. */
  async flush(): Promise<void> {
    this.#serve();
    // Unbounded unless stopped: librdkafka fails what it cannot deliver in message.timeout.ms.
    while (
      !await this.#rk.flush(this.#stopped ? STOPPED_FLUSH_MS : KAFKA_WAIT_MS, this.#events.handle)
    ) {
      if (this.#stopped) break;
    }
  }

  /** A signal: later flushes give up after a while instead of waiting for the broker. */
  stop(): void {
    this.#stopped = true;
  }

  /** Flushes, reports the counters at level 3, and destroys the client. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.flush();
      } finally {
        const s = this.stats();
        const left = this.#rk.outqLen();
        this.#log(3, `_kafka_ctx_destroy: produced ${s.produced} messages`);
        this.#log(3, `_kafka_ctx_destroy: delivered ${s.delivered} messages`);
        this.#log(3, `_kafka_ctx_destroy: dropped ${s.dropped} messages`);
        if (left > 0) this.#log(1, `${this.#topic.name}: ${left} Kafka messages not delivered`);
        this.#topic.destroy();
        await this.#rk.destroy();
      }
    })();
    return this.#closing;
  }
}

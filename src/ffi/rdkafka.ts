/**
 * librdkafka through Deno FFI, usable under a scoped `--allow-ffi` grant: handles are
 * `"u64"` addresses, structs are copied out with libc `memcpy`, and nothing needs a
 * callback. Callbacks (`Deno.UnsafeCallback`) require unscoped ffi, so delivery reports,
 * logs and errors are enabled as events (`rd_kafka_conf_set_events`, `log.queue`) and
 * read from the main queue with `rd_kafka_queue_poll`.
 *
 * Every call that can wait (`rd_kafka_destroy`, queue polls, consumer waits,
 * metadata requests) runs as a `nonblocking` call on a worker thread; librdkafka handles
 * are thread-safe.
 *
 * @module
 */

import { copyFromNative, cString, readCString } from "./libc_memory.ts";
import { openLibrary } from "./loader.ts";

const SYMBOLS = {
  /** int rd_kafka_version(void); */
  rd_kafka_version: { parameters: [], result: "i32" },
  /** const char *rd_kafka_version_str(void); */
  rd_kafka_version_str: { parameters: [], result: "u64" },
  /** const char *rd_kafka_err2str(rd_kafka_resp_err_t err); */
  rd_kafka_err2str: { parameters: ["i32"], result: "u64" },
  /** rd_kafka_resp_err_t rd_kafka_last_error(void); */
  rd_kafka_last_error: { parameters: [], result: "i32" },

  /** rd_kafka_conf_t *rd_kafka_conf_new(void); */
  rd_kafka_conf_new: { parameters: [], result: "u64" },
  /** void rd_kafka_conf_destroy(rd_kafka_conf_t *conf); */
  rd_kafka_conf_destroy: { parameters: ["u64"], result: "void" },
  /**
   * rd_kafka_conf_res_t rd_kafka_conf_set(rd_kafka_conf_t *conf, const char *name,
   *     const char *value, char *errstr, size_t errstr_size);
   */
  rd_kafka_conf_set: {
    parameters: ["u64", "buffer", "buffer", "buffer", "usize"],
    result: "i32",
  },
  /** void rd_kafka_conf_set_events(rd_kafka_conf_t *conf, int events); */
  rd_kafka_conf_set_events: { parameters: ["u64", "i32"], result: "void" },

  /** rd_kafka_t *rd_kafka_new(rd_kafka_type_t type, rd_kafka_conf_t *conf, char *errstr,
   *     size_t errstr_size); */
  rd_kafka_new: { parameters: ["i32", "u64", "buffer", "usize"], result: "u64" },
  /** void rd_kafka_destroy(rd_kafka_t *rk); (waits for internal threads) */
  rd_kafka_destroy: { parameters: ["u64"], result: "void", nonblocking: true },
  /** rd_kafka_resp_err_t rd_kafka_set_log_queue(rd_kafka_t *rk, rd_kafka_queue_t *rkqu); */
  rd_kafka_set_log_queue: { parameters: ["u64", "u64"], result: "i32" },
  /** int rd_kafka_outq_len(rd_kafka_t *rk); */
  rd_kafka_outq_len: { parameters: ["u64"], result: "i32" },

  /** rd_kafka_queue_t *rd_kafka_queue_new(rd_kafka_t *rk); */
  rd_kafka_queue_new: { parameters: ["u64"], result: "u64" },
  /** rd_kafka_queue_t *rd_kafka_queue_get_main(rd_kafka_t *rk); */
  rd_kafka_queue_get_main: { parameters: ["u64"], result: "u64" },
  /** rd_kafka_queue_t *rd_kafka_queue_get_consumer(rd_kafka_t *rk); */
  rd_kafka_queue_get_consumer: { parameters: ["u64"], result: "u64" },
  /** void rd_kafka_queue_destroy(rd_kafka_queue_t *rkqu); */
  rd_kafka_queue_destroy: { parameters: ["u64"], result: "void" },
  /** rd_kafka_event_t *rd_kafka_queue_poll(rd_kafka_queue_t *rkqu, int timeout_ms); */
  rd_kafka_queue_poll: { parameters: ["u64", "i32"], result: "u64" },
  /** rd_kafka_queue_poll on a worker thread. */
  rd_kafka_queue_poll_wait: {
    name: "rd_kafka_queue_poll",
    parameters: ["u64", "i32"],
    result: "u64",
    nonblocking: true,
  },

  /** rd_kafka_event_type_t rd_kafka_event_type(const rd_kafka_event_t *rkev); */
  rd_kafka_event_type: { parameters: ["u64"], result: "i32" },
  /** void rd_kafka_event_destroy(rd_kafka_event_t *rkev); */
  rd_kafka_event_destroy: { parameters: ["u64"], result: "void" },
  /** size_t rd_kafka_event_message_count(rd_kafka_event_t *rkev); */
  rd_kafka_event_message_count: { parameters: ["u64"], result: "usize" },
  /** rd_kafka_resp_err_t rd_kafka_event_error(rd_kafka_event_t *rkev); */
  rd_kafka_event_error: { parameters: ["u64"], result: "i32" },
  /** const char *rd_kafka_event_error_string(rd_kafka_event_t *rkev); */
  rd_kafka_event_error_string: { parameters: ["u64"], result: "u64" },
  /** int rd_kafka_event_error_is_fatal(rd_kafka_event_t *rkev); */
  rd_kafka_event_error_is_fatal: { parameters: ["u64"], result: "i32" },
  /** int rd_kafka_event_log(rd_kafka_event_t *rkev, const char **fac, const char **str,
   *     int *level); */
  rd_kafka_event_log: { parameters: ["u64", "buffer", "buffer", "buffer"], result: "i32" },

  /** rd_kafka_topic_t *rd_kafka_topic_new(rd_kafka_t *rk, const char *topic,
   *     rd_kafka_topic_conf_t *conf); */
  rd_kafka_topic_new: { parameters: ["u64", "buffer", "u64"], result: "u64" },
  /** void rd_kafka_topic_destroy(rd_kafka_topic_t *rkt); */
  rd_kafka_topic_destroy: { parameters: ["u64"], result: "void" },
  /** int rd_kafka_produce(rd_kafka_topic_t *rkt, int32_t partition, int msgflags,
   *     void *payload, size_t len, const void *key, size_t keylen, void *msg_opaque); */
  rd_kafka_produce: {
    parameters: ["u64", "i32", "i32", "buffer", "usize", "buffer", "usize", "u64"],
    result: "i32",
  },

  /** rd_kafka_resp_err_t rd_kafka_metadata(rd_kafka_t *rk, int all_topics,
   *     rd_kafka_topic_t *only_rkt, const struct rd_kafka_metadata **metadatap,
   *     int timeout_ms); */
  rd_kafka_metadata: {
    parameters: ["u64", "i32", "u64", "buffer", "i32"],
    result: "i32",
    nonblocking: true,
  },
  /** void rd_kafka_metadata_destroy(const struct rd_kafka_metadata *metadata); */
  rd_kafka_metadata_destroy: { parameters: ["u64"], result: "void" },
  /** int rd_kafka_consume_start_queue(rd_kafka_topic_t *rkt, int32_t partition,
   *     int64_t offset, rd_kafka_queue_t *rkqu); */
  rd_kafka_consume_start_queue: { parameters: ["u64", "i32", "i64", "u64"], result: "i32" },
  /** int rd_kafka_consume_stop(rd_kafka_topic_t *rkt, int32_t partition); */
  rd_kafka_consume_stop: { parameters: ["u64", "i32"], result: "i32", nonblocking: true },
  /** ssize_t rd_kafka_consume_batch_queue(rd_kafka_queue_t *rkqu, int timeout_ms,
   *     rd_kafka_message_t **rkmessages, size_t rkmessages_size); */
  rd_kafka_consume_batch_queue: {
    parameters: ["u64", "i32", "buffer", "usize"],
    result: "isize",
  },
  /** rd_kafka_consume_batch_queue on a worker thread. */
  rd_kafka_consume_batch_queue_wait: {
    name: "rd_kafka_consume_batch_queue",
    parameters: ["u64", "i32", "buffer", "usize"],
    result: "isize",
    nonblocking: true,
  },
  /** void rd_kafka_message_destroy(rd_kafka_message_t *rkmessage); */
  rd_kafka_message_destroy: { parameters: ["u64"], result: "void" },

  /** rd_kafka_topic_partition_list_t *rd_kafka_topic_partition_list_new(int size); */
  rd_kafka_topic_partition_list_new: { parameters: ["i32"], result: "u64" },
  /** rd_kafka_topic_partition_t *rd_kafka_topic_partition_list_add(
   *     rd_kafka_topic_partition_list_t *rktparlist, const char *topic, int32_t partition); */
  rd_kafka_topic_partition_list_add: { parameters: ["u64", "buffer", "i32"], result: "u64" },
  /** void rd_kafka_topic_partition_list_destroy(rd_kafka_topic_partition_list_t *rkparlist); */
  rd_kafka_topic_partition_list_destroy: { parameters: ["u64"], result: "void" },
  /** rd_kafka_resp_err_t rd_kafka_subscribe(rd_kafka_t *rk,
   *     const rd_kafka_topic_partition_list_t *topics); */
  rd_kafka_subscribe: { parameters: ["u64", "u64"], result: "i32" },
  /** rd_kafka_resp_err_t rd_kafka_assignment(rd_kafka_t *rk,
   *     rd_kafka_topic_partition_list_t **partitions); */
  rd_kafka_assignment: { parameters: ["u64", "buffer"], result: "i32" },
  /** rd_kafka_resp_err_t rd_kafka_consumer_close(rd_kafka_t *rk); (leaves the group) */
  rd_kafka_consumer_close: { parameters: ["u64"], result: "i32", nonblocking: true },
} as const;

type Symbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let rdk: Symbols | undefined;

function lib(): Symbols {
  rdk ??= openLibrary("librdkafka", SYMBOLS).lib.symbols;
  return rdk;
}

/** `RD_KAFKA_PARTITION_UA`: let the partitioner choose (producer) / no partition given. */
export const RD_KAFKA_PARTITION_UA = -1;
/** `RD_KAFKA_OFFSET_BEGINNING`: start at the oldest message (nmsg `oldest`). */
export const RD_KAFKA_OFFSET_BEGINNING = -2;
/** `RD_KAFKA_OFFSET_END`: start after the newest message (nmsg `newest`). */
export const RD_KAFKA_OFFSET_END = -1;
/** `RD_KAFKA_RESP_ERR__MSG_TIMED_OUT`: a message was not delivered in `message.timeout.ms`. */
export const RD_KAFKA_RESP_ERR__MSG_TIMED_OUT = -192;
/** `RD_KAFKA_RESP_ERR__PARTITION_EOF`: the consumer reached the end of a partition. */
export const RD_KAFKA_RESP_ERR__PARTITION_EOF = -191;
/** `RD_KAFKA_RESP_ERR__TIMED_OUT`: an operation timed out. */
export const RD_KAFKA_RESP_ERR__TIMED_OUT = -185;
/** `RD_KAFKA_RESP_ERR__QUEUE_FULL`: the producer queue is full (`queue.buffering.max.*`). */
export const RD_KAFKA_RESP_ERR__QUEUE_FULL = -184;

const RD_KAFKA_PRODUCER = 0;
const RD_KAFKA_CONSUMER = 1;
const RD_KAFKA_EVENT_DR = 0x1;
const RD_KAFKA_EVENT_LOG = 0x4;
const RD_KAFKA_EVENT_ERROR = 0x8;
const RD_KAFKA_MSG_F_COPY = 0x2;
const ERRSTR_SIZE = 512;

/** librdkafka's text for an error code (`rd_kafka_err2str`). */
function err2str(code: number): string {
  return readCString(lib().rd_kafka_err2str(code));
}

function errstrOf(buf: Uint8Array): string {
  const end = buf.indexOf(0);
  return new TextDecoder().decode(buf.subarray(0, end < 0 ? buf.length : end));
}

/**
 * A librdkafka call failed; the message carries librdkafka's own text.
 *
 * @example
 * ```ts
 * import { KafkaError, KafkaOutput, parseKafkaConfigPairs } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => KafkaOutput.open("nmsg:t@127.0.0.1:9092", { config: parseKafkaConfigPairs("acks=many") }),
 *   (e: unknown) => e instanceof KafkaError && /Invalid value for configuration property/.test(e.message),
 * );
 * ```
 */
export class KafkaError extends Error {
  /** Always `"KafkaError"`. */
  override name = "KafkaError";
  /** The `rd_kafka_resp_err_t` code, or 0 where librdkafka gave only a text. */
  readonly code: number;

  /**
   * Creates the error.
   *
   * @param what The call or setting that failed.
   * @param code librdkafka's error code (0 if none).
   * @param reason librdkafka's text; default `rd_kafka_err2str(code)`.
   */
  constructor(what: string, code: number, reason?: string) {
    super(`${what} failed: ${reason ?? err2str(code)}`);
    this.code = code;
  }
}

/**
 * The librdkafka version.
 *
 * @returns E.g. `"2.0.2"`.
 * @throws {LibraryNotFoundError} If librdkafka cannot be loaded.
 */
export function rdkafkaVersion(): string {
  return readCString(lib().rd_kafka_version_str());
}

/**
 * A client configuration (`rd_kafka_conf_t`). It is consumed by
 * {@linkcode RdKafka.create}; otherwise release it with `destroy()`.
 */
export class RdKafkaConf {
  #handle: bigint;

  /** Creates an empty configuration with librdkafka's defaults. */
  constructor() {
    this.#handle = lib().rd_kafka_conf_new();
  }

  /**
   * Sets a property.
   *
   * @param name E.g. `bootstrap.servers`.
   * @param value Its value, as text.
   * @throws {KafkaError} With librdkafka's reason if the name or value is invalid.
   */
  set(name: string, value: string): void {
    const errstr = new Uint8Array(ERRSTR_SIZE);
    const res = lib().rd_kafka_conf_set(
      this.#live(),
      cString(name),
      cString(value),
      errstr,
      BigInt(ERRSTR_SIZE),
    );
    if (res !== 0) throw new KafkaError(`Setting ${name}=${value}`, 0, errstrOf(errstr));
  }

  #live(): bigint {
    if (this.#handle === 0n) throw new Error("Kafka configuration already used or destroyed");
    return this.#handle;
  }

  /** Hands the handle over to `rd_kafka_new`, which owns it on success. */
  take(): bigint {
    const h = this.#live();
    this.#handle = 0n;
    return h;
  }

  /** Releases the configuration if it was not used. Idempotent. */
  destroy(): void {
    if (this.#handle !== 0n) lib().rd_kafka_conf_destroy(this.#handle);
    this.#handle = 0n;
  }

  /** Same as {@linkcode RdKafkaConf.destroy}. */
  [Symbol.dispose](): void {
    this.destroy();
  }
}

/** What the main queue reports: delivery reports, log lines and client errors. */
export type KafkaEvent =
  | { type: "delivery"; count: number; error: number; reason: string }
  | { type: "log"; level: number; facility: string; message: string }
  | { type: "error"; error: number; reason: string; fatal: boolean };

/** One consumed message. `payload` is valid until the next consume on the same queue. */
export interface KafkaMessage {
  /** 0, or an error such as `RD_KAFKA_RESP_ERR__PARTITION_EOF`. */
  error: number;
  /** Partition the message came from. */
  partition: number;
  /** Its offset in the partition. */
  offset: bigint;
  /** The message value (for errors, librdkafka's error text as bytes, if any). */
  payload: Uint8Array;
  /** The message key, or null if it has none. */
  key: Uint8Array | null;
}

const MESSAGE_STRUCT_SIZE = 64; // rd_kafka_message_t up to and including `offset`

/** A queue of consumed messages (`rd_kafka_queue_t`). */
export class RdKafkaQueue {
  #handle: bigint;
  readonly #ptrs: BigUint64Array;
  readonly #struct = new Uint8Array(MESSAGE_STRUCT_SIZE);
  readonly #view = new DataView(this.#struct.buffer);
  #arena = new Uint8Array(1 << 20);

  /**
   * @param handle The queue's address.
   * @param batch Most messages taken per consume call.
   */
  constructor(handle: bigint, batch = 256) {
    this.#handle = handle;
    this.#ptrs = new BigUint64Array(batch);
  }

  /** The queue's address, for `rd_kafka_consume_start_queue`. */
  get handle(): bigint {
    return this.#handle;
  }

  /**
   * Takes the messages waiting in the queue, without waiting for more.
   *
   * @returns The messages (possibly none); payloads valid until the next consume.
   */
  consume(): KafkaMessage[] {
    const n = Number(
      lib().rd_kafka_consume_batch_queue(
        this.#live(),
        0,
        this.#ptrs,
        BigInt(this.#ptrs.length),
      ),
    );
    return this.#collect(n);
  }

  /**
   * Waits on a worker thread up to `timeoutMs` for messages.
   *
   * @param timeoutMs Longest wait.
   * @returns The messages (none on timeout); payloads valid until the next consume.
   */
  async consumeWait(timeoutMs: number): Promise<KafkaMessage[]> {
    const n = Number(
      await lib().rd_kafka_consume_batch_queue_wait(
        this.#live(),
        timeoutMs,
        this.#ptrs,
        BigInt(this.#ptrs.length),
      ),
    );
    return this.#collect(n);
  }

  #collect(n: number): KafkaMessage[] {
    if (n <= 0) return [];
    const z = lib();
    const v = this.#view;
    // Offsets in rd_kafka_message_t (64-bit): err 0, partition 16, payload 24, len 32,
    // key 40, key_len 48, offset 56.
    const heads: {
      error: number;
      partition: number;
      offset: bigint;
      ptr: bigint;
      len: number;
      keyPtr: bigint;
      keyLen: number;
    }[] = [];
    let total = 0;
    for (let i = 0; i < n; i++) {
      copyFromNative(this.#struct, this.#ptrs[i]!);
      const h = {
        error: v.getInt32(0, true),
        partition: v.getInt32(16, true),
        offset: v.getBigInt64(56, true),
        ptr: v.getBigUint64(24, true),
        len: Number(v.getBigUint64(32, true)),
        keyPtr: v.getBigUint64(40, true),
        keyLen: Number(v.getBigUint64(48, true)),
      };
      heads.push(h);
      total += h.len + h.keyLen;
    }
    if (total > this.#arena.length) this.#arena = new Uint8Array(2 * total);
    const out: KafkaMessage[] = [];
    let pos = 0;
    const take = (ptr: bigint, len: number): Uint8Array => {
      const bytes = this.#arena.subarray(pos, pos + len);
      if (ptr !== 0n) copyFromNative(bytes, ptr);
      pos += len;
      return bytes;
    };
    for (let i = 0; i < n; i++) {
      const h = heads[i]!;
      const payload = take(h.ptr, h.len);
      const key = h.keyPtr === 0n ? null : take(h.keyPtr, h.keyLen);
      out.push({ error: h.error, partition: h.partition, offset: h.offset, payload, key });
      z.rd_kafka_message_destroy(this.#ptrs[i]!);
    }
    return out;
  }

  #live(): bigint {
    if (this.#handle === 0n) throw new Error("Kafka queue is destroyed");
    return this.#handle;
  }

  /** Releases the queue reference. Idempotent. */
  destroy(): void {
    if (this.#handle !== 0n) lib().rd_kafka_queue_destroy(this.#handle);
    this.#handle = 0n;
  }

  /** Same as {@linkcode RdKafkaQueue.destroy}. */
  [Symbol.dispose](): void {
    this.destroy();
  }
}

/** A topic handle (`rd_kafka_topic_t`) for producing or for the legacy consumer. */
export class RdKafkaTopic {
  #handle: bigint;
  /** The topic name. */
  readonly name: string;

  /**
   * @param handle The topic's address.
   * @param name The topic name.
   */
  constructor(handle: bigint, name: string) {
    this.#handle = handle;
    this.name = name;
  }

  /** The topic handle's address. */
  get handle(): bigint {
    return this.#live();
  }

  #live(): bigint {
    if (this.#handle === 0n) throw new Error(`Kafka topic ${this.name} is destroyed`);
    return this.#handle;
  }

  /**
   * Queues one message for sending; librdkafka copies `payload` and `key`.
   *
   * @param partition A partition, or `RD_KAFKA_PARTITION_UA` for the partitioner.
   * @param payload The value.
   * @param key The key, or null for none.
   * @returns False if the producer queue is full (poll delivery reports and retry).
   * @throws {KafkaError} On other failures (unknown partition, message too large, …).
   */
  produce(partition: number, payload: Uint8Array, key: Uint8Array | null): boolean {
    const rc = lib().rd_kafka_produce(
      this.#live(),
      partition,
      RD_KAFKA_MSG_F_COPY,
      payload,
      BigInt(payload.length),
      key,
      BigInt(key?.length ?? 0),
      0n,
    );
    if (rc === 0) return true;
    const err = lib().rd_kafka_last_error();
    if (err === RD_KAFKA_RESP_ERR__QUEUE_FULL) return false;
    throw new KafkaError(`Producing to ${this.name}`, err);
  }

  /**
   * Starts fetching a partition into `queue` (legacy consumer).
   *
   * @param partition The partition.
   * @param offset A message offset or `RD_KAFKA_OFFSET_BEGINNING`/`RD_KAFKA_OFFSET_END`.
   * @param queue Where its messages go.
   * @throws {KafkaError} If the partition cannot be consumed.
   */
  consumeStart(partition: number, offset: bigint, queue: RdKafkaQueue): void {
    const rc = lib().rd_kafka_consume_start_queue(this.#live(), partition, offset, queue.handle);
    if (rc === -1) {
      throw new KafkaError(
        `Consuming ${this.name} partition ${partition}`,
        lib().rd_kafka_last_error(),
      );
    }
  }

  /**
   * Stops fetching a partition.
   *
   * @param partition The partition.
   */
  async consumeStop(partition: number): Promise<void> {
    await lib().rd_kafka_consume_stop(this.#live(), partition);
  }

  /** Releases the topic handle. Idempotent. */
  destroy(): void {
    if (this.#handle !== 0n) lib().rd_kafka_topic_destroy(this.#handle);
    this.#handle = 0n;
  }

  /** Same as {@linkcode RdKafkaTopic.destroy}. */
  [Symbol.dispose](): void {
    this.destroy();
  }
}

/**
 * A client instance (`rd_kafka_t`), producer or consumer. Delivery reports, logs and
 * errors arrive as events on its main queue; call {@linkcode RdKafka.events} regularly.
 */
export class RdKafka {
  #handle: bigint;
  #main: bigint;
  readonly #logOut = new BigUint64Array(2);
  readonly #level = new Int32Array(1);

  private constructor(handle: bigint) {
    this.#handle = handle;
    this.#main = lib().rd_kafka_queue_get_main(handle);
    // Logs go to the main queue (log.queue=true was set), to be read as events.
    lib().rd_kafka_set_log_queue(handle, 0n);
  }

  /**
   * Creates a client. The configuration gets `log.queue=true` and event delivery for
   * delivery reports, logs and errors, and is consumed whether or not this succeeds.
   *
   * @param type `producer` or `consumer`.
   * @param conf The configuration.
   * @returns The client.
   * @throws {KafkaError} With librdkafka's reason (bad configuration, …).
   */
  static create(type: "producer" | "consumer", conf: RdKafkaConf): RdKafka {
    const z = lib();
    try {
      conf.set("log.queue", "true");
    } catch (e) {
      conf.destroy();
      throw e;
    }
    const events = RD_KAFKA_EVENT_LOG | RD_KAFKA_EVENT_ERROR |
      (type === "producer" ? RD_KAFKA_EVENT_DR : 0);
    const h = conf.take();
    z.rd_kafka_conf_set_events(h, events);
    const errstr = new Uint8Array(ERRSTR_SIZE);
    const rk = z.rd_kafka_new(
      type === "producer" ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER,
      h,
      errstr,
      BigInt(ERRSTR_SIZE),
    );
    if (rk === 0n) {
      z.rd_kafka_conf_destroy(h);
      throw new KafkaError(`Creating a Kafka ${type}`, 0, errstrOf(errstr));
    }
    return new RdKafka(rk);
  }

  /** The client's address (for the mock cluster). */
  get handle(): bigint {
    return this.#live();
  }

  #live(): bigint {
    if (this.#handle === 0n) throw new Error("Kafka client is destroyed");
    return this.#handle;
  }

  /**
   * Takes the events waiting on the main queue, without waiting.
   *
   * @param max Most events to take.
   * @returns The events, oldest first.
   */
  events(max = 1000): KafkaEvent[] {
    const out: KafkaEvent[] = [];
    for (let i = 0; i < max; i++) {
      const ev = lib().rd_kafka_queue_poll(this.#main, 0);
      if (ev === 0n) break;
      this.#parse(ev, out);
    }
    return out;
  }

  /**
   * Waits on a worker thread up to `timeoutMs` for one event, then takes any others
   * waiting.
   *
   * @param timeoutMs Longest wait.
   * @returns The events (none on timeout).
   */
  async eventsWait(timeoutMs: number): Promise<KafkaEvent[]> {
    this.#live();
    const first = await lib().rd_kafka_queue_poll_wait(this.#main, timeoutMs);
    const out: KafkaEvent[] = [];
    if (first !== 0n) this.#parse(first, out);
    out.push(...this.events());
    return out;
  }

  #parse(ev: bigint, out: KafkaEvent[]): void {
    const z = lib();
    const type = z.rd_kafka_event_type(ev);
    if (type === RD_KAFKA_EVENT_DR) {
      const error = z.rd_kafka_event_error(ev);
      out.push({
        type: "delivery",
        count: Number(z.rd_kafka_event_message_count(ev)),
        error,
        reason: error === 0 ? "" : err2str(error),
      });
    } else if (type === RD_KAFKA_EVENT_LOG) {
      if (
        z.rd_kafka_event_log(
          ev,
          this.#logOut.subarray(0, 1),
          this.#logOut.subarray(1),
          this.#level,
        ) === 0
      ) {
        out.push({
          type: "log",
          level: this.#level[0]!,
          facility: readCString(this.#logOut[0]!),
          message: readCString(this.#logOut[1]!),
        });
      }
    } else if (type === RD_KAFKA_EVENT_ERROR) {
      out.push({
        type: "error",
        error: z.rd_kafka_event_error(ev),
        reason: readCString(z.rd_kafka_event_error_string(ev)),
        fatal: z.rd_kafka_event_error_is_fatal(ev) !== 0,
      });
    }
    z.rd_kafka_event_destroy(ev);
  }

  /**
   * Opens a topic handle.
   *
   * @param name The topic.
   * @returns The handle.
   * @throws {KafkaError} If librdkafka refuses the name.
   */
  topic(name: string): RdKafkaTopic {
    const t = lib().rd_kafka_topic_new(this.#live(), cString(name), 0n);
    if (t === 0n) throw new KafkaError(`Opening topic ${name}`, lib().rd_kafka_last_error());
    return new RdKafkaTopic(t, name);
  }

  /** Messages produced but not yet delivered or failed (plus requests in flight). */
  outqLen(): number {
    return lib().rd_kafka_outq_len(this.#live());
  }

  /**
   * Waits until every produced message is delivered or failed, serving the main queue
   * meanwhile: with delivery reports as events, librdkafka counts a message as pending
   * until its report is taken, so `rd_kafka_flush` alone would never finish.
   *
   * @param timeoutMs Longest wait.
   * @param onEvent Receives every event taken meanwhile.
   * @returns True if nothing is left, false on timeout.
   */
  async flush(timeoutMs: number, onEvent: (e: KafkaEvent) => void): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (const e of this.events()) onEvent(e);
    while (this.outqLen() > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      for (const e of await this.eventsWait(Math.min(left, 100))) onEvent(e);
    }
    return true;
  }

  /**
   * Asks the cluster how many partitions a topic has.
   *
   * @param topic An open topic handle.
   * @param timeoutMs Longest wait.
   * @returns The partition count.
   * @throws {KafkaError} If the metadata request fails or the topic is unknown.
   */
  async partitionCount(topic: RdKafkaTopic, timeoutMs: number): Promise<number> {
    const z = lib();
    const out = new BigUint64Array(1);
    const err = await z.rd_kafka_metadata(this.#live(), 0, topic.handle, out, timeoutMs);
    if (err !== 0) throw new KafkaError(`Getting metadata for topic ${topic.name}`, err);
    const md = out[0]!;
    try {
      const head = new Uint8Array(32);
      copyFromNative(head, md);
      const hv = new DataView(head.buffer);
      if (hv.getInt32(16, true) !== 1) {
        throw new KafkaError(`Getting metadata for topic ${topic.name}`, 0, "no such topic");
      }
      const t = new Uint8Array(32);
      copyFromNative(t, hv.getBigUint64(24, true));
      const tv = new DataView(t.buffer);
      const terr = tv.getInt32(24, true);
      if (terr !== 0) throw new KafkaError(`Getting metadata for topic ${topic.name}`, terr);
      return tv.getInt32(8, true);
    } finally {
      z.rd_kafka_metadata_destroy(md);
    }
  }

  /**
   * Joins the consumer group of `group.id` and subscribes to a topic.
   *
   * @param topic The topic.
   * @throws {KafkaError} If the subscription is refused.
   */
  subscribe(topic: string): void {
    const z = lib();
    const list = z.rd_kafka_topic_partition_list_new(1);
    try {
      z.rd_kafka_topic_partition_list_add(list, cString(topic), RD_KAFKA_PARTITION_UA);
      const err = z.rd_kafka_subscribe(this.#live(), list);
      if (err !== 0) throw new KafkaError(`Subscribing to ${topic}`, err);
    } finally {
      z.rd_kafka_topic_partition_list_destroy(list);
    }
  }

  /**
   * The partitions currently assigned to this group consumer.
   *
   * @returns How many there are.
   */
  assignedPartitions(): number {
    const z = lib();
    const out = new BigUint64Array(1);
    const err = z.rd_kafka_assignment(this.#live(), out);
    if (err !== 0) throw new KafkaError("Getting the assignment", err);
    const head = new Int32Array(1);
    copyFromNative(new Uint8Array(head.buffer), out[0]!);
    z.rd_kafka_topic_partition_list_destroy(out[0]!);
    return head[0]!;
  }

  /**
   * A new queue for the legacy consumer.
   *
   * @returns The queue.
   */
  newQueue(): RdKafkaQueue {
    return new RdKafkaQueue(lib().rd_kafka_queue_new(this.#live()));
  }

  /**
   * The group consumer's queue (messages of the assigned partitions).
   *
   * @returns The queue; destroy it before {@linkcode RdKafka.consumerClose}.
   */
  consumerQueue(): RdKafkaQueue {
    return new RdKafkaQueue(lib().rd_kafka_queue_get_consumer(this.#live()));
  }

  /** Leaves the consumer group, committing offsets (waits on a worker thread). */
  async consumerClose(): Promise<void> {
    await lib().rd_kafka_consumer_close(this.#live());
  }

  /** Destroys the client (waits on a worker thread for its threads to end). Idempotent. */
  async destroy(): Promise<void> {
    const h = this.#handle;
    if (h === 0n) return;
    this.#handle = 0n;
    lib().rd_kafka_queue_destroy(this.#main);
    await lib().rd_kafka_destroy(h);
  }

  /** Same as {@linkcode RdKafka.destroy}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.destroy();
  }
}

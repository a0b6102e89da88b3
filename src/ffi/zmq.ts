/**
 * libzmq through Deno FFI, usable under a scoped `--allow-ffi` grant: handles are
 * `"u64"` addresses and received bytes are copied out with libc `memcpy`.
 *
 * Nothing here blocks the main thread. Sends and receives are tried with `ZMQ_DONTWAIT`
 * first; waiting happens in `nonblocking` calls on a worker thread, bounded by the
 * socket's `ZMQ_SNDTIMEO`/`ZMQ_RCVTIMEO`. (A blocking `zmq_send` on the main thread
 * deadlocks once the high-water mark is reached: the receive that would drain the queue
 * can never run.) A socket is not thread-safe, so it never has a waiting call in flight
 * while the main thread uses it.
 *
 * @module
 */

import { copyFromNative, cString, readCString } from "./libc_memory.ts";
import { openLibrary } from "./loader.ts";

const SYMBOLS = {
  /** void *zmq_ctx_new(void); */
  zmq_ctx_new: { parameters: [], result: "u64" },
  /** int zmq_ctx_term(void *context); (waits for sockets to close and linger to expire) */
  zmq_ctx_term: { parameters: ["u64"], result: "i32", nonblocking: true },
  /** void *zmq_socket(void *context, int type); */
  zmq_socket: { parameters: ["u64", "i32"], result: "u64" },
  /** int zmq_close(void *s); */
  zmq_close: { parameters: ["u64"], result: "i32" },
  /** int zmq_setsockopt(void *s, int option, const void *optval, size_t optvallen); */
  zmq_setsockopt: { parameters: ["u64", "i32", "buffer", "usize"], result: "i32" },
  /** int zmq_bind(void *s, const char *addr); */
  zmq_bind: { parameters: ["u64", "buffer"], result: "i32" },
  /** int zmq_connect(void *s, const char *addr); */
  zmq_connect: { parameters: ["u64", "buffer"], result: "i32" },
  /** int zmq_send(void *s, const void *buf, size_t len, int flags); */
  zmq_send: { parameters: ["u64", "buffer", "usize", "i32"], result: "i32" },
  /** zmq_send on a worker thread, waiting up to ZMQ_SNDTIMEO. */
  zmq_send_wait: {
    name: "zmq_send",
    parameters: ["u64", "buffer", "usize", "i32"],
    result: "i32",
    nonblocking: true,
  },
  /** int zmq_msg_init(zmq_msg_t *msg); */
  zmq_msg_init: { parameters: ["buffer"], result: "i32" },
  /** int zmq_msg_close(zmq_msg_t *msg); */
  zmq_msg_close: { parameters: ["buffer"], result: "i32" },
  /** int zmq_msg_recv(zmq_msg_t *msg, void *s, int flags); */
  zmq_msg_recv: { parameters: ["buffer", "u64", "i32"], result: "i32" },
  /** zmq_msg_recv on a worker thread, waiting up to ZMQ_RCVTIMEO. */
  zmq_msg_recv_wait: {
    name: "zmq_msg_recv",
    parameters: ["buffer", "u64", "i32"],
    result: "i32",
    nonblocking: true,
  },
  /** void *zmq_msg_data(zmq_msg_t *msg); */
  zmq_msg_data: { parameters: ["buffer"], result: "u64" },
  /** int zmq_errno(void); */
  zmq_errno: { parameters: [], result: "i32" },
  /** const char *zmq_strerror(int errnum); */
  zmq_strerror: { parameters: ["i32"], result: "u64" },
  /** void zmq_version(int *major, int *minor, int *patch); */
  zmq_version: { parameters: ["buffer", "buffer", "buffer"], result: "void" },
} as const;

type ZmqSymbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let zmq: ZmqSymbols | undefined;

function lib(): ZmqSymbols {
  zmq ??= openLibrary("libzmq", SYMBOLS).lib.symbols;
  return zmq;
}

/** `ZMQ_PUB` socket type. */
export const ZMQ_PUB = 1;
/** `ZMQ_SUB` socket type. */
export const ZMQ_SUB = 2;
/** `ZMQ_PULL` socket type. */
export const ZMQ_PULL = 7;
/** `ZMQ_PUSH` socket type. */
export const ZMQ_PUSH = 8;
/** `ZMQ_SUBSCRIBE` option (bytes: a message prefix). */
export const ZMQ_SUBSCRIBE = 6;
/** `ZMQ_MAXMSGSIZE` option (int64, bytes; -1 = no limit). */
export const ZMQ_MAXMSGSIZE = 22;
/** `ZMQ_LINGER` option (int, ms). */
export const ZMQ_LINGER = 17;
/** `ZMQ_SNDHWM` option (int, messages). */
export const ZMQ_SNDHWM = 23;
/** `ZMQ_RCVHWM` option (int, messages). */
export const ZMQ_RCVHWM = 24;
/** `ZMQ_RCVTIMEO` option (int, ms; -1 = forever). */
export const ZMQ_RCVTIMEO = 27;
/** `ZMQ_SNDTIMEO` option (int, ms; -1 = forever). */
export const ZMQ_SNDTIMEO = 28;

const ZMQ_DONTWAIT = 1;
// libzmq reports the platform's errno values; only macOS differs among the supported ones.
const EAGAIN = globalThis.Deno?.build.os === "darwin" ? 35 : 11;
const EINTR = 4;

/**
 * A libzmq call failed; the message carries libzmq's own text (`zmq_strerror`).
 *
 * @example
 * ```ts
 * import { ZmqError, ZmqOutput } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => ZmqOutput.open("ipc:///nonexistent-dir/nmsg,accept"),
 *   (e: unknown) => e instanceof ZmqError && /No such file or directory/.test(e.message),
 * );
 * ```
 */
export class ZmqError extends Error {
  /** Always `"ZmqError"`. */
  override name = "ZmqError";
  /** The `zmq_errno()` value. */
  readonly errno: number;

  /**
   * Creates the error, with libzmq's text for `errno`.
   *
   * @param what The call that failed, e.g. `zmq_bind(tcp://127.0.0.1:5555)`.
   * @param errno Its error number.
   */
  constructor(what: string, errno: number) {
    super(`${what} failed: ${readCString(lib().zmq_strerror(errno))}`);
    this.errno = errno;
  }
}

function check(rc: number, what: string): void {
  if (rc === -1) throw new ZmqError(what, lib().zmq_errno());
}

/**
 * The libzmq version.
 *
 * @returns `[major, minor, patch]`.
 * @throws {LibraryNotFoundError} If libzmq cannot be loaded.
 */
export function zmqVersion(): [number, number, number] {
  const v = new Int32Array(3);
  lib().zmq_version(v.subarray(0, 1), v.subarray(1, 2), v.subarray(2, 3));
  return [v[0]!, v[1]!, v[2]!];
}

/** A ZeroMQ context: owns the I/O threads of its sockets. */
export class ZmqContext {
  #handle: bigint;

  /**
   * Creates a context.
   *
   * @throws {LibraryNotFoundError} If libzmq cannot be loaded.
   * @throws {ZmqError} If libzmq cannot create one.
   */
  constructor() {
    this.#handle = lib().zmq_ctx_new();
    if (this.#handle === 0n) throw new ZmqError("zmq_ctx_new()", lib().zmq_errno());
  }

  /**
   * Opens a socket in this context.
   *
   * @param type `ZMQ_PUB`, `ZMQ_SUB`, `ZMQ_PUSH` or `ZMQ_PULL`.
   * @returns The socket.
   * @throws {ZmqError} If the context is terminated or the type is invalid.
   */
  socket(type: number): ZmqSocket {
    if (this.#handle === 0n) throw new Error("ZeroMQ context is terminated");
    const s = lib().zmq_socket(this.#handle, type);
    if (s === 0n) throw new ZmqError("zmq_socket()", lib().zmq_errno());
    return new ZmqSocket(s);
  }

  /**
   * Terminates the context once all its sockets are closed and their lingering messages
   * are sent (or their `ZMQ_LINGER` expired). Waits on a worker thread. Idempotent.
   */
  async term(): Promise<void> {
    const h = this.#handle;
    if (h === 0n) return;
    this.#handle = 0n;
    // EINTR only interrupts the wait; the context is still to be terminated.
    while (await lib().zmq_ctx_term(h) === -1) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Same as {@linkcode ZmqContext.term}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.term();
  }
}

/**
 * One ZeroMQ socket. Messages received are copied into a buffer the socket reuses: a
 * returned view is valid until the next receive.
 */
export class ZmqSocket {
  #handle: bigint;
  #pending: Promise<unknown> | undefined;
  #closing: Promise<void> | undefined;
  // zmq_msg_t is 64 opaque bytes aligned like a pointer.
  readonly #msg = new BigUint64Array(8);
  #buf = new Uint8Array(65536);

  /** @param handle The `void *` of a socket from `zmq_socket`. */
  constructor(handle: bigint) {
    this.#handle = handle;
    check(lib().zmq_msg_init(this.#msg), "zmq_msg_init()");
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#handle === 0n;
  }

  #h(): bigint {
    if (this.#handle === 0n) throw new Error("ZeroMQ socket is closed");
    if (this.#pending) throw new Error("ZeroMQ socket is in use by a pending call");
    return this.#handle;
  }

  /**
   * Sets an integer option.
   *
   * @param option E.g. `ZMQ_SNDHWM`.
   * @param value The value.
   * @throws {ZmqError} If libzmq rejects it.
   */
  setInt(option: number, value: number): void {
    const v = new Int32Array([value]);
    check(lib().zmq_setsockopt(this.#h(), option, v, 4n), `zmq_setsockopt(${option})`);
  }

  /**
   * Sets a 64-bit integer option.
   *
   * @param option E.g. `ZMQ_MAXMSGSIZE`.
   * @param value The value.
   * @throws {ZmqError} If libzmq rejects it.
   */
  setInt64(option: number, value: bigint): void {
    const v = new BigInt64Array([value]);
    check(lib().zmq_setsockopt(this.#h(), option, v, 8n), `zmq_setsockopt(${option})`);
  }

  /**
   * Sets a binary option.
   *
   * @param option E.g. `ZMQ_SUBSCRIBE`.
   * @param value The bytes.
   * @throws {ZmqError} If libzmq rejects it.
   */
  setBytes(option: number, value: Uint8Array): void {
    check(
      lib().zmq_setsockopt(this.#h(), option, value, BigInt(value.length)),
      `zmq_setsockopt(${option})`,
    );
  }

  /**
   * Binds (accepts connections on) an endpoint.
   *
   * @param endpoint E.g. `tcp://127.0.0.1:5555`, `ipc://nmsg.ipc`.
   * @throws {ZmqError} With libzmq's reason, e.g. "Address already in use".
   */
  bind(endpoint: string): void {
    check(lib().zmq_bind(this.#h(), cString(endpoint)), `zmq_bind(${endpoint})`);
  }

  /**
   * Connects to an endpoint (libzmq reconnects in the background as needed).
   *
   * @param endpoint E.g. `tcp://127.0.0.1:5555`.
   * @throws {ZmqError} If the endpoint is malformed or its transport unsupported.
   */
  connect(endpoint: string): void {
    check(lib().zmq_connect(this.#h(), cString(endpoint)), `zmq_connect(${endpoint})`);
  }

  /**
   * Sends one message if that can be done without waiting.
   *
   * @param data The message.
   * @returns False if the socket cannot take it now (high-water mark, no peer for PUSH).
   * @throws {ZmqError} On other failures.
   */
  trySend(data: Uint8Array): boolean {
    const rc = lib().zmq_send(this.#h(), data, BigInt(data.length), ZMQ_DONTWAIT);
    if (rc !== -1) return true;
    const errno = lib().zmq_errno();
    if (errno === EAGAIN || errno === EINTR) return false;
    throw new ZmqError("zmq_send()", errno);
  }

  /**
   * Sends one message, waiting on a worker thread for up to the socket's `ZMQ_SNDTIMEO`.
   * `data` must stay unchanged until the promise settles.
   *
   * @param data The message.
   * @returns False if it could not be sent in time.
   * @throws {ZmqError} On failures other than the timeout.
   */
  async send(data: Uint8Array): Promise<boolean> {
    if (this.trySend(data)) return true;
    const call = lib().zmq_send_wait(this.#h(), data, BigInt(data.length), 0);
    this.#pending = call;
    let rc: number;
    try {
      rc = await call;
    } finally {
      this.#pending = undefined;
    }
    // errno belongs to the worker thread; one more try here tells a timeout from a failure.
    return rc !== -1 || (!this.closed && this.trySend(data));
  }

  /**
   * Receives one message if one is waiting.
   *
   * @returns The message (a view valid until the next receive), or null if none is waiting.
   * @throws {ZmqError} On failures.
   */
  tryRecv(): Uint8Array | null {
    const z = lib();
    const n = z.zmq_msg_recv(this.#msg, this.#h(), ZMQ_DONTWAIT);
    if (n === -1) {
      const errno = z.zmq_errno();
      if (errno === EAGAIN || errno === EINTR) return null;
      throw new ZmqError("zmq_msg_recv()", errno);
    }
    return this.#copyOut(n);
  }

  /**
   * Receives one message, waiting on a worker thread for up to the socket's
   * `ZMQ_RCVTIMEO`.
   *
   * @returns The message (a view valid until the next receive), or null on timeout or
   *   if the socket was closed meanwhile.
   * @throws {ZmqError} On failures.
   */
  async recv(): Promise<Uint8Array | null> {
    const m = this.tryRecv();
    if (m !== null) return m;
    const call = lib().zmq_msg_recv_wait(this.#msg, this.#h(), 0);
    this.#pending = call;
    let n: number;
    try {
      n = await call;
    } finally {
      this.#pending = undefined;
    }
    if (this.closed) return null;
    // errno belongs to the worker thread; a last try here reports real failures.
    return n === -1 ? this.tryRecv() : this.#copyOut(n);
  }

  #copyOut(n: number): Uint8Array {
    if (n > this.#buf.length) {
      this.#buf = new Uint8Array(Math.max(n, this.#buf.length * 2));
    }
    const view = this.#buf.subarray(0, n);
    copyFromNative(view, lib().zmq_msg_data(this.#msg));
    return view;
  }

  /**
   * Closes the socket (pending outgoing messages linger per `ZMQ_LINGER`). If a waiting
   * call is in flight, the close happens when it returns. Idempotent.
   *
   * @returns When the socket is closed.
   */
  close(): Promise<void> {
    const h = this.#handle;
    if (h === 0n) return this.#closing ?? Promise.resolve();
    this.#handle = 0n;
    const done = (): void => {
      lib().zmq_msg_close(this.#msg);
      lib().zmq_close(h);
    };
    if (this.#pending === undefined) {
      done();
      this.#closing = Promise.resolve();
    } else {
      this.#closing = this.#pending.then(done, done);
    }
    return this.#closing;
  }

  /** Same as {@linkcode ZmqSocket.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * libc's BSD socket calls, for UDP sockets that Deno's own API cannot make: a forced
 * receive buffer (`SO_RCVBUFFORCE`), `SO_REUSEPORT`, batched `recvmmsg`, and connected
 * sends that report `ECONNREFUSED` as libnmsg's do. Linux layouts and constants only.
 *
 * @module
 */

import { copyFromNative, readCString } from "./libc_memory.ts";
import { openLibrary } from "./loader.ts";

/** The socket symbols, with C prototypes. */
export const LIBC_SOCKET_SYMBOLS = {
  // int socket(int domain, int type, int protocol);
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  // int setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen);
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  // int getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen);
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  // int bind(int fd, const struct sockaddr *addr, socklen_t addrlen);
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  // int connect(int fd, const struct sockaddr *addr, socklen_t addrlen);
  connect: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  // int getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen);
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  // int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned vlen, int flags,
  //              struct timespec *timeout);   (timeout always NULL here)
  recvmmsg: { parameters: ["i32", "buffer", "u32", "i32", "usize"], result: "i32" },
  // ssize_t send(int fd, const void *buf, size_t len, int flags);
  send: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  // int close(int fd);
  close: { parameters: ["i32"], result: "i32" },
  // int eventfd(unsigned int initval, int flags);   (wakes a poll from another thread)
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  // ssize_t write(int fd, const void *buf, size_t count);
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  // int *__errno_location(void);   (glibc and musl: the calling thread's errno)
  __errno_location: { parameters: [], result: "u64" },
  // char *strerror(int errnum);
  strerror: { parameters: ["i32"], result: "u64" },
  // void *memset(void *s, int c, size_t n);   (with n = 0: the address of a JS buffer)
  memset: { parameters: ["buffer", "i32", "usize"], result: "u64" },
} as const;

/** Linux values of the constants the UDP code uses. */
export const SOCK = {
  AF_INET: 2,
  AF_INET6: 10,
  SOCK_DGRAM: 2,
  SOCK_NONBLOCK: 0o4000,
  SOCK_CLOEXEC: 0o2000000,
  SOL_SOCKET: 1,
  SO_REUSEADDR: 2,
  SO_BROADCAST: 6,
  SO_SNDBUF: 7,
  SO_RCVBUF: 8,
  SO_REUSEPORT: 15,
  SO_RCVBUFFORCE: 33,
  MSG_TRUNC: 0x20,
  MSG_DONTWAIT: 0x40,
  EINTR: 4,
  EAGAIN: 11,
  ENOBUFS: 105,
  EFD_NONBLOCK: 0o4000,
  EFD_CLOEXEC: 0o2000000,
} as const;

/** The bound symbols. */
export type LibcSocketSymbols = Deno.DynamicLibrary<typeof LIBC_SOCKET_SYMBOLS>["symbols"];

let symbols: LibcSocketSymbols | undefined;
let errnoAddress: bigint | undefined;
const errnoBox = new Int32Array(1);
const errnoBytes = new Uint8Array(errnoBox.buffer);

/**
 * The socket symbols, opened on first use. Only Linux is supported: the constants and
 * struct layouts here are Linux's.
 *
 * @returns The symbols.
 * @throws {LibraryNotFoundError} If libc cannot be opened.
 * @throws {Error} On other operating systems.
 */
export function libcSocket(): LibcSocketSymbols {
  if (symbols === undefined) {
    if (Deno.build.os !== "linux") {
      throw new Error(`UDP sockets need Linux; this is ${Deno.build.os}`);
    }
    symbols = openLibrary("libc", LIBC_SOCKET_SYMBOLS).lib.symbols;
  }
  return symbols;
}

/**
 * The calling thread's `errno`. Read it right after the failing call: any later call
 * into libc may change it.
 *
 * @returns The error number.
 */
export function lastErrno(): number {
  const s = libcSocket();
  errnoAddress ??= s.__errno_location();
  copyFromNative(errnoBytes, errnoAddress);
  return errnoBox[0]!;
}

/**
 * libc's text for an error number, e.g. `Cannot assign requested address`.
 *
 * @param errno The error number.
 * @returns The message.
 */
export function errnoText(errno: number): string {
  return readCString(libcSocket().strerror(errno));
}

/**
 * The native address of a buffer's first byte, for the pointers inside `struct msghdr`
 * and `struct iovec` (scoped `--allow-ffi` forbids `Deno.UnsafePointer.of`). It stays valid
 * while the buffer is alive, for buffers over a plain `ArrayBuffer` (those never move).
 *
 * @param buf The buffer.
 * @returns Its address.
 */
export function addressOf(buf: Uint8Array): number {
  return Number(libcSocket().memset(buf, 0, 0n));
}

/**
 * A socket call failed; `message` reads like C's `perror`: `bind: <strerror>`.
 *
 * @example Binding an address this host does not have
 * ```ts
 * import { SocketError, UdpInput } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * // 192.0.2.1 is reserved for documentation (RFC 5737): never a local address.
 * const addr = { family: 4 as const, address: new Uint8Array([192, 0, 2, 1]), port: 8430 };
 * assert.throws(
 *   () => UdpInput.bind(addr),
 *   (e) => e instanceof SocketError && e.message === "bind: Cannot assign requested address",
 * );
 * ```
 */
export class SocketError extends Error {
  /** Always `"SocketError"`. */
  override name = "SocketError";
  /** The failing call, e.g. `bind`. */
  readonly call: string;
  /** The `errno` it left. */
  readonly errno: number;

  /**
   * Creates the error, looking up the text for `errno`.
   *
   * @param call The failing call.
   * @param errno Its `errno`.
   */
  constructor(call: string, errno: number) {
    super(`${call}: ${errnoText(errno)}`);
    this.call = call;
    this.errno = errno;
  }
}

/**
 * Throws a {@linkcode SocketError} for `call` if `result` is negative.
 *
 * @param call The call's name.
 * @param result What it returned.
 * @returns `result`, when not an error.
 */
export function check(call: string, result: number): number {
  if (result < 0) throw new SocketError(call, lastErrno());
  return result;
}

/**
 * UDP sockets on libc: a receiver that drains datagrams in batches with `recvmmsg` into
 * buffers it reuses, and a connected sender. Both work under the scoped `--allow-ffi`
 * grant the CLIs have (no `Deno.UnsafePointer`), and both check Deno's `--allow-net`
 * before touching the network, as Deno's own sockets would.
 *
 * @module
 */

import { libcPoll } from "../ffi/libc_poll.ts";
import { addressOf, check, lastErrno, libcSocket, SOCK, SocketError } from "../ffi/libc_socket.ts";
import {
  decodeSockaddr,
  encodeSockaddr,
  formatIpAddress,
  SOCKADDR_MAX,
  type SocketAddress,
} from "./udp_address.ts";

/** The largest UDP payload (IPv6 without jumbograms); a slot holds any datagram. */
const SLOT_SIZE = 65536;
/** `struct mmsghdr` on 64-bit Linux: a 56-byte `msghdr` and the received length. */
const MMSGHDR_SIZE = 64;
/** `struct iovec`: base pointer and length. */
const IOVEC_SIZE = 16;
/** Room for a `sockaddr_in6` per message. */
const NAME_SIZE = 32;
const POLLIN = 0x001;
const POLLOUT = 0x004;

/**
 * The receive buffer a receiver asks for: 64 MiB, four times nmsgtool's 16 MiB. Decoding
 * costs this input more CPU per payload than libnmsg, so it absorbs a sender's burst in
 * the kernel instead; the memory is only taken while datagrams wait.
 */
export const DEFAULT_RECEIVE_BUFFER: number = 64 * 1024 * 1024;

/** Throws Deno's `NotCapable` error unless `--allow-net` covers `addr`. */
function requireNet(addr: SocketAddress): void {
  const ip = formatIpAddress(addr.address);
  const host = `${addr.family === 6 ? `[${ip}]` : ip}:${addr.port}`;
  if (Deno.permissions.querySync({ name: "net", host }).state !== "granted") {
    throw new Deno.errors.NotCapable(
      `Requires net access to "${host}", run again with the --allow-net flag`,
    );
  }
}

function setIntOption(fd: number, option: number, value: number): number {
  return libcSocket().setsockopt(
    fd,
    SOCK.SOL_SOCKET,
    option,
    new Uint8Array(new Int32Array([value]).buffer),
    4,
  );
}

function getIntOption(fd: number, option: number): number {
  const value = new Int32Array(1);
  const len = new Uint32Array([4]);
  const s = libcSocket();
  check(
    "getsockopt",
    s.getsockopt(
      fd,
      SOCK.SOL_SOCKET,
      option,
      new Uint8Array(value.buffer),
      new Uint8Array(len.buffer),
    ),
  );
  return value[0]!;
}

function openSocket(addr: SocketAddress): number {
  requireNet(addr);
  const domain = addr.family === 6 ? SOCK.AF_INET6 : SOCK.AF_INET;
  return check(
    "socket",
    libcSocket().socket(domain, SOCK.SOCK_DGRAM | SOCK.SOCK_NONBLOCK | SOCK.SOCK_CLOEXEC, 0),
  );
}

/** Options for {@linkcode DatagramReceiver.bind}. */
export interface ReceiverOptions {
  /**
   * Receive buffer to ask for, bytes (`SO_RCVBUFFORCE`, else `SO_RCVBUF`). Default
   * {@linkcode DEFAULT_RECEIVE_BUFFER}.
   */
  receiveBuffer?: number;
  /** Datagrams taken per `recvmmsg` call. Default 32. */
  batch?: number;
}

/**
 * A bound UDP socket read in batches: {@linkcode DatagramReceiver.receive} takes what is
 * queued without waiting; {@linkcode DatagramReceiver.wait} waits for more off the event
 * loop's thread. The datagrams and sender addresses of a batch are views into buffers that
 * the next `receive` overwrites.
 */
export class DatagramReceiver {
  /** The address bound (with the port the kernel chose, if 0 was asked for). */
  readonly localAddress: SocketAddress;
  /** The receive buffer the kernel granted, bytes. */
  readonly receiveBufferSize: number;
  /** Why `SO_RCVBUFFORCE` failed (the C tool reports it at `-dd`), if it did. */
  readonly forceFailure: string | undefined;
  readonly #fd: number;
  readonly #batch: number;
  readonly #data: Uint8Array;
  readonly #names: Uint8Array;
  readonly #hdrs: DataView;
  readonly #hdrBytes: Uint8Array;
  // Pinned for as long as the headers point into it.
  readonly #iov: Uint8Array;
  readonly #pollfds = new Uint8Array(16);
  readonly #pollView = new DataView(this.#pollfds.buffer);
  readonly #wake: number;
  #closed = false;
  #polling = false;

  private constructor(fd: number, wake: number, addr: SocketAddress, options: ReceiverOptions) {
    this.#fd = fd;
    this.#wake = wake;
    this.#batch = Math.max(1, Math.trunc(options.batch ?? 32));
    const want = options.receiveBuffer ?? DEFAULT_RECEIVE_BUFFER;
    let forceFailure: string | undefined;
    if (setIntOption(fd, SOCK.SO_RCVBUFFORCE, want) < 0) {
      forceFailure = new SocketError("setsockopt(SO_RCVBUFFORCE)", lastErrno()).message;
      setIntOption(fd, SOCK.SO_RCVBUF, want);
    }
    this.forceFailure = forceFailure;
    this.receiveBufferSize = getIntOption(fd, SOCK.SO_RCVBUF);
    const n = this.#batch;
    // Plain ArrayBuffers never move, so the addresses written into the headers stay valid.
    this.#data = new Uint8Array(new ArrayBuffer(n * SLOT_SIZE));
    this.#names = new Uint8Array(new ArrayBuffer(n * NAME_SIZE));
    this.#iov = new Uint8Array(new ArrayBuffer(n * IOVEC_SIZE));
    this.#hdrBytes = new Uint8Array(new ArrayBuffer(n * MMSGHDR_SIZE));
    this.#hdrs = new DataView(this.#hdrBytes.buffer);
    const iov = new DataView(this.#iov.buffer);
    const data = addressOf(this.#data);
    const names = addressOf(this.#names);
    const iovs = addressOf(this.#iov);
    for (let i = 0; i < n; i++) {
      iov.setBigUint64(i * IOVEC_SIZE, BigInt(data + i * SLOT_SIZE), true);
      iov.setBigUint64(i * IOVEC_SIZE + 8, BigInt(SLOT_SIZE), true);
      const h = i * MMSGHDR_SIZE;
      this.#hdrs.setBigUint64(h, BigInt(names + i * NAME_SIZE), true); // msg_name
      this.#hdrs.setBigUint64(h + 16, BigInt(iovs + i * IOVEC_SIZE), true); // msg_iov
      this.#hdrs.setBigUint64(h + 24, 1n, true); // msg_iovlen
    }
    this.#pollView.setInt32(0, fd, true);
    this.#pollView.setInt16(4, POLLIN, true);
    this.#pollView.setInt32(8, wake, true);
    this.#pollView.setInt16(12, POLLIN, true);
    const bound = new Uint8Array(SOCKADDR_MAX);
    const len = new Uint32Array([SOCKADDR_MAX]);
    check("getsockname", libcSocket().getsockname(fd, bound, new Uint8Array(len.buffer)));
    this.localAddress = decodeSockaddr(bound) ?? addr;
  }

  /**
   * Binds a receiving socket as nmsgtool's `-l` does: `SO_REUSEADDR`, `SO_REUSEPORT`, a
   * large receive buffer, then `bind`.
   *
   * @param addr Where to listen.
   * @param options Buffer sizes.
   * @returns The receiver.
   * @throws {SocketError} If a call fails (`bind: Address already in use`).
   * @throws {Deno.errors.NotCapable} Without `--allow-net` for `addr`.
   */
  static bind(addr: SocketAddress, options: ReceiverOptions = {}): DatagramReceiver {
    const fd = openSocket(addr);
    const s = libcSocket();
    try {
      setIntOption(fd, SOCK.SO_REUSEADDR, 1);
      setIntOption(fd, SOCK.SO_REUSEPORT, 1);
      const sa = encodeSockaddr(addr);
      check("bind", s.bind(fd, sa, sa.length));
      const wake = check("eventfd", s.eventfd(0, SOCK.EFD_NONBLOCK | SOCK.EFD_CLOEXEC));
      return new DatagramReceiver(fd, wake, addr, options);
    } catch (e) {
      s.close(fd);
      throw e;
    }
  }

  /** The most datagrams one `receive` returns. */
  get capacity(): number {
    return this.#batch;
  }

  /**
   * Takes the datagrams queued now, without waiting.
   *
   * @returns How many (0 if none are waiting or the receiver is closed).
   * @throws {SocketError} If `recvmmsg` fails for another reason than an empty queue.
   */
  receive(): number {
    if (this.#closed) return 0;
    const hdrs = this.#hdrs;
    for (let i = 0; i < this.#batch; i++) hdrs.setUint32(i * MMSGHDR_SIZE + 8, NAME_SIZE, true);
    const n = libcSocket().recvmmsg(this.#fd, this.#hdrBytes, this.#batch, SOCK.MSG_DONTWAIT, 0n);
    if (n >= 0) return n;
    const errno = lastErrno();
    if (errno === SOCK.EAGAIN || errno === SOCK.EINTR) return 0;
    throw new SocketError("recvmmsg", errno);
  }

  /**
   * The `i`th datagram of the last batch.
   *
   * @param i Its index, below what `receive` returned.
   * @returns Its bytes (a view into the receiver's buffer).
   */
  datagram(i: number): Uint8Array {
    const len = this.#hdrs.getUint32(i * MMSGHDR_SIZE + 56, true);
    const start = i * SLOT_SIZE;
    return this.#data.subarray(start, start + len);
  }

  /**
   * The sender of the `i`th datagram of the last batch, as `struct sockaddr` bytes.
   *
   * @param i Its index.
   * @returns A view of the address bytes.
   */
  senderBytes(i: number): Uint8Array {
    const len = Math.min(NAME_SIZE, this.#hdrs.getUint32(i * MMSGHDR_SIZE + 8, true));
    return this.#names.subarray(i * NAME_SIZE, i * NAME_SIZE + len);
  }

  /**
   * Waits until a datagram is queued, the receiver is closed, or `timeoutMs` passes. The
   * wait runs on another thread.
   *
   * @param timeoutMs The longest wait.
   * @returns True if datagrams are waiting.
   */
  async wait(timeoutMs: number): Promise<boolean> {
    if (this.#closed) return false;
    this.#polling = true;
    let n: number;
    try {
      n = await libcPoll().poll(this.#pollfds, 2n, timeoutMs);
    } finally {
      this.#polling = false;
    }
    if (this.#closed) {
      this.#release();
      return false;
    }
    return n > 0 && this.#pollView.getInt16(6, true) !== 0;
  }

  /** Closes the socket; a pending {@linkcode DatagramReceiver.wait} returns at once. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#polling) {
      // The poll holds the socket open; wake it, and it releases everything.
      libcSocket().write(this.#wake, new Uint8Array(new BigUint64Array([1n]).buffer), 8n);
    } else {
      this.#release();
    }
  }

  #release(): void {
    const s = libcSocket();
    s.close(this.#fd);
    s.close(this.#wake);
  }
}

/** Options for {@linkcode DatagramSender.connect}. */
export interface SenderOptions {
  /** Send buffer, bytes. Default 32 KiB (nmsgtool's). */
  sendBuffer?: number;
}

/**
 * A connected UDP socket, set up as nmsgtool's `-s` does: `SO_BROADCAST`, a 32 KiB send
 * buffer, `connect`. A connected socket learns of an unreachable port: the send after
 * the ICMP error fails with `ECONNREFUSED`, as in the C tool.
 */
export class DatagramSender {
  /** The destination. */
  readonly remoteAddress: SocketAddress;
  readonly #fd: number;
  readonly #pollfd = new Uint8Array(8);
  #closed = false;

  private constructor(fd: number, addr: SocketAddress) {
    this.#fd = fd;
    this.remoteAddress = addr;
    const v = new DataView(this.#pollfd.buffer);
    v.setInt32(0, fd, true);
    v.setInt16(4, POLLOUT, true);
  }

  /**
   * Opens and connects a sending socket.
   *
   * @param addr The destination (unicast or broadcast).
   * @param options The send buffer size.
   * @returns The sender.
   * @throws {SocketError} If a call fails.
   * @throws {Deno.errors.NotCapable} Without `--allow-net` for `addr`.
   */
  static connect(addr: SocketAddress, options: SenderOptions = {}): DatagramSender {
    const fd = openSocket(addr);
    const s = libcSocket();
    try {
      setIntOption(fd, SOCK.SO_BROADCAST, 1);
      setIntOption(fd, SOCK.SO_SNDBUF, options.sendBuffer ?? 32768);
      const sa = encodeSockaddr(addr);
      check("connect", s.connect(fd, sa, sa.length));
      return new DatagramSender(fd, addr);
    } catch (e) {
      s.close(fd);
      throw e;
    }
  }

  /**
   * Sends one datagram if the socket can take it now.
   *
   * @param data The datagram.
   * @returns True if sent; false if the send buffer is full (wait with
   *   {@linkcode DatagramSender.writable}, then try again).
   * @throws {SocketError} On any other failure, e.g. `ECONNREFUSED`.
   */
  trySend(data: Uint8Array): boolean {
    if (this.#closed) throw new SocketError("send", 9 /* EBADF */);
    const n = libcSocket().send(this.#fd, data, BigInt(data.length), 0);
    if (n >= 0) return true;
    const errno = lastErrno();
    if (errno === SOCK.EAGAIN || errno === SOCK.ENOBUFS || errno === SOCK.EINTR) return false;
    // libnmsg words it so at -d: `write_sock: write() failed: Connection refused`.
    throw new SocketError("write_sock: write() failed", errno);
  }

  /**
   * Waits (off the event loop's thread) until the socket can take a datagram.
   *
   * @param timeoutMs The longest wait.
   * @returns A promise that resolves when writable or after the timeout.
   */
  async writable(timeoutMs: number): Promise<void> {
    await libcPoll().poll(this.#pollfd, 1n, timeoutMs);
  }

  /** Closes the socket. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    libcSocket().close(this.#fd);
  }
}

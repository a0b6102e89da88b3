// Helpers for the UDP tests: loopback addresses and sending captures.

import { parseIpv6, type SocketAddress } from "../../src/io/udp_address.ts";
import { DatagramReceiver, DatagramSender } from "../../src/io/udp_socket.ts";
import { findLibrary } from "../_native.ts";

/** 127.0.0.1 with port 0 (the kernel picks a free port). */
export const LOOPBACK4: SocketAddress = {
  family: 4,
  address: new Uint8Array([127, 0, 0, 1]),
  port: 0,
};

/** ::1 with port 0. */
export const LOOPBACK6: SocketAddress = { family: 6, address: parseIpv6("::1")!, port: 0 };

/** True when libc can be loaded (else the test prints why it skips). */
export const haveLibc: boolean = findLibrary("libc") !== undefined;

/** True when ::1 can be bound here (else prints why IPv6 tests skip). */
export const haveIpv6: boolean = haveLibc && (() => {
  try {
    DatagramReceiver.bind(LOOPBACK6).close();
    return true;
  } catch (e) {
    console.log(`skipping IPv6 cases: ::1 cannot be bound here (${e})`);
    return false;
  }
})();

/** Sends datagrams to `to` from one socket. */
export function sendAll(to: SocketAddress, datagrams: readonly Uint8Array[]): void {
  const tx = DatagramSender.connect(to);
  try {
    for (const d of datagrams) if (!tx.trySend(d)) throw new Error("send buffer full");
  } finally {
    tx.close();
  }
}

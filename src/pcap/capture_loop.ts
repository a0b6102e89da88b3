/**
 * Reading a capture without blocking the event loop. Savefiles are read synchronously;
 * a live handle is switched to nonblocking mode, its selectable descriptor is polled on a
 * worker thread (libc `poll`, declared `nonblocking`), and whatever is waiting is then
 * drained synchronously. One threaded call per packet loses packets under load; this
 * loop kept up with 50,000 packets on loopback without a drop.
 *
 * @module
 */

import { NextResult, type PcapHandle } from "./pcap_handle.ts";

/** Why {@linkcode CaptureLoop.drain} returned. */
export type DrainResult =
  /** The callback asked to stop; more packets may be waiting. */
  | "more"
  /** Nothing is waiting right now (live captures only): `wait()`, then drain again. */
  | "idle"
  /** The savefile ended, or `stop()` was called. */
  | "end";

/** Options of {@linkcode CaptureLoop}. */
export interface CaptureLoopOptions {
  /** Longest single wait for a live capture, in milliseconds (default 250). */
  pollTimeoutMs?: number;
}

/**
 * Drives a {@linkcode PcapHandle}: `drain()` hands each waiting packet to a callback,
 * `wait()` waits for more on a live capture, `stop()` ends the loop with
 * `pcap_breakloop`. The same loop reads savefiles (which are never idle) and live
 * interfaces (`PcapHandle.openLive("eth0")`, which need capture privileges).
 *
 * @example
 * ```ts
 * import { CaptureLoop, PcapHandle } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const loop = new CaptureLoop(PcapHandle.openOffline("tests/testdata/dig_response.pcap"));
 * const frame = new Uint8Array(65536);
 * let bytes = 0;
 * const onPacket = (h: PcapHandle) => {
 *   h.copyPacket(frame);
 *   bytes += h.caplen;
 *   return true;
 * };
 * for (let r = loop.drain(onPacket); r !== "end"; r = loop.drain(onPacket)) {
 *   if (r === "idle") await loop.wait();
 * }
 * await loop.close();
 * assert.equal(bytes, 1212 - 24 - 12 * 16); // the file less its headers
 * ```
 */
export class CaptureLoop {
  /** The handle read from. */
  readonly handle: PcapHandle;
  readonly #pollTimeoutMs: number;
  #stopped = false;
  #waiting: Promise<unknown> | undefined;
  #wake: (() => void) | undefined;

  /**
   * Prepares to read a handle.
   *
   * @param handle An open handle; a live one is switched to nonblocking mode.
   * @param options The poll timeout.
   */
  constructor(handle: PcapHandle, options: CaptureLoopOptions = {}) {
    this.handle = handle;
    this.#pollTimeoutMs = options.pollTimeoutMs ?? 250;
    if (handle.live) handle.setNonblocking(true);
  }

  /** True once stopped. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Reads packets synchronously, calling `onPacket` for each while the handle describes
   * it (copy its bytes there).
   *
   * @param onPacket Receives the handle; returns false to stop after this packet.
   * @returns Why it returned.
   * @throws {PcapError} If libpcap reports a read error.
   */
  drain(onPacket: (handle: PcapHandle) => boolean): DrainResult {
    const h = this.handle;
    while (!this.#stopped) {
      const r = h.next();
      if (r === NextResult.Packet) {
        if (!onPacket(h)) return "more";
      } else if (r === NextResult.None) {
        return "idle";
      } else {
        return "end";
      }
    }
    return "end";
  }

  /**
   * Waits until a live capture may have packets (its descriptor is readable), the poll
   * timeout passes, or `stop()` is called. Resolves at once for savefiles.
   */
  async wait(): Promise<void> {
    if (this.#stopped || !this.handle.live) return;
    const poll = this.handle.waitForPackets(this.#pollTimeoutMs);
    this.#waiting = poll;
    const woken = new Promise<void>((resolve) => this.#wake = resolve);
    try {
      await Promise.race([poll, woken]);
    } finally {
      this.#wake = undefined;
    }
  }

  /**
   * Stops the loop: `pcap_breakloop`, so a drain in progress ends, and a pending wait
   * resolves at once.
   */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.handle.breakLoop();
    this.#wake?.();
  }

  /**
   * Stops the loop and closes the handle once no poll is using its descriptor.
   */
  async close(): Promise<void> {
    this.stop();
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting !== undefined) await waiting.catch(() => {});
    this.handle.close();
  }
}

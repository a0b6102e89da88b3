/**
 * A compiled BPF filter (`struct bpf_program`), owned by JS memory and freed with
 * `pcap_freecode`.
 *
 * @module
 */

import { copyFromNative } from "../ffi/libc_memory.ts";
import { pcap } from "./_library.ts";

/**
 * A compiled BPF program, from {@linkcode PcapHandle.compile}. It can be installed on a
 * handle (`setFilter`) or run on packets held in JS memory (`matches`).
 *
 * @example Filtering raw IP datagrams
 * ```ts
 * import { PcapHandle } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * using rawIp = PcapHandle.openDead(12, 1500);
 * using dns = rawIp.compile("udp port 53");
 * const packet = new Uint8Array(28); // an IPv4 header, then a UDP header
 * packet.set([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17]);
 * packet.set([0x9c, 0x40, 0, 53, 0, 8], 20);
 * assert.ok(dns.matches(packet));
 * packet[23] = 54;
 * assert.ok(!dns.matches(packet));
 * ```
 */
export class BpfProgram implements Disposable {
  /** The filter expression it was compiled from. */
  readonly expression: string;
  // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; } (16 bytes on LP64/LLP64)
  readonly #struct: Uint8Array;
  readonly #insns: bigint;
  #freed = false;

  /**
   * Wraps a `struct bpf_program` that `pcap_compile` filled in.
   *
   * @param expression The filter expression.
   * @param struct The 16-byte structure.
   */
  constructor(expression: string, struct: Uint8Array) {
    this.expression = expression;
    this.#struct = struct;
    this.#insns = new DataView(struct.buffer, struct.byteOffset, 16).getBigUint64(8, true);
  }

  /** The `struct bpf_program` bytes, to pass to libpcap. */
  get struct(): Uint8Array {
    if (this.#freed) throw new TypeError("Cannot use a freed BPF program");
    return this.#struct;
  }

  /**
   * Runs the program on a packet (`bpf_filter`), as libpcap does on captured frames.
   *
   * @param packet The packet bytes, starting at the link type the program was compiled for.
   * @param length How many bytes of `packet` to use (default: all).
   * @returns True if the program accepts the packet.
   */
  matches(packet: Uint8Array, length: number = packet.length): boolean {
    if (this.#freed) throw new TypeError("Cannot use a freed BPF program");
    const data = length === packet.length ? packet : packet.subarray(0, length);
    return pcap().bpf_filter(this.#insns, data, length, length) !== 0;
  }

  /**
   * A copy of the compiled instructions (`bf_len` 8-byte `struct bpf_insn`), as
   * `pcap_setfilter` keeps one: it stays valid after the program is freed.
   *
   * @returns The instructions' bytes.
   */
  instructions(): Uint8Array {
    const s = this.struct;
    const count = (s[0]! | (s[1]! << 8) | (s[2]! << 16) | (s[3]! << 24)) >>> 0;
    const insns = new Uint8Array(count * 8);
    copyFromNative(insns, this.#insns);
    return insns;
  }

  /** Frees the compiled code. Idempotent. */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    pcap().pcap_freecode(this.#struct);
  }

  /** Frees the compiled code. */
  [Symbol.dispose](): void {
    this.free();
  }
}

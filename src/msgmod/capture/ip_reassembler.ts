/**
 * IPv4 and IPv6 fragment reassembly with libnmsg's rules (`ipreasm.c`): fragments are
 * grouped by (source, destination, id[, protocol]), a datagram is complete when no holes
 * remain, and any overlap, misaligned non-final fragment, fragment past the known end or
 * second final fragment makes the whole datagram invalid until it times out.
 *
 * @module
 */

/** One fragment of a datagram. */
export interface IpFragment {
  /** The fragment's IP packet, exactly its IP length (no link-layer padding). */
  readonly packet: Uint8Array;
  /** Where its payload goes in the reassembled payload. */
  readonly offset: number;
  /** Payload length. */
  readonly length: number;
  /** Offset of the payload in `packet` (after the IP header and, for IPv6, the Fragment header). */
  readonly dataOffset: number;
  /** Capture time, seconds. */
  readonly tsSec: number;
  /** Capture time, nanoseconds. */
  readonly tsNsec: number;
}

interface StoredFragment extends IpFragment {
  /** IPv6: offset of the Next Header byte that names the Fragment header. */
  readonly lastNext: number;
  /** IPv6: the Fragment header's Next Header. */
  readonly fragNext: number;
}

interface Entry {
  key: string;
  v6: boolean;
  /** Payload length once the final fragment is known, else 0. */
  len: number;
  holes: number;
  timeoutSec: number;
  valid: boolean;
  /** Fragments with a payload, in offset order. */
  frags: StoredFragment[];
  /** Bytes of the fragments' packet copies. */
  bytes: number;
}

/** Largest reassembled datagram (libnmsg `NMSG_IPSZ_MAX`). */
const MAX_DATAGRAM = 65536;

/** A datagram whose fragments have all arrived. */
export class ReassembledDatagram {
  /** The fragments in offset order (not arrival order). */
  readonly fragments: readonly IpFragment[];
  readonly #entry: Entry;

  /** @ignore */
  constructor(entry: Entry) {
    this.#entry = entry;
    this.fragments = entry.frags;
  }

  /** IP version of the datagram. */
  get version(): 4 | 6 {
    return this.#entry.v6 ? 6 : 4;
  }

  /**
   * Builds the whole datagram: the first fragment's header (for IPv6 without the Fragment
   * header), then every payload at its offset; IPv4 total length, offset and header
   * checksum, or the IPv6 payload length, are rewritten.
   *
   * @returns The datagram, or undefined if it would exceed 65536 bytes.
   */
  assemble(): Uint8Array | undefined {
    const e = this.#entry;
    const first = e.frags[0]!;
    const head = e.v6 ? first.dataOffset - 8 : first.dataOffset;
    const total = head + e.len;
    if (total > MAX_DATAGRAM) return undefined;
    const out = new Uint8Array(total);
    out.set(first.packet.subarray(0, head));
    if (e.v6) out[first.lastNext] = first.fragNext;
    for (const f of e.frags) {
      out.set(f.packet.subarray(f.dataOffset, f.dataOffset + f.length), head + f.offset);
    }
    if (e.v6) {
      const plen = total - 40;
      out[4] = plen >> 8;
      out[5] = plen & 0xff;
    } else {
      out[2] = total >> 8;
      out[3] = total & 0xff;
      out[6] =
        out[7] =
        out[10] =
        out[11] =
          0;
      const hl = (out[0]! & 0x0f) * 4;
      let sum = 0;
      for (let i = 0; i < hl; i += 2) sum += (out[i]! << 8) | out[i + 1]!;
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      sum = ~sum & 0xffff;
      out[10] = sum >> 8;
      out[11] = sum & 0xff;
    }
    return out;
  }
}

/** Default cap on datagrams waiting for fragments. */
const DEFAULT_MAX_PENDING = 4096;
/** Default cap on the bytes of the fragments they hold. */
const DEFAULT_MAX_BYTES = 64 << 20;

/**
 * Reassembles IP fragments. Feed it every datagram in capture order with
 * {@linkcode IpReassembler.add}; pending datagrams older than the timeout are dropped
 * when a later packet arrives.
 *
 * @example
 * ```ts
 * import { IpReassembler } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const r = new IpReassembler(60);
 * const notFragment = new Uint8Array(28);
 * notFragment[0] = 0x45;
 * notFragment[3] = 28;
 * assert.equal(r.add(notFragment, 0, 28, 0, 0), undefined);
 * ```
 */
export class IpReassembler {
  /** Seconds a datagram may wait for its fragments (libnmsg: 60 for ncap, 0 for dnsqr). */
  readonly timeoutSec: number;
  /** Cap on datagrams waiting at once; the oldest is dropped beyond it. */
  readonly maxPending: number;
  /**
   * Cap on the bytes of the fragments held (their packets are copied); the oldest
   * datagrams are dropped beyond it.
   */
  readonly maxBytes: number;
  // Insertion order is creation order, so the first entry times out first.
  readonly #pending = new Map<string, Entry>();
  #bytes = 0;

  /**
   * Creates an empty reassembler.
   *
   * @param timeoutSec Seconds a datagram may wait (compared in whole seconds: an entry
   *   created at second S is dropped by the first packet after second S + timeoutSec).
   * @param maxPending Cap on datagrams waiting at once.
   * @param maxBytes Cap on the bytes of the fragments they hold (default 64 MiB).
   */
  constructor(
    timeoutSec: number,
    maxPending: number = DEFAULT_MAX_PENDING,
    maxBytes: number = DEFAULT_MAX_BYTES,
  ) {
    this.timeoutSec = timeoutSec;
    this.maxPending = maxPending;
    this.maxBytes = maxBytes;
  }

  /** Datagrams waiting for fragments. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Bytes of the fragments held. */
  get bytes(): number {
    return this.#bytes;
  }

  #drop(e: Entry): void {
    this.#pending.delete(e.key);
    this.#bytes -= e.bytes;
  }

  /** Makes a datagram invalid until it times out, releasing its fragments. */
  #invalidate(e: Entry): void {
    e.valid = false;
    e.frags = [];
    this.#bytes -= e.bytes;
    e.bytes = 0;
  }

  /**
   * Adds an IP packet.
   *
   * @param buf The buffer.
   * @param start Offset of the IP header.
   * @param length Bytes captured from `start`.
   * @param tsSec Capture time, seconds.
   * @param tsNsec Capture time, nanoseconds.
   * @returns `undefined` if the packet is not a fragment, `null` if it was a fragment and
   *   its datagram is not complete (or is invalid), or the completed datagram.
   */
  add(
    buf: Uint8Array,
    start: number,
    length: number,
    tsSec: number,
    tsNsec: number,
  ): ReassembledDatagram | null | undefined {
    for (const e of this.#pending.values()) {
      if (e.timeoutSec >= tsSec) break;
      this.#drop(e);
    }
    if (length < 1) return undefined;
    const version = buf[start]! >> 4;
    let frag: StoredFragment;
    let key: string;
    let last: boolean;
    if (version === 4) {
      if (length < 20) return undefined;
      const off = (buf[start + 6]! << 8) | buf[start + 7]!;
      const total = (buf[start + 2]! << 8) | buf[start + 3]!;
      if ((off & 0x3fff) === 0 || length < total) return undefined;
      const hl = (buf[start]! & 0x0f) * 4;
      if (hl < 20 || total < hl) return undefined;
      frag = {
        packet: buf.slice(start, start + total),
        offset: (off & 0x1fff) * 8,
        length: total - hl,
        dataOffset: hl,
        tsSec,
        tsNsec,
        lastNext: 0,
        fragNext: 0,
      };
      last = (off & 0x2000) === 0;
      key = `4:${bytesKey(buf, start + 12, 8)}${bytesKey(buf, start + 4, 2)}${
        bytesKey(buf, start + 9, 1)
      }`;
    } else if (version === 6) {
      if (length < 40) return undefined;
      const total = 40 + ((buf[start + 4]! << 8) | buf[start + 5]!);
      if (length < total) return undefined;
      let next = buf[start + 6]!;
      let off = 40;
      let lastNext = 6;
      // Hop-by-hop, routing and destination options may precede the Fragment header.
      while (next === 0 || next === 43 || next === 60) {
        if (off + 2 > total) return undefined;
        const ext = 8 + 8 * buf[start + off + 1]!;
        if (off + ext > total) return undefined;
        next = buf[start + off]!;
        lastNext = off;
        off += ext;
      }
      if (next !== 44 || off + 8 > total) return undefined;
      const fragNext = buf[start + off]!;
      const offlg = (buf[start + off + 2]! << 8) | buf[start + off + 3]!;
      last = (offlg & 1) === 0;
      const ident = bytesKey(buf, start + off + 4, 4);
      off += 8;
      frag = {
        packet: buf.slice(start, start + total),
        offset: offlg & 0xfff8,
        length: total - off,
        dataOffset: off,
        tsSec,
        tsNsec,
        lastNext,
        fragNext,
      };
      key = `6:${bytesKey(buf, start + 8, 32)}${ident}`;
    } else {
      return undefined;
    }

    let entry = this.#pending.get(key);
    if (entry === undefined) {
      if (this.#pending.size >= this.maxPending) this.#drop(this.#pending.values().next().value!);
      entry = {
        key,
        v6: version === 6,
        len: 0,
        holes: 1,
        timeoutSec: tsSec + this.timeoutSec,
        valid: true,
        frags: [],
        bytes: 0,
      };
      this.#pending.set(key, entry);
    }
    if (!entry.valid) return null;
    if (!addFragment(entry, frag, last)) {
      this.#invalidate(entry);
      return null;
    }
    if (frag.length !== 0) {
      entry.bytes += frag.packet.length;
      this.#bytes += frag.packet.length;
    }
    if (entry.holes !== 0) {
      // Beyond the byte budget the oldest datagrams go, this one too if need be.
      while (this.#bytes > this.maxBytes) this.#drop(this.#pending.values().next().value!);
      return null;
    }
    this.#drop(entry);
    return new ReassembledDatagram(entry);
  }
}

/** Inserts a fragment, keeping the hole count (libnmsg `reasm_add_fragment`). */
function addFragment(e: Entry, frag: StoredFragment, last: boolean): boolean {
  if (!last && (frag.length & 7) !== 0) return false;
  if (e.len !== 0 && frag.length + frag.offset > e.len) return false;
  let fitLeft = false;
  let fitRight = false;
  if (last) {
    if (e.len !== 0) return false;
    e.len = frag.offset + frag.length;
    fitRight = true;
  }
  const frags = e.frags;
  // Insert after the last fragment whose offset is <= ours; before the first, the list
  // head stands for an empty fragment at offset 0.
  let i = 0;
  while (i < frags.length && frags[i]!.offset <= frag.offset) i++;
  const prev = i > 0 ? frags[i - 1]! : undefined;
  const prevEnd = prev === undefined ? 0 : prev.offset + prev.length;
  if (prevEnd > frag.offset) return false;
  if (prevEnd === frag.offset) fitLeft = true;
  const next = frags[i];
  if (next !== undefined) {
    if (last) return false;
    if (frag.offset + frag.length > next.offset) return false;
    if (frag.offset + frag.length === next.offset) fitRight = true;
  }
  if (frag.length !== 0) {
    frags.splice(i, 0, frag);
    if (fitLeft && fitRight) e.holes--;
    else if (!fitLeft && !fitRight) e.holes++;
  } else if (last && fitLeft) {
    e.holes--;
  }
  return true;
}

function bytesKey(buf: Uint8Array, start: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(buf[start + i]!);
  return s;
}

// Seeded mutations of real inputs for the hostile-input tests: the damage a disk, a network
// or an attacker does to NMSG units, pcap records, DNS messages and text lines.

/** xorshift32 with a fixed seed: the same cases on every run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A random integer in [0, n). */
export function below(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/** A random element. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[below(random, items.length)]!;
}

/** The concatenation of byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const SPECIAL = [0x00, 0xff, 0x7f, 0x80];
const BIG32 = [0xffffffff, 0x7fffffff, 0x04000001, 0x00100001, 0];
// Varints with hostile values: 2^32 - 1, a non-minimal 1, 0x7f, 0, 1, and 10 bytes.
const VARINTS = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0x81, 0x80, 0x80, 0x80, 0x00],
  [0x7f],
  [0x00],
  [0x01],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
];

/**
 * One random mutation of `data`: a bit flip, a byte set to 0x00/0xff/0x7f/0x80 or at
 * random, a truncation, an inserted run of 0x80 (a varint made long), a duplicated,
 * swapped or deleted region, or a 32-bit big value.
 */
export function mutateBytes(random: () => number, data: Uint8Array): Uint8Array {
  const out = data.slice();
  const at = below(random, Math.max(1, data.length));
  const view = new DataView(out.buffer);
  switch (below(random, 9)) {
    case 0:
      if (out.length > 0) out[at]! ^= 1 << below(random, 8);
      return out;
    case 1:
      if (out.length > 0) out[at] = pick(random, SPECIAL);
      return out;
    case 2:
      if (out.length > 0) out[at] = below(random, 256);
      return out;
    case 3:
      return out.subarray(0, at);
    case 4:
      return concat(
        out.subarray(0, at),
        new Uint8Array(1 + below(random, 11)).fill(0x80),
        out.subarray(at),
      );
    case 5: {
      const len = 1 + below(random, 48);
      return concat(out.subarray(0, at + len), out.subarray(at, at + len), out.subarray(at + len));
    }
    case 6: {
      const len = 1 + below(random, 32);
      const other = below(random, Math.max(1, data.length));
      const a = data.slice(at, at + len);
      const b = data.slice(other, other + len);
      out.set(b.subarray(0, Math.max(0, out.length - at)), at);
      out.set(a.subarray(0, Math.max(0, out.length - other)), other);
      return out;
    }
    case 7:
      return concat(out.subarray(0, at), out.subarray(at + 1 + below(random, 16)));
    default:
      if (at + 4 <= out.length) view.setUint32(at, pick(random, BIG32));
      return out;
  }
}

/** Byte offsets of the version-2 and version-1 units of an intact NMSG stream. */
export function unitOffsets(data: Uint8Array): number[] {
  const out: number[] = [];
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  for (let p = 0; p + 10 <= data.length;) {
    out.push(p);
    p += data[p + 5] === 1 ? 8 + view.getUint16(p + 6) : 10 + view.getUint32(p + 6);
  }
  return out;
}

/**
 * One mutation aimed at what a unit declares: its length, its zlib size, a fragment's id,
 * index, count, length or CRC, or its first payload's length.
 */
export function mutateUnit(random: () => number, data: Uint8Array, unit: number): Uint8Array {
  if (unit + 14 > data.length) return mutateBytes(random, data);
  const out = data.slice();
  const view = new DataView(out.buffer);
  const flags = out[unit + 4]!;
  const body = unit + 10;
  if (random() < 0.3) {
    const now = view.getUint32(unit + 6);
    view.setUint32(unit + 6, pick(random, [...BIG32, now + 1, now - 1]) >>> 0);
    return out;
  }
  if (flags & 2) {
    // NmsgFragment fields: id 0x08, current 0x10, last 0x18, fragment 0x22, crc 0x28.
    const tag = pick(random, [0x08, 0x10, 0x18, 0x22, 0x28]);
    let p = body;
    while (p < Math.min(out.length, body + 24) && out[p] !== tag) p++;
    if (p >= Math.min(out.length, body + 24)) return out;
    let q = p + 1;
    while (q < out.length && out[q]! & 0x80) q++;
    return concat(
      out.subarray(0, p + 1),
      new Uint8Array(pick(random, VARINTS)),
      out.subarray(q + 1),
    );
  }
  if (flags & 1) {
    const now = view.getUint32(body);
    view.setUint32(body, pick(random, [...BIG32, now + 1, now - 1, now * 2]) >>> 0);
    return out;
  }
  return concat(
    out.subarray(0, body + 1),
    new Uint8Array(pick(random, VARINTS)),
    out.subarray(body + 2),
  );
}

/** True for an error with a non-empty one-line message. */
export function isOneLine(e: unknown): boolean {
  return e instanceof Error && e.message.length > 0 && !e.message.includes("\n");
}

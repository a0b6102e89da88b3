// Crafting IP packets for the capture engine tests.

/** A DNS message: header and, optionally, one question. */
export function dnsMessage(opts: {
  id: number;
  qr?: boolean | undefined;
  rd?: boolean | undefined;
  rcode?: number;
  qname?: string | undefined;
  qtype?: number;
  qclass?: number;
  extra?: number;
}): Uint8Array {
  const flags = (opts.qr ? 0x8000 : 0) | (opts.rd ? 0x0100 : 0) | (opts.rcode ?? 0);
  const parts: number[] = [opts.id >> 8, opts.id & 0xff, flags >> 8, flags & 0xff];
  parts.push(0, opts.qname === undefined ? 0 : 1, 0, 0, 0, 0, 0, 0);
  if (opts.qname !== undefined) {
    for (const label of opts.qname.split(".").filter((l) => l !== "")) {
      parts.push(label.length, ...new TextEncoder().encode(label));
    }
    parts.push(0);
    const t = opts.qtype ?? 1;
    const c = opts.qclass ?? 1;
    parts.push(t >> 8, t & 0xff, c >> 8, c & 0xff);
  }
  for (let i = 0; i < (opts.extra ?? 0); i++) parts.push(i & 0xff);
  return new Uint8Array(parts);
}

/** Ones' complement sum of big-endian words (RFC 1071). */
function sum16(bytes: number[]): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i += 2) s += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

function be16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

/** A UDP header and payload, checksummed for the given pseudo-header addresses (RFC 768). */
function udp(src: number[], dst: number[], sport: number, dport: number, payload: Uint8Array) {
  const len = 8 + payload.length;
  const header = [...be16(sport), ...be16(dport), ...be16(len), 0, 0];
  const pseudo = [...src, ...dst, 0, 17, ...be16(len)];
  let ck = ~sum16([...pseudo, ...header, ...payload]) & 0xffff;
  if (ck === 0) ck = 0xffff;
  header[6] = ck >> 8;
  header[7] = ck & 0xff;
  return [...header, ...payload];
}

/** An IPv4 header (checksummed) around a transport payload. */
export function ipv4(opts: {
  src: number[];
  dst: number[];
  proto: number;
  payload: number[] | Uint8Array;
  id?: number;
  /** Fragment offset in 8-byte units. */
  fragOffset?: number;
  more?: boolean;
}): Uint8Array {
  const total = 20 + opts.payload.length;
  const off = (opts.more ? 0x2000 : 0) | (opts.fragOffset ?? 0);
  const h = [0x45, 0, ...be16(total), ...be16(opts.id ?? 1), ...be16(off), 64, opts.proto, 0, 0];
  h.push(...opts.src, ...opts.dst);
  const ck = ~sum16(h) & 0xffff;
  h[10] = ck >> 8;
  h[11] = ck & 0xff;
  return new Uint8Array([...h, ...opts.payload]);
}

/** An IPv4 UDP packet with a correct checksum. */
export function udp4(
  src: number[],
  dst: number[],
  sport: number,
  dport: number,
  payload: Uint8Array,
): Uint8Array {
  return ipv4({ src, dst, proto: 17, payload: udp(src, dst, sport, dport, payload) });
}

/** An IPv6 header around extension headers and a transport payload. */
export function ipv6(opts: {
  src: number[];
  dst: number[];
  next: number;
  payload: number[] | Uint8Array;
}): Uint8Array {
  const h = [0x60, 0, 0, 0, ...be16(opts.payload.length), opts.next, 64, ...opts.src, ...opts.dst];
  return new Uint8Array([...h, ...opts.payload]);
}

/** An IPv6 UDP packet with a correct checksum, after optional extension headers. */
export function udp6(
  src: number[],
  dst: number[],
  sport: number,
  dport: number,
  payload: Uint8Array,
  extensions: { type: number; length: number }[] = [],
): Uint8Array {
  const body: number[] = [];
  const types = extensions.map((e) => e.type);
  extensions.forEach((e, i) => {
    const next = i + 1 < types.length ? types[i + 1]! : 17;
    const size = (e.length + 1) * 8;
    body.push(next, e.length, ...new Array(size - 2).fill(1));
  });
  body.push(...udp(src, dst, sport, dport, payload));
  return ipv6({ src, dst, next: types[0] ?? 17, payload: body });
}

/** An Ethernet frame (optionally 802.1Q-tagged) around an IP packet. */
export function ethernet(ip: Uint8Array, opts: { vlan?: number; pad?: number } = {}): Uint8Array {
  const type = (ip[0]! >> 4) === 6 ? 0x86dd : 0x0800;
  const h = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  if (opts.vlan !== undefined) h.push(0x81, 0x00, ...be16(opts.vlan));
  h.push(...be16(type));
  return new Uint8Array([...h, ...ip, ...new Array(opts.pad ?? 0).fill(0)]);
}

/** Splits an IPv4 packet into fragments carrying `size` payload bytes each (a multiple of 8). */
export function fragment4(packet: Uint8Array, size: number): Uint8Array[] {
  const hl = (packet[0]! & 0x0f) * 4;
  const body = packet.subarray(hl);
  const src = [...packet.subarray(12, 16)];
  const dst = [...packet.subarray(16, 20)];
  const id = (packet[4]! << 8) | packet[5]!;
  const out: Uint8Array[] = [];
  for (let off = 0; off < body.length; off += size) {
    out.push(ipv4({
      src,
      dst,
      proto: packet[9]!,
      id,
      payload: body.subarray(off, off + size),
      fragOffset: off / 8,
      more: off + size < body.length,
    }));
  }
  return out;
}

/** Splits an IPv6 packet (no extension headers) into fragments of `size` payload bytes. */
export function fragment6(packet: Uint8Array, size: number, ident = 7): Uint8Array[] {
  const body = packet.subarray(40);
  const src = [...packet.subarray(8, 24)];
  const dst = [...packet.subarray(24, 40)];
  const out: Uint8Array[] = [];
  for (let off = 0; off < body.length; off += size) {
    const more = off + size < body.length ? 1 : 0;
    const offlg = off | more;
    const frag = [packet[6]!, 0, ...be16(offlg), 0, 0, ...be16(ident)];
    out.push(ipv6({ src, dst, next: 44, payload: [...frag, ...body.subarray(off, off + size)] }));
  }
  return out;
}

/** 192.0.2.1 (a resolver) and 198.51.100.53 (a server). */
export const CLIENT4 = [192, 0, 2, 1];
/** The server. */
export const SERVER4 = [198, 51, 100, 53];
/** 2001:db8::1. */
export const CLIENT6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
/** 2001:db8::53. */
export const SERVER6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53];

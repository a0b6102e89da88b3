// Hand-built DNS wire data for the unit tests (RFC 1035 layouts), independent of the code
// under test.

/** Concatenates byte pieces: numbers are single bytes, strings are ASCII, arrays are spliced. */
export function bytes(...parts: (number | string | Uint8Array | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else if (typeof p === "string") { for (const c of p) out.push(c.charCodeAt(0)); }
    else out.push(...p);
  }
  return new Uint8Array(out);
}

/** A 16-bit big-endian value. */
export function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

/** A 32-bit big-endian value. */
export function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/** An uncompressed wire name from dotted labels without escapes (`""` is the root). */
export function name(dotted: string): number[] {
  const out: number[] = [];
  for (const label of dotted.split(".").filter((l) => l !== "")) {
    out.push(label.length);
    for (const c of label) out.push(c.charCodeAt(0));
  }
  out.push(0);
  return out;
}

/** A character string: length octet + bytes. */
export function cstr(s: string | number[]): number[] {
  const b = typeof s === "string" ? [...s].map((c) => c.charCodeAt(0)) : s;
  return [b.length, ...b];
}

/** Bytes from a hex string (whitespace ignored). */
export function hex(s: string): number[] {
  const h = s.replace(/\s+/g, "");
  const out: number[] = [];
  for (let i = 0; i < h.length; i += 2) out.push(parseInt(h.slice(i, i + 2), 16));
  return out;
}

/** A DNS header (RFC 1035 4.1.1). */
export function header(
  id: number,
  flags: number,
  qd: number,
  an: number,
  ns: number,
  ar: number,
): number[] {
  return [...u16(id), ...u16(flags), ...u16(qd), ...u16(an), ...u16(ns), ...u16(ar)];
}

/** A question entry. */
export function question(owner: number[], type: number, cls: number): number[] {
  return [...owner, ...u16(type), ...u16(cls)];
}

/** A resource record with its rdata. */
export function rr(
  owner: number[],
  type: number,
  cls: number,
  ttl: number,
  rdata: number[],
): number[] {
  return [...owner, ...u16(type), ...u16(cls), ...u32(ttl), ...u16(rdata.length), ...rdata];
}

/** A spec example (message-modules.md §2.10): rdata text and its RFC wire form. */
export interface RdataExample {
  type: number;
  text: string;
  wire: Uint8Array;
}

/** RRSIG (RFC 4034 §3.1) covering A, signed by `example.`. */
export const RRSIG_EXAMPLE: RdataExample = {
  type: 46,
  text: "A 8 2 3600 1700000000 1690000000 4321 example. 3q2+7wE=",
  wire: bytes(
    u16(1),
    8,
    2,
    u32(3600),
    u32(1700000000),
    u32(1690000000),
    u16(4321),
    name("example"),
    hex("deadbeef01"),
  ),
};

/** SVCB (RFC 9460) with every SvcParam kind. */
export const SVCB_EXAMPLE: RdataExample = {
  type: 64,
  text: '1 svc.example. mandatory=alpn,port alpn="h2,h3" no-default-alpn port=8443 ' +
    'ipv4hint=192.0.2.1,192.0.2.2 ech=AQID ipv6hint=::1 key667="a\\"b"',
  wire: bytes(
    u16(1),
    name("svc.example"),
    [...u16(0), ...u16(4), ...u16(1), ...u16(3)],
    [...u16(1), ...u16(6), 2, 0x68, 0x32, 2, 0x68, 0x33],
    [...u16(2), ...u16(0)],
    [...u16(3), ...u16(2), ...u16(8443)],
    [...u16(4), ...u16(8), 192, 0, 2, 1, 192, 0, 2, 2],
    [...u16(5), ...u16(3), 1, 2, 3],
    [...u16(6), ...u16(16), ...hex("00000000000000000000000000000001")],
    [...u16(667), ...u16(3), 0x61, 0x22, 0x62],
  ),
};

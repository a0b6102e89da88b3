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

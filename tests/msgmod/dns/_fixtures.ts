// Golden-corpus access for the DNS text tests: payloads of the golden .nmsg inputs (via the
// wire decoder), a minimal protobuf field walk, and the expected outputs split per message.

import { inflateSync } from "node:zlib";
import {
  decodeContainer,
  NMSG_FLAG_FRAGMENT,
  NMSG_FLAG_ZLIB,
  parseHeader,
} from "../../../src/wire/mod.ts";
import type { Payload } from "../../../src/wire/mod.ts";

/** The golden corpus directory. */
export const GOLDEN = new URL("../../../../shared/golden/", import.meta.url).pathname;

/** Reads a golden file as text. */
export function goldenText(rel: string): string {
  return Deno.readTextFileSync(GOLDEN + rel);
}

/** Every payload of a golden .nmsg input (unfragmented units; zlib inflated). */
export function goldenPayloads(rel: string): Payload[] {
  const buf = Deno.readFileSync(GOLDEN + rel);
  const out: Payload[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const h = parseHeader(buf, pos, true);
    if (h === undefined) break;
    let data = buf.subarray(pos + h.headerSize, pos + h.headerSize + h.length);
    pos += h.headerSize + h.length;
    if (h.flags & NMSG_FLAG_FRAGMENT) continue;
    if (h.flags & NMSG_FLAG_ZLIB) data = new Uint8Array(inflateSync(data.subarray(4)));
    out.push(...decodeContainer(data).payloads);
  }
  return out;
}

/** Protobuf fields by number: varints as numbers, length-delimited as byte views. */
export type Fields = Map<number, (number | Uint8Array)[]>;

/** Walks one protobuf message (no nesting). */
export function pbFields(b: Uint8Array): Fields {
  const f: Fields = new Map();
  let p = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const c = b[p++]!;
      v += (c & 0x7f) * mul;
      if (c < 0x80) return v;
      mul *= 128;
    }
  };
  while (p < b.length) {
    const tag = varint();
    const n = Math.floor(tag / 8);
    let v: number | Uint8Array;
    switch (tag & 7) {
      case 0:
        v = varint();
        break;
      case 1:
        v = new DataView(b.buffer, b.byteOffset + p).getFloat64(0, true);
        p += 8;
        break;
      case 2: {
        const len = varint();
        v = b.subarray(p, p + len);
        p += len;
        break;
      }
      case 5:
        v = new DataView(b.buffer, b.byteOffset + p).getUint32(0, true);
        p += 4;
        break;
      default:
        throw new Error(`unexpected wire type in ${tag}`);
    }
    const list = f.get(n);
    if (list) list.push(v);
    else f.set(n, [v]);
  }
  return f;
}

/** The single bytes value of field `n`, if present. */
export function bytesField(f: Fields, n: number): Uint8Array | undefined {
  const v = f.get(n)?.[0];
  return v instanceof Uint8Array ? v : undefined;
}

/** The single varint value of field `n`, if present. */
export function numField(f: Fields, n: number): number | undefined {
  const v = f.get(n)?.[0];
  return typeof v === "number" ? v : undefined;
}

/** Every bytes value of repeated field `n`. */
export function bytesList(f: Fields, n: number): Uint8Array[] {
  return (f.get(n) ?? []).filter((v): v is Uint8Array => v instanceof Uint8Array);
}

/** The UDP payload of a raw IPv4/IPv6 packet (no extension headers). */
export function udpPayload(ip: Uint8Array): Uint8Array {
  const off = (ip[0]! >> 4) === 4 ? (ip[0]! & 15) * 4 : 40;
  const ulen = (ip[off + 4]! << 8) | ip[off + 5]!;
  return ip.subarray(off + 8, off + ulen);
}

/** Splits presentation output into per-message blocks (each starting with its header line). */
export function presBlocks(text: string): string[] {
  return text.split(/^(?=\[\d+\] \[\d{4}-)/m).filter((b) => b.length > 0);
}

/** JSON output lines. */
export function jsonLines(text: string): string[] {
  return text.split("\n").filter((l) => l.length > 0);
}

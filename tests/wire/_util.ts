// Helpers for the wire tests: reading golden files into units and containers.

import { type Container, nodeZlib, type Unit, UnitDecoder, UnitReader } from "../../mod.ts";
import { goldenBytes } from "../_golden.ts";

/** A ByteSource over a byte array that returns at most `step` bytes per read. */
export function bytesSource(
  data: Uint8Array,
  step = Infinity,
): { read(p: Uint8Array): Promise<number | null> } {
  let pos = 0;
  return {
    read(p: Uint8Array): Promise<number | null> {
      if (pos >= data.length) return Promise.resolve(null);
      const n = Math.min(p.length, data.length - pos, step);
      p.set(data.subarray(pos, pos + n));
      pos += n;
      return Promise.resolve(n);
    },
  };
}

/** Every unit of a byte array. */
export async function readUnits(
  data: Uint8Array,
  step = Infinity,
  chunkSize?: number,
): Promise<Unit[]> {
  const reader = new UnitReader(bytesSource(data, step), { name: "test", chunkSize });
  const units: Unit[] = [];
  for (let u = await reader.next(); u !== null; u = await reader.next()) units.push(u);
  return units;
}

/** Every container of a golden input file. */
export async function goldenContainers(path: string): Promise<Container[]> {
  const decoder = new UnitDecoder({ zlib: nodeZlib });
  const out: Container[] = [];
  for (const u of await readUnits(goldenBytes(path))) {
    const c = decoder.decode(u.flags, u.data);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** Parses a `.dgrams` capture: 4-byte BE length + datagram, repeated. */
export function readDgrams(path: string): Uint8Array[] {
  const data = goldenBytes(path);
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length;) {
    const len = new DataView(data.buffer, data.byteOffset + i, 4).getUint32(0);
    out.push(data.subarray(i + 4, i + 4 + len));
    i += 4 + len;
  }
  return out;
}

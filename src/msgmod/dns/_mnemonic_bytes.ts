// The type and class mnemonics as pre-encoded bytes, for the hot text writers.

import type { TextSink } from "./_sink.ts";
import { rrclassName, rrtypeName } from "./tables.ts";

const encoder = new TextEncoder();
const TYPE_BYTES: (Uint8Array | undefined)[] = [];
const CLASS_BYTES: (Uint8Array | undefined)[] = [];
for (let t = 0; t < 65536; t++) {
  const s = rrtypeName(t);
  if (s !== undefined) TYPE_BYTES[t] = encoder.encode(s);
  const c = rrclassName(t);
  if (c !== undefined) CLASS_BYTES[t] = encoder.encode(c);
}
const TYPE_PREFIX = encoder.encode("TYPE");
// " IN <type>" of the named types: class IN is by far the most common.
const IN_TYPE: (Uint8Array | undefined)[] = TYPE_BYTES.map((t) =>
  t && encoder.encode(" IN " + new TextDecoder().decode(t))
);
const CLASS_PREFIX = encoder.encode("CLASS");

/** Writes a type mnemonic, or `TYPE<n>`. */
export function writeTypeText(sink: TextSink, rrtype: number): void {
  const b = TYPE_BYTES[rrtype];
  if (b !== undefined) sink.lit(b);
  else {
    sink.lit(TYPE_PREFIX);
    sink.uint(rrtype);
  }
}

/** Writes a class mnemonic, or `CLASS<n>`. */
export function writeClassText(sink: TextSink, rrclass: number): void {
  const b = CLASS_BYTES[rrclass];
  if (b !== undefined) sink.lit(b);
  else {
    sink.lit(CLASS_PREFIX);
    sink.uint(rrclass);
  }
}

/** Writes ` <class> <type>`, the middle of an RR line. */
export function writeClassAndType(sink: TextSink, rrclass: number, rrtype: number): void {
  const both = rrclass === 1 ? IN_TYPE[rrtype] : undefined;
  if (both !== undefined) sink.lit(both);
  else {
    sink.byte(0x20);
    writeClassText(sink, rrclass);
    sink.byte(0x20);
    writeTypeText(sink, rrtype);
  }
}

// A module's field table entry bound to its schema field, with what the renderers
// precompute for it.

import type { PresWriter, TextWriter } from "./_fast.ts";
import type { CompiledField } from "./_pb_codec.ts";
import type { FieldDef } from "./types.ts";

/** A field table entry with its protobuf binding resolved. */
export interface BoundField {
  /** The entry. */
  readonly def: FieldDef;
  /** Position in the field table. */
  readonly index: number;
  /** The bound protobuf field, or undefined for a virtual field. */
  readonly pb: CompiledField | undefined;
  /** Names of the bound enum's values. */
  readonly enumNames: ReadonlyMap<number, string> | undefined;
  /** The same names as bytes. */
  readonly enumBytes: ReadonlyMap<number, Uint8Array> | undefined;
  /** `name` as bytes. */
  readonly name: Uint8Array;
  /** `name: ` as bytes (presentation). */
  readonly presKey: Uint8Array;
  /** `"name":` as bytes (JSON). */
  readonly jsonKey: Uint8Array;
  /** Byte-level `print`, if the entry has one. */
  readonly presTo: PresWriter | undefined;
  /** Byte-level `format`, if the entry has one. */
  readonly textTo: TextWriter | undefined;
  /** Byte-level JSON value writer, if the entry has one (preferred over `textTo`). */
  readonly jsonTo: TextWriter | undefined;
}

// A module's field table entry bound to its schema field, as the renderers use it.

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
}

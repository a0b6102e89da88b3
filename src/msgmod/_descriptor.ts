// Turning protoc-gen-es descriptors (gen/) into our own MessageSchema, so that public
// signatures never mention @bufbuild/protobuf types (deno doc --lint rejects them).

import { type DescEnum, type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import type { EnumSchema, MessageSchema, ProtoScalarType, SchemaField } from "./types.ts";

const SCALAR_NAMES: Record<ScalarType, ProtoScalarType> = {
  [ScalarType.DOUBLE]: "double",
  [ScalarType.FLOAT]: "float",
  [ScalarType.INT64]: "int64",
  [ScalarType.UINT64]: "uint64",
  [ScalarType.INT32]: "int32",
  [ScalarType.FIXED64]: "fixed64",
  [ScalarType.FIXED32]: "fixed32",
  [ScalarType.BOOL]: "bool",
  [ScalarType.STRING]: "string",
  [ScalarType.BYTES]: "bytes",
  [ScalarType.UINT32]: "uint32",
  [ScalarType.SFIXED32]: "sfixed32",
  [ScalarType.SFIXED64]: "sfixed64",
  [ScalarType.SINT32]: "sint32",
  [ScalarType.SINT64]: "sint64",
};

function enumSchema(e: DescEnum): EnumSchema {
  return {
    typeName: e.typeName,
    values: e.values.map((v) => ({ name: v.name, number: v.number })),
  };
}

function fieldSchema(f: DescField, seen: Map<DescMessage, MessageSchema>): SchemaField {
  const base = { name: f.name, number: f.number };
  if (f.fieldKind === "map") {
    throw new TypeError(`map field ${f.name} is not supported in NMSG message schemas`);
  }
  if (f.fieldKind === "list") {
    const label = "repeated" as const;
    const packed = f.packed;
    switch (f.listKind) {
      case "scalar":
        return { ...base, label, packed, type: SCALAR_NAMES[f.scalar] };
      case "enum":
        return { ...base, label, packed, type: "enum", enum: enumSchema(f.enum) };
      case "message":
        return { ...base, label, type: "message", message: convert(f.message, seen) };
    }
  }
  const label = f.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED ? "required" : "optional";
  switch (f.fieldKind) {
    case "scalar":
      return { ...base, label, type: SCALAR_NAMES[f.scalar] };
    case "enum":
      return { ...base, label, type: "enum", enum: enumSchema(f.enum) };
    case "message":
      return { ...base, label, type: "message", message: convert(f.message, seen) };
  }
}

function convert(desc: DescMessage, seen: Map<DescMessage, MessageSchema>): MessageSchema {
  const known = seen.get(desc);
  if (known) return known;
  const fields: SchemaField[] = [];
  const schema: MessageSchema = { typeName: desc.typeName, fields };
  seen.set(desc, schema);
  for (const f of desc.fields) fields.push(fieldSchema(f, seen));
  return schema;
}

/** The schema of a generated message descriptor (public descriptor API only). */
export function schemaFromDesc(desc: DescMessage): MessageSchema {
  return convert(desc, new Map());
}

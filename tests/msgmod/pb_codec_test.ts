// The table-driven protobuf codec: protobuf-c's decoding and encoding rules.

import assert from "node:assert/strict";
import { compileSchema, decodeFields, encodeFields } from "../../src/msgmod/_pb_codec.ts";
import { NmsgFormatError } from "../../src/wire/errors.ts";
import type { MessageSchema } from "../../src/msgmod/types.ts";

const schema: MessageSchema = {
  typeName: "test.T",
  fields: [
    { name: "name", number: 3, type: "bytes", label: "optional" },
    {
      name: "kind",
      number: 1,
      type: "enum",
      label: "required",
      enum: { typeName: "test.K", values: [{ name: "A", number: 5 }, { name: "B", number: 6 }] },
    },
    { name: "nums", number: 2, type: "uint32", label: "repeated" },
    { name: "signed", number: 4, type: "int32", label: "optional" },
    { name: "big", number: 5, type: "uint64", label: "optional" },
    { name: "when", number: 6, type: "int64", label: "optional" },
    { name: "ratio", number: 7, type: "double", label: "optional" },
    { name: "nsec", number: 8, type: "sfixed32", label: "repeated" },
    { name: "flag", number: 9, type: "bool", label: "optional" },
    { name: "packed", number: 10, type: "sint32", label: "repeated", packed: true },
    { name: "high", number: 300, type: "fixed32", label: "optional" },
  ],
};
const c = compileSchema(schema);
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");
const bytes = (s: string) => new Uint8Array(s.split(" ").map((x) => parseInt(x, 16)));

Deno.test("encodeFields() writes fields in ascending number order, repeated scalars unpacked", () => {
  const f = new Array(c.fields.length);
  f[c.byName.get("name")!] = new TextEncoder().encode("x");
  f[c.byName.get("kind")!] = 6;
  f[c.byName.get("nums")!] = [1, 300];
  f[c.byName.get("nsec")!] = [-1];
  f[c.byName.get("packed")!] = [-1, 1];
  f[c.byName.get("high")!] = 0xdeadbeef;
  assert.equal(
    hex(encodeFields(c, f)),
    "08 06 10 01 10 ac 02 1a 01 78 45 ff ff ff ff 52 02 01 02 e5 12 ef be ad de",
  );
});

Deno.test("encodeFields() writes an unset required field as zero and negative int32 in 10 bytes", () => {
  const f = new Array(c.fields.length);
  f[c.byName.get("signed")!] = -1;
  assert.equal(hex(encodeFields(c, f)), "08 00 20 ff ff ff ff ff ff ff ff ff 01");
});

Deno.test("decodeFields() reads every kind and keeps enum values the enum lacks", () => {
  const f = decodeFields(
    c,
    bytes(
      "08 07 10 01 10 02 20 ff ff ff ff ff ff ff ff ff 01 28 ff ff ff ff ff ff ff ff ff 01 " +
        "30 fe ff ff ff ff ff ff ff ff 01 39 00 00 00 00 00 00 f8 3f 48 02 52 02 01 02",
    ),
  );
  assert.equal(f[c.byName.get("kind")!], 7);
  assert.deepEqual(f[c.byName.get("nums")!], [1, 2]);
  assert.equal(f[c.byName.get("signed")!], -1);
  assert.equal(f[c.byName.get("big")!], 18446744073709551615n);
  assert.equal(f[c.byName.get("when")!], -2);
  assert.equal(f[c.byName.get("ratio")!], 1.5);
  assert.equal(f[c.byName.get("flag")!], true);
  assert.deepEqual(f[c.byName.get("packed")!], [-1, 1]);
  assert.deepEqual(f[c.byName.get("nsec")!], []);
  assert.equal(f[c.byName.get("name")!], undefined);
});

Deno.test("decodeFields() accepts packed encoding of unpacked fields and skips unknown fields", () => {
  const f = decodeFields(c, bytes("08 05 12 02 03 04 f8 07 09 1a 01 41"));
  assert.deepEqual(f[c.byName.get("nums")!], [3, 4]);
  assert.deepEqual([...f[c.byName.get("name")!] as Uint8Array], [0x41]);
});

Deno.test("decodeFields() rejects a missing required field, a wrong wire type and truncation", () => {
  assert.throws(() => decodeFields(c, bytes("10 01")), NmsgFormatError);
  assert.throws(() => decodeFields(c, bytes("08 05 1d 00 00 00 00")), NmsgFormatError);
  assert.throws(() => decodeFields(c, bytes("08 05 1a 05 41")), NmsgFormatError);
  assert.throws(() => decodeFields(c, bytes("08")), NmsgFormatError);
});

Deno.test("decode then encode gives the same bytes for canonical input", () => {
  const b = bytes("08 05 10 01 10 02 1a 02 41 42 48 01 e5 12 01 00 00 00");
  assert.equal(hex(encodeFields(c, decodeFields(c, b))), hex(b));
});

Deno.test("compileSchema() rejects duplicate field numbers and enum fields without values", () => {
  assert.throws(() =>
    compileSchema({
      typeName: "t.D",
      fields: [
        { name: "a", number: 1, type: "uint32", label: "optional" },
        { name: "b", number: 1, type: "uint32", label: "optional" },
      ],
    }), TypeError);
  assert.throws(
    () =>
      compileSchema({
        typeName: "t.E",
        fields: [{ name: "a", number: 1, type: "enum", label: "optional" }],
      }),
    TypeError,
  );
});

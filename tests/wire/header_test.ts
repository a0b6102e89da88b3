import assert from "node:assert/strict";
import { NmsgFormatError, parseHeader, writeHeader } from "../../mod.ts";

const hdr = (...b: number[]) => new Uint8Array([0x4e, 0x4d, 0x53, 0x47, ...b]);

Deno.test("parseHeader() reads version 2 flags and a 32-bit length", () => {
  assert.deepEqual(parseHeader(hdr(3, 2, 0x01, 0x02, 0x03, 0x04), 0, false), {
    flags: 3,
    version: 2,
    length: 0x01020304,
    headerSize: 10,
  });
  assert.equal(parseHeader(hdr(0, 2, 0xff, 0xff, 0xff, 0xff), 0, false)?.length, 0xffffffff);
});

Deno.test("parseHeader() reads version 1 units only where allowed", () => {
  assert.deepEqual(parseHeader(hdr(0, 1, 0x01, 0x00), 0, true), {
    flags: 0,
    version: 1,
    length: 256,
    headerSize: 8,
  });
  assert.throws(
    () => parseHeader(hdr(0, 1, 0x01, 0x00), 0, false),
    (e) => e instanceof NmsgFormatError && e.code === "version",
  );
});

Deno.test("parseHeader() asks for more bytes before it can decide", () => {
  assert.equal(parseHeader(hdr(0, 2, 0, 0), 0, true), undefined);
  assert.equal(parseHeader(new Uint8Array([0x4e, 0x4d]), 0, true), undefined);
});

Deno.test("parseHeader() rejects bad magic and unknown versions with the C messages", () => {
  assert.throws(
    () => parseHeader(new Uint8Array([0x4e, 0x4d, 0x53, 0x58, 0, 2, 0, 0, 0, 0]), 0, true),
    { name: "NmsgFormatError", message: "incorrect magic number in NMSG header" },
  );
  assert.throws(() => parseHeader(new Uint8Array([0x58]), 0, true), { message: /magic/ });
  assert.throws(() => parseHeader(hdr(0, 3, 0, 0, 0, 0), 0, true), {
    message: "incorrect version number in NMSG header",
  });
});

Deno.test("writeHeader() writes flags before the version, as libnmsg does", () => {
  const buf = new Uint8Array(10);
  writeHeader(buf, 0, 1, 0x0a0b0c0d);
  assert.deepEqual([...buf], [0x4e, 0x4d, 0x53, 0x47, 1, 2, 0x0a, 0x0b, 0x0c, 0x0d]);
  assert.deepEqual(parseHeader(buf, 0, false), {
    flags: 1,
    version: 2,
    length: 0x0a0b0c0d,
    headerSize: 10,
  });
});

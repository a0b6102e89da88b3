import assert from "node:assert/strict";
import {
  decodePayload,
  encodePayload,
  NmsgFormatError,
  type Payload,
  payloadSize,
} from "../../mod.ts";

Deno.test("encodePayload() writes fields in number order and decodePayload() reads them back", () => {
  const p: Payload = {
    vid: 2,
    msgtype: 5,
    timeSec: 1570806594,
    timeNsec: 999999999,
    payload: new Uint8Array(200).fill(7),
    source: 0xa1b2c3d4,
    operator: 5,
    group: 7,
  };
  const bytes = encodePayload(p);
  assert.equal(bytes.length, payloadSize(p));
  assert.deepEqual([...bytes.subarray(0, 4)], [0x08, 2, 0x10, 5]);
  assert.deepEqual(decodePayload(bytes), p);
});

Deno.test("encodePayload() writes a negative time_sec as a 10-byte varint", () => {
  const p: Payload = { vid: 1, msgtype: 1, timeSec: -1, timeNsec: 0 };
  const bytes = encodePayload(p);
  // tag 0x18 then ff ff ff ff ff ff ff ff ff 01
  assert.deepEqual([...bytes.subarray(4, 15)], [0x18, ...new Array(9).fill(0xff), 0x01]);
  assert.deepEqual(decodePayload(bytes), p);
  const far: Payload = { vid: 1, msgtype: 1, timeSec: -(2 ** 40) - 3, timeNsec: 1 };
  assert.deepEqual(decodePayload(encodePayload(far)), far);
});

Deno.test("decodePayload() keeps an empty payload distinct from none", () => {
  const p: Payload = { vid: 1, msgtype: 1, timeSec: 0, timeNsec: 0, payload: new Uint8Array(0) };
  assert.deepEqual(decodePayload(encodePayload(p)), p);
  assert.equal(
    "payload" in decodePayload(encodePayload({ vid: 1, msgtype: 1, timeSec: 0, timeNsec: 0 })),
    false,
  );
});

Deno.test("decodePayload() skips unknown fields", () => {
  const base = encodePayload({ vid: 1, msgtype: 2, timeSec: 3, timeNsec: 4 });
  // field 6 (unused by NMSG) as a varint, field 15 as bytes
  const extra = new Uint8Array([...base, 0x30, 0x96, 0x01, 0x7a, 2, 0xaa, 0xbb]);
  assert.deepEqual(decodePayload(extra), { vid: 1, msgtype: 2, timeSec: 3, timeNsec: 4 });
});

Deno.test("decodePayload() rejects missing required fields, wrong wire types and overruns", () => {
  const ok = encodePayload({ vid: 1, msgtype: 2, timeSec: 3, timeNsec: 4 });
  const isFormat = (code: string) => (e: unknown) =>
    e instanceof NmsgFormatError && e.code === code;
  assert.throws(() => decodePayload(ok.subarray(0, 6)), isFormat("protobuf"));
  assert.throws(() => decodePayload(new Uint8Array([0x08, 1])), {
    message: /missing required field msgtype, time_sec, time_nsec/,
  });
  assert.throws(() => decodePayload(new Uint8Array([0x0a, 1, 1])), { message: /wrong wire type/ });
  assert.throws(() => decodePayload(new Uint8Array([0x2a, 0x05, 1])), { message: /runs past/ });
  assert.throws(() => decodePayload(new Uint8Array([0x08, 0xff, 0xff])), { message: /varint/ });
  assert.throws(() => decodePayload(new Uint8Array([0x33])), { message: /wire type 3/ });
});

import assert from "node:assert/strict";
import {
  ContainerEstimate,
  countPayloads,
  decodeContainer,
  encodeContainer,
  encodePayload,
  NMSG_WBUFSZ_MAX,
  type Payload,
  payloadCrc,
} from "../../mod.ts";
import { goldenBytes } from "../_golden.ts";
import { goldenContainers } from "./_util.ts";

const payload = (len: number, extra: Partial<Payload> = {}): Payload => ({
  vid: 1,
  msgtype: 6,
  timeSec: 1,
  timeNsec: 2,
  payload: new Uint8Array(len).fill(0x61),
  ...extra,
});

Deno.test("decodeContainer() reads golden files: payloads, CRCs, sequence fields", async () => {
  const [dnsqr] = await goldenContainers("inputs/generic-tests_dnsqr.nmsg");
  assert.equal(dnsqr!.payloads.length, 32);
  assert.equal(dnsqr!.payloadCrcs.length, 32);
  for (const [i, p] of dnsqr!.payloads.entries()) {
    assert.equal(dnsqr!.payloadCrcs[i], payloadCrc(p.payload!));
    assert.equal(p.vid, 1);
    assert.equal(p.msgtype, 9);
  }
  assert.equal(dnsqr!.sequence, undefined);
  const seq = await goldenContainers("inputs/crafted_sock-seq.nmsg");
  assert.deepEqual(seq.map((c) => [c.payloads.length, c.sequence]), [[23, 0], [9, 1]]);
  assert.equal(seq[0]!.sequenceId, seq[1]!.sequenceId);
  assert.equal(typeof seq[0]!.sequenceId, "bigint");
});

Deno.test("encodeContainer() reproduces a C-written container byte for byte", () => {
  // The C writer's output for generic dnsqr.nmsg is the file itself: one 1 MiB container.
  const file = goldenBytes("inputs/generic-tests_dnsqr.nmsg");
  const c = decodeContainer(file.subarray(10));
  assert.deepEqual(encodeContainer(c.payloads), file.subarray(10));
});

Deno.test("encodeContainer() writes unpacked CRCs and the sequence fields", () => {
  const c = decodeContainer(
    encodeContainer([payload(3), payload(4)], { sequence: 7, sequenceId: 2n ** 64n - 1n }),
  );
  assert.equal(c.payloads.length, 2);
  assert.deepEqual(c.payloadCrcs, [
    payloadCrc(c.payloads[0]!.payload!),
    payloadCrc(c.payloads[1]!.payload!),
  ]);
  assert.equal(c.sequence, 7);
  assert.equal(c.sequenceId, 2n ** 64n - 1n);
  // libnmsg's test_container_size: an empty sequenced container (seq=1, id=1) is 14 bytes with its header.
  assert.equal(encodeContainer([], { sequence: 1, sequenceId: 1n }).length + 10, 14);
  assert.equal(encodeContainer([]).length + 10, 10);
});

Deno.test("decodeContainer() accepts packed payload_crcs and rejects garbage", () => {
  const p = encodePayload(payload(1));
  const packed = new Uint8Array([0x0a, p.length, ...p, 0x12, 2, 0x81, 0x01]);
  assert.deepEqual(decodeContainer(packed).payloadCrcs, [129]);
  assert.throws(() => decodeContainer(new Uint8Array([0x0a, 0x20, 1])), {
    name: "NmsgFormatError",
  });
  assert.throws(() => decodeContainer(new Uint8Array([0x09, 0, 0])), {
    message: /wrong wire type|fixed64/,
  });
});

Deno.test("countPayloads() counts without decoding", () => {
  assert.equal(countPayloads(encodeContainer([payload(1), payload(2), payload(300)])), 3);
  assert.equal(countPayloads(new Uint8Array(0)), 0);
});

Deno.test("ContainerEstimate follows libnmsg's estsz rules", () => {
  const est = new ContainerEstimate(512, false);
  // A lone payload always fits, even one larger than the buffer ("overfull": fragment it).
  assert.equal(est.add(payload(600)), "overfull");
  est.reset();
  // estsz = 10 + np_len + 2 (tag + 1-byte length) + 6 (crc room) per small payload.
  // np_len = 11 (envelope) + 2 (payload tag, 1-byte length) + 100 = 113; each payload adds
  // np_len + 2 (tag + 1-byte length) + 6 (CRC room) = 121 to estsz.
  const small = payload(100);
  assert.equal(est.add(small), "added");
  assert.equal(est.estimate, 10 + 121);
  // Full when estsz + np_len + 32 >= bufsz: 373 + 113 + 32 = 518 >= 512 after three.
  assert.equal(est.add(small), "added");
  assert.equal(est.add(small), "added");
  assert.equal(est.estimate, 10 + 3 * 121);
  assert.equal(est.add(small), "full");
  assert.equal(est.count, 3);
  // Sequenced containers reserve 18 bytes: 470 bytes give np_len 484 and estsz
  // 10 + 484 + 3 + 6 = 503, which fits 512 unsequenced but not with 18 more.
  const p = payload(470);
  assert.equal(new ContainerEstimate(512, true).add(p), "overfull");
  const unseq = new ContainerEstimate(512, false);
  assert.equal(unseq.add(p), "added");
  assert.equal(unseq.estimate, 503);
});

Deno.test("ContainerEstimate cuts the bench-sized buffer like C: 1 MiB files hold many payloads", () => {
  const est = new ContainerEstimate(NMSG_WBUFSZ_MAX, false);
  let n = 0;
  while (est.add(payload(1000)) === "added") n++;
  // np_len = 11 + 3 + 1000 = 1014, 1023 per entry: full once 10 + 1023n + 1014 + 32 >= 1 MiB.
  assert.equal(n, 1024);
});

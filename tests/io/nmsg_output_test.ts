import assert from "node:assert/strict";
import { openForReading, openForWriting } from "../../src/io/files.ts";
import { NmsgInput } from "../../src/io/nmsg_input.ts";
import { NmsgOutput, type NmsgOutputOptions, stampPayload } from "../../src/io/nmsg_output.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";

async function repack(
  input: string,
  options: NmsgOutputOptions,
  encoded: boolean,
): Promise<Uint8Array> {
  const path = await Deno.makeTempFile();
  try {
    const inp = new NmsgInput(input, openForReading(GOLDEN_DIR + input));
    const out = new NmsgOutput(path, openForWriting(path), options);
    for (let b = await inp.read(); b !== null; b = await inp.read()) {
      if (encoded) out.writeEncoded(b.encoded!, 0, b.encoded!.length);
      else b.payloads.forEach((p, i) => out.write(p, b.crcs?.[i]));
    }
    inp.close();
    await out.close();
    return await Deno.readFile(path);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("NmsgOutput writes the C tool's exact bytes, payload by payload or by container", async () => {
  for (
    const [input, options, expected] of [
      ["inputs/generic-tests_lorem.nmsg", {}, "nmsg-repack_generic-tests_lorem.out"],
      ["inputs/crafted_mixed.nmsg", {}, "nmsg-repack_crafted_mixed.out"],
      ["inputs/generic-tests_lorem.nmsg", { unbuffered: true }, "opt-unbuffered_nmsg.out"],
      [
        "inputs/nmsg-dns-tests_test1-dns.nmsg",
        { source: 0xa1b2c3d4 },
        "opt-setsource_nmsg.out",
      ],
    ] as const
  ) {
    for (const encoded of [false, true]) {
      const got = await repack(input, options, encoded);
      assert.deepEqual(got, goldenBytes(`expected/${expected}`), `${expected} ${encoded}`);
    }
  }
});

Deno.test("stampPayload() sets only non-zero fields, on a copy", () => {
  const p = { vid: 1, msgtype: 4, timeSec: 0, timeNsec: 0, operator: 5 };
  assert.equal(stampPayload(p, {}), p);
  assert.equal(stampPayload(p, { source: 0 }), p);
  const q = stampPayload(p, { source: 7, group: 9 });
  assert.deepEqual(q, { ...p, source: 7, group: 9 });
  assert.equal(p.operator, 5);
  assert.equal("source" in p, false);
});

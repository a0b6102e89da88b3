import assert from "node:assert/strict";
import { openForReading } from "../../src/io/files.ts";
import { NmsgInput, type NmsgInputOptions } from "../../src/io/nmsg_input.ts";
import { NmsgFormatError } from "../../src/wire/errors.ts";
import type { Payload } from "../../src/wire/payload.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";

const text = (path: string) => new TextDecoder().decode(goldenBytes(path));
/** Records in a golden presentation file (one `[size] [time] …` header line each). */
const records = (path: string) => text(path).split("\n").filter((l) => /^\[\d+\] \[/.test(l));

async function readAll(path: string, options: NmsgInputOptions = {}): Promise<Payload[]> {
  const input = new NmsgInput(path, openForReading(GOLDEN_DIR + path), options);
  const out: Payload[] = [];
  try {
    for (let b = await input.read(); b !== null; b = await input.read()) {
      // Views into a reused buffer: copy what outlives the batch.
      for (const p of b.payloads) {
        out.push({ ...p, payload: p.payload?.slice() ?? new Uint8Array() });
      }
    }
  } finally {
    input.close();
  }
  return out;
}

Deno.test("NmsgInput reads every payload of a file, through zlib and fragments", async () => {
  for (
    const name of ["generic-tests_dnsqr", "crafted_dnsqr.z", "crafted_frag", "crafted_mixed"]
  ) {
    const got = await readAll(`inputs/${name}.nmsg`);
    assert.equal(got.length, records(`expected/nmsg-pres_${name}.stdout`).length, name);
  }
});

Deno.test("NmsgInput drops a payload whose CRC does not match, with libnmsg's warning", async () => {
  const lines: string[] = [];
  const got = await readAll("inputs/payload-crc32c-tests_test_crc32c_incorrect.nmsg", {
    log: (level, line) => lines.push(`${level} ${line}\n`),
  });
  assert.equal(got.length, 0);
  assert.deepEqual(lines, [
    `1 ${text("expected/nmsg-pres_payload-crc32c-tests_test_crc32c_incorrect.stderr")}`,
  ]);
});

Deno.test("NmsgInput treats a truncated last unit as the end, reporting it at -dd only", async () => {
  const lines: [number, string][] = [];
  const got = await readAll("inputs/crafted_dns-plus-truncated.nmsg", {
    log: (level, line) => lines.push([level, line]),
  });
  assert.equal(got.length, records("expected/nmsg-pres_crafted_dns-plus-truncated.stdout").length);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]![0], 2);
  assert.match(lines[0]![1], /crafted_dns-plus-truncated\.nmsg: offset \d+: /);
  assert.deepEqual(await readAll("inputs/crafted_truncated.nmsg"), []);
});

Deno.test("NmsgInput names the file and offset of malformed data", async () => {
  await assert.rejects(
    readAll("inputs/crafted_badmagic.nmsg"),
    (e) =>
      e instanceof NmsgFormatError &&
      e.message === "inputs/crafted_badmagic.nmsg: offset 0: incorrect magic number in NMSG header",
  );
});

Deno.test("NmsgInput applies the type, source, operator and group filters", async () => {
  // Golden opt-type_dns: -V base -T dns on the mixed file.
  const dns = await readAll("inputs/crafted_mixed.nmsg", { vid: 1, msgtype: 7 });
  assert.equal(dns.length, records("expected/opt-type_dns.stdout").length);
  assert.ok(dns.every((p) => p.vid === 1 && p.msgtype === 7));
  // Golden opt-getsource_mixed and opt-getoperator_num.
  const src = await readAll("inputs/crafted_mixed.nmsg", { source: 0xa1ba02cf });
  assert.equal(src.length, records("expected/opt-getsource_mixed.stdout").length);
  const op = await readAll("inputs/nmsg-http-tests_test4-http-no-request.nmsg", { operator: 101 });
  assert.equal(op.length, records("expected/opt-getoperator_num.stdout").length);
});

Deno.test("NmsgInput paces reading to the -B byte rate", async () => {
  const path = "inputs/generic-tests_dnsqr.nmsg";
  const size = goldenBytes(path).length;
  const start = performance.now();
  // Four times the file size per second: about a quarter of a second.
  const got = await readAll(path, { byteRate: size * 4 });
  const elapsed = performance.now() - start;
  assert.equal(got.length, records("expected/nmsg-pres_generic-tests_dnsqr.stdout").length);
  assert.ok(elapsed > 100 && elapsed < 5000, `${elapsed} ms`);
});

Deno.test("NmsgInput.close() ends a read that waits for data", async () => {
  let release: (n: null) => void = () => {};
  const input = new NmsgInput("pipe", {
    read: () => new Promise((r) => (release = r)),
    close: () => release(null),
  });
  const pending = input.read();
  input.close();
  assert.equal(await pending, null);
});

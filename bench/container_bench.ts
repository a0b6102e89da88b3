// The NMSG read -> write path on one 1 MiB container of the benchmark corpus (or of a golden
// file when bench-data/ is absent): scanning, CRC checks, decoding, and writing it again.
//
//   deno bench --allow-read bench/container_bench.ts

import { ContainerView } from "../src/wire/container_view.ts";
import { ContainerWriter } from "../src/wire/container_writer.ts";
import { countPayloads, decodeContainer } from "../src/wire/container.ts";
import { UnitReader } from "../src/wire/unit_reader.ts";

async function firstContainer(): Promise<Uint8Array> {
  for (
    const path of ["bench-data/corpus-q.nmsg", "../shared/golden/inputs/generic-tests_dnsqr.nmsg"]
  ) {
    let file;
    try {
      file = await Deno.open(new URL(`../${path}`, import.meta.url));
    } catch {
      continue;
    }
    using f = file;
    const unit = await new UnitReader(f).next();
    if (unit === null) continue;
    // Where UnitReader leaves it: after a 10-byte header, as ContainerWriter puts its own.
    // (A copy between buffers 4 KiB apart give or take a few bytes runs ~10x slower.)
    const buf = new Uint8Array(10 + unit.data.length);
    buf.set(unit.data, 10);
    return buf.subarray(10);
  }
  throw new Error("no NMSG input found");
}

const data = await firstContainer();
const view = new ContainerView();
const n = view.decode(data).length;
const writer = new ContainerWriter();
const sink = () => {};

Deno.bench(`countPayloads() (${n} payloads)`, { group: "scan" }, () => {
  countPayloads(data);
});
Deno.bench(`ContainerView.decode()`, { group: "scan", baseline: true }, () => {
  view.decode(data);
});
Deno.bench(`ContainerView.decode() + verify()`, { group: "scan" }, () => {
  view.decode(data).verify();
});
Deno.bench(`decodeContainer() (Payload objects)`, { group: "scan" }, () => {
  decodeContainer(data);
});

Deno.bench(
  `decode, verify, addEncoded() (copies entries)`,
  { group: "repack", baseline: true },
  () => {
    view.decode(data).verify();
    writer.addEncoded(view, 0, view.length, sink);
    writer.flush();
  },
);
Deno.bench(`decode, verify, add() per Payload (re-encodes)`, { group: "repack" }, () => {
  view.decode(data).verify();
  const payloads = view.payloads;
  for (let i = 0; i < payloads.length; i++) writer.add(payloads[i]!, view.crc(i));
  writer.flush();
});

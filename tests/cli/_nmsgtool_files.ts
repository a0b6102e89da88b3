// What the nmsgtool file tests feed the tool and read back: numbered logline payloads in
// NMSG units, the payload times of an NMSG file it wrote, and a kicker script (-k) that
// logs the files it is given.

import { openForReading } from "../../src/io/files.ts";
import { NmsgInput } from "../../src/io/nmsg_input.ts";
import { ContainerWriter } from "../../src/wire/container_writer.ts";
import { waitUntil } from "./_background_tool.ts";

/**
 * NMSG units holding `n` base/logline payloads whose times are `first`, `first + 1`, …,
 * `per` payloads to a container.
 */
export function loglineUnits(first: number, n: number, per = n): Uint8Array[] {
  const w = new ContainerWriter();
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    w.add({
      vid: 1,
      msgtype: 6,
      timeSec: first + i,
      timeNsec: 0,
      payload: new Uint8Array([10, 1, 0x61]),
    });
    if ((i + 1) % per === 0) out.push(...w.flush().map((u) => u.slice()));
  }
  out.push(...w.flush().map((u) => u.slice()));
  return out;
}

/** The times (seconds) of the payloads of an NMSG file, in file order. */
export async function payloadTimes(path: string): Promise<number[]> {
  const input = new NmsgInput(path, openForReading(path));
  const seen: number[] = [];
  try {
    for (let b = await input.read(); b !== null; b = await input.read()) {
      for (const p of b.payloads) seen.push(p.timeSec);
    }
  } finally {
    input.close();
  }
  return seen;
}

/** A kicker script in `dir` that appends the file it is given to a log. */
export async function kicker(
  dir: string,
): Promise<{ cmd: string; calls: (count: number) => Promise<string[]> }> {
  const cmd = `${dir}/kick.sh`;
  const log = `${dir}/kicked.log`;
  await Deno.writeTextFile(cmd, `#!/bin/sh\necho "$1" >> ${log}\n`);
  await Deno.chmod(cmd, 0o755);
  const lines = () => {
    try {
      return Deno.readTextFileSync(log).split("\n").filter((l) => l !== "");
    } catch {
      return [];
    }
  };
  return {
    cmd,
    /** The files kicked, sorted, once `count` kicks have logged theirs. */
    calls: async (count) => {
      // nmsgtool runs the kicker in the background (`cmd file &`): it may finish late.
      await waitUntil(`the kicker has run ${count} times`, () => lines().length >= count);
      return lines().sort();
    },
  };
}

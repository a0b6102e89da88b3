// UDP receive benchmark (../shared/bench/README.md "UDP over loopback"): a sender runs
// `nmsgtool -r CORPUS -s 127.0.0.1/P` against a receiver `nmsgtool -dd -l 127.0.0.1/P
// -w /dev/null`; losses come from sequence numbers (the receiver's -dd totals line) and
// payloads/s = payloads received ÷ sender wall time. C → C is the baseline; C → ours and
// ours → ours are measured in the same session, alternating.

import { freePort, receiveQueues } from "../tests/cli/_udp_listener.ts";
import { exists, median, nmsgtoolCommand, type Side } from "./_bench_util.ts";

/** One sender/receiver pairing on one corpus. */
interface UdpCase {
  name: string;
  sender: Side;
  receiver: Side;
  unbuffered: boolean;
}

/** The cases, in table order. */
export const UDP_CASES: UdpCase[] = [
  { name: "udp-c-c", sender: "C", receiver: "C", unbuffered: false },
  { name: "udp-c-ours", sender: "C", receiver: "ours", unbuffered: false },
  { name: "udp-ours-ours", sender: "ours", receiver: "ours", unbuffered: false },
  { name: "udp-unbuffered-c-c", sender: "C", receiver: "C", unbuffered: true },
  { name: "udp-unbuffered-c-ours", sender: "C", receiver: "ours", unbuffered: true },
];

interface UdpSample {
  senderWall: number;
  payloadsIn: number;
  recvs: number;
  drops: number;
}

async function waitFor(ok: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

async function run(c: UdpCase, corpus: string, cBin: string): Promise<UdpSample> {
  const port = freePort();
  const spec = `127.0.0.1/${port}`;
  const [rx, ...rxArgs] = nmsgtoolCommand(c.receiver, cBin, ["-dd", "-l", spec, "-w", "/dev/null"]);
  const receiver = new Deno.Command(rx!, {
    args: rxArgs,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const output = receiver.output();
  let senderWall = NaN;
  try {
    if (!await waitFor(() => receiveQueues(port).length > 0, 30000)) {
      throw new Error(`${c.name}: the receiver did not bind ${spec}`);
    }
    const sendArgs = ["-r", corpus, ...(c.unbuffered ? ["--unbuffered"] : []), "-s", spec];
    const [tx, ...txArgs] = nmsgtoolCommand(c.sender, cBin, sendArgs);
    const start = performance.now();
    const sent = await new Deno.Command(tx!, { args: txArgs, stdout: "null", stderr: "null" })
      .output();
    senderWall = (performance.now() - start) / 1000;
    if (sent.code !== 0) throw new Error(`${c.name}: the sender exited ${sent.code}`);
    // Drained: the queue stays empty for a while (the receiver may still be decoding).
    let quiet = 0;
    await waitFor(() => {
      quiet = receiveQueues(port).every((q) => q === 0) ? quiet + 1 : 0;
      return quiet >= 10;
    }, 60000);
  } finally {
    receiver.kill("SIGINT");
  }
  const out = await output;
  const stderr = new TextDecoder().decode(out.stderr);
  const m = /totals: payloads_in (\d+) payloads_out \d+ container_recvs (\d+) container_drops (\d+)/
    .exec(stderr);
  if (m === null) throw new Error(`${c.name}: no totals line from the receiver:\n${stderr}`);
  return { senderWall, payloadsIn: +m[1]!, recvs: +m[2]!, drops: +m[3]! };
}

/**
 * Runs the UDP cases `runs` times each, alternating them, and prints a Markdown table.
 *
 * @param data The bench-data directory (corpus-q.nmsg; corpus-4x.nmsg is made from it).
 * @param runs Runs per case.
 * @param cBin Where the C nmsgtool is.
 * @param only Case names to run (all if undefined).
 */
export async function benchUdp(
  data: string,
  runs: number,
  cBin: string,
  only?: string[],
): Promise<void> {
  const haveC = cBin !== "" && exists(`${cBin}/nmsgtool`);
  const cases = UDP_CASES.filter((c) =>
    (only === undefined || only.includes(c.name) || only.includes("udp")) &&
    (haveC || (c.sender === "ours" && c.receiver === "ours"))
  );
  if (cases.length === 0) return;
  // The README's buffered runs send 4× the corpus; --unbuffered sends it once (about 500k
  // one-payload datagrams), which keeps a run near the buffered ones' length.
  const x4 = `${data}/corpus-4x.nmsg`;
  try {
    Deno.statSync(x4);
  } catch {
    const one = Deno.readFileSync(`${data}/corpus-q.nmsg`);
    const f = Deno.openSync(x4, { write: true, create: true, truncate: true });
    for (let i = 0; i < 4; i++) for (let o = 0; o < one.length;) o += f.writeSync(one.subarray(o));
    f.close();
  }
  const samples = new Map<string, UdpSample[]>(cases.map((c) => [c.name, []]));
  for (let i = 0; i < runs + 1; i++) {
    for (const c of cases) {
      const s = await run(c, c.unbuffered ? `${data}/corpus-q.nmsg` : x4, cBin);
      if (i > 0) samples.get(c.name)!.push(s); // the first round warms up
    }
  }
  console.log(
    "\n| udp case | runs | payloads received (median) | payloads/s (median) | container loss (median) | runs with loss | worst loss |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const c of cases) {
    const xs = samples.get(c.name)!;
    const loss = xs.map((s) => (s.recvs + s.drops === 0 ? 0 : s.drops / (s.recvs + s.drops)));
    const rate = xs.map((s) => s.payloadsIn / s.senderWall);
    console.log(
      `| ${c.name} | ${xs.length} | ${median(xs.map((s) => s.payloadsIn))} | ${
        (median(rate) / 1000).toFixed(0)
      }k | ${(100 * median(loss)).toFixed(2)} % | ${loss.filter((l) => l > 0).length} | ${
        (100 * Math.max(...loss)).toFixed(2)
      } % |`,
    );
  }
}

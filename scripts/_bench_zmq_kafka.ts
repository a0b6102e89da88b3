// ZeroMQ and Kafka throughput on loopback, whole processes as users run them:
// - zmq: `nmsgtool -L ipc://…,pushpull -c N -w /dev/null` receives what
//   `nmsgtool -r CORPUS+1 -S ipc://…,pushpull` sends;
// - kafka: `nmsgtool --readkafka nmsg:T@B,oldest -c N -w /dev/null` consumes what
//   `nmsgtool -r CORPUS+1 --writekafka nmsg:T@B` produces (its exit means every message
//   is acknowledged), through librdkafka's mock cluster run by this process.
// CORPUS+1 is the corpus plus one payload: with -c N the receiver exits when its payload
// N+1 arrives, in whatever order, so its exit marks the moment it has them all.
// payloads/s = N ÷ wall time from the sender's start to the sender's or receiver's exit.
// The C tool runs the same jobs.

import { MockKafkaCluster } from "../src/ffi/rdkafka_mock.ts";
import { encodeContainer } from "../src/wire/container.ts";
import { writeHeader } from "../src/wire/header.ts";
import { exists, median, nmsgtoolCommand, type Side } from "./_bench_util.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const CORPUS_PAYLOADS = 492339;

interface Case {
  name: string;
  transport: "zmq" | "kafka";
  sender: Side;
  receiver: Side;
}

/** The cases, in table order. */
export const ZMQ_KAFKA_CASES: Case[] = [
  { name: "zmq-c-c", transport: "zmq", sender: "C", receiver: "C" },
  { name: "zmq-ours-ours", transport: "zmq", sender: "ours", receiver: "ours" },
  { name: "kafka-c-c", transport: "kafka", sender: "C", receiver: "C" },
  { name: "kafka-ours-ours", transport: "kafka", sender: "ours", receiver: "ours" },
];

interface Sample {
  /** Seconds from the sender's start to its exit (everything sent or acknowledged). */
  send: number;
  /** Seconds from the sender's start to the receiver's exit (everything received). */
  receive: number;
}

function spawn(cmd: string[], env: Record<string, string> = {}): Deno.ChildProcess {
  const [exe, ...args] = cmd;
  return new Deno.Command(exe!, { args, env, stdin: "null", stdout: "null", stderr: "piped" })
    .spawn();
}

async function finish(name: string, child: Deno.ChildProcess, what: string): Promise<void> {
  const out = await child.output();
  if (out.code !== 0) {
    throw new Error(
      `${name}: the ${what} exited ${out.code}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
}

async function runZmq(c: Case, corpus: string, cBin: string, tmp: string): Promise<Sample> {
  const sock = `${tmp}/zmq-${c.name}`;
  const ep = `ipc://${sock},pushpull`;
  const receiver = spawn(
    nmsgtoolCommand(c.receiver, cBin, ["-L", ep, "-c", String(CORPUS_PAYLOADS), "-w", "/dev/null"]),
  );
  try {
    const end = Date.now() + 30000;
    while (!exists(sock)) {
      if (Date.now() > end) throw new Error(`${c.name}: the receiver did not bind ${ep}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const start = performance.now();
    const sender = spawn(nmsgtoolCommand(c.sender, cBin, ["-r", corpus, "-S", ep]));
    const sent = finish(c.name, sender, "sender").then(() => performance.now());
    await finish(c.name, receiver, "receiver");
    const received = performance.now();
    return { send: ((await sent) - start) / 1000, receive: (received - start) / 1000 };
  } catch (e) {
    receiver.kill("SIGKILL");
    throw e;
  }
}

async function runKafka(c: Case, corpus: string, cBin: string): Promise<Sample> {
  // A fresh cluster per run. The mock keeps at most 5 MiB per partition, so the consumer
  // runs alongside the producer, and the producer spreads messages evenly over enough
  // partitions to hold the corpus (no sticky partitioning).
  const kafka = MockKafkaCluster.start();
  try {
    kafka.createTopic("bench", 128);
    const ep = `nmsg:bench@${kafka.bootstraps}`;
    const consumer = spawn(
      nmsgtoolCommand(c.receiver, cBin, [
        "--readkafka",
        `${ep},oldest`,
        "-c",
        String(CORPUS_PAYLOADS),
        "-w",
        "/dev/null",
      ]),
    );
    try {
      // Time for the consumer to start fetching the (empty) partitions.
      await new Promise((r) => setTimeout(r, 2000));
      const start = performance.now();
      await finish(
        c.name,
        spawn(nmsgtoolCommand(c.sender, cBin, ["-r", corpus, "--writekafka", ep]), {
          NMSG_KAFKA_CONFIG: "sticky.partitioning.linger.ms=0",
        }),
        "producer",
      );
      const send = (performance.now() - start) / 1000;
      await finish(c.name, consumer, "consumer");
      return { send, receive: (performance.now() - start) / 1000 };
    } catch (e) {
      consumer.kill("SIGKILL");
      throw e;
    }
  } finally {
    await kafka.destroy();
  }
}

/**
 * Runs the ZMQ and Kafka cases `runs` times each (after one warm-up round), alternating
 * them, and prints a Markdown table.
 *
 * @param data The bench-data directory (corpus-q.nmsg).
 * @param runs Runs per case.
 * @param cBin Where the C nmsgtool is.
 * @param only Case names to run; `zmq` or `kafka` selects a transport (all if undefined).
 */
export async function benchZmqKafka(
  data: string,
  runs: number,
  cBin: string,
  only?: string[],
): Promise<void> {
  const haveC = cBin !== "" && exists(`${cBin}/nmsgtool`);
  const cases = ZMQ_KAFKA_CASES.filter((c) =>
    (only === undefined || only.includes(c.name) || only.includes(c.transport)) &&
    (haveC || c.sender === "ours")
  );
  if (cases.length === 0) return;
  const tmp = await Deno.makeTempDir({ prefix: "nmsg-bench-mq-" });
  try {
    const corpus = `${tmp}/corpus-plus-one.nmsg`;
    const extra = encodeContainer([{ vid: 1, msgtype: 6, timeSec: 0, timeNsec: 0 }], undefined, 10);
    writeHeader(extra, 0, 0, extra.length - 10);
    await Deno.copyFile(`${data}/corpus-q.nmsg`, corpus);
    await Deno.writeFile(corpus, extra, { append: true });
    const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
    for (let i = 0; i < runs + 1; i++) {
      for (const c of cases) {
        const s = c.transport === "zmq"
          ? await runZmq(c, corpus, cBin, tmp)
          : await runKafka(c, corpus, cBin);
        if (i > 0) samples.get(c.name)!.push(s);
      }
    }
    console.log(
      "\n| zmq/kafka case | runs | send (s) | receive (s) | payloads/s sent | payloads/s received |",
    );
    console.log("|---|---|---|---|---|---|");
    for (const c of cases) {
      const xs = samples.get(c.name)!;
      const send = median(xs.map((s) => s.send));
      const receive = median(xs.map((s) => s.receive));
      const rate = (t: number) => `${(CORPUS_PAYLOADS / t / 1000).toFixed(0)}k`;
      console.log(
        `| ${c.name} | ${xs.length} | ${send.toFixed(2)} | ${receive.toFixed(2)} | ${
          rate(send)
        } | ${rate(receive)} |`,
      );
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) {
  const runs = Number(Deno.args[0] ?? "3");
  const only = Deno.args.length > 1 ? Deno.args.slice(1) : undefined;
  await benchZmqKafka(`${ROOT}bench-data`, runs, Deno.env.get("NMSG_C_BIN") ?? "", only);
}

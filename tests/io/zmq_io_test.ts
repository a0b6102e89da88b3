import assert from "node:assert/strict";
import { ZmqInput } from "../../src/io/zmq_input.ts";
import { ZmqOutput } from "../../src/io/zmq_output.ts";
import { nodeZlib } from "../../src/io/zlib_node.ts";
import { ZMQ_PULL, ZMQ_PUSH, ZMQ_RCVTIMEO, ZmqContext } from "../../src/ffi/zmq.ts";
import { NMSG_DEFAULT_MAX_SIZE, NMSG_FLAG_ZLIB } from "../../src/wire/constants.ts";
import { UnitDecoder } from "../../src/wire/unit_decoder.ts";
import { encodeContainer } from "../../src/wire/container.ts";
import { parseHeader, writeHeader } from "../../src/wire/header.ts";
import { readPayloads } from "../../src/wire/container_reader.ts";
import type { Payload } from "../../src/wire/payload.ts";
import { GOLDEN_DIR } from "../_golden.ts";
import { findLibrary } from "../_native.ts";
import { collect } from "./_collect.ts";

const ignore = findLibrary("libzmq") === undefined;

async function golden(name: string): Promise<Payload[]> {
  using f = await Deno.open(GOLDEN_DIR + "inputs/" + name);
  return (await Array.fromAsync(readPayloads(f, { zlib: nodeZlib }))).map((p) => ({
    ...p,
    ...(p.payload ? { payload: p.payload.slice() } : {}),
  }));
}

// Marks the payloads sent until a PUB socket's subscriber is known to be attached.
const PROBE: Payload = { vid: 0, msgtype: 0, timeSec: -1, timeNsec: 0 };
const notProbe = (p: Payload) => p.timeSec !== PROBE.timeSec;

/** How long a test waits for messages before it closes the input and fails. */
const WAIT_MS = 30000;

/**
 * PUB drops what it sends before the subscription has arrived (ZeroMQ's "slow joiner"):
 * probes go out until one comes back.
 */
async function subscribed(input: ZmqInput, output: ZmqOutput): Promise<void> {
  let arrived = false;
  const pinger = (async () => {
    while (!arrived) {
      await output.write(PROBE);
      await output.flush();
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const timer = setTimeout(() => input.close(), WAIT_MS);
  try {
    assert.ok(await input.read() !== null, "no probe arrived");
  } finally {
    clearTimeout(timer);
    arrived = true;
    await pinger;
  }
}

async function tempEndpoint(): Promise<{ ep: string; dir: string }> {
  const dir = await Deno.makeTempDir();
  return { ep: `ipc://${dir}/zmq`, dir };
}

for (const pattern of ["pushpull", "pubsub"]) {
  Deno.test({
    name: `ZmqOutput -> ZmqInput (${pattern}) delivers every payload in order, with no loss`,
    ignore,
    async fn() {
      const { ep, dir } = await tempEndpoint();
      const payloads = [
        ...await golden("generic-tests_dnsqr.nmsg"),
        ...await golden("crafted_mixed.nmsg"),
      ];
      const input = ZmqInput.open(`${ep},${pattern}`);
      const output = ZmqOutput.open(`${ep},${pattern}`);
      try {
        if (pattern === "pubsub") await subscribed(input, output);
        const before = input.stats().containersReceived;
        for (const p of payloads) await output.write(p);
        await output.flush();
        const got = await collect(input, payloads.length, { keep: notProbe });
        assert.deepEqual(got, payloads);
        const s = input.stats();
        assert.equal(s.containersDropped, 0);
        if (pattern === "pushpull") assert.equal(s.containersReceived, output.stats().messages);
        else assert.ok(s.containersReceived > before);
      } finally {
        await output.close();
        await input.close();
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

Deno.test({
  name: "ZmqOutput -z sends compressed sequenced containers, one per message, never fragments",
  ignore,
  async fn() {
    const { ep, dir } = await tempEndpoint();
    const ctx = new ZmqContext();
    const pull = ctx.socket(ZMQ_PULL);
    pull.setInt(ZMQ_RCVTIMEO, 1000);
    pull.bind(ep);
    const payloads = await golden("generic-tests_dnsqr.nmsg");
    const big = { vid: 1, msgtype: 6, timeSec: 5, timeNsec: 0, payload: new Uint8Array(20000) };
    const output = ZmqOutput.open(`${ep},pushpull`, { zlib: nodeZlib });
    try {
      for (const p of [...payloads, big]) await output.write(p);
      await output.close();
      const decoder = new UnitDecoder({ zlib: nodeZlib });
      const got: Payload[] = [];
      const sequences: number[] = [];
      for (let i = 0; i < 3; i++) {
        const m = await pull.recv();
        assert.ok(m !== null);
        const h = parseHeader(m, 0, false)!;
        assert.equal(h.flags, NMSG_FLAG_ZLIB);
        assert.equal(h.length, m.length - 10);
        const c = decoder.decode(h.flags, m.subarray(10))!;
        assert.equal(c.sequenceId, output.sequenceId);
        sequences.push(c.sequence!);
        for (const p of c.payloads) {
          got.push({ ...p, ...(p.payload ? { payload: p.payload.slice() } : {}) });
        }
      }
      // dnsqr's 32 payloads fill 2 containers of 8192 bytes; the big one goes alone, whole.
      assert.deepEqual(sequences, [0, 1, 2]);
      assert.deepEqual(got, [...payloads, big]);
      assert.equal(pull.tryRecv(), null);
    } finally {
      await output.close();
      await pull.close();
      await ctx.term();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "ZmqInput counts sequence gaps and skips malformed messages",
  ignore,
  async fn() {
    const { ep, dir } = await tempEndpoint();
    const ctx = new ZmqContext();
    const lines: string[] = [];
    const input = ZmqInput.open(`${ep},pushpull`, { log: (_l, line) => lines.push(line) });
    const push = ctx.socket(ZMQ_PUSH);
    try {
      push.connect(`${ep}`);
      // golden/udp/seqsrc.tsv: the pattern 0,1,2,5,6 shows 2 containers lost.
      const unit = (sequence: number) => {
        const data = encodeContainer(
          [{ vid: 1, msgtype: 6, timeSec: sequence, timeNsec: 0 }],
          { sequence, sequenceId: 42n },
          10,
        );
        writeHeader(data, 0, 0, data.length - 10);
        return data;
      };
      for (const seq of [0, 1, 2, 5, 6]) assert.ok(push.trySend(unit(seq)));
      assert.ok(push.trySend(new TextEncoder().encode("NMSG but not really")));
      assert.ok(push.trySend(unit(7).subarray(0, 20)));
      assert.ok(push.trySend(unit(7)));
      const got = await collect(input, 6);
      assert.deepEqual(got.map((p) => p.timeSec), [0, 1, 2, 5, 6, 7]);
      const s = input.stats();
      assert.equal(s.containersReceived, 6);
      assert.equal(s.containersDropped, 2);
      assert.equal(s.malformed, 2);
      assert.equal(lines.filter((l) => l.includes("dropped a malformed message")).length, 2);
    } finally {
      await push.close();
      await input.close();
      await ctx.term();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "ZmqInput disconnects a peer sending a message larger than any unit, before buffering it",
  ignore,
  async fn() {
    const { ep, dir } = await tempEndpoint();
    const ctx = new ZmqContext();
    const input = ZmqInput.open(`${ep},pushpull`);
    const huge = ctx.socket(ZMQ_PUSH);
    const good = ctx.socket(ZMQ_PUSH);
    try {
      // A header declaring one byte more than a unit may hold, and the bytes to match.
      const oversized = new Uint8Array(10 + NMSG_DEFAULT_MAX_SIZE + 1);
      writeHeader(oversized, 0, 0, NMSG_DEFAULT_MAX_SIZE + 1);
      huge.connect(ep);
      assert.ok(huge.trySend(oversized));
      await huge.close();
      const unit = encodeContainer(
        [{ vid: 1, msgtype: 6, timeSec: 7, timeNsec: 0 }],
        { sequence: 0, sequenceId: 1n },
        10,
      );
      writeHeader(unit, 0, 0, unit.length - 10);
      good.connect(ep);
      assert.ok(good.trySend(unit));
      const got = await collect(input, 1);
      assert.deepEqual(got.map((p) => p.timeSec), [7]);
      // Received whole, the big one would be a second message, counted malformed by a read.
      assert.deepEqual(await collect(input, 1, { timeoutMs: 1000 }), []);
      const s = input.stats();
      assert.equal(s.messages, 1);
      assert.equal(s.malformed, 0);
    } finally {
      await good.close();
      await input.close();
      await ctx.term();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

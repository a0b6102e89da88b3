import assert from "node:assert/strict";
import { UdpInput } from "../../src/io/udp_input.ts";
import {
  openUdpOutputs,
  SendPacer,
  UdpOutput,
  type UdpOutputOptions,
} from "../../src/io/udp_output.ts";
import { openUdpInputs } from "../../src/io/udp_input.ts";
import { SocketError } from "../../src/ffi/libc_socket.ts";
import type { Payload } from "../../src/wire/payload.ts";
import { nodeZlib } from "../../src/io/zlib_node.ts";
import { collect } from "./_collect.ts";
import { haveIpv6, haveLibc, LOOPBACK4, LOOPBACK6 } from "./_udp_util.ts";

const ignore = !haveLibc;

/** Payloads of assorted sizes: some fill containers, some need fragments at small MTUs. */
function payloads(n: number): Payload[] {
  return Array.from({ length: n }, (_, i) => ({
    vid: 1,
    msgtype: 6,
    timeSec: 1700000000 + i,
    timeNsec: i,
    source: i + 1,
    payload: new Uint8Array(i % 50 === 0 ? 3000 : 20 + (i % 300)).map((_, j) => (i + j) & 0xff),
  }));
}

async function roundTrip(
  want: Payload[],
  options: UdpOutputOptions,
  at = LOOPBACK4,
) {
  const input = UdpInput.bind(at);
  const out = UdpOutput.connect(input.localAddress, options);
  for (const p of want) await out.write(p);
  await out.close();
  const got = await collect(input, want.length);
  const stats = input.stats();
  input.close();
  return { got, stats, sent: out.stats(), sequenceId: out.sequenceId };
}

Deno.test({
  name: "UdpOutput → UdpInput: lossless, sequenced, one source per output",
  ignore,
  async fn() {
    const want = payloads(2000);
    const { got, stats, sent, sequenceId } = await roundTrip(want, {});
    assert.deepEqual(got, want);
    assert.equal(stats.containersReceived, sent.containers);
    assert.equal(stats.containersDropped, 0);
    assert.equal(stats.sources.length, 1);
    assert.equal(stats.sources[0]!.sequenceId, sequenceId);
    assert.equal(stats.sources[0]!.expected, sent.containers);
    // 8192-byte containers (-m default): every datagram within the MTU.
    assert.ok(sent.bytes / sent.datagrams <= 8192);
    assert.ok(sent.containers > 10);
  },
});

Deno.test({
  name: "UdpOutput with -m 512 fragments large containers; the input reassembles them",
  ignore,
  async fn() {
    const want = payloads(300);
    const { got, stats, sent } = await roundTrip(want, { mtu: 100 }); // clamped to 512
    assert.deepEqual(got, want);
    assert.ok(sent.datagrams > sent.containers, "some containers were fragmented");
    assert.ok(stats.fragments.completed >= 6); // the 3000-byte payloads
    assert.equal(stats.containersReceived, sent.containers);
  },
});

Deno.test({
  name: "UdpOutput with -z and with --unbuffered",
  ignore,
  async fn() {
    const want = payloads(400);
    const z = await roundTrip(want, { zlib: nodeZlib, mtu: 512 });
    assert.deepEqual(z.got, want);
    assert.equal(z.stats.containersReceived, z.sent.containers);
    const u = await roundTrip(want.slice(0, 100), { unbuffered: true });
    assert.deepEqual(u.got, want.slice(0, 100));
    assert.equal(u.sent.containers, 100);
    assert.equal(u.stats.containersReceived, 100);
  },
});

Deno.test({
  name: "UdpOutput → UdpInput over ::1",
  ignore: ignore || !haveIpv6,
  async fn() {
    const want = payloads(500);
    const { got, stats } = await roundTrip(want, { mtu: 512 }, LOOPBACK6);
    assert.deepEqual(got, want);
    assert.equal(stats.containersDropped, 0);
  },
});

Deno.test({
  name: "openUdpOutputs() and openUdpInputs() open one socket per port of a range",
  ignore,
  async fn() {
    // Find three consecutive free ports: bind the first one's neighbours too.
    let inputs: UdpInput[] | undefined;
    for (let tries = 0; inputs === undefined && tries < 20; tries++) {
      const probe = UdpInput.bind(LOOPBACK4);
      const lo = probe.localAddress.port;
      probe.close();
      if (lo > 65533) continue;
      try {
        inputs = openUdpInputs(`127.0.0.1/${lo}..${lo + 2}`);
      } catch {
        // a neighbour is taken; try elsewhere
      }
    }
    assert.ok(inputs !== undefined);
    const lo = inputs[0]!.localAddress.port;
    assert.deepEqual(inputs.map((i) => i.name), [0, 1, 2].map((k) => `127.0.0.1/${lo + k}`));
    const outputs = openUdpOutputs(`127.0.0.1/${lo}..${lo + 2}`, { unbuffered: true });
    assert.deepEqual(outputs.map((o) => o.name), inputs.map((i) => i.name));
    const want = payloads(30);
    want.forEach((p, i) => outputs[i % 3]!.write(p));
    for (const o of outputs) await o.close();
    for (let k = 0; k < 3; k++) {
      const got = await collect(inputs[k]!, 10);
      assert.deepEqual(got, want.filter((_, i) => i % 3 === k));
      inputs[k]!.close();
    }
  },
});

Deno.test({
  name: "UdpOutput fails like the C tool once the destination port refuses",
  ignore,
  async fn() {
    const probe = UdpInput.bind(LOOPBACK4);
    const closed = probe.localAddress;
    probe.close();
    const out = UdpOutput.connect(closed, { unbuffered: true });
    const p = payloads(1)[0]!;
    // The first datagram draws an ICMP port unreachable; a later send reports it.
    let error: unknown;
    for (let i = 0; i < 10 && error === undefined; i++) {
      try {
        await out.write(p);
        await new Promise((r) => setTimeout(r, 10));
      } catch (e) {
        error = e;
      }
    }
    await out.close().catch(() => {});
    assert.ok(error instanceof SocketError);
    assert.equal(error.message, "write_sock: write() failed: Connection refused");
  },
});

Deno.test({
  name: "SendPacer queues ticks taken while one waits, as outputs sharing it do",
  ignore,
  async fn() {
    // 100/s: each tick after the first waits for the next 10 ms slot.
    const pacer = new SendPacer(100, 10);
    const ticks = Array.from({ length: 4 }, () => pacer.tick());
    const timer = setTimeout(() => {
      throw new Error("a queued tick never resolved");
    }, 10000);
    try {
      await Promise.all(ticks);
    } finally {
      clearTimeout(timer);
    }
    assert.ok(ticks.slice(1).every((t) => t !== undefined));
  },
});

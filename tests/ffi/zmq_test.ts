import assert from "node:assert/strict";
import {
  ZMQ_PULL,
  ZMQ_PUSH,
  ZMQ_RCVTIMEO,
  ZMQ_SNDHWM,
  ZMQ_SNDTIMEO,
  ZmqContext,
  ZmqError,
  zmqVersion,
} from "../../src/ffi/zmq.ts";
import { findLibrary } from "../_native.ts";

const ignore = findLibrary("libzmq") === undefined;

Deno.test({
  name: "zmqVersion() reports libzmq 4",
  ignore,
  fn() {
    assert.equal(zmqVersion()[0], 4);
  },
});

Deno.test({
  name: "ZmqSocket sends and receives in order, waiting off the main thread at the HWM",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir();
    const ctx = new ZmqContext();
    const pull = ctx.socket(ZMQ_PULL);
    const push = ctx.socket(ZMQ_PUSH);
    try {
      pull.setInt(ZMQ_RCVTIMEO, 200);
      pull.bind(`ipc://${dir}/s`);
      push.setInt(ZMQ_SNDHWM, 10);
      push.setInt(ZMQ_SNDTIMEO, 200);
      push.connect(`ipc://${dir}/s`);
      const n = 2000;
      // Each send and receive times out after 200 ms and is retried, for 30 s at most.
      const end = Date.now() + 30000;
      const inTime = () => {
        if (Date.now() > end) throw new Error("timed out");
      };
      // More than the HWM: the sender has to wait while the receiver drains.
      const sender = (async () => {
        const m = new Uint8Array(100);
        for (let i = 0; i < n; i++) {
          new DataView(m.buffer).setUint32(0, i);
          while (!(await push.send(m))) inTime();
        }
      })();
      for (let i = 0; i < n; i++) {
        const m = pull.tryRecv() ?? await pull.recv();
        if (m === null) {
          inTime();
          i--;
          continue;
        }
        assert.equal(m.length, 100);
        assert.equal(new DataView(m.buffer, m.byteOffset).getUint32(0), i);
      }
      await sender;
      assert.equal(pull.tryRecv(), null);
      // Nothing more comes: the parked receive times out with null.
      assert.equal(await pull.recv(), null);
    } finally {
      await push.close();
      await pull.close();
      await ctx.term();
    }
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "ZmqSocket receives messages larger than its buffer",
  ignore,
  async fn() {
    const ctx = new ZmqContext();
    const pull = ctx.socket(ZMQ_PULL);
    const push = ctx.socket(ZMQ_PUSH);
    try {
      pull.setInt(ZMQ_RCVTIMEO, 1000);
      pull.bind("inproc://big");
      push.connect("inproc://big");
      const big = new Uint8Array(3 << 20).map((_, i) => i * 7);
      assert.ok(push.trySend(big));
      const m = await pull.recv();
      assert.deepEqual(m, big);
    } finally {
      await push.close();
      await pull.close();
      await ctx.term();
    }
  },
});

Deno.test({
  name: "ZmqError carries libzmq's own reason",
  ignore,
  async fn() {
    const ctx = new ZmqContext();
    const s = ctx.socket(ZMQ_PUSH);
    try {
      assert.throws(
        () => s.bind("ipc:///nonexistent-dir/x"),
        (e: unknown) =>
          e instanceof ZmqError && e.message ===
            "zmq_bind(ipc:///nonexistent-dir/x) failed: No such file or directory",
      );
      assert.throws(() => s.connect("bogus://x"), /Protocol not supported/);
    } finally {
      await s.close();
      await ctx.term();
    }
  },
});

Deno.test({
  name: "ZmqSocket.close() during a parked receive closes once the receive returns",
  ignore,
  async fn() {
    const ctx = new ZmqContext();
    const pull = ctx.socket(ZMQ_PULL);
    pull.setInt(ZMQ_RCVTIMEO, 100);
    pull.bind("inproc://parked");
    const pending = pull.recv();
    await pull.close();
    assert.equal(await pending, null);
    assert.ok(pull.closed);
    assert.throws(() => pull.tryRecv(), /closed/);
    await ctx.term();
  },
});

import assert from "node:assert/strict";
import { EndpointError } from "../../src/io/endpoint_error.ts";
import { parseZmqEndpoint } from "../../src/io/zmq_endpoint.ts";

Deno.test("parseZmqEndpoint() uses libnmsg's defaults: inputs bind, outputs connect, pubsub", () => {
  assert.deepEqual(parseZmqEndpoint("ipc:///tmp/x", "input"), {
    endpoint: "ipc:///tmp/x",
    bind: true,
    pattern: "pubsub",
  });
  assert.deepEqual(parseZmqEndpoint("tcp://127.0.0.1:5555", "output"), {
    endpoint: "tcp://127.0.0.1:5555",
    bind: false,
    pattern: "pubsub",
  });
});

Deno.test("parseZmqEndpoint() reads tokens case-insensitively, in any order", () => {
  assert.deepEqual(parseZmqEndpoint("tcp://*:5555,PushPull,Accept", "output"), {
    endpoint: "tcp://*:5555",
    bind: true,
    pattern: "pushpull",
  });
  assert.deepEqual(parseZmqEndpoint("ipc:///a,connect", "input"), {
    endpoint: "ipc:///a",
    bind: false,
    pattern: "pubsub",
  });
});

Deno.test("parseZmqEndpoint() skips empty and unknown tokens as strtok does", () => {
  assert.deepEqual(parseZmqEndpoint(",ipc:///a,,bogus,pushpull,", "input"), {
    endpoint: "ipc:///a",
    bind: true,
    pattern: "pushpull",
  });
});

Deno.test("parseZmqEndpoint() rejects a repeated direction or type and an empty endpoint", () => {
  for (
    const bad of ["ipc:///a,accept,connect", "ipc:///a,accept,accept", "ipc:///a,pubsub,pushpull"]
  ) {
    assert.throws(() => parseZmqEndpoint(bad, "input"), EndpointError, bad);
  }
  assert.throws(() => parseZmqEndpoint(",,", "output"), /no ZeroMQ endpoint/);
  assert.throws(() => parseZmqEndpoint("", "output"), /no ZeroMQ endpoint/);
});

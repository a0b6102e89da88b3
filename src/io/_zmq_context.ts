// One ZeroMQ context per process, as nmsgtool has: its sockets share the I/O thread and
// `inproc://` endpoints. The last socket to leave terminates it, which is also what lets
// lingering outgoing messages reach their peers before the process exits.

import { ZmqContext, type ZmqSocket } from "../ffi/zmq.ts";
import { parseZmqEndpoint, type ZmqEndpoint } from "./zmq_endpoint.ts";

let shared: ZmqContext | undefined;
let users = 0;

/** Drops one use; the last terminates the context (after its sockets are closed). */
async function releaseZmqContext(): Promise<void> {
  if (--users > 0 || shared === undefined) return;
  const ctx = shared;
  shared = undefined;
  await ctx.term();
}

/**
 * Opens the socket an endpoint string describes, in the shared context: `configure`
 * picks the socket type and sets options before the bind or connect.
 */
export function openZmqSocket(
  spec: string,
  role: "input" | "output",
  configure: (ep: ZmqEndpoint) => { type: number; options: (s: ZmqSocket) => void },
): ZmqSocket {
  const ep = parseZmqEndpoint(spec, role);
  shared ??= new ZmqContext();
  users++;
  let socket: ZmqSocket | undefined;
  try {
    const { type, options } = configure(ep);
    socket = shared.socket(type);
    options(socket);
    if (ep.bind) socket.bind(ep.endpoint);
    else socket.connect(ep.endpoint);
    return socket;
  } catch (e) {
    void closeZmqSocket(socket);
    throw e;
  }
}

/** Closes a socket from {@linkcode openZmqSocket} and lets go of the shared context. */
export async function closeZmqSocket(socket: ZmqSocket | undefined): Promise<void> {
  await socket?.close();
  await releaseZmqContext();
}

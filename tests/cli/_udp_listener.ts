// Running a listening tool (nmsgtool -l, nmsg-seqsrc) as users run it, feeding it
// datagrams on loopback and stopping it with a signal once it has read them all. Every
// wait is bounded, and the child is killed if anything goes wrong. (The batch read last is
// processed before a signal is handled: one task.)

import type { ToolName } from "../../cli/permissions.ts";
import { UdpInput } from "../../src/io/udp_input.ts";
import { LOOPBACK4 } from "../io/_udp_util.ts";
import { type BackgroundTool, startTool, waitUntil } from "./_background_tool.ts";

/** A free UDP port on 127.0.0.1 (bound and released at once). */
export function freePort(): number {
  const probe = UdpInput.bind(LOOPBACK4);
  probe.close();
  return probe.localAddress.port;
}

/**
 * The receive queue of every UDP socket bound to `port` (Linux /proc/net/udp{,6}), in
 * bytes; empty while nothing is bound there.
 */
export function receiveQueues(port: number): number[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const queues: number[] = [];
  for (const file of ["/proc/net/udp", "/proc/net/udp6"]) {
    let text = "";
    try {
      text = Deno.readTextFileSync(file);
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(`:${hexPort}`)) queues.push(parseInt(f[4]!.split(":")[1]!, 16));
    }
  }
  return queues;
}

/** A tool listening in the background. */
export interface Listener extends BackgroundTool {
  /** Waits until the tool has read everything queued on `ports`. */
  drained(): Promise<void>;
  /** Kills the tool (cleanup after a failure). */
  kill(): void;
}

/**
 * Starts `tool args…` and waits until it has bound every port in `ports`.
 *
 * @param tool The tool.
 * @param args Its arguments.
 * @param ports The ports it will listen on.
 * @param env Extra environment.
 */
export async function listen(
  tool: ToolName,
  args: string[],
  ports: number[],
  env: Record<string, string> = {},
): Promise<Listener> {
  const child = startTool(tool, args, { env });
  const kill = () => void child.stop("SIGKILL");
  try {
    await waitUntil(`${tool} binds ${ports.join(",")}`, () => {
      if (child.exited()) throw new Error(`${tool} exited before binding its ports`);
      return ports.every((p) => receiveQueues(p).length > 0);
    });
  } catch (e) {
    const out = await child.stop("SIGKILL");
    throw new Error(`${e}: ${out.stderr}`);
  }
  return {
    ...child,
    drained: () =>
      waitUntil(
        "the listener has read every datagram",
        () => ports.every((p) => receiveQueues(p).every((q) => q === 0)),
      ).catch((e) => {
        kill();
        throw e;
      }),
    kill,
  };
}

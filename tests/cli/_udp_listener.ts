// Running a listening tool (nmsgtool -l, nmsg-seqsrc) as users run it, feeding it
// datagrams on loopback and stopping it with a signal once it has read them all. Every
// wait is bounded, and the child is killed if anything goes wrong.

import type { ToolName } from "../../cli/permissions.ts";
import { cleanEnv, toolCommand } from "../_cli.ts";
import { UdpInput } from "../../src/io/udp_input.ts";
import { LOOPBACK4 } from "../io/_udp_util.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

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

async function until(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A tool listening in the background. */
export interface Listener {
  /** Waits until the tool has read everything queued on `ports`. */
  drained(): Promise<void>;
  /** Sends `signal`, then collects the exit status and output. */
  stop(signal?: Deno.Signal): Promise<{ code: number; stdout: Uint8Array; stderr: string }>;
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
  const child = new Deno.Command(Deno.execPath(), {
    args: [...toolCommand(tool), ...args],
    cwd: ROOT,
    env: cleanEnv(env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  let done = false;
  output.finally(() => (done = true));
  const kill = () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  };
  try {
    await until(
      `${tool} binds ${ports.join(",")}`,
      () => {
        if (done) throw new Error(`${tool} exited before binding its ports`);
        return ports.every((p) => receiveQueues(p).length > 0);
      },
      30000,
    );
  } catch (e) {
    kill();
    const out = await output;
    throw new Error(`${e}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return {
    drained: () =>
      until(
        "the listener has read every datagram",
        () => ports.every((p) => receiveQueues(p).every((q) => q === 0)),
        30000,
      ).catch((e) => {
        kill();
        throw e;
      }),
    async stop(signal: Deno.Signal = "SIGINT") {
      // The batch read last is processed before the signal is handled (one task).
      child.kill(signal);
      const timer = setTimeout(kill, 30000);
      const out = await output;
      clearTimeout(timer);
      return { code: out.code, stdout: out.stdout, stderr: new TextDecoder().decode(out.stderr) };
    },
    kill,
  };
}

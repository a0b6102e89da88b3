// A tool running in the background while a test talks to it through ZeroMQ or Kafka:
// its stderr is collected as it comes, waits are bounded, and it is killed if anything
// goes wrong.

import type { ToolName } from "../../cli/permissions.ts";
import { cleanEnv, toolCommand } from "../_cli.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Polls `ok` every 20 ms until it holds; throws after `timeoutMs`. */
export async function waitUntil(what: string, ok: () => boolean, timeoutMs = 30000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A running tool. */
export interface BackgroundTool {
  /** Its process id. */
  pid: number;
  /** Everything it has written to stderr so far. */
  stderr(): string;
  /** True once it has exited. */
  exited(): boolean;
  /** Writes to its stdin (when started with `stdin: true`). */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes its stdin. */
  closeStdin(): Promise<void>;
  /** Sends `signal` (unless it has exited), then collects the exit status and output. */
  stop(signal?: Deno.Signal): Promise<{ code: number; stdout: Uint8Array; stderr: string }>;
  /** Waits for it to exit by itself (bounded), then collects the status and output. */
  done(timeoutMs?: number): Promise<{ code: number; stdout: Uint8Array; stderr: string }>;
}

/**
 * Starts `tool args…` as users run it.
 *
 * @param tool The tool.
 * @param args Its arguments.
 * @param opts `env`: extra environment; `stdin`: keep stdin open for
 *   {@linkcode BackgroundTool.write}; `cwd`: where it runs (default: the repository).
 */
export function startTool(
  tool: ToolName,
  args: string[],
  opts: { env?: Record<string, string>; stdin?: boolean; cwd?: string } = {},
): BackgroundTool {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...toolCommand(tool), ...args],
    cwd: opts.cwd ?? ROOT,
    env: cleanEnv(opts.env),
    clearEnv: true,
    stdin: opts.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let err = "";
  let exited = false;
  const decoder = new TextDecoder();
  const stderrDone = (async () => {
    for await (const chunk of child.stderr) err += decoder.decode(chunk, { stream: true });
  })();
  const stdout = new Response(child.stdout).bytes();
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const writer = opts.stdin ? child.stdin.getWriter() : undefined;
  const collect = async () => {
    const [s, out] = await Promise.all([status, stdout, stderrDone]);
    return { code: s.code, stdout: out, stderr: err };
  };
  const bounded = async (timeoutMs: number) => {
    const timer = setTimeout(() => {
      if (!exited) child.kill("SIGKILL");
    }, timeoutMs);
    try {
      return await collect();
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    pid: child.pid,
    stderr: () => err,
    exited: () => exited,
    write: (bytes) => writer!.write(bytes),
    closeStdin: () => writer!.close(),
    stop(signal: Deno.Signal = "SIGINT") {
      if (!exited) child.kill(signal);
      return bounded(30000);
    },
    done: (timeoutMs = 30000) => bounded(timeoutMs),
  };
}

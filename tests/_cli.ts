// Running the CLIs in tests exactly as users run them: `deno run` with the tool's own
// permission flags from cli/permissions.ts (never -A), from the repository's entry points.

import { permissionFlags, type ToolName, TOOLS } from "../cli/permissions.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** Options for {@linkcode runTool}. */
export interface RunOptions {
  cwd?: string;
  /** Extra environment variables (NMSG_*, ARGV_* and DNSQR_* from the caller are dropped). */
  env?: Record<string, string>;
  /** Bytes for stdin (default: empty). */
  stdin?: Uint8Array;
}

/** What a tool run produced. */
export interface RunResult {
  code: number;
  stdout: Uint8Array;
  stderr: string;
}

/** The `deno` command line (without the tool's own arguments) for a tool. */
export function toolCommand(tool: ToolName): string[] {
  return ["run", ...permissionFlags(tool), ROOT + TOOLS[tool].entry];
}

/** A clean environment: this process's, minus the variables that change the tools' behaviour. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (!/^(NMSG_|ARGV_|DNSQR_|GLOBAL_ARGV)/.test(k)) env[k] = v;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

/**
 * Runs `deno <args>` with a clean environment, feeds stdin, and collects the exit code and
 * output: for a tool run with other flags than its own.
 */
export async function runDeno(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: opts.cwd ?? ROOT,
    env: cleanEnv(opts.env),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(opts.stdin ?? new Uint8Array(0)).catch(() => {});
  await writer.close().catch(() => {});
  const out = await child.output();
  return { code: out.code, stdout: out.stdout, stderr: new TextDecoder().decode(out.stderr) };
}

/** Spawns a tool with its own flags, feeds stdin, and collects its exit code and output. */
export function runTool(tool: ToolName, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return runDeno([...toolCommand(tool), ...args], opts);
}

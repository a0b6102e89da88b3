// nmsgtool -D. A Deno process cannot fork(), so the tool starts itself again as a child
// (marked by NMSG_DAEMON_CHILD) in a new session; the parent relays the child's stderr until
// the child has set everything up and let go of it, then exits 0 as the C parent does, or
// with the child's status if the child failed before that.

import { permissionFlags } from "./permissions.ts";
import { newSession, stdioToDevNull } from "../src/ffi/libc_process.ts";

const CHILD_ENV = "NMSG_DAEMON_CHILD";

/** True in the child started by {@linkcode daemonize}. */
export function isDaemonChild(): boolean {
  try {
    return Deno.env.get(CHILD_ENV) === "1";
  } catch {
    return false;
  }
}

/** How to start this program again with the same arguments. */
function selfCommand(): string[] {
  const exe = Deno.execPath();
  // Under `deno run` the program is the script; a compiled binary is the executable itself.
  if (/(^|\/)deno$/.test(exe)) {
    return [exe, "run", ...permissionFlags("nmsgtool"), Deno.mainModule, ...Deno.args];
  }
  return [exe, ...Deno.args];
}

/**
 * Starts the daemon and waits until it is running.
 *
 * @returns The exit status for this (parent) process.
 */
export async function daemonize(): Promise<number> {
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", 'exec "$@"', "nmsgtool", ...selfCommand()],
    env: { [CHILD_ENV]: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  for await (const chunk of child.stderr) {
    for (let off = 0; off < chunk.length;) off += Deno.stderr.writeSync(chunk.subarray(off));
  }
  // The pipe closed: either the child let go of it (running) or it exited.
  const exited = await Promise.race([
    child.status.then((s) => s.code),
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 100)),
  ]);
  child.unref();
  return exited ?? 0;
}

/**
 * In the child, once set up: leaves the terminal's session, moves to `/`, and lets go of
 * stdio (the parent then exits).
 *
 * @returns An error message, or undefined on success.
 */
export function detach(): string | undefined {
  if (!newSession()) return "setsid() failed";
  try {
    Deno.chdir("/");
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return stdioToDevNull() ? undefined : "cannot open /dev/null";
}

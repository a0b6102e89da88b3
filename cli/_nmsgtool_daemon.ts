// nmsgtool -D. A Deno process cannot fork(), so the tool starts itself again as a child
// (marked by NMSG_DAEMON_CHILD) in a new session; the parent relays the child's stderr until
// the child has set everything up and says so, then exits 0 as the C parent does, or with
// the child's status if the child failed before that.
//
// The child says so with a NUL byte on stderr (no message of the tool contains one), not by
// closing the pipe: Deno keeps private duplicates of the descriptors a process starts with,
// and after -U the process may no longer look them up in /proc to close them.

import { permissionFlags } from "./permissions.ts";
import { newSession, stdioToDevNull } from "../src/ffi/libc_process.ts";

const CHILD_ENV = "NMSG_DAEMON_CHILD";
const READY = 0;

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

function writeAll(bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length;) off += Deno.stderr.writeSync(bytes.subarray(off));
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
    const ready = chunk.indexOf(READY);
    writeAll(ready < 0 ? chunk : chunk.subarray(0, ready));
    if (ready >= 0) {
      child.unref();
      return 0;
    }
  }
  // The pipe closed before the child was ready: it exited.
  return (await child.status).code;
}

/**
 * In the child, once set up: leaves the terminal's session, moves to `/`, tells the parent
 * it is running, and lets go of stdio (the parent then exits).
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
  writeAll(new Uint8Array([READY]));
  return stdioToDevNull() ? undefined : "cannot open /dev/null";
}

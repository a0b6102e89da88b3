// nmsgtool -D -P -U as a user runs it (as root): the parent returns once the daemon is set
// up, the daemon runs as the user in its own session from /, keeps receiving, and a SIGTERM
// leaves its output complete. Loopback only; every wait is bounded and the daemon is killed
// if anything goes wrong.

import assert from "node:assert/strict";
import { runTool } from "../_cli.ts";
import { goldenBytes } from "../_golden.ts";
import { haveLibc, LOOPBACK4, sendAll } from "../io/_udp_util.ts";
import { readDgrams } from "../wire/_util.ts";
import { startTool, waitUntil } from "./_background_tool.ts";
import { freePort, receiveQueues } from "./_udp_listener.ts";

const NOBODY = /^nobody:[^:]*:(\d+):/m.exec(Deno.readTextFileSync("/etc/passwd"))?.[1];
const ignore = !haveLibc || Deno.uid() !== 0 || NOBODY === undefined;

/** The state letter of a process in /proc/PID/stat, or undefined once it is gone. */
function processState(pid: number): { state: string; session: number } | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // After "pid (comm) ": state, ppid, pgrp, session, …
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: f[0]!, session: Number(f[3]) };
  } catch {
    return undefined;
  }
}

Deno.test({
  name: "nmsgtool -D -P -U daemonizes, drops privileges, and flushes its output on SIGTERM",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir();
    await Deno.chmod(dir, 0o777); // -U nobody opens the output after switching user
    const port = freePort();
    let pid = 0;
    try {
      const parent = await startTool("nmsgtool", [
        "-D",
        "-P",
        `${dir}/pid`,
        "-U",
        "nobody",
        "-l",
        `127.0.0.1/${port}`,
        "-w",
        `${dir}/out.nmsg`,
      ]).done(30000);
      assert.equal(parent.stderr, "");
      assert.equal(parent.code, 0);

      pid = Number(Deno.readTextFileSync(`${dir}/pid`).trim());
      const status = Deno.readTextFileSync(`/proc/${pid}/status`);
      assert.equal(/^Uid:\s+(\d+)/m.exec(status)?.[1], NOBODY);
      assert.equal(processState(pid)?.session, pid, "the daemon leads its own session");
      assert.equal(Deno.readLinkSync(`/proc/${pid}/cwd`), "/");
      assert.ok(receiveQueues(port).length > 0, "the daemon listens");

      sendAll({ ...LOOPBACK4, port }, readDgrams("udp/normal.dgrams"));
      await waitUntil(
        "the daemon has read every datagram",
        () => receiveQueues(port).every((q) => q === 0),
      );
      Deno.kill(pid, "SIGTERM");
      // Nothing may reap it here (PID 1 need not): gone or a zombie both mean it has exited.
      await waitUntil("the daemon exits", () => (processState(pid)?.state ?? "Z") === "Z");
      pid = 0;

      const out = await runTool("nmsgtool", ["-r", `${dir}/out.nmsg`]);
      assert.equal(out.code, 0, out.stderr);
      assert.deepEqual(out.stdout, goldenBytes("expected/udp_normal.pres"));
    } finally {
      if (pid !== 0 && processState(pid) !== undefined) Deno.kill(pid, "SIGKILL");
      await Deno.remove(dir, { recursive: true });
    }
  },
});

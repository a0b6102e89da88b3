// The permission sandbox each tool runs in: what its flags allow, what they refuse, and the
// one-line hint a user gets for a missing grant. The install shims bake the same flags.

import assert from "node:assert/strict";
import { permissionFlags, type ToolName, TOOLS } from "../../cli/permissions.ts";
import { installShims } from "../../scripts/install.ts";
import { cleanEnv, runDeno, toolCommand } from "../_cli.ts";
import { GOLDEN_DIR } from "../_golden.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function run(args: string[]) {
  const out = await runDeno(args, { cwd: GOLDEN_DIR });
  return { ...out, stdout: text(out.stdout) };
}

Deno.test("nmsgpcnt's permission set reads files and nothing more", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A probe run with exactly nmsgpcnt's flags: each operation it must not be able to do.
    const probe = `${dir}/probe.ts`;
    await Deno.writeTextFile(
      probe,
      `const tries = {
        read: () => Deno.readFileSync(${JSON.stringify(`${GOLDEN_DIR}inputs/crafted_empty.nmsg`)}),
        write: () => Deno.writeTextFileSync(${JSON.stringify(`${dir}/x`)}, "x"),
        net: () => Deno.listen({ hostname: "127.0.0.1", port: 0 }).close(),
        env: () => Deno.env.get("HOME"),
        run: () => new Deno.Command("true").outputSync(),
        ffi: () => Deno.dlopen("/usr/lib/x86_64-linux-gnu/libc.so.6", {}),
      };
      for (const [name, f] of Object.entries(tries)) {
        try { f(); console.log(name, "allowed"); } catch (e) { console.log(name, e.name); }
      }`,
    );
    const res = await run([...toolCommand("nmsgpcnt").slice(0, -1), probe]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(
      res.stdout,
      "read allowed\nwrite NotCapable\nnet NotCapable\nenv NotCapable\nrun NotCapable\nffi NotCapable\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a capture cannot send to a socket it was not granted, and says which flag to add", async () => {
  // nmsgtool's own flags with --allow-net narrowed to one unrelated address.
  const args = toolCommand("nmsgtool").map((a) =>
    a === "--allow-net" ? "--allow-net=127.0.0.1:1" : a
  );
  const res = await run([
    ...args,
    "-p",
    "inputs/generic-tests_dig_response.pcap",
    "-V",
    "base",
    "-T",
    "dnsqr",
    "-s",
    "127.0.0.1/9",
  ]);
  assert.equal(res.code, 1);
  assert.equal(
    res.stderr,
    'nmsgtool: missing permission: net access to "127.0.0.1:9"; run with --allow-net=127.0.0.1:9\n',
  );
  assert.equal(res.stdout, "");
});

Deno.test("install shims run each tool with exactly its permission flags", async () => {
  const root = await Deno.makeTempDir();
  try {
    const shims = await installShims(root);
    for (const [i, tool] of (Object.keys(TOOLS) as ToolName[]).entries()) {
      const shim = await Deno.readTextFile(shims[i]!);
      // The shim quotes arguments with shell metacharacters; compare them unquoted.
      const line = shim.split("\n").find((l) => l.startsWith("exec deno run "))!.replaceAll(
        "'",
        "",
      );
      assert.ok(line.includes(` ${permissionFlags(tool).join(" ")} `), `${tool}: ${line}`);
      assert.doesNotMatch(line, / (-A|--allow-all) /);
    }
    const res = await new Deno.Command(shims[0]!, {
      args: [`${GOLDEN_DIR}inputs/generic-tests_dnsqr.nmsg`],
      env: { ...cleanEnv(), PATH: `${Deno.execPath().replace(/\/[^/]*$/, "")}:/usr/bin:/bin` },
      clearEnv: true,
      stdout: "piped",
    }).output();
    assert.equal(text(res.stdout), "containers:\t1\npayloads:\t32\n");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

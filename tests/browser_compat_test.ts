// The codec layers (src/wire, src/msgmod) use no Deno or Node APIs, so they run in browsers:
// they type-check against the DOM library alone, and their module graph stays inside them.

import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;
const ENTRIES = ["src/wire/mod.ts", "src/msgmod/mod.ts"];
const ALLOWED = /^(file:\/\/.*\/(src\/wire|src\/msgmod|gen)\/|npm:\/?@bufbuild\/protobuf)/;

async function deno(args: string[]): Promise<{ ok: boolean; out: string; err: string }> {
  const res = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { ok: res.success, out: dec.decode(res.stdout), err: dec.decode(res.stderr) };
}

Deno.test("src/wire and src/msgmod type-check against the DOM library only", async () => {
  const main = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const dir = await Deno.makeTempDir();
  try {
    const config = `${dir}/deno.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        imports: main.imports,
        compilerOptions: { ...main.compilerOptions, lib: ["dom", "dom.iterable", "esnext"] },
      }),
    );
    const res = await deno([
      "check",
      "--quiet",
      "--config",
      config,
      ...ENTRIES.map((e) => ROOT + e),
    ]);
    assert.ok(res.ok, res.err);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("src/wire and src/msgmod import nothing outside themselves but protobuf-es", async () => {
  for (const entry of ENTRIES) {
    const res = await deno(["info", "--json", entry]);
    assert.ok(res.ok, res.err);
    const info = JSON.parse(res.out);
    const specifiers: string[] = info.modules.map((m: { specifier: string }) => m.specifier);
    const outside = specifiers.filter((s) => !ALLOWED.test(s));
    assert.deepEqual(outside, [], `${entry} reaches outside the browser-safe layers`);
  }
});

// Loading alias files: environment variables, default files and libnmsg's fallbacks.

import assert from "node:assert/strict";
import { loadAliases } from "../../src/io/aliases.ts";

function load(env: Record<string, string>, files: Record<string, string>) {
  return loadAliases({ env: (n) => env[n], dir: "/etc", readFile: (p) => files[p] });
}

Deno.test("loadAliases() reads the files the environment names", () => {
  const a = load(
    { NMSG_OPALIAS_FILE: "/x/op", NMSG_GRALIAS_FILE: "/x/gr" },
    { "/x/op": "1 FSI\n", "/x/gr": "3 grp\n", "/etc/nmsg.opalias": "1 default\n" },
  );
  assert.equal(a.operatorName(1), "FSI");
  assert.equal(a.groupName(3), "grp");
});

Deno.test("loadAliases() falls back to the default file when the named one is malformed", () => {
  const a = load({ NMSG_OPALIAS_FILE: "/x/op" }, {
    "/x/op": "1 FSI\n\n",
    "/etc/nmsg.opalias": "2 default\n",
  });
  assert.equal(a.operatorName(1), undefined);
  assert.equal(a.operatorName(2), "default");
});

Deno.test("loadAliases() skips group aliases when the operator file is malformed", () => {
  const a = load({}, { "/etc/nmsg.opalias": "1 a\nbad\n", "/etc/nmsg.gralias": "3 grp\n" });
  assert.equal(a.operatorName(1), "a");
  assert.equal(a.groupName(3), undefined);
});

Deno.test("loadAliases() treats a missing file as no aliases", () => {
  const a = load({ NMSG_OPALIAS_FILE: "/missing" }, { "/etc/nmsg.opalias": "1 a\n" });
  assert.equal(a.operatorName(1), undefined);
});

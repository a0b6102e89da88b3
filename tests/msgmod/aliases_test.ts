// Alias file parsing with libnmsg's strictness (spec nmsg-behaviour.md §5.2).

import assert from "node:assert/strict";
import { Aliases, parseAliases } from "../../mod.ts";

Deno.test("parseAliases() reads NUMBER NAME lines with strtoul numbers; later lines win", () => {
  const f = parseAliases("1 FSI\n2\tSomeVendor1 extra\n0x10 hex\n010 octal\n1 again\n");
  assert.equal(f.complete, true);
  assert.deepEqual([...f.names], [[1, "again"], [2, "SomeVendor1"], [16, "hex"], [8, "octal"]]);
});

Deno.test("parseAliases() marks a file with a blank, comment or one-field line incomplete", () => {
  for (const text of ["1 a\n\n2 b\n", "# comment\n", "1 a\n3\n", "x1 a\n", "1a b\n", "  \n"]) {
    assert.equal(parseAliases(text).complete, false, JSON.stringify(text));
  }
  assert.deepEqual([...parseAliases("1 a\n\n2 b\n").names], [[1, "a"]]);
  assert.equal(parseAliases("1 a").complete, true);
  assert.equal(parseAliases("").complete, true);
});

Deno.test("Aliases looks names up by number and numbers by name, case-insensitively", () => {
  const golden = (name: string) =>
    Deno.readTextFileSync(new URL(`../../../shared/golden/inputs/${name}`, import.meta.url));
  const a = new Aliases(
    parseAliases(golden("generic-tests_test.opalias")).names,
    parseAliases(golden("generic-tests_test.gralias")).names,
  );
  assert.equal(a.operatorName(1), "FSI");
  assert.equal(a.operatorId("fsi"), 1);
  assert.equal(a.groupId("TRAFFICCONVERTER") > 0, true);
  assert.equal(a.operatorId("nobody"), 0);
  assert.equal(a.groupName(999999), undefined);
});

import assert from "node:assert/strict";
import {
  ChannelAliasFileError,
  lookupChannelAlias,
  parseChannelAliases,
} from "../../src/io/chalias.ts";
import { GOLDEN_DIR } from "../_golden.ts";

Deno.test("lookupChannelAlias() reads the golden chalias file", () => {
  const file = GOLDEN_DIR + "inputs/generic-tests_test.chalias";
  assert.deepEqual(lookupChannelAlias("chtest1", { file }), [
    "10.32.43.255/8430",
    "10.32.43.255/9430",
  ]);
  assert.deepEqual(lookupChannelAlias("ch202", { file }), ["10.32.202.255/8430..8437"]);
  assert.deepEqual(lookupChannelAlias("nosuch", { file }), []);
});

Deno.test("parseChannelAliases() follows libnmsg's tokenizing", () => {
  const text = "a 1/1\tb/2\n  a 3/3 \nA 4/4\na\nab 5/5\na 6/6";
  // Every matching line counts; names are case-sensitive; a name alone never matches.
  assert.deepEqual(parseChannelAliases(text, "a"), ["1/1", "b/2", "3/3", "6/6"]);
  assert.deepEqual(parseChannelAliases(text, "A"), ["4/4"]);
});

Deno.test("lookupChannelAlias() falls back to the etc files and reports when none opens", () => {
  const dir = Deno.makeTempDirSync();
  try {
    assert.throws(
      () => lookupChannelAlias("x", { file: `${dir}/missing`, etcDir: dir }),
      new ChannelAliasFileError(
        `nmsg_chalias_lookup() failed: no chalias file found at (NMSG_CHALIAS_FILE=${dir}/missing / ${dir}/nmsg.chalias / ${dir}/nmsgtool.chalias)`,
      ),
    );
    assert.throws(
      () => lookupChannelAlias("x", { file: undefined, etcDir: dir }),
      /no chalias found at .*\/nmsg\.chalias or .*\/nmsgtool\.chalias$/,
    );
    Deno.writeTextFileSync(`${dir}/nmsgtool.chalias`, "x 127.0.0.1/1\n");
    assert.deepEqual(lookupChannelAlias("x", { file: `${dir}/missing`, etcDir: dir }), [
      "127.0.0.1/1",
    ]);
    Deno.writeTextFileSync(`${dir}/nmsg.chalias`, "x ::1/2\n");
    assert.deepEqual(lookupChannelAlias("x", { file: undefined, etcDir: dir }), ["::1/2"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

// JSON input (-j): the bugs of the golden README's "Reference bugs" 4, 5 and 7 fixed, the
// failures that stop nmsgtool, and what libnmsg does with a message that sets nothing.

import assert from "node:assert/strict";
import {
  Aliases,
  defaultRegistry,
  formatJson,
  formatPresentation,
  NmsgParseError,
  NmsgUnsupportedError,
  parseJsonPayload,
} from "../../mod.ts";

const registry = defaultRegistry();
const T = '"time":"2020-01-01 00:00:00.000000000"';

Deno.test("a time fraction is a decimal fraction (reference bug 4)", () => {
  const line = (t: string) =>
    `{"time":"2020-01-01 00:00:03${t}","vname":"base","mname":"logline","message":{}}`;
  assert.equal(parseJsonPayload(line(".5"), registry).timeNsec, 500000000);
  assert.equal(parseJsonPayload(line(".123"), registry).timeNsec, 123000000);
  assert.equal(parseJsonPayload(line(".0000000017"), registry).timeNsec, 1);
  assert.equal(parseJsonPayload(line(""), registry).timeNsec, 0);
});

Deno.test("a null inside a list is a parse error (reference bug 5)", () => {
  const text = Deno.readTextFileSync(
    new URL("../../../shared/golden/inputs/crafted_json_null_elem.json", import.meta.url),
  );
  assert.throws(() => parseJsonPayload(text, registry), NmsgParseError);
});

Deno.test("an enum number is accepted when the enum defines it (reference bug 7)", () => {
  const p = parseJsonPayload(
    `{${T},"vname":"base","mname":"packet","message":{"payload_type":1,"payload":"RQ=="}}`,
    registry,
  );
  assert.match(formatJson(p, registry), /"payload_type":"IP"/);
  assert.throws(
    () =>
      parseJsonPayload(
        `{${T},"vname":"base","mname":"packet","message":{"payload_type":0}}`,
        registry,
      ),
    NmsgParseError,
  );
});

Deno.test("fields nmsgtool cannot read at all stop the input with NmsgUnsupportedError", () => {
  assert.throws(
    () =>
      parseJsonPayload(
        `{${T},"vname":"SIE","mname":"dnsdedupe","message":{"response":"x"}}`,
        registry,
      ),
    NmsgUnsupportedError,
  );
});

Deno.test("a message that sets no field has no payload bytes but renders like libnmsg", () => {
  const p = parseJsonPayload(`{${T},"vname":"base","mname":"http","message":{}}`, registry);
  assert.equal(p.payload, undefined);
  // What nmsgtool -j prints for this line (checked with the C tool).
  assert.equal(
    formatJson(p, registry),
    `{${T},"vname":"base","mname":"http","message":{"type":"unknown"}}`,
  );
  assert.equal(
    formatPresentation(p, registry),
    "[0] [2020-01-01 00:00:00.000000000] [1:4 base http] [00000000] [] [] \ntype: unknown\n\n",
  );
});

Deno.test("operator and group names resolve through the aliases, case-insensitively", () => {
  const aliases = new Aliases(new Map([[1, "FSI"]]), new Map([[3, "trafficconverter"]]));
  const p = parseJsonPayload(
    `{${T},"vname":"base","mname":"logline","source":"a1b2c3d4","operator":"fsi",` +
      `"group":"TrafficConverter","message":{}}`,
    registry,
    { aliases },
  );
  assert.deepEqual([p.source, p.operator, p.group], [0xa1b2c3d4, 1, 3]);
  const unknown = parseJsonPayload(
    `{${T},"vname":"base","mname":"logline","operator":"nobody","message":{}}`,
    registry,
  );
  assert.equal(unknown.operator, undefined);
});

Deno.test("a line without a time takes the clock's; bad lines are parse errors", () => {
  const p = parseJsonPayload('{"vname":"base","mname":"logline","message":{}}', registry, {
    now: () => ({ sec: 7, nsec: 8 }),
  });
  assert.deepEqual([p.timeSec, p.timeNsec], [7, 8]);
  for (
    const bad of [
      "not json",
      "[]",
      '{"vname":"base","mname":"nosuch","message":{}}',
      '{"vname":1,"mname":"logline","message":{}}',
      `{${T},"vname":"base","mname":"logline"}`,
      `{${T},"vname":"base","mname":"logline","message":{"category":1}}`,
    ]
  ) {
    assert.throws(() => parseJsonPayload(bad, registry), NmsgParseError, bad);
  }
});

Deno.test("64-bit integers keep every digit", () => {
  const p = parseJsonPayload(
    `{${T},"vname":"SIE","mname":"delay","message":{"query_ip":"::","response_ip":"::",` +
      `"delay":0.5,"response_time_sec":-9223372036854775807}}`,
    registry,
  );
  assert.match(formatJson(p, registry), /"response_time_sec":9223372036854775809}/);
});

// Edge cases checked against outputs the C reference (nmsgtool 1.3.3) made by hand from
// inputs in tests/msgmod/testdata/ (see make_render_edge.ts and the commands below).

import assert from "node:assert/strict";
import {
  ContainerWriter,
  defaultRegistry,
  formatJsonBytes,
  formatPresentationBytes,
  NmsgParseError,
  NmsgRenderError,
  parseJsonPayload,
  type Payload,
  readPayloads,
} from "../../mod.ts";
import { concat } from "./_util.ts";

const DATA = new URL("./testdata/", import.meta.url).pathname;
const registry = defaultRegistry();

async function payloads(file: string): Promise<Payload[]> {
  using f = await Deno.open(DATA + file);
  return await Array.fromAsync(readPayloads(f));
}

function presentation(ps: Payload[], endline = "\n"): Uint8Array {
  return concat(ps.flatMap((p) => {
    const b = formatPresentationBytes(p, registry, { endline });
    return b ? [b.slice()] : [];
  }));
}

/** JSON lines until the first payload that cannot be rendered (nmsgtool stops there). */
function jsonLines(ps: Payload[]): { out: Uint8Array; stopped: boolean } {
  const parts: Uint8Array[] = [];
  for (const p of ps) {
    try {
      parts.push(formatJsonBytes(p, registry).slice(), new Uint8Array([10]));
    } catch (e) {
      assert.ok(e instanceof NmsgRenderError);
      return { out: concat(parts), stopped: true };
    }
  }
  return { out: concat(parts), stopped: false };
}

Deno.test("odd field values render as nmsgtool -r renders them", async () => {
  const ps = await payloads("render_edge.nmsg");
  assert.deepEqual(presentation(ps), Deno.readFileSync(DATA + "render_edge.pres"));
});

Deno.test("the endline goes where nmsgtool -e puts it, hooks included", async () => {
  // nmsgtool -r render_edge.nmsg -e ' | ' > render_edge.endline.pres
  const ps = await payloads("render_edge.nmsg");
  assert.deepEqual(presentation(ps, " | "), Deno.readFileSync(DATA + "render_edge.endline.pres"));
});

Deno.test("odd field values render as nmsgtool -J renders them, stopping where it stops", async () => {
  const ps = await payloads("render_edge.nmsg");
  const { out, stopped } = jsonLines(ps);
  assert.equal(stopped, true);
  assert.deepEqual(out, Deno.readFileSync(DATA + "render_edge.jsonl"));
});

// json_input_edge.out.* are `nmsgtool -j json_input_edge.jsonl` with -J, with
// presentation output and with -w (every line has a time, so the bytes are stable).
function parsedLines(): Payload[] {
  const out: Payload[] = [];
  for (const line of Deno.readTextFileSync(DATA + "json_input_edge.jsonl").split("\n")) {
    if (line === "") continue;
    try {
      out.push(parseJsonPayload(line, registry));
    } catch (e) {
      assert.ok(e instanceof NmsgParseError, String(e));
    }
  }
  return out;
}

Deno.test("edge-case JSON input loads, skips and renders as nmsgtool -j does", () => {
  const ps = parsedLines();
  assert.deepEqual(jsonLines(ps).out, Deno.readFileSync(DATA + "json_input_edge.out.jsonl"));
  assert.deepEqual(presentation(ps), Deno.readFileSync(DATA + "json_input_edge.out.pres"));
});

Deno.test("edge-case JSON input serializes to nmsgtool -j -w's exact bytes", () => {
  const w = new ContainerWriter({ bufsz: 1048576 });
  const units: Uint8Array[] = parsedLines().flatMap((p) => w.add(p).map((u) => u.slice()));
  units.push(...w.flush());
  assert.deepEqual(concat(units), Deno.readFileSync(DATA + "json_input_edge.out.nmsg"));
});

/**
 * JSON output: the one-line JSON objects `nmsgtool -J` writes, byte for byte.
 *
 * @module
 */

import type { Payload } from "../wire/payload.ts";
import type { NmsgMessage } from "./message.ts";
import { sink, sinkText } from "./_out.ts";
import { writeJsonBody, writeJsonRecord } from "./_json_writer.ts";
import type { ModuleRegistry } from "./registry.ts";
import type { RenderOptions } from "./render_options.ts";

/**
 * The `message` object of a message's JSON rendering, or undefined when libnmsg would
 * fail: the payload does not decode or a field formatter fails.
 *
 * @param msg The message.
 * @returns The JSON object text.
 *
 * @example
 * ```ts
 * import { defaultRegistry, formatJsonBody, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const msg = new NmsgMessage(defaultRegistry().lookupByName("base", "email")!)
 *   .set("type", "spamtrap").set("rcpt", ["a@example.com"]);
 * assert.equal(
 *   formatJsonBody(msg),
 *   '{"type":"spamtrap","rcpt":["a@example.com"],"bodyurl":[]}',
 * );
 * ```
 */
export function formatJsonBody(msg: NmsgMessage): string | undefined {
  sink.clip(0);
  return writeJsonBody(sink, msg) ? sinkText(sink) : undefined;
}

/**
 * Renders a payload as one line of `nmsgtool -J` output (without the newline):
 * `{"time":…,"vname":…,"mname":…[,"source":…][,"operator":…][,"group":…],"message":{…}}`,
 * with libnmsg's number, string and double formatting. Text is byte-faithful as described
 * for {@linkcode formatPresentation}; {@linkcode formatJsonBytes} gives the bytes directly.
 *
 * @param p The payload.
 * @param registry Where to find its module.
 * @param options Aliases and output-level source/operator/group (`endline` is ignored).
 * @returns The JSON text.
 * @throws {NmsgRenderError} If no module is registered for the payload, its bytes do not
 *   decode or a field formatter fails (nmsgtool stops its JSON output then).
 *
 * @example
 * ```ts
 * import { defaultRegistry, formatJson, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const registry = defaultRegistry();
 * const p = new NmsgMessage(registry.lookupByName("base", "logline")!)
 *   .set("category", "auth")
 *   .setEnvelope({ timeSec: 1577836800, timeNsec: 5, source: 0xab })
 *   .toPayload();
 * assert.equal(
 *   formatJson(p, registry),
 *   '{"time":"2020-01-01 00:00:00.000000005","vname":"base","mname":"logline",' +
 *     '"source":"000000ab","message":{"category":"auth"}}',
 * );
 * ```
 */
export function formatJson(
  p: Payload,
  registry: ModuleRegistry,
  options: RenderOptions = {},
): string {
  formatJsonBytes(p, registry, options);
  return sinkText(sink);
}

/**
 * {@linkcode formatJson} as the exact bytes nmsgtool writes (without the newline), without
 * building a string: a view into a buffer that the next call of this function (or of
 * {@linkcode formatPresentationBytes}) overwrites, so write or copy it before then.
 *
 * @param p The payload.
 * @param registry Where to find its module.
 * @param options Aliases and output-level source/operator/group.
 * @returns The bytes of the JSON object.
 * @throws {NmsgRenderError} As {@linkcode formatJson} does.
 *
 * @example
 * ```ts
 * import { defaultRegistry, formatJsonBytes, parseJsonPayload } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const registry = defaultRegistry();
 * const line = '{"time":"2020-01-01 00:00:00.000000000","vname":"base","mname":"logline",' +
 *   '"message":{"category":"x"}}';
 * const bytes = formatJsonBytes(parseJsonPayload(line, registry), registry);
 * assert.equal(new TextDecoder().decode(bytes), line);
 * ```
 */
export function formatJsonBytes(
  p: Payload,
  registry: ModuleRegistry,
  options: RenderOptions = {},
): Uint8Array {
  sink.clip(0);
  writeJsonRecord(sink, p, registry, options);
  return sink.buf.subarray(0, sink.len);
}

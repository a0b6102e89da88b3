/**
 * Presentation output: the human-readable text `nmsgtool` writes by default, byte for byte.
 *
 * @module
 */

import type { Payload } from "../wire/payload.ts";
import type { NmsgMessage } from "./message.ts";
import { sink, sinkText } from "./_out.ts";
import { writePresentationBody, writePresentationRecord } from "./_pres_writer.ts";
import type { ModuleRegistry } from "./registry.ts";
import type { RenderOptions } from "./render_options.ts";

/**
 * The body of a message's presentation (the field lines, without the header line), or
 * undefined when libnmsg would render nothing: the payload does not decode or a field
 * hook fails.
 *
 * @param msg The message.
 * @param endline Line terminator.
 * @returns The field lines.
 *
 * @example
 * ```ts
 * import { defaultRegistry, formatPresentationBody, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const msg = new NmsgMessage(defaultRegistry().lookupByName("base", "logline")!)
 *   .set("category", "auth").set("message", "login ok");
 * assert.equal(formatPresentationBody(msg), "category: auth\nmessage: login ok\n");
 * ```
 */
export function formatPresentationBody(msg: NmsgMessage, endline = "\n"): string | undefined {
  sink.clip(0);
  return writePresentationBody(sink, msg, endline) ? sinkText(sink) : undefined;
}

/**
 * Renders a payload the way `nmsgtool`'s presentation output does: the header line
 * `[size] [time] [vid:msgtype vendor type] [source] [operator] [group] ` + endline, the
 * field lines, and an empty line. A payload of no registered module renders as
 * `<UNKNOWN NMSG vid:msgtype>`.
 *
 * Field text is byte-faithful: bytes that are not valid UTF-8 come out as the lone
 * surrogates U+DC80–U+DCFF; {@linkcode encodeText} turns the text into the exact bytes
 * (`TextEncoder` gives the same bytes whenever the text is well-formed).
 * {@linkcode formatPresentationBytes} gives the bytes directly, which is faster.
 *
 * @param p The payload.
 * @param registry Where to find its module.
 * @param options Endline, aliases and output-level source/operator/group.
 * @returns The record text, or undefined when nmsgtool writes nothing for the payload (its
 *   module fails to render it).
 *
 * @example
 * ```ts
 * import { defaultRegistry, formatPresentation, NmsgMessage } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const registry = defaultRegistry();
 * const p = new NmsgMessage(registry.lookupByName("base", "logline")!)
 *   .set("category", "auth")
 *   .setEnvelope({ timeSec: 1577836800, timeNsec: 5, operator: 7 })
 *   .toPayload();
 * assert.equal(
 *   formatPresentation(p, registry),
 *   "[7] [2020-01-01 00:00:00.000000005] [1:6 base logline] [00000000] [7] [] \n" +
 *     "category: auth\n\n",
 * );
 * ```
 */
export function formatPresentation(
  p: Payload,
  registry: ModuleRegistry,
  options: RenderOptions = {},
): string | undefined {
  return formatPresentationBytes(p, registry, options) && sinkText(sink);
}

/**
 * {@linkcode formatPresentation} as the exact bytes nmsgtool writes, without building a
 * string: a view into a buffer that the next call of this function (or of
 * {@linkcode formatJsonBytes}) overwrites, so write or copy it before then.
 *
 * @param p The payload.
 * @param registry Where to find its module.
 * @param options Endline, aliases and output-level source/operator/group.
 * @returns The record's bytes, or undefined when nmsgtool writes nothing for the payload.
 *
 * @example
 * ```ts
 * import { defaultRegistry, formatPresentationBytes } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const bytes = formatPresentationBytes({ vid: 9, msgtype: 9, timeSec: 0, timeNsec: 0 }, defaultRegistry());
 * assert.equal(
 *   new TextDecoder().decode(bytes),
 *   "[0] [1970-01-01 00:00:00.000000000] [9:9 (unknown) (unknown)] [00000000] [] [] \n" +
 *     "<UNKNOWN NMSG 9:9>\n\n",
 * );
 * ```
 */
export function formatPresentationBytes(
  p: Payload,
  registry: ModuleRegistry,
  options: RenderOptions = {},
): Uint8Array | undefined {
  sink.clip(0);
  return writePresentationRecord(sink, p, registry, options)
    ? sink.buf.subarray(0, sink.len)
    : undefined;
}

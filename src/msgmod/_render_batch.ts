// A batch of payloads packed into one transferable buffer, and the rendering of a packed
// batch, shared by RenderPool (main thread) and its workers.

import type { Payload } from "../wire/payload.ts";
import { Aliases } from "./aliases.ts";
import { NmsgRenderError } from "./errors.ts";
import { formatJsonBytes } from "./json.ts";
import { formatPresentationBytes } from "./presentation.ts";
import type { ModuleRegistry } from "./registry.ts";
import type { RenderOptions } from "./render_options.ts";
import { TextSink } from "./_dns_bytes.ts";

/** Output formats a pool renders. */
export type RenderFormat = "presentation" | "json";

/** Render options in a form that crosses to a worker. */
export interface PlainRenderOptions {
  endline?: string;
  source?: number;
  operator?: number;
  group?: number;
  operators?: [number, string][];
  groups?: [number, string][];
}

/** The render options as plain data. */
export function plainOptions(o: RenderOptions): PlainRenderOptions {
  const out: PlainRenderOptions = {};
  if (o.endline !== undefined) out.endline = o.endline;
  if (o.source) out.source = o.source;
  if (o.operator) out.operator = o.operator;
  if (o.group) out.group = o.group;
  if (o.aliases) {
    out.operators = [...o.aliases.operators];
    out.groups = [...o.aliases.groups];
  }
  return out;
}

/** The render options back from plain data. */
export function renderOptions(o: PlainRenderOptions): RenderOptions {
  const { operators, groups, ...rest } = o;
  return operators || groups
    ? { ...rest, aliases: new Aliases(new Map(operators ?? []), new Map(groups ?? [])) }
    : rest;
}

const HAS_PAYLOAD = 1;
const HAS_SOURCE = 2;
const HAS_OPERATOR = 4;
const HAS_GROUP = 8;
const HEAD = 37; // flags u8, vid, msgtype, sec f64, nsec, source, operator, group, length

/** Packs payloads into one buffer (their bytes are copied). */
export function packPayloads(payloads: readonly Payload[]): ArrayBuffer {
  let size = 0;
  for (const p of payloads) size += HEAD + (p.payload?.length ?? 0);
  const buf = new ArrayBuffer(size);
  const view = new DataView(buf);
  const bytes = new Uint8Array(buf);
  let o = 0;
  for (const p of payloads) {
    const flags = (p.payload ? HAS_PAYLOAD : 0) | (p.source !== undefined ? HAS_SOURCE : 0) |
      (p.operator !== undefined ? HAS_OPERATOR : 0) | (p.group !== undefined ? HAS_GROUP : 0);
    view.setUint8(o, flags);
    view.setUint32(o + 1, p.vid, true);
    view.setUint32(o + 5, p.msgtype, true);
    view.setFloat64(o + 9, p.timeSec, true);
    view.setUint32(o + 17, p.timeNsec, true);
    view.setUint32(o + 21, p.source ?? 0, true);
    view.setUint32(o + 25, p.operator ?? 0, true);
    view.setUint32(o + 29, p.group ?? 0, true);
    const n = p.payload?.length ?? 0;
    view.setUint32(o + 33, n, true);
    if (p.payload) bytes.set(p.payload, o + HEAD);
    o += HEAD + n;
  }
  return buf;
}

/** The payloads of a packed buffer (their bytes are views into it). */
export function unpackPayloads(buf: ArrayBuffer): Payload[] {
  const view = new DataView(buf);
  const bytes = new Uint8Array(buf);
  const out: Payload[] = [];
  for (let o = 0; o < buf.byteLength;) {
    const flags = view.getUint8(o);
    const n = view.getUint32(o + 33, true);
    const p: Payload = {
      vid: view.getUint32(o + 1, true),
      msgtype: view.getUint32(o + 5, true),
      timeSec: view.getFloat64(o + 9, true),
      timeNsec: view.getUint32(o + 17, true),
    };
    if (flags & HAS_PAYLOAD) p.payload = bytes.subarray(o + HEAD, o + HEAD + n);
    if (flags & HAS_SOURCE) p.source = view.getUint32(o + 21, true);
    if (flags & HAS_OPERATOR) p.operator = view.getUint32(o + 25, true);
    if (flags & HAS_GROUP) p.group = view.getUint32(o + 29, true);
    out.push(p);
    o += HEAD + n;
  }
  return out;
}

/** The rendering of a batch: what nmsgtool would write, up to the first JSON failure. */
export interface RenderedBatch {
  /** The output bytes, in payload order (JSON lines end with a newline). */
  bytes: Uint8Array;
  /** How many payloads were rendered (all of them, unless `error` is set). */
  rendered: number;
  /** Why JSON rendering stopped at payload `rendered`. */
  error?: string;
}

/** Renders payloads one after the other into one buffer. */
export function renderBatch(
  payloads: readonly Payload[],
  registry: ModuleRegistry,
  format: RenderFormat,
  options: RenderOptions,
): RenderedBatch {
  const out = new TextSink(1 << 16);
  for (let i = 0; i < payloads.length; i++) {
    const p = payloads[i]!;
    if (format === "presentation") {
      const b = formatPresentationBytes(p, registry, options);
      if (b) out.bytes(b);
      continue;
    }
    try {
      out.bytes(formatJsonBytes(p, registry, options));
    } catch (e) {
      if (!(e instanceof NmsgRenderError)) throw e;
      return { bytes: out.buf.subarray(0, out.len), rendered: i, error: e.message };
    }
    out.byte(0x0a);
  }
  return { bytes: out.buf.subarray(0, out.len), rendered: payloads.length };
}

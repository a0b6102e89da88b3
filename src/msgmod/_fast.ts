// Byte-level versions of field hooks for the built-in modules: they write straight into
// the renderer's output buffer. The public string hooks (print/format) of such fields are
// derived from them, so both always agree.

import { TextSink } from "./_dns_bytes.ts";
import { ascii, sinkText } from "./_out.ts";
import type { NmsgMessage } from "./message.ts";
import type { FieldDef, RawValue } from "./types.ts";

/** Writes a field's whole presentation line(s); false fails the message. */
export type PresWriter = (
  out: TextSink,
  msg: NmsgMessage,
  v: RawValue,
  f: FieldDef,
  endline: Uint8Array,
) => boolean;

/** Writes a field's formatted text (JSON-escaped by the caller unless `formatRaw`). */
export type TextWriter = (out: TextSink, msg: NmsgMessage, v: RawValue, f: FieldDef) => boolean;

/** The byte-level hooks of a field. */
interface FastHooks {
  /** Replaces `print`. */
  readonly pres?: PresWriter;
  /** Replaces `format`. */
  readonly text?: TextWriter;
  /** Writes the whole JSON value (quotes and escapes included), instead of `text`. */
  readonly json?: TextWriter;
}

const registry = new WeakMap<FieldDef, FastHooks>();
const scratch = new TextSink(4096);
let lastEndline = "\n";
let lastEndlineBytes = ascii("\n");

/** Endline text as bytes (cached: it is the same for a whole run). */
export function endlineBytes(endline: string): Uint8Array {
  if (endline !== lastEndline) {
    lastEndline = endline;
    lastEndlineBytes = ascii(endline);
  }
  return lastEndlineBytes;
}

/** The byte-level hooks registered for a field table entry. */
export function fastHooks(def: FieldDef): FastHooks | undefined {
  return registry.get(def);
}

/**
 * A field table entry with byte-level hooks, and the string `print`/`format` hooks that
 * render through them.
 */
export function withFastHooks(def: FieldDef, hooks: FastHooks): FieldDef {
  const { pres, text } = hooks;
  const out: FieldDef = {
    ...def,
    ...(pres && {
      print: (m, v, f, endline) => {
        scratch.clip(0);
        return pres(scratch, m, v, f, endlineBytes(endline)) ? sinkText(scratch) : undefined;
      },
    }),
    ...(text && {
      format: (m, v, f) => {
        scratch.clip(0);
        return text(scratch, m, v, f) ? sinkText(scratch) : undefined;
      },
    }),
  };
  registry.set(out, hooks);
  return out;
}

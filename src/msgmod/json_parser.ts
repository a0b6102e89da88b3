/**
 * JSON input: one line of `nmsgtool -J` output (or anything shaped like it) back into a
 * payload, as `nmsgtool -j` reads it.
 *
 * @module
 */

import type { Payload } from "../wire/payload.ts";
import { base64Decode, ipFromText } from "./dns/mod.ts";
import type { Aliases } from "./aliases.ts";
import { NmsgParseError, NmsgUnsupportedError } from "./errors.ts";
import type { BoundField } from "./_bound.ts";
import { NmsgMessage } from "./message.ts";
import { attachMessage } from "./_attached.ts";
import type { ModuleRegistry } from "./registry.ts";
import { parseTimeText } from "./_time_text.ts";
import { scanInteger } from "./_cparse.ts";
import type { RawValue } from "./types.ts";

/**
 * Options for {@linkcode parseJsonPayload}.
 *
 * @example
 * ```ts
 * import { Aliases, defaultRegistry, type JsonParseOptions, parseJsonPayload } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const options: JsonParseOptions = {
 *   aliases: new Aliases(new Map([[1, "FSI"]])),
 *   now: () => ({ sec: 0, nsec: 0 }),
 * };
 * const line = '{"vname":"base","mname":"logline","operator":"FSI","message":{}}';
 * assert.equal(parseJsonPayload(line, defaultRegistry(), options).operator, 1);
 * ```
 */
export interface JsonParseOptions {
  /** Resolves operator and group names. Without it names resolve to 0 (not set). */
  aliases?: Aliases;
  /** The time for a line without `"time"`; default the current time. */
  now?: () => { sec: number; nsec: number };
}

/** A JSON number with its source text: json-c tells integers from doubles by the text. */
class JsonNumber {
  constructor(readonly text: string) {}

  get isInt(): boolean {
    return !/[.eE]/.test(this.text);
  }

  /** `json_object_get_int64`: saturated to the int64 range. */
  int64(): bigint {
    if (!this.isInt) return BigInt(Math.trunc(Number(this.text)));
    const v = BigInt(this.text);
    return v > 0x7fffffffffffffffn
      ? 0x7fffffffffffffffn
      : v < -0x8000000000000000n
      ? -0x8000000000000000n
      : v;
  }

  /** `json_object_get_int`: the int64 value saturated to the int32 range. */
  int32(): number {
    const v = this.int64();
    return v > 0x7fffffffn ? 0x7fffffff : v < -0x80000000n ? -0x80000000 : Number(v);
  }
}

function reviver(_key: string, value: unknown, context?: { source?: string }): unknown {
  return typeof value === "number" ? new JsonNumber(context?.source ?? String(value)) : value;
}

/**
 * A parsed JSON value. Numbers are plain `number`s when the text shows that their integer
 * values are exactly the integer literals; otherwise they carry their text.
 */
type Json = null | boolean | string | number | JsonNumber | Json[] | { [k: string]: Json };

/**
 * Where a number literal with a fraction or exponent, or with 16 integer digits or more,
 * may start: after `:`, `,` or `[`. Matches inside strings are weeded out by
 * {@linkcode LITERAL} or only cost the exact (slower) path. Looking for this short prefix
 * and reading the literal only where it matches is cheaper than one pattern for both.
 */
const RISKY_START = /[:,[]\s*-?\d(?:\d{15}|\d{0,14}[.eE])/g;

/** The literal from just after its `:`, `,` or `[`: it ends before `,`, `]`, `}` or a blank. */
const LITERAL = /\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*[,\]}\s]/y;

/**
 * Whether plain `JSON.parse` keeps what json-c sees in the numbers of `text`: no integer
 * literal is too long to be exact, and no literal with a fraction or exponent has an
 * integer value (so that `Number.isInteger` tells the literals apart).
 */
function plainNumbersSuffice(text: string): boolean {
  RISKY_START.lastIndex = 0;
  for (let m = RISKY_START.exec(text); m !== null; m = RISKY_START.exec(text)) {
    LITERAL.lastIndex = m.index + 1;
    const literal = LITERAL.exec(text)?.[1];
    if (literal === undefined) continue;
    if (!/[.eE]/.test(literal) || Number.isInteger(Number(literal))) return false;
  }
  return true;
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

function isNumber(v: Json | undefined): v is number | JsonNumber {
  return typeof v === "number" || v instanceof JsonNumber;
}

/** A json-c integer (as opposed to a double). */
function isInt(v: Json | undefined): v is number | JsonNumber {
  return typeof v === "number" ? Number.isInteger(v) : v instanceof JsonNumber && v.isInt;
}

/** `json_object_get_int64` of an integer. */
function int64Of(v: number | JsonNumber): bigint {
  return typeof v === "number" ? BigInt(v) : v.int64();
}

/** `json_object_get_int` of an integer: saturated to the int32 range. */
function int32Of(v: number | JsonNumber): number {
  if (typeof v !== "number") return v.int32();
  return v > 0x7fffffff ? 0x7fffffff : v < -0x80000000 ? -0x80000000 : v;
}

function doubleOf(v: number | JsonNumber): number {
  return typeof v === "number" ? v : Number(v.text);
}

function fail(what: string): never {
  throw new NmsgParseError(what);
}

/** A member of an object, undefined if absent (own properties only). */
function member(o: { [k: string]: Json }, key: string): Json | undefined {
  const v = o[key];
  return v !== undefined && Object.hasOwn(o, key) ? v : undefined;
}

/** `source`, `operator` or `group`: a number, or for strings hex / an alias. */
function envelopeId(v: Json, name: string, alias: (s: string) => number): number {
  if (typeof v === "string") return alias(v);
  if (isInt(v)) return Number(BigInt.asUintN(32, int64Of(v)));
  return fail(`"${name}" must be a string or an integer`);
}

/** Eight hex digits at most, as `source` is written. */
const SHORT_HEX = /^[0-9a-fA-F]{1,8}$/;

function hexSource(s: string): number {
  if (SHORT_HEX.test(s)) return parseInt(s, 16);
  const r = scanInteger(s, 16);
  return r.end === 0 ? 0 : Number(BigInt.asUintN(32, r.value));
}

function timeOf(v: Json): { sec: number; nsec: number } {
  if (typeof v === "string") {
    const t = parseTimeText(v);
    if (t === undefined) fail(`invalid "time" ${JSON.stringify(v)}`);
    return t;
  }
  if (isInt(v)) return { sec: Number(int64Of(v)), nsec: 0 };
  if (isNumber(v)) {
    const d = doubleOf(v);
    const sec = Math.trunc(d);
    return { sec, nsec: Math.trunc((d - sec) * 1e9) };
  }
  return fail(`"time" must be a string or a number`);
}

const encoder = new TextEncoder();

/** Strings are stored up to their first NUL, NUL-terminated, as libnmsg stores them. */
function cString(s: string): Uint8Array {
  const nul = s.indexOf("\0");
  return encoder.encode((nul < 0 ? s : s.slice(0, nul)) + "\0");
}

/** One JSON value of a field as its stored value (`_nmsg_msgmod_json_to_payload_load`). */
function loadValue(msg: NmsgMessage, b: BoundField, v: Json): RawValue {
  const def = b.def;
  const bad = (): never => fail(`invalid value for field ${def.name}: ${show(v)}`);
  if (def.parse) {
    if (typeof v !== "string") return bad();
    return def.parse(msg, v, def);
  }
  switch (def.type) {
    case "bool":
      if (typeof v === "boolean") return v;
      if (isInt(v)) return int32Of(v) !== 0;
      if (typeof v === "string") {
        const l = v.toLowerCase();
        if (l === "true" || l === "false") return l === "true";
      }
      return bad();
    case "bytes": {
      const s = isObject(v) ? member(v, "b64") : v;
      if (typeof s !== "string") return bad();
      return base64Decode(s);
    }
    case "enum": {
      if (typeof v === "string") {
        const n = msg.enumValue(def.name, v);
        return n ?? bad();
      }
      // libnmsg compares the number with the count of values (reference bug 7); we accept
      // exactly the values the enum defines.
      if (isInt(v)) {
        const n = int32Of(v);
        return b.enumNames?.has(n) ? n : bad();
      }
      return bad();
    }
    case "string":
    case "mlstring":
      return typeof v === "string" ? cString(v) : bad();
    case "ip":
      return (typeof v === "string" && ipFromText(v)) || bad();
    case "uint16": {
      if (!isInt(v)) return bad();
      // Negative values wrap; libnmsg then stores the low 16 bits.
      const n = int32Of(v);
      return n > 0xffff ? bad() : n & 0xffff;
    }
    case "uint32": {
      if (!isInt(v)) return bad();
      const n = int64Of(v);
      return n > 0xffffffffn ? bad() : Number(BigInt.asUintN(32, n));
    }
    case "uint64": {
      let n: bigint;
      if (isInt(v)) n = BigInt.asUintN(64, int64Of(v));
      else if (typeof v === "string") {
        const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/.exec(v);
        if (!m) return bad();
        // sscanf("%" PRIu64): strtoull's saturation, then a minus sign negates modulo 2^64.
        const mag = BigInt(m[2]!);
        n = mag > 0xffffffffffffffffn
          ? 0xffffffffffffffffn
          : BigInt.asUintN(64, m[1] === "-" ? -mag : mag);
      } else return bad();
      return n <= 9007199254740991n ? Number(n) : n;
    }
    case "int16": {
      if (!isInt(v)) return bad();
      const n = int32Of(v);
      return n > 32767 || n < -32768 ? bad() : n;
    }
    case "int32": {
      if (!isInt(v)) return bad();
      const n = int64Of(v);
      return n > 0x7fffffffn || n < -0x80000000n ? bad() : Number(n);
    }
    case "int64": {
      if (!isInt(v)) return bad();
      const n = int64Of(v);
      return n <= 9007199254740991n && n >= -9007199254740991n ? Number(n) : n;
    }
    case "double":
      return isNumber(v) && !isInt(v) ? doubleOf(v) : bad();
  }
}

function show(v: Json): string {
  return v instanceof JsonNumber ? v.text : JSON.stringify(v);
}

function loadMessage(msg: NmsgMessage, body: Json | undefined): void {
  if (!isObject(body)) return;
  for (const b of msg.module.bound) {
    if (b.pb === undefined) continue;
    const v = member(body, b.def.name);
    if (v === undefined) continue;
    if (b.pb.repeated) {
      if (!Array.isArray(v)) fail(`field ${b.def.name} must be a list`);
      for (const e of v) {
        // libnmsg aborts on a null element (reference bug 5); it is just bad input.
        if (e === null) fail(`null in list field ${b.def.name}`);
        msg.addRaw(b.def.name, loadValue(msg, b, e));
      }
    } else if (v !== null) {
      msg.setRaw(b.def.name, loadValue(msg, b, v));
    }
  }
}

function defaultNow(): { sec: number; nsec: number } {
  const ms = Date.now();
  return { sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1000000 };
}

/**
 * Reads one JSON line (`nmsgtool -j`): `vname`/`mname` pick the module (case-insensitive,
 * `ISC` = `base`), `time`, `source`, `operator`, `group` fill the envelope, and the
 * members of `message` named like the module's schema fields fill the payload (virtual
 * fields and unknown members are ignored). Values follow libnmsg's rules: strings are
 * stored NUL-terminated, bytes are base64 (or `{"b64": …}`), fields with a parser take
 * their text form, doubles must be written with a fraction or exponent.
 *
 * Deliberate differences from libnmsg: a time fraction is a decimal fraction (`.5` is half
 * a second, not 5 ns); an enum given as a number is accepted if the enum defines it; a
 * `null` inside a list is a parse error instead of an abort.
 *
 * A line that sets no field gives a payload without bytes, which libnmsg still renders
 * (from memory): the returned payload remembers its message for that.
 *
 * @param line One JSON object (a trailing newline is allowed).
 * @param registry Where to find the module.
 * @param options Alias tables and the clock for lines without a time.
 * @returns The payload.
 * @throws {NmsgParseError} For a line nmsgtool skips (bad JSON, unknown module, a value of
 *   the wrong type or out of range…).
 * @throws {NmsgUnsupportedError} For a line nmsgtool cannot read at all (e.g. a SIE
 *   `response` field, or OPT rdata as text): the input stops.
 *
 * @example
 * ```ts
 * import { defaultRegistry, formatJson, parseJsonPayload } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const registry = defaultRegistry();
 * const line = '{"time":"2020-01-01 00:00:00.000000005","vname":"base","mname":"http",' +
 *   '"message":{"type":"sinkhole","srcport":80}}';
 * const p = parseJsonPayload(line, registry);
 * assert.equal(p.msgtype, 4);
 * assert.equal(p.timeNsec, 5);
 * assert.equal(formatJson(p, registry), line);
 * ```
 */
export function parseJsonPayload(
  line: string,
  registry: ModuleRegistry,
  options: JsonParseOptions = {},
): Payload {
  let root: Json;
  try {
    root = (plainNumbersSuffice(line) ? JSON.parse(line) : JSON.parse(line, reviver)) as Json;
  } catch (e) {
    throw new NmsgParseError(`invalid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!isObject(root)) return fail("not a JSON object");
  const vname = member(root, "vname");
  const mname = member(root, "mname");
  if (typeof vname !== "string" || typeof mname !== "string") {
    return fail(`"vname" and "mname" must be strings`);
  }
  const module = registry.lookupByName(vname, mname);
  if (module === undefined) return fail(`unknown message type ${vname}/${mname}`);
  const msg = new NmsgMessage(module);
  const aliases = options.aliases;
  const source = member(root, "source");
  const sourceId = source === undefined ? 0 : envelopeId(source, "source", hexSource);
  const operator = member(root, "operator");
  const operatorId = operator === undefined
    ? 0
    : envelopeId(operator, "operator", (s) => aliases?.operatorId(s) ?? 0);
  const group = member(root, "group");
  const groupId = group === undefined
    ? 0
    : envelopeId(group, "group", (s) => aliases?.groupId(s) ?? 0);
  const time = member(root, "time");
  const t = time === undefined ? (options.now ?? defaultNow)() : timeOf(time);
  // Ids of 0 are not set, as libnmsg leaves them.
  const envelope: Partial<Payload> = { timeSec: t.sec, timeNsec: t.nsec >>> 0 };
  if (sourceId !== 0) envelope.source = sourceId;
  if (operatorId !== 0) envelope.operator = operatorId;
  if (groupId !== 0) envelope.group = groupId;
  msg.setEnvelope(envelope);
  if (!Object.hasOwn(root, "message")) return fail(`no "message"`);
  try {
    loadMessage(msg, root["message"]);
  } catch (e) {
    if (e instanceof NmsgParseError || e instanceof NmsgUnsupportedError) throw e;
    throw new NmsgParseError((e as Error).message, { cause: e });
  }
  const p = msg.toPayload();
  // Rendering the bytes gives what libnmsg renders from memory, except when no field was
  // set: then there are no bytes at all and libnmsg still renders the empty message.
  if (p.payload === undefined) attachMessage(p, msg);
  return p;
}

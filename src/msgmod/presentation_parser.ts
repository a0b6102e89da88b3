/**
 * Presentation input (`nmsgtool -f` with `-V`/`-T`): `key: value` lines of one module,
 * one message per blank-line-terminated block.
 *
 * @module
 */

import { NMSG_DEFAULT_MAX_SIZE } from "../wire/constants.ts";
import type { Payload } from "../wire/payload.ts";
import { ipFromText } from "./dns/mod.ts";
import { NmsgParseError } from "./errors.ts";
import type { MessageModule } from "./module.ts";
import type { BoundField } from "./_bound.ts";
import { NmsgMessage } from "./message.ts";
import { strtod, strtoll, strtoull } from "./_cparse.ts";
import type { RawValue } from "./types.ts";

/** UTF-8 of text values (NUL-terminated, as nmsgtool stores them). */
const encoder = new TextEncoder();

/**
 * Options for {@linkcode PresentationParser}.
 *
 * @example A fixed clock, for reproducible payload times
 * ```ts
 * import { defaultRegistry, PresentationParser, type PresentationParserOptions } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const options: PresentationParserOptions = { now: () => ({ sec: 1, nsec: 2 }) };
 * const parser = new PresentationParser(defaultRegistry().lookupByName("base", "logline")!, options);
 * parser.pushLine("category: x");
 * assert.equal(parser.pushLine("")?.timeNsec, 2);
 * ```
 */
export interface PresentationParserOptions {
  /** The payload time, taken when a message is complete; default the current time. */
  now?: () => { sec: number; nsec: number };
}

function small(n: bigint): number | bigint {
  return n <= 9007199254740991n && n >= -9007199254740991n ? Number(n) : n;
}

/** A field value from its text (libnmsg's per-type rules; custom parsers are not used). */
function parseValue(b: BoundField, text: string): RawValue | undefined {
  switch (b.def.type) {
    case "enum":
      return b.pb!.schema.enum!.values.find((v) => v.name === text)?.number;
    case "string":
      return encoder.encode(text + "\0");
    case "ip":
      return ipFromText(text);
    case "bool": {
      const l = text.toLowerCase();
      return l === "true" ? true : l === "false" ? false : undefined;
    }
    case "uint16": {
      const v = strtoull(text, 0);
      return v === undefined || v > 0xffffn ? undefined : Number(v);
    }
    case "uint32": {
      const v = strtoull(text, 0);
      return v === undefined ? undefined : Number(BigInt.asUintN(32, v));
    }
    case "uint64": {
      const v = strtoull(text, 0);
      return v === undefined ? undefined : small(v);
    }
    case "int16": {
      const v = strtoll(text, 0);
      return v === undefined || v > 0x7fffn ? undefined : Number(BigInt.asIntN(16, v));
    }
    case "int32": {
      const v = strtoll(text, 0);
      return v === undefined ? undefined : Number(BigInt.asIntN(32, v));
    }
    case "int64": {
      const v = strtoll(text, 0);
      return v === undefined ? undefined : small(v);
    }
    case "double":
      return strtod(text);
    default:
      return undefined;
  }
}

function defaultNow(): { sec: number; nsec: number } {
  const ms = Date.now();
  return { sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1000000 };
}

/**
 * Reads presentation input of one module line by line. Each line is `name: value` (the
 * value runs to the end of the line); a multi-line (`mlstring`) field starts with
 * `name:` and takes the following lines verbatim up to a line holding only `.`; a blank
 * line ends the message. The header line of presentation *output* is not input.
 *
 * Deliberate differences from libnmsg, which has bugs here: multi-line fields load
 * (libnmsg hangs); an unknown key is an error naming the key and line (libnmsg stores the
 * value in the module's last field); a value is the whole rest of the line (libnmsg keeps
 * only its first word); `bool` fields take `True`/`False`; extra blank lines do not make
 * empty messages; a last message without a blank line after it is not lost.
 *
 * @example
 * ```ts
 * import { defaultRegistry, formatJson, PresentationParser } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const registry = defaultRegistry();
 * const parser = new PresentationParser(registry.lookupByName("base", "http")!, {
 *   now: () => ({ sec: 0, nsec: 0 }),
 * });
 * const lines = ["type: sinkhole", "srcport: 80", "request:", "GET / HTTP/1.1", ".", ""];
 * const out = lines.map((l) => parser.pushLine(l)).filter((p) => p !== undefined);
 * assert.equal(
 *   formatJson(out[0]!, registry),
 *   '{"time":"1970-01-01 00:00:00.000000000","vname":"base","mname":"http",' +
 *     '"message":{"type":"sinkhole","srcport":80,"request":"GET / HTTP/1.1\\n"}}',
 * );
 * ```
 */
export class PresentationParser {
  /** The module every message belongs to. */
  readonly module: MessageModule;
  readonly #now: () => { sec: number; nsec: number };
  #msg: NmsgMessage;
  #fields = 0;
  #line = 0;
  #multiline: BoundField | undefined;
  #text = "";

  /**
   * Creates a parser.
   *
   * @param module The module of the input (nmsgtool `-V`/`-T`).
   * @param options The clock for payload times.
   */
  constructor(module: MessageModule, options: PresentationParserOptions = {}) {
    this.module = module;
    this.#now = options.now ?? defaultNow;
    this.#msg = new NmsgMessage(module);
  }

  #error(message: string): NmsgParseError {
    return new NmsgParseError(message, { line: this.#line });
  }

  #store(b: BoundField, v: RawValue): void {
    if (b.pb!.repeated) this.#msg.addRaw(b.def.name, v);
    else this.#msg.setRaw(b.def.name, v);
    this.#fields++;
  }

  #emit(): Payload {
    const t = this.#now();
    const p = this.#msg.setEnvelope({ timeSec: t.sec, timeNsec: t.nsec }).toPayload();
    this.#msg = new NmsgMessage(this.module);
    this.#fields = 0;
    return p;
  }

  /**
   * Reads one line.
   *
   * @param line The line, with or without its newline.
   * @returns A payload when the line completes a message.
   * @throws {NmsgParseError} For a line that does not parse (naming the line number), or a
   *   multi-line value that grows beyond 64 Mi characters.
   */
  pushLine(line: string): Payload | undefined {
    this.#line++;
    if (line.endsWith("\n")) line = line.slice(0, -1);
    const ml = this.#multiline;
    if (ml !== undefined) {
      if (line === ".") {
        this.#store(ml, encoder.encode(this.#text + "\0"));
        this.#multiline = undefined;
        this.#text = "";
      } else if (this.#text.length + line.length >= NMSG_DEFAULT_MAX_SIZE) {
        // Without a "." line the rest of the input would pile up here; no unit could carry it.
        throw this.#error(
          `multi-line field ${ml.def.name} is longer than ${NMSG_DEFAULT_MAX_SIZE} characters`,
        );
      } else {
        this.#text += line + "\n";
      }
      return undefined;
    }
    if (line === "") return this.#fields > 0 ? this.#emit() : undefined;
    const colon = line.indexOf(":");
    const key = colon < 0 ? line : line.slice(0, colon);
    const b = this.module.byName.get(key);
    if (b === undefined || b.pb === undefined) {
      throw this.#error(`unknown field ${JSON.stringify(key)} for ${this.module.mname}`);
    }
    if (b.def.type === "mlstring") {
      this.#multiline = b;
      return undefined;
    }
    const text = line.slice(colon + 1).replace(/^ +/, "");
    if (text === "") throw this.#error(`field ${key} has no value`);
    if (b.def.type === "bytes") {
      throw this.#error(`field ${key} holds bytes, which presentation input cannot express`);
    }
    const v = parseValue(b, text);
    if (v === undefined) {
      throw this.#error(`invalid value for field ${key} (${b.def.type}): ${JSON.stringify(text)}`);
    }
    this.#store(b, v);
    return undefined;
  }

  /**
   * Ends the input.
   *
   * @returns The last message if it was not followed by a blank line.
   * @throws {NmsgParseError} If a multi-line field is not terminated by a `.` line.
   */
  finish(): Payload | undefined {
    if (this.#multiline !== undefined) {
      throw this.#error(`multi-line field ${this.#multiline.def.name} has no "." line`);
    }
    return this.#fields > 0 ? this.#emit() : undefined;
  }
}

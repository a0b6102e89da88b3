/**
 * Typed errors of the message layer: rendering that cannot be done, input text that does
 * not parse, and input the format cannot express at all.
 *
 * @module
 */

/**
 * A payload cannot be rendered as JSON: no module is registered for its type, its bytes
 * do not decode, or a field formatter failed. nmsgtool's JSON output stops on it.
 *
 * @example
 * ```ts
 * import { formatJson, ModuleRegistry, NmsgRenderError } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const p = { vid: 99, msgtype: 1, timeSec: 0, timeNsec: 0 };
 * assert.throws(() => formatJson(p, new ModuleRegistry()), NmsgRenderError);
 * ```
 */
export class NmsgRenderError extends Error {
  /** Always `"NmsgRenderError"`. */
  override name = "NmsgRenderError";

  /**
   * Creates the error.
   *
   * @param message What could not be rendered.
   * @param options The underlying error, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * A line of JSON or presentation input does not parse: bad JSON, an unknown module or
 * key, a value of the wrong type or out of range. A JSON reader skips the line.
 *
 * @example
 * ```ts
 * import { defaultRegistry, NmsgParseError, parseJsonPayload } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => parseJsonPayload("not json", defaultRegistry()), NmsgParseError);
 * ```
 */
export class NmsgParseError extends Error {
  /** Always `"NmsgParseError"`. */
  override name = "NmsgParseError";
  /** 1-based line number within the input, when known. */
  readonly line: number | undefined;

  /**
   * Creates the error.
   *
   * @param message What is wrong.
   * @param options The line number and underlying error, if known.
   */
  constructor(message: string, options: ErrorOptions & { line?: number } = {}) {
    super(
      options.line === undefined ? message : `line ${options.line}: ${message}`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.line = options.line;
  }
}

/**
 * Input asks for something the module cannot do at all (libnmsg `notimpl`/`failure`),
 * e.g. a SIE `response` field in JSON input or OPT rdata as text. Unlike
 * {@linkcode NmsgParseError}, nmsgtool stops reading the input.
 *
 * @example
 * ```ts
 * import { NmsgUnsupportedError } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const err = new NmsgUnsupportedError("field response cannot be parsed");
 * assert.equal(err.name, "NmsgUnsupportedError");
 * ```
 */
export class NmsgUnsupportedError extends Error {
  /** Always `"NmsgUnsupportedError"`. */
  override name = "NmsgUnsupportedError";

  /**
   * Creates the error.
   *
   * @param message What is not supported.
   * @param options The underlying error, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

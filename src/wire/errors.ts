/**
 * The typed error raised for malformed NMSG data.
 *
 * @module
 */

/** What was wrong with the data, for callers that react differently to each. */
export type NmsgFormatErrorCode =
  | "magic"
  | "version"
  | "length"
  | "truncated"
  | "protobuf"
  | "zlib"
  | "fragment";

/** Where malformed data was found, to compose a one-line message. */
export interface NmsgFormatErrorOptions {
  /** Byte offset of the unit (or field) at fault, from the start of the input. */
  offset?: number | undefined;
  /** Name of the input (a file path, `-`, a socket address). */
  source?: string | undefined;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Malformed NMSG data: bad magic, unknown version, an impossible length, a truncated unit,
 * an undecodable protobuf, a zlib stream that lies or an inconsistent fragment.
 *
 * The message reads `<source>: offset <n>: <reason>` when the source and offset are known.
 *
 * @example Reacting to a truncated file
 * ```ts
 * import { NmsgFormatError } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const err = new NmsgFormatError("truncated", "unit declares 100 bytes, 4 remain", {
 *   source: "in.nmsg",
 *   offset: 0,
 * });
 * assert.equal(err.message, "in.nmsg: offset 0: unit declares 100 bytes, 4 remain");
 * assert.equal(err.code, "truncated");
 * ```
 */
export class NmsgFormatError extends Error {
  /** Always `"NmsgFormatError"`. */
  override name = "NmsgFormatError";
  /** The kind of fault. */
  readonly code: NmsgFormatErrorCode;
  /** The fault alone, without source and offset. */
  readonly reason: string;
  /** Byte offset of the fault, when known. */
  readonly offset: number | undefined;
  /** Name of the input, when known. */
  readonly source: string | undefined;

  /**
   * Creates an error for malformed data.
   *
   * @param code The kind of fault.
   * @param reason What is wrong, e.g. `incorrect magic number in NMSG header`.
   * @param options Where it was found.
   */
  constructor(code: NmsgFormatErrorCode, reason: string, options: NmsgFormatErrorOptions = {}) {
    const where = [
      options.source,
      options.offset === undefined ? undefined : `offset ${options.offset}`,
    ]
      .filter((s) => s !== undefined);
    super(
      [...where, reason].join(": "),
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.code = code;
    this.reason = reason;
    this.offset = options.offset;
    this.source = options.source;
  }

  /**
   * Returns the same fault located at the unit that held it. A position the error already
   * had (relative to the unit's decoded data) moves into the reason.
   *
   * @param source Name of the input, used if the error has none.
   * @param unitOffset Byte offset of the unit in the input.
   * @returns A new error located at the unit.
   */
  at(source: string | undefined, unitOffset: number): NmsgFormatError {
    const reason = this.offset === undefined || this.offset === unitOffset
      ? this.reason
      : `${this.reason} (at byte ${this.offset} of the unit's data)`;
    return new NmsgFormatError(this.code, reason, {
      source: this.source ?? source,
      offset: unitOffset,
      cause: this.cause,
    });
  }
}

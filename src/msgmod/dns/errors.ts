/**
 * Typed errors of the DNS text layer.
 *
 * @module
 */

/**
 * Text that does not parse as a DNS name, type, class, rcode, time or rdata, where the
 * C toolkit (wdns) reports a parse error. A JSON input line carrying such a value is
 * skipped by `nmsgtool -j`.
 *
 * @example
 * ```ts
 * import { DnsTextError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new DnsTextError("empty label in domain name", "a..b");
 * assert.ok(err instanceof SyntaxError);
 * assert.equal(err.message, "Cannot parse \"a..b\": empty label in domain name");
 * ```
 */
export class DnsTextError extends SyntaxError {
  /** Always `"DnsTextError"`. */
  override name = "DnsTextError";
  /** The fault alone, without the offending text. */
  readonly reason: string;
  /** The text that failed to parse. */
  readonly text: string;

  /**
   * Creates a parse error.
   *
   * @param reason What is wrong, sentence case, no trailing period.
   * @param text The offending input text.
   */
  constructor(reason: string, text: string) {
    super(`Cannot parse ${JSON.stringify(text)}: ${reason}`);
    this.reason = reason;
    this.text = text;
  }
}

/**
 * A conversion the C toolkit does not implement (wdns `wdns_res_failure`), such as OPT
 * rdata from text. Unlike {@linkcode DnsTextError}, `nmsgtool -j` aborts on it.
 *
 * @example
 * ```ts
 * import { DnsUnsupportedError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new DnsUnsupportedError("OPT rdata has no text form");
 * assert.equal(err.message, "OPT rdata has no text form");
 * ```
 */
export class DnsUnsupportedError extends Error {
  /** Always `"DnsUnsupportedError"`. */
  override name = "DnsUnsupportedError";
}

/**
 * The typed error raised when libpcap reports a failure.
 *
 * @module
 */

/**
 * A libpcap call failed. `detail` holds libpcap's own error text (from its error buffer,
 * `pcap_geterr` or `pcap_statustostr`), so callers can show exactly what libpcap said.
 *
 * @example
 * ```ts
 * import { PcapError } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const e = new PcapError("pcap_open_offline", "x.pcap: No such file or directory");
 * assert.equal(e.message, "pcap_open_offline failed: x.pcap: No such file or directory");
 * ```
 */
export class PcapError extends Error {
  /** Always `"PcapError"`. */
  override name = "PcapError";
  /** The libpcap function that failed, e.g. `pcap_compile`. */
  readonly operation: string;
  /** libpcap's error text. */
  readonly detail: string;
  /** The status code the function returned, when it returns one. */
  readonly status: number | undefined;

  /**
   * Creates the error.
   *
   * @param operation The libpcap function that failed.
   * @param detail libpcap's error text.
   * @param status The returned status code, if any.
   */
  constructor(operation: string, detail: string, status?: number) {
    super(`${operation} failed${detail ? `: ${detail}` : ""}`);
    this.operation = operation;
    this.detail = detail;
    this.status = status;
  }
}

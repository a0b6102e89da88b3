/**
 * The error for malformed ZeroMQ and Kafka endpoint strings.
 *
 * @module
 */

/**
 * An endpoint string (`-L`, `-S`, `--readkafka`, …) does not follow its syntax.
 *
 * @example
 * ```ts
 * import { EndpointError, parseKafkaEndpoint } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => parseKafkaEndpoint("nmsg:ch202"),
 *   (e: unknown) => e instanceof EndpointError && e.endpoint === "nmsg:ch202",
 * );
 * ```
 */
export class EndpointError extends Error {
  /** Always `"EndpointError"`. */
  override name = "EndpointError";
  /** The endpoint as given. */
  readonly endpoint: string;

  /**
   * Creates the error.
   *
   * @param endpoint The endpoint as given.
   * @param reason What is wrong with it.
   */
  constructor(endpoint: string, reason: string) {
    super(`Invalid endpoint "${endpoint}": ${reason}`);
    this.endpoint = endpoint;
  }
}

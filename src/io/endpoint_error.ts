/**
 * The error for malformed ZeroMQ and Kafka endpoint strings.
 *
 * @module
 */

/** An endpoint string (`-L`, `-S`, `--readkafka`, …) does not follow its syntax. */
export class EndpointError extends Error {
  /** Always `"EndpointError"`. */
  override name = "EndpointError";
  /** The endpoint as given. */
  readonly endpoint: string;

  /**
   * @param endpoint The endpoint as given.
   * @param reason What is wrong with it.
   */
  constructor(endpoint: string, reason: string) {
    super(`Invalid endpoint "${endpoint}": ${reason}`);
    this.endpoint = endpoint;
  }
}

/**
 * Inputs and outputs on the operating system: files and stdio, presentation and JSON text,
 * UDP sockets, pcap, ZeroMQ and Kafka, plus the alias and configuration files they read.
 *
 * @module
 */

export * from "./aliases.ts";
export * from "./zlib_node.ts";
export * from "./udp_input.ts";
export * from "./udp_output.ts";
export * from "./udp_sockspec.ts";
export {
  formatIpAddress,
  formatSocketAddress,
  parseIpAddress,
  parseIpv4,
  parseIpv6,
  type SocketAddress,
} from "./udp_address.ts";
export * from "./chalias.ts";
export * from "./etc_dir.ts";
export * from "./rate_limiter.ts";
export { SocketError } from "../ffi/libc_socket.ts";
export * from "./files.ts";
export * from "./nmsg_input.ts";
export * from "./nmsg_output.ts";
export * from "./text_output.ts";
export * from "./json_input.ts";
export * from "./pres_input.ts";
export * from "./rotating_output.ts";
export * from "./pidfile.ts";
export * from "./pcap_input.ts";
export * from "./endpoint_error.ts";
export * from "./message_input_options.ts";
export * from "./zmq_endpoint.ts";
export * from "./zmq_input.ts";
export * from "./zmq_output.ts";
export { ZmqError } from "../ffi/zmq.ts";
export * from "./kafka_endpoint.ts";
export * from "./kafka_config.ts";
export * from "./kafka_key.ts";
export * from "./kafka_input.ts";
export * from "./kafka_output.ts";
export { KafkaError } from "../ffi/rdkafka.ts";
export { MockKafkaCluster } from "../ffi/rdkafka_mock.ts";
export {
  LIBRARY_ENV,
  libraryCandidates,
  type LibraryOs,
  type NativeLibrary,
} from "../ffi/library_paths.ts";
export { LibraryNotFoundError } from "../ffi/loader.ts";

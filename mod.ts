/**
 * nmsg-deno: read and write NMSG, Farsight Security's container format for passive DNS
 * and security telemetry.
 *
 * @example Count the payloads of a file
 * ```ts
 * import { nodeZlib, UnitDecoder, UnitReader } from "@nmsg-deno/nmsg";
 *
 * using file = await Deno.open("tests/testdata/sample.nmsg");
 * const units = new UnitReader(file);
 * const decoder = new UnitDecoder({ zlib: nodeZlib });
 * let payloads = 0;
 * for (let u = await units.next(); u; u = await units.next()) {
 *   payloads += decoder.decode(u.flags, u.data)?.payloads.length ?? 0;
 * }
 * ```
 *
 * @module
 */

export * from "./src/wire/mod.ts";
export * from "./src/msgmod/mod.ts";
export * from "./src/io/aliases.ts";
export * from "./src/io/zlib_node.ts";
export * from "./src/io/udp_input.ts";
export * from "./src/io/udp_output.ts";
export * from "./src/io/udp_sockspec.ts";
export {
  formatIpAddress,
  formatSocketAddress,
  parseIpAddress,
  parseIpv4,
  parseIpv6,
  type SocketAddress,
} from "./src/io/udp_address.ts";
export * from "./src/io/chalias.ts";
export * from "./src/io/rate_limiter.ts";
export { SocketError } from "./src/ffi/libc_socket.ts";
export * from "./src/engine/mod.ts";
export * from "./src/io/files.ts";
export * from "./src/io/nmsg_input.ts";
export * from "./src/io/nmsg_output.ts";
export * from "./src/io/text_output.ts";
export * from "./src/io/json_input.ts";
export * from "./src/io/pres_input.ts";
export * from "./src/io/rotating_output.ts";
export * from "./src/io/pidfile.ts";
export * from "./src/pcap/mod.ts";
export * from "./src/msgmod/capture/mod.ts";
export * from "./src/io/pcap_input.ts";
export * from "./src/io/endpoint_error.ts";
export * from "./src/io/message_input_options.ts";
export * from "./src/io/zmq_endpoint.ts";
export * from "./src/io/zmq_input.ts";
export * from "./src/io/zmq_output.ts";
export { ZmqError } from "./src/ffi/zmq.ts";
export * from "./src/io/kafka_endpoint.ts";
export * from "./src/io/kafka_config.ts";
export * from "./src/io/kafka_key.ts";
export * from "./src/io/kafka_input.ts";
export * from "./src/io/kafka_output.ts";
export { KafkaError } from "./src/ffi/rdkafka.ts";
export { MockKafkaCluster } from "./src/ffi/rdkafka_mock.ts";

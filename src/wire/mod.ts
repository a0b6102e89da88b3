/**
 * The NMSG wire format in pure TypeScript: unit headers, containers and their filling
 * rules, payload CRC32C, zlib framing, fragments and sequence loss accounting. Nothing
 * here touches the operating system, so it runs in browsers too.
 *
 * @module
 */

export * from "./constants.ts";
export * from "./container.ts";
export * from "./container_view.ts";
export * from "./container_writer.ts";
export { bswap32, crc32c, payloadCrc } from "./crc32c.ts";
export * from "./errors.ts";
export * from "./fragment.ts";
export * from "./header.ts";
export * from "./payload.ts";
export * from "./seqsrc.ts";
export * from "./unit_decoder.ts";
export * from "./unit_reader.ts";
export * from "./zlib.ts";
export * from "./container_reader.ts";
export * from "./streams.ts";
export * from "./stream_writer.ts";

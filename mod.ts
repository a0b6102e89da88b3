/**
 * nmsg-deno: read and write NMSG, Farsight Security's container format for passive DNS and
 * security telemetry, with every base and SIE message type, presentation and JSON text
 * byte-identical to `nmsgtool`'s, and inputs and outputs for files, UDP, pcap, ZeroMQ and
 * Kafka.
 *
 * The codec layers are also published on their own and run in browsers: `./wire` (the NMSG
 * container format) and `./msgmod` (message modules, presentation and JSON).
 *
 * @example Print a file as JSON lines, as `nmsgtool -r FILE -J -` does
 * ```ts
 * import { ContainerReader, defaultRegistry, formatJson, nodeZlib } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const registry = defaultRegistry();
 * using file = await Deno.open("tests/testdata/sample.nmsg");
 * const lines: string[] = [];
 * for await (const batch of new ContainerReader(file, { zlib: nodeZlib })) {
 *   for (const payload of batch.payloads) lines.push(formatJson(payload, registry));
 * }
 * assert.equal(lines.length, 32);
 * assert.equal(JSON.parse(lines[0]!).mname, "dnsqr");
 * ```
 *
 * @example Read one field of each message
 * ```ts
 * import { defaultRegistry, nameToText, NmsgMessage, readPayloads } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const registry = defaultRegistry();
 * using file = await Deno.open("tests/testdata/sample.nmsg");
 * const qnames = new Set<string>();
 * for await (const payload of readPayloads(file)) {
 *   const msg = NmsgMessage.fromPayload(payload, registry);
 *   // A payload whose bytes do not decode makes getters throw NmsgFormatError.
 *   const qname = msg?.isValid() ? msg.get("qname") : undefined;
 *   if (qname instanceof Uint8Array) qnames.add(nameToText(qname));
 * }
 * assert.ok(qnames.has("www.qwuoeitugknrklivsbynmvxs.org."));
 * ```
 *
 * @module
 */

export * from "./src/wire/mod.ts";
export * from "./src/msgmod/mod.ts";
export * from "./src/msgmod/dns/mod.ts";
export * from "./src/msgmod/capture/mod.ts";
export * from "./src/engine/mod.ts";
export * from "./src/pcap/mod.ts";
export * from "./src/io/mod.ts";

/**
 * From captured packets to base-module payloads, in pure TypeScript (no Deno API): IP
 * datagrams in link-layer frames, IPv4/IPv6 fragment reassembly, the dnsqr
 * query/response engine, UDP checksum states, and the capture hooks of the dnsqr,
 * packet, pkt and ncap modules.
 *
 * @module
 */

export * from "./capture_converter.ts";
export * from "./dnsqr_bpf.ts";
export * from "./dnsqr_engine.ts";
export * from "./ip_datagram.ts";
export * from "./ip_reassembler.ts";
export * from "./udp_checksum.ts";

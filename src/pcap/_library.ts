// libpcap, opened once on first use by absolute path (see src/ffi/loader.ts).

import { openLibrary } from "../ffi/loader.ts";
import { readCString } from "../ffi/libc_memory.ts";
import { PCAP_SYMBOLS } from "./symbols.ts";

type PcapSymbols = Deno.DynamicLibrary<typeof PCAP_SYMBOLS>["symbols"];

let opened: { symbols: PcapSymbols; path: string } | undefined;

/** The bound libpcap functions. */
export function pcap(): PcapSymbols {
  if (opened === undefined) {
    const { lib, path } = openLibrary("libpcap", PCAP_SYMBOLS);
    opened = { symbols: lib.symbols, path };
  }
  return opened.symbols;
}

/** The path libpcap was loaded from. */
export function pcapPath(): string {
  pcap();
  return opened!.path;
}

/** libpcap's text for a status code (`pcap_statustostr`). */
export function statusText(status: number): string {
  return readCString(pcap().pcap_statustostr(status));
}

const decoder = new TextDecoder();

/** The NUL-terminated text in an error buffer. */
export function errbufText(errbuf: Uint8Array): string {
  const end = errbuf.indexOf(0);
  return decoder.decode(end < 0 ? errbuf : errbuf.subarray(0, end));
}

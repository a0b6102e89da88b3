/**
 * libpcap through Deno FFI: savefiles (pcap and pcapng) and live interfaces, BPF filters,
 * and a capture loop that never blocks the event loop. Works under a scoped
 * `--allow-ffi=<libpcap path>,<libc path>` grant (pointers are integers; bytes are copied
 * with libc `memcpy`). The library is found by absolute path (Linux multiarch directories,
 * `/usr/lib64`, macOS `libpcap.A.dylib`, Homebrew); `NMSG_LIBPCAP` names it explicitly.
 *
 * @module
 */

export * from "./bpf_program.ts";
export * from "./capture_filter.ts";
export * from "./capture_loop.ts";
export * from "./errors.ts";
export * from "./pcap_handle.ts";
export * from "./symbols.ts";
